-- Lists that cost what the caller owns (issue 9), continued: connections,
-- ports, port reservations, network services, network features, network
-- feature configs and member joining rules.
--
-- Each gets a set renderer, <resources>_render(rows) → (rid, j), with one
-- grouped aggregate per child table, and its per-row <resource>_json(row)
-- becomes that renderer applied to one row: one renderer for lists, reads
-- and the write paths. The tenant rules are set predicates in the listing
-- descriptors (server/connections, server/services), over the indexed
-- owner columns and scope_accounts() (migration 018).

CREATE FUNCTION connections_render(cs connections[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH c AS (SELECT * FROM unnest(cs)),
    ra AS (SELECT r.connection AS k, jsonb_agg(r.role_assignment::text ORDER BY r.role_assignment) AS v
             FROM connection_role_assignments r
            WHERE r.connection = ANY (ARRAY(SELECT c.id FROM c)) GROUP BY 1),
    p AS (SELECT p.connection AS k, jsonb_agg(p.id::text ORDER BY p.id) AS v
            FROM ports p
           WHERE p.connection = ANY (ARRAY(SELECT c.id FROM c)) GROUP BY 1),
    pr AS (SELECT r.connection AS k, jsonb_agg(r.id::text ORDER BY r.id) AS v
             FROM port_reservations r
            WHERE r.connection = ANY (ARRAY(SELECT c.id FROM c)) GROUP BY 1)
    SELECT c.id,
           jsonb_build_object(
               'id', c.id::text, 'state', c.state, 'status', '[]'::jsonb,
               'decommission_at', to_char(c.decommission_at, 'YYYY-MM-DD'),
               'charged_until', to_char(c.charged_until, 'YYYY-MM-DD'),
               'current_billing_start_date', to_char(c.current_billing_start_date, 'YYYY-MM-DD'),
               'managing_account', c.managing_account::text, 'consuming_account', c.consuming_account::text,
               'billing_account', c.billing_account::text, 'external_ref', c.external_ref,
               'purchase_order', c.purchase_order, 'contract_ref', c.contract_ref,
               'role_assignments', coalesce(ra.v, '[]'::jsonb),
               'mode', c.mode, 'lacp_timeout', c.lacp_timeout, 'product_offering', c.product_offering::text,
               'name', c.name,
               'ports', coalesce(p.v, '[]'::jsonb),
               'port_reservations', coalesce(pr.v, '[]'::jsonb),
               'pop', o.handover_pop::text,
               'speed', o.physical_port_speed,
               'capacity_allocated', 0,
               'capacity_allocation_limit', CASE WHEN o.physical_port_speed IS NULL THEN NULL
                                                 ELSE o.physical_port_speed * c.port_quantity END,
               'vlan_types', '["port", "dot1q", "qinq"]'::jsonb,
               'outer_vlan_ethertypes', '["0x8100", "0x88a8"]'::jsonb,
               'port_quantity', c.port_quantity,
               'subscriber_side_demarcs', to_jsonb(c.subscriber_side_demarcs),
               'metro_area', o.handover_metro_area::text,
               'metro_area_network', o.handover_metro_area_network::text)
      FROM c
      LEFT JOIN product_offerings o ON o.id = c.product_offering
      LEFT JOIN ra ON ra.k = c.id
      LEFT JOIN p ON p.k = c.id
      LEFT JOIN pr ON pr.k = c.id;
END
$$;

CREATE OR REPLACE FUNCTION connection_json(c connections) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM connections_render(ARRAY[c]) r
$$;

CREATE FUNCTION ports_render(ps ports[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT p.id,
           jsonb_build_object(
               'id', p.id::text, 'state', p.state, 'status', '[]'::jsonb,
               'managing_account', p.managing_account::text, 'consuming_account', p.consuming_account::text,
               'billing_account', p.billing_account::text, 'external_ref', p.external_ref,
               'purchase_order', p.purchase_order, 'contract_ref', p.contract_ref, 'role_assignments', '[]'::jsonb,
               'connection', p.connection::text, 'speed', p.speed, 'name', p.name, 'media_type', p.media_type,
               'operational_state', p.operational_state, 'device', p.device::text,
               'pop', d.pop::text)
      FROM unnest(ps) p
      LEFT JOIN devices d ON d.id = p.device;
END
$$;

CREATE OR REPLACE FUNCTION port_json(p ports) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM ports_render(ARRAY[p]) r
$$;

CREATE FUNCTION port_reservations_render(rs port_reservations[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT r.id,
           jsonb_build_object(
               'id', r.id::text, 'state', r.state, 'status', '[]'::jsonb,
               'decommission_at', to_char(r.decommission_at, 'YYYY-MM-DD'),
               'charged_until', to_char(r.charged_until, 'YYYY-MM-DD'),
               'current_billing_start_date', to_char(r.current_billing_start_date, 'YYYY-MM-DD'),
               'purchase_order', r.purchase_order, 'contract_ref', r.contract_ref, 'external_ref', r.external_ref,
               'subscriber_side_demarc', r.subscriber_side_demarc, 'connecting_party', r.connecting_party,
               'cross_connect_id', r.cross_connect_id, 'connection', r.connection::text,
               -- only once a port is allocated or in production (2.7.1)
               'exchange_side_demarc', CASE WHEN r.state IN ('allocated', 'production') THEN r.exchange_side_demarc END,
               'port', r.port::text)
      FROM unnest(rs) r;
END
$$;

CREATE OR REPLACE FUNCTION port_reservation_json(r port_reservations) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT x.j FROM port_reservations_render(ARRAY[r]) x
$$;

-- Network services: the LAN, virtual circuits by type.
CREATE FUNCTION network_services_render(ss network_services[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH s AS (SELECT * FROM unnest(ss)),
    f AS (SELECT f.network_service AS k, jsonb_agg(f.id::text ORDER BY f.id) AS v
            FROM network_features f
           WHERE f.network_service = ANY (ARRAY(SELECT s.id FROM s)) GROUP BY 1),
    mr AS (SELECT r.network_service AS k, jsonb_agg(r.id::text ORDER BY r.id) AS v
             FROM member_joining_rules r
            WHERE r.network_service = ANY (ARRAY(SELECT s.id FROM s)) GROUP BY 1),
    b AS (SELECT s.*,
                 jsonb_build_object(
                     'type', s.type, 'id', s.id::text, 'state', s.state, 'status', '[]'::jsonb,
                     'managing_account', s.managing_account::text, 'consuming_account', s.consuming_account::text,
                     'external_ref', s.external_ref,
                     'product_offering', s.product_offering::text,
                     'nsc_required_contact_roles', coalesce(roles.v, '[]'::jsonb)) AS base,
                 coalesce(f.v, '[]'::jsonb) AS features,
                 coalesce(mr.v, '[]'::jsonb) AS rules
            FROM s
            LEFT JOIN f ON f.k = s.id
            LEFT JOIN mr ON mr.k = s.id
            LEFT JOIN LATERAL (SELECT jsonb_agg(x::text ORDER BY x) AS v
                                 FROM unnest(s.nsc_required_contact_roles) AS x) roles ON true)
    SELECT b.id,
           jsonb_without_nulls(
               CASE WHEN b.type = 'exchange_lan' THEN
                   b.base || jsonb_build_object(
                       'network_features', b.features,
                       'name', b.name, 'metro_area_network', b.metro_area_network::text,
                       'peeringdb_ixid', b.peeringdb_ixid, 'ixfdb_ixid', b.ixfdb_ixid,
                       'subnet_v4', b.subnet_v4::text, 'subnet_v6', b.subnet_v6::text)
               ELSE
                   b.base || jsonb_build_object(
                       'billing_account', b.billing_account::text, 'purchase_order', b.purchase_order,
                       'contract_ref', b.contract_ref,
                       'decommission_at', to_char(b.decommission_at, 'YYYY-MM-DD'),
                       'charged_until', to_char(b.charged_until, 'YYYY-MM-DD'),
                       'current_billing_start_date', to_char(b.current_billing_start_date, 'YYYY-MM-DD'),
                       'display_name', b.display_name)
                   || CASE b.type
                       WHEN 'p2p_vc' THEN jsonb_build_object('joining_member_account', b.joining_member_account::text,
                                                             'capacity', b.capacity)
                       WHEN 'cloud_vc' THEN jsonb_build_object('capacity', b.capacity, 'cloud_key', b.cloud_key,
                                                               'diversity', coalesce(b.diversity, 1))
                       ELSE jsonb_build_object('name', b.name, 'public', b.public,
                                               'network_features', b.features,
                                               'member_joining_rules', b.rules)
                   END
               END,
               '{decommission_at,charged_until,current_billing_start_date,product_offering}')
      FROM b;
END
$$;

CREATE OR REPLACE FUNCTION network_service_json(s network_services) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM network_services_render(ARRAY[s]) r
$$;
DROP FUNCTION network_service_json_all(network_services);

-- Who sees a network service (the rule of network_service_visible, as a
-- set): everyone the exchange_lan and public services; the owners; the
-- joining member of a p2p_vc; accounts a rule of the service allows;
-- accounts with a config on it. `accounts`: the caller's (scope_accounts).
CREATE FUNCTION network_services_visible(accounts bigint[]) RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s.id FROM network_services s WHERE s.type = 'exchange_lan' OR s.public
    UNION
    SELECT s.id FROM network_services s WHERE s.managing_account = ANY (accounts)
    UNION
    SELECT s.id FROM network_services s WHERE s.consuming_account = ANY (accounts)
    UNION
    SELECT s.id FROM network_services s WHERE s.joining_member_account = ANY (accounts)
    UNION
    SELECT r.network_service FROM member_joining_rules r WHERE r.type = 'allow' AND r.consuming_account = ANY (accounts)
    UNION
    SELECT c.network_service FROM network_service_configs c WHERE c.managing_account = ANY (accounts)
    UNION
    SELECT c.network_service FROM network_service_configs c WHERE c.consuming_account = ANY (accounts)
$$;

-- The one rule, for the write paths that check one service.
CREATE OR REPLACE FUNCTION network_service_visible(s network_services, viewer bigint, viewer_is_operator boolean)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT viewer_is_operator OR s.id IN (SELECT network_services_visible(scope_accounts(viewer)))
$$;

CREATE FUNCTION network_features_render(fs network_features[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT f.id,
           jsonb_build_object(
               'type', f.type, 'id', f.id::text, 'name', f.name, 'required', f.required,
               'nfc_required_contact_roles', coalesce(roles.v, '[]'::jsonb),
               'flags', coalesce(flags.v, '[]'::jsonb),
               'network_service', f.network_service::text, 'asn', f.asn, 'fqdn', f.fqdn,
               'looking_glass_url', f.looking_glass_url,
               'address_families', to_jsonb(f.address_families), 'session_mode', f.session_mode,
               'available_bgp_session_types', to_jsonb(f.available_bgp_session_types),
               'ip_v4', host(f.ip_v4), 'ip_v6', host(f.ip_v6))
      FROM unnest(fs) f
      LEFT JOIN LATERAL (SELECT jsonb_agg(x::text ORDER BY x) AS v
                           FROM unnest(f.nfc_required_contact_roles) AS x) roles ON true
      LEFT JOIN LATERAL (SELECT jsonb_agg(jsonb_build_object('name', x->>'name', 'description', x->>'description',
                                                             'mandatory', coalesce((x->>'mandatory')::boolean, false))
                                          ORDER BY n) AS v
                           FROM jsonb_array_elements(f.flags) WITH ORDINALITY AS e(x, n)) flags ON true;
END
$$;

CREATE OR REPLACE FUNCTION network_feature_json(f network_features) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM network_features_render(ARRAY[f]) r
$$;

-- Feature configs keep `password` in API responses; the events and jobs
-- triggers of migration 015 turn it into has_password on the way in.
CREATE FUNCTION network_feature_configs_render(cs network_feature_configs[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH c AS (SELECT * FROM unnest(cs)),
    ra AS (SELECT r.network_feature_config AS k,
                  jsonb_agg(r.role_assignment::text ORDER BY r.role_assignment) AS v
             FROM network_feature_config_role_assignments r
            WHERE r.network_feature_config = ANY (ARRAY(SELECT c.id FROM c)) GROUP BY 1)
    SELECT c.id,
           jsonb_without_nulls(
               jsonb_build_object(
                   'type', c.type, 'id', c.id::text, 'state', c.state, 'status', '[]'::jsonb,
                   'network_feature', c.network_feature::text, 'network_service_config', c.network_service_config::text,
                   'managing_account', c.managing_account::text, 'consuming_account', c.consuming_account::text,
                   'billing_account', c.billing_account::text, 'external_ref', c.external_ref,
                   'purchase_order', c.purchase_order, 'contract_ref', c.contract_ref,
                   'role_assignments', coalesce(ra.v, '[]'::jsonb),
                   'asn', c.asn, 'as_set_v4', c.as_set_v4, 'as_set_v6', c.as_set_v6,
                   'max_prefix_v4', c.max_prefix_v4, 'max_prefix_v6', c.max_prefix_v6,
                   'insert_ixp_asn', c.insert_ixp_asn, 'session_mode', c.session_mode,
                   'bgp_session_type', c.bgp_session_type, 'password', c.password,
                   'ip', c.ip::text,
                   'flags', c.flags,
                   'decommission_at', to_char(c.decommission_at, 'YYYY-MM-DD'),
                   'charged_until', to_char(c.charged_until, 'YYYY-MM-DD'),
                   'current_billing_start_date', to_char(c.current_billing_start_date, 'YYYY-MM-DD')),
               '{decommission_at,charged_until,current_billing_start_date}')
      FROM c
      LEFT JOIN ra ON ra.k = c.id;
END
$$;

CREATE OR REPLACE FUNCTION network_feature_config_json(c network_feature_configs) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM network_feature_configs_render(ARRAY[c]) r
$$;
DROP FUNCTION network_feature_config_json_all(network_feature_configs);

CREATE FUNCTION member_joining_rules_render(rs member_joining_rules[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT r.id,
           jsonb_build_object(
               'type', r.type, 'id', r.id::text, 'network_service', r.network_service::text,
               'managing_account', r.managing_account::text, 'consuming_account', r.consuming_account::text,
               'external_ref', r.external_ref)
           || CASE WHEN r.type = 'allow'
                   THEN jsonb_build_object('capacity_min', r.capacity_min, 'capacity_max', r.capacity_max)
                   ELSE '{}'::jsonb END
      FROM unnest(rs) r;
END
$$;

CREATE OR REPLACE FUNCTION member_joining_rule_json(r member_joining_rules) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT x.j FROM member_joining_rules_render(ARRAY[r]) x
$$;

-- Owner columns the tenant rules join on, not indexed before.
CREATE INDEX IF NOT EXISTS ports_managing_account_idx ON ports (managing_account);
CREATE INDEX IF NOT EXISTS ports_consuming_account_idx ON ports (consuming_account);
CREATE INDEX IF NOT EXISTS network_services_joining_member_account_idx ON network_services (joining_member_account);
CREATE INDEX IF NOT EXISTS network_services_open_idx ON network_services (id) WHERE type = 'exchange_lan' OR public;
