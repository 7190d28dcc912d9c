-- Lists as sets (issue 9), continued: contacts, roles, role assignments,
-- MACs, IPs and the catalog get set renderers (<resource>_render(rows) →
-- (rid, j)), and each per-row <resource>_json(row), which the write paths
-- use, becomes that renderer applied to one row: one renderer per resource.
-- The JSON is the same as before, key for key.

CREATE FUNCTION contacts_render(cs contacts[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.id, jsonb_build_object(
               'id', c.id::text,
               'managing_account', c.managing_account::text,
               'consuming_account', c.consuming_account::text,
               'external_ref', c.external_ref,
               'name', c.name,
               'telephone', c.telephone,
               'email', c.email)
      FROM unnest(cs) c
$$;
CREATE OR REPLACE FUNCTION contact_json(c contacts) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM contacts_render(ARRAY[c]) r
$$;

CREATE FUNCTION roles_render(rs roles[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.id, jsonb_build_object('id', r.id::text, 'name', r.name, 'required_fields', to_jsonb(r.required_fields))
      FROM unnest(rs) r
$$;
CREATE OR REPLACE FUNCTION role_json(r roles) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT x.j FROM roles_render(ARRAY[r]) x
$$;

CREATE FUNCTION role_assignments_render(ras role_assignments[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT a.id, jsonb_build_object('id', a.id::text, 'role', a.role::text, 'contact', a.contact::text)
      FROM unnest(ras) a
$$;
CREATE OR REPLACE FUNCTION role_assignment_json(a role_assignments) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM role_assignments_render(ARRAY[a]) r
$$;

CREATE FUNCTION macs_render(ms macs[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT m.id, jsonb_build_object(
               'id', m.id::text,
               'managing_account', m.managing_account::text,
               'consuming_account', m.consuming_account::text,
               'external_ref', m.external_ref,
               'address', m.address,
               'valid_not_before', rfc3339(m.valid_not_before),
               'valid_not_after', rfc3339(m.valid_not_after))
      FROM unnest(ms) m
$$;
CREATE OR REPLACE FUNCTION mac_json(m macs) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM macs_render(ARRAY[m]) r
$$;

CREATE FUNCTION ips_render(xs ips[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT i.id, jsonb_build_object(
               'id', i.id::text,
               'managing_account', i.managing_account::text,
               'consuming_account', i.consuming_account::text,
               'external_ref', i.external_ref,
               'version', i.version::integer,
               'address', host(i.address),
               'prefix_length', i.prefix_length::integer,
               'fqdn', i.fqdn,
               'valid_not_before', rfc3339(i.valid_not_before),
               'valid_not_after', rfc3339(i.valid_not_after),
               'network_service', i.network_service::text,
               'network_service_config', i.network_service_config::text,
               'network_feature', i.network_feature::text,
               'network_feature_config', i.network_feature_config::text)
      FROM unnest(xs) i
$$;
CREATE OR REPLACE FUNCTION ip_json(i ips) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM ips_render(ARRAY[i]) r
$$;

-- Columns the lists filter on, not indexed before (role assignments are
-- found by contact through their (contact, role) key).
CREATE INDEX IF NOT EXISTS ips_network_service_idx ON ips (network_service);
CREATE INDEX IF NOT EXISTS ips_network_feature_idx ON ips (network_feature);
CREATE INDEX IF NOT EXISTS ips_network_feature_config_idx ON ips (network_feature_config);
