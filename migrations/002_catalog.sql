-- The exchange's catalog as far as the foundation needs it: metro areas,
-- metro-area networks, facilities, points of presence and devices. The
-- resources issue adds product offerings and the read endpoints.

CREATE TABLE metro_areas (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    un_locode text NOT NULL UNIQUE CHECK (char_length(un_locode) <= 6),
    iata_code text NOT NULL CHECK (char_length(iata_code) <= 3),
    display_name text NOT NULL CHECK (char_length(display_name) <= 64)
);

CREATE TABLE metro_area_networks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (char_length(name) <= 32),
    metro_area bigint NOT NULL REFERENCES metro_areas (id),
    service_provider text NOT NULL CHECK (char_length(service_provider) <= 128)
);

CREATE TABLE facilities (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (char_length(name) <= 80),
    metro_area bigint NOT NULL REFERENCES metro_areas (id),
    address_country text NOT NULL CHECK (char_length(address_country) = 2),
    address_locality text NOT NULL CHECK (char_length(address_locality) <= 80),
    address_region text NOT NULL DEFAULT '' CHECK (char_length(address_region) <= 80),
    postal_code text NOT NULL CHECK (char_length(postal_code) <= 18),
    street_address text NOT NULL CHECK (char_length(street_address) <= 80),
    peeringdb_facility_id integer CHECK (peeringdb_facility_id >= 0),
    organisation_name text NOT NULL CHECK (char_length(organisation_name) <= 80),
    latitude double precision,
    longitude double precision
);

CREATE TABLE pops (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (char_length(name) <= 40),
    facility bigint NOT NULL REFERENCES facilities (id),
    metro_area_network bigint NOT NULL REFERENCES metro_area_networks (id)
);

CREATE TABLE devices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (char_length(name) <= 180),
    pop bigint NOT NULL REFERENCES pops (id)
);

-- What a device can offer: one row per (media type, speed).
CREATE TABLE device_capabilities (
    device bigint NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    media_type text NOT NULL CHECK (char_length(media_type) <= 20),
    speed integer NOT NULL CHECK (speed > 0),
    max_lag smallint NOT NULL DEFAULT 1 CHECK (max_lag >= 0),
    availability integer NOT NULL DEFAULT 0 CHECK (availability >= 0),
    PRIMARY KEY (device, media_type, speed)
);
