-- Lists as sets (issue 9), continued: contacts, roles, role assignments,
-- MACs, IPs and the catalog get set renderers (<resource>_render(rows) →
-- (rid, j)), and each per-row <resource>_json(row), which the write paths
-- use, becomes that renderer applied to one row: one renderer per resource.
-- The JSON is the same as before, key for key.

CREATE FUNCTION contacts_render(cs contacts[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT c.id, jsonb_build_object(
               'id', c.id::text,
               'managing_account', c.managing_account::text,
               'consuming_account', c.consuming_account::text,
               'external_ref', c.external_ref,
               'name', c.name,
               'telephone', c.telephone,
               'email', c.email)
      FROM unnest(cs) c;
END
$$;
CREATE OR REPLACE FUNCTION contact_json(c contacts) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM contacts_render(ARRAY[c]) r
$$;

CREATE FUNCTION roles_render(rs roles[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT r.id, jsonb_build_object('id', r.id::text, 'name', r.name, 'required_fields', to_jsonb(r.required_fields))
      FROM unnest(rs) r;
END
$$;
CREATE OR REPLACE FUNCTION role_json(r roles) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT x.j FROM roles_render(ARRAY[r]) x
$$;

CREATE FUNCTION role_assignments_render(ras role_assignments[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT a.id, jsonb_build_object('id', a.id::text, 'role', a.role::text, 'contact', a.contact::text)
      FROM unnest(ras) a;
END
$$;
CREATE OR REPLACE FUNCTION role_assignment_json(a role_assignments) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM role_assignments_render(ARRAY[a]) r
$$;

CREATE FUNCTION macs_render(ms macs[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT m.id, jsonb_build_object(
               'id', m.id::text,
               'managing_account', m.managing_account::text,
               'consuming_account', m.consuming_account::text,
               'external_ref', m.external_ref,
               'address', m.address,
               'valid_not_before', rfc3339(m.valid_not_before),
               'valid_not_after', rfc3339(m.valid_not_after))
      FROM unnest(ms) m;
END
$$;
CREATE OR REPLACE FUNCTION mac_json(m macs) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM macs_render(ARRAY[m]) r
$$;

CREATE FUNCTION ips_render(xs ips[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
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
      FROM unnest(xs) i;
END
$$;
CREATE OR REPLACE FUNCTION ip_json(i ips) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM ips_render(ARRAY[i]) r
$$;

-- Columns the lists filter on, not indexed before (role assignments are
-- found by contact through their (contact, role) key).
CREATE INDEX IF NOT EXISTS ips_network_service_idx ON ips (network_service);
CREATE INDEX IF NOT EXISTS ips_network_feature_idx ON ips (network_feature);
CREATE INDEX IF NOT EXISTS ips_network_feature_config_idx ON ips (network_feature_config);

-- The catalog: the same for every caller; its lists render only the
-- requested page, children grouped once per list.
CREATE FUNCTION metro_areas_render(ms metro_areas[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH m AS (SELECT * FROM unnest(ms)),
    f AS (SELECT f.metro_area AS ma, jsonb_agg(f.id::text ORDER BY f.id) AS v
            FROM facilities f WHERE f.metro_area = ANY (ARRAY(SELECT m.id FROM m)) GROUP BY 1),
    n AS (SELECT n.metro_area AS ma, jsonb_agg(n.id::text ORDER BY n.id) AS v
            FROM metro_area_networks n WHERE n.metro_area = ANY (ARRAY(SELECT m.id FROM m)) GROUP BY 1)
    SELECT m.id, jsonb_build_object(
               'id', m.id::text,
               'un_locode', m.un_locode,
               'iata_code', m.iata_code,
               'display_name', m.display_name,
               'facilities', coalesce(f.v, '[]'::jsonb),
               'metro_area_networks', coalesce(n.v, '[]'::jsonb))
      FROM m LEFT JOIN f ON f.ma = m.id LEFT JOIN n ON n.ma = m.id;
END
$$;
CREATE OR REPLACE FUNCTION metro_area_json(m metro_areas) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM metro_areas_render(ARRAY[m]) r
$$;

CREATE FUNCTION metro_area_networks_render(ns metro_area_networks[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH n AS (SELECT * FROM unnest(ns)),
    p AS (SELECT p.metro_area_network AS man, jsonb_agg(p.id::text ORDER BY p.id) AS v
            FROM pops p WHERE p.metro_area_network = ANY (ARRAY(SELECT n.id FROM n)) GROUP BY 1)
    SELECT n.id, jsonb_build_object(
               'id', n.id::text,
               'name', n.name,
               'metro_area', n.metro_area::text,
               'service_provider', n.service_provider,
               'pops', coalesce(p.v, '[]'::jsonb))
      FROM n LEFT JOIN p ON p.man = n.id;
END
$$;
CREATE OR REPLACE FUNCTION metro_area_network_json(n metro_area_networks) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM metro_area_networks_render(ARRAY[n]) r
$$;

CREATE FUNCTION facilities_render(fs facilities[]) RETURNS TABLE (rid bigint, j jsonb)
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
CREATE OR REPLACE FUNCTION facility_json(f facilities) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM facilities_render(ARRAY[f]) r
$$;

CREATE FUNCTION pops_render(ps pops[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH p AS (SELECT * FROM unnest(ps)),
    d AS (SELECT d.pop, jsonb_agg(d.id::text ORDER BY d.id) AS v
            FROM devices d WHERE d.pop = ANY (ARRAY(SELECT p.id FROM p)) GROUP BY 1)
    SELECT p.id, jsonb_build_object(
               'id', p.id::text,
               'name', p.name,
               'facility', p.facility::text,
               'metro_area_network', p.metro_area_network::text,
               'devices', coalesce(d.v, '[]'::jsonb),
               'availability_zone', p.availability_zone::text)
      FROM p LEFT JOIN d ON d.pop = p.id;
END
$$;
CREATE OR REPLACE FUNCTION pop_json(p pops) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM pops_render(ARRAY[p]) r
$$;

CREATE FUNCTION devices_render(ds devices[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH d AS (SELECT * FROM unnest(ds)),
    c AS (SELECT c.device, jsonb_agg(jsonb_build_object('media_type', c.media_type, 'speed', c.speed,
                                                        'max_lag', c.max_lag, 'availability', c.availability)
                                     ORDER BY c.speed, c.media_type) AS v
            FROM device_capabilities c WHERE c.device = ANY (ARRAY(SELECT d.id FROM d)) GROUP BY 1)
    SELECT d.id, jsonb_build_object(
               'id', d.id::text,
               'name', d.name,
               'pop', d.pop::text,
               'facility', p.facility::text,
               'capabilities', coalesce(c.v, '[]'::jsonb))
      FROM d LEFT JOIN pops p ON p.id = d.pop LEFT JOIN c ON c.device = d.id;
END
$$;
CREATE OR REPLACE FUNCTION device_json(d devices) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM devices_render(ARRAY[d]) r
$$;

CREATE FUNCTION availability_zones_render(zs availability_zones[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT z.id, jsonb_build_object('id', z.id::text, 'name', z.name) FROM unnest(zs) z;
END
$$;
CREATE OR REPLACE FUNCTION availability_zone_json(z availability_zones) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM availability_zones_render(ARRAY[z]) r
$$;

-- A connection offering has the connection fields; the others the service
-- fields, and an exchange_lan or cloud_vc one its own on top.
CREATE FUNCTION product_offerings_render(os product_offerings[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT o.id, jsonb_build_object(
               'type', o.type,
               'id', o.id::text,
               'name', o.name,
               'display_name', o.display_name,
               'exchange_logo', o.exchange_logo,
               'service_provider_logo', o.service_provider_logo,
               'product_logo', o.product_logo,
               'resource_type', o.resource_type,
               'handover_metro_area_network', o.handover_metro_area_network::text,
               'handover_metro_area', o.handover_metro_area::text,
               'physical_port_speed', o.physical_port_speed,
               'service_provider', o.service_provider,
               'downgrade_allowed', o.downgrade_allowed,
               'upgrade_allowed', o.upgrade_allowed,
               'orderable_not_before', rfc3339(o.orderable_not_before),
               'orderable_not_after', rfc3339(o.orderable_not_after),
               'contract_terms', o.contract_terms,
               'contract_initial_period', o.contract_initial_period,
               'contract_initial_notice_period', o.contract_initial_notice_period,
               'contract_renewal_period', o.contract_renewal_period,
               'contract_renewal_notice_period', o.contract_renewal_notice_period,
               'notice_period', o.notice_period)
           || CASE WHEN o.type = 'connection' THEN jsonb_build_object(
                  'cross_connect_initiator', o.cross_connect_initiator,
                  'handover_pop', o.handover_pop::text,
                  'maximum_port_quantity', o.maximum_port_quantity,
                  'required_contact_roles', (SELECT coalesce(jsonb_agg(r::text ORDER BY r), '[]'::jsonb)
                                               FROM unnest(o.required_contact_roles) AS r))
              ELSE jsonb_build_object(
                  'provider_vlans', o.provider_vlans,
                  'service_metro_area_network', o.service_metro_area_network::text,
                  'service_metro_area', o.service_metro_area::text,
                  'bandwidth_min', o.bandwidth_min,
                  'bandwidth_max', o.bandwidth_max,
                  'nsc_required_l3_config_fields', to_jsonb(o.nsc_required_l3_config_fields),
                  'nsc_supported_l3_config_fields', to_jsonb(o.nsc_supported_l3_config_fields))
                  || CASE o.type
                         WHEN 'exchange_lan' THEN jsonb_build_object(
                             'exchange_lan_network_service', o.exchange_lan_network_service::text)
                         WHEN 'cloud_vc' THEN jsonb_build_object(
                             'service_provider_region', o.service_provider_region,
                             'service_provider_pop', o.service_provider_pop,
                             'service_provider_workflow', o.service_provider_workflow,
                             'delivery_method', o.delivery_method,
                             'diversity', o.diversity)
                         ELSE '{}'::jsonb END
              END
      FROM unnest(os) o;
END
$$;
CREATE OR REPLACE FUNCTION product_offering_json(o product_offerings) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM product_offerings_render(ARRAY[o]) r
$$;

CREATE INDEX IF NOT EXISTS metro_area_networks_metro_area_idx ON metro_area_networks (metro_area);

-- Accounts (GET /accounts has a handler of its own; its statements join
-- scope_accounts() too): an account's ASNs are its registered ones and
-- those of its live configs. account_object() is the one place the fields
-- are written; accounts_render() gathers the ASNs once for a whole page,
-- account_asns() by key for the single account a read (the hot path)
-- renders.
CREATE FUNCTION account_object(a accounts, asns jsonb) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object(
               'id', a.id::text,
               'state', a.state,
               'status', '[]'::jsonb,
               'managing_account', a.managing_account::text,
               'name', a.name,
               'legal_name', a.legal_name,
               'external_ref', a.external_ref,
               'discoverable', a.discoverable,
               'metro_area_network_presence', to_jsonb(a.metro_area_network_presence),
               'address', a.address,
               'asns', coalesce(asns, '[]'::jsonb))
           || CASE WHEN a.billing_information IS NOT NULL
                   THEN jsonb_build_object('billing_information', a.billing_information) ELSE '{}'::jsonb END
$$;

-- The ASNs of one account, by key (PL/pgSQL: its plan is kept per session).
CREATE FUNCTION account_asns(acc bigint) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (SELECT jsonb_agg(DISTINCT x.asn ORDER BY x.asn) FROM (
                SELECT r.asn FROM account_asns r WHERE r.account_id = acc
                UNION SELECT unnest(c.asns) FROM network_service_configs c
                       WHERE c.consuming_account = acc AND nsc_is_live(c.state)
                UNION SELECT f.asn FROM network_feature_configs f
                       WHERE f.consuming_account = acc AND nsc_is_live(f.state)) AS x);
END
$$;

CREATE FUNCTION accounts_render(accs accounts[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH a AS (SELECT * FROM unnest(accs)),
    ids AS (SELECT ARRAY(SELECT a.id FROM a) AS v),
    x AS (SELECT r.account_id AS acc, r.asn FROM account_asns r WHERE r.account_id = ANY ((SELECT v FROM ids)::bigint[])
          UNION SELECT c.consuming_account, unnest(c.asns) FROM network_service_configs c
                 WHERE c.consuming_account = ANY ((SELECT v FROM ids)::bigint[]) AND nsc_is_live(c.state)
          UNION SELECT f.consuming_account, f.asn FROM network_feature_configs f
                 WHERE f.consuming_account = ANY ((SELECT v FROM ids)::bigint[]) AND nsc_is_live(f.state)),
    g AS (SELECT x.acc, jsonb_agg(DISTINCT x.asn ORDER BY x.asn) AS v FROM x GROUP BY 1)
    SELECT a.id, account_object(a::accounts, g.v) FROM a LEFT JOIN g ON g.acc = a.id;
END
$$;
-- One account (reads, and the write paths' events): the same fields, its
-- ASNs by key.
CREATE OR REPLACE FUNCTION account_json(a accounts) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT account_object(a, account_asns(a.id))
$$;
