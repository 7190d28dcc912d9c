-- A config's state holds its VLAN, MACs and IPs until it is archived (or
-- decommissioned, for VLANs and MACs).
CREATE OR REPLACE FUNCTION nsc_is_live(state text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT state NOT IN ('decommissioned', 'archived')
$$;
