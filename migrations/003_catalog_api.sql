-- The catalog as IX-API shows it: availability zones, and the JSON
-- representation of metro areas, metro-area networks, facilities, points of
-- presence, devices and availability zones (ids as strings, lists of the
-- ids of related objects in id order). PL/pgSQL so that plans are cached.

CREATE TABLE availability_zones (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 80)
);

ALTER TABLE pops ADD COLUMN availability_zone bigint REFERENCES availability_zones (id);

CREATE INDEX facilities_metro_area_idx ON facilities (metro_area);
CREATE INDEX metro_area_networks_metro_area_idx ON metro_area_networks (metro_area);
CREATE INDEX pops_facility_idx ON pops (facility);
CREATE INDEX pops_metro_area_network_idx ON pops (metro_area_network);
CREATE INDEX devices_pop_idx ON devices (pop);

CREATE FUNCTION metro_area_json(m metro_areas) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'id', m.id::text,
        'un_locode', m.un_locode,
        'iata_code', m.iata_code,
        'display_name', m.display_name,
        'facilities', (SELECT coalesce(jsonb_agg(f.id::text ORDER BY f.id), '[]'::jsonb)
                         FROM facilities f WHERE f.metro_area = m.id),
        'metro_area_networks', (SELECT coalesce(jsonb_agg(n.id::text ORDER BY n.id), '[]'::jsonb)
                                  FROM metro_area_networks n WHERE n.metro_area = m.id));
END
$$;

CREATE FUNCTION metro_area_network_json(n metro_area_networks) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'id', n.id::text,
        'name', n.name,
        'metro_area', n.metro_area::text,
        'service_provider', n.service_provider,
        'pops', (SELECT coalesce(jsonb_agg(p.id::text ORDER BY p.id), '[]'::jsonb)
                   FROM pops p WHERE p.metro_area_network = n.id));
END
$$;

CREATE FUNCTION facility_json(f facilities) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'id', f.id::text,
        'name', f.name,
        'metro_area', f.metro_area::text,
        'address_country', f.address_country,
        'address_locality', f.address_locality,
        'address_region', f.address_region,
        'postal_code', f.postal_code,
        'street_address', f.street_address,
        'peeringdb_facility_id', f.peeringdb_facility_id,
        'organisation_name', f.organisation_name,
        'pops', (SELECT coalesce(jsonb_agg(p.id::text ORDER BY p.id), '[]'::jsonb)
                   FROM pops p WHERE p.facility = f.id),
        'latitude', f.latitude,
        'longitude', f.longitude);
END
$$;

CREATE FUNCTION pop_json(p pops) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'id', p.id::text,
        'name', p.name,
        'facility', p.facility::text,
        'metro_area_network', p.metro_area_network::text,
        'devices', (SELECT coalesce(jsonb_agg(d.id::text ORDER BY d.id), '[]'::jsonb)
                      FROM devices d WHERE d.pop = p.id),
        'availability_zone', p.availability_zone::text);
END
$$;

CREATE FUNCTION device_json(d devices) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'id', d.id::text,
        'name', d.name,
        'pop', d.pop::text,
        'facility', (SELECT p.facility::text FROM pops p WHERE p.id = d.pop),
        'capabilities', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                    'media_type', c.media_type, 'speed', c.speed,
                                    'max_lag', c.max_lag, 'availability', c.availability)
                                  ORDER BY c.speed, c.media_type), '[]'::jsonb)
                           FROM device_capabilities c WHERE c.device = d.id));
END
$$;

CREATE FUNCTION availability_zone_json(z availability_zones) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object('id', z.id::text, 'name', z.name);
END
$$;

-- The capability_* filters of facilities, pops and devices: does the device
-- offer a port matching every given condition (NULL: no condition)? The
-- parameters are prefixed so that they cannot be taken for columns.
CREATE FUNCTION device_has_capability(p_device bigint, p_speed integer, p_speed_lt integer,
                                      p_speed_lte integer, p_speed_gt integer, p_speed_gte integer,
                                      p_media text)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM device_capabilities c
         WHERE c.device = p_device
           AND (p_speed IS NULL OR c.speed = p_speed)
           AND (p_speed_lt IS NULL OR c.speed < p_speed_lt)
           AND (p_speed_lte IS NULL OR c.speed <= p_speed_lte)
           AND (p_speed_gt IS NULL OR c.speed > p_speed_gt)
           AND (p_speed_gte IS NULL OR c.speed >= p_speed_gte)
           AND (p_media IS NULL OR c.media_type = p_media))
$$;
