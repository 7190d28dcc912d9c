-- IP addresses (IX-API "ips"): an address with its prefix length, owned by
-- a managing and a consuming account, optionally bound to the network
-- service, service config, feature or feature config it serves. Those
-- resources do not exist yet: the references are plain ids until their
-- migrations add the foreign keys.
CREATE TABLE ips (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    managing_account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    consuming_account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    external_ref text CHECK (char_length(external_ref) <= 128),
    version smallint NOT NULL,
    address inet NOT NULL,
    prefix_length smallint NOT NULL,
    fqdn text CHECK (char_length(fqdn) <= 100),
    valid_not_before timestamptz,
    valid_not_after timestamptz,
    network_service bigint,
    network_service_config bigint,
    network_feature bigint,
    network_feature_config bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- named after the property a client must fix
    CONSTRAINT ips_version_check CHECK (version IN (4, 6) AND family(address) = version),
    CONSTRAINT ips_address_check CHECK (masklen(address) = CASE family(address) WHEN 4 THEN 32 ELSE 128 END),
    CONSTRAINT ips_prefix_length_check CHECK (prefix_length BETWEEN 0 AND CASE version WHEN 4 THEN 32 ELSE 128 END),
    CONSTRAINT ips_valid_not_after_check CHECK (valid_not_after IS NULL OR valid_not_before IS NULL
                                                OR valid_not_after > valid_not_before)
);
CREATE INDEX ips_managing_account_idx ON ips (managing_account);
CREATE INDEX ips_consuming_account_idx ON ips (consuming_account);
CREATE INDEX ips_address_idx ON ips (address);
