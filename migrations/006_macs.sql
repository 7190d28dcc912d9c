-- MAC addresses (IX-API "macs"): unicast addresses an account registers for
-- use on the peering platform, with a validity window. And two helpers
-- every owned resource uses: the tenant scope of an object owned through a
-- managing and a consuming account, and RFC 3339 UTC timestamps.

CREATE TABLE macs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    managing_account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    consuming_account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    external_ref text CHECK (char_length(external_ref) <= 128),
    -- lower case, colon separated, unicast, not all zero (checked in C too)
    address text NOT NULL CHECK (address ~ '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$'
                                 AND substr(address, 2, 1) IN ('0', '2', '4', '6', '8', 'a', 'c', 'e')
                                 AND address <> '00:00:00:00:00:00'),
    valid_not_before timestamptz,
    valid_not_after timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_not_after IS NULL OR valid_not_before IS NULL OR valid_not_after > valid_not_before)
);
CREATE INDEX macs_managing_account_idx ON macs (managing_account);
CREATE INDEX macs_consuming_account_idx ON macs (consuming_account);
CREATE INDEX macs_address_idx ON macs (address);
