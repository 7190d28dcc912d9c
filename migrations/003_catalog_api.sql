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
