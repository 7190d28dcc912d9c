-- Facilities as IX-API shows them, any number of rows at once (a list renders
-- only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION facilities_render(fs facilities[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH f AS (SELECT * FROM unnest(fs)),
    p AS (SELECT p.facility AS fac, jsonb_agg(p.id::text ORDER BY p.id) AS v
            FROM pops p WHERE p.facility = ANY (ARRAY(SELECT f.id FROM f)) GROUP BY 1)
    SELECT f.id, jsonb_build_object(
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
               'pops', coalesce(p.v, '[]'::jsonb),
               'latitude', f.latitude,
               'longitude', f.longitude)
      FROM f LEFT JOIN p ON p.fac = f.id;
END
$$;
