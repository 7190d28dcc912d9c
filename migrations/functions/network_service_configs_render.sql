-- Network service configs as IX-API shows them, any number at once. Text, not
-- jsonb: building and aggregating json text is several times cheaper than jsonb
-- for thousands of rows; the optional dates and the product offering are left
-- out when unset (2.1.0 types them non-nullable). PL/pgSQL for the ids array:
-- the child tables are read through their indexes for a page, whatever the
-- exchange holds.
CREATE OR REPLACE FUNCTION network_service_configs_render(cs network_service_configs[])
RETURNS TABLE (rid bigint, j text) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    ids bigint[] := ARRAY(SELECT (x).id FROM unnest(cs) AS x);
BEGIN
    RETURN QUERY
    WITH ra AS (SELECT r.network_service_config AS nsc,
                       json_agg(r.role_assignment::text ORDER BY r.role_assignment) AS v
                  FROM network_service_config_role_assignments r
                 WHERE r.network_service_config = ANY (ids) GROUP BY 1),
    m AS (SELECT x.network_service_config AS nsc, json_agg(x.mac::text ORDER BY x.mac) AS v
            FROM network_service_config_macs x
           WHERE x.network_service_config = ANY (ids) GROUP BY 1),
    i AS (SELECT p.network_service_config AS nsc, json_agg(p.id::text ORDER BY p.version, p.id) AS v
            FROM ips p
           WHERE p.network_service_config = ANY (ids) GROUP BY 1),
    f AS (SELECT n.network_service_config AS nsc, json_agg(n.id::text ORDER BY n.id) AS v
            FROM network_feature_configs n
           WHERE n.network_service_config = ANY (ids) GROUP BY 1)
    SELECT c.id,
           left(json_build_object(
               'type', c.type, 'id', c.id::text, 'state', c.state, 'status', '[]'::json,
               'network_service', c.network_service::text,
               'managing_account', c.managing_account::text, 'consuming_account', c.consuming_account::text,
               'billing_account', c.billing_account::text, 'external_ref', c.external_ref,
               'purchase_order', c.purchase_order, 'contract_ref', c.contract_ref,
               'role_assignments', coalesce(ra.v, '[]'::json),
               'connection', c.connection::text,
               'capacity', c.capacity,
               'vlan_config', CASE c.vlan_type
                   WHEN 'port' THEN json_build_object('vlan_type', 'port')
                   WHEN 'dot1q' THEN json_build_object('vlan_type', 'dot1q', 'vlan', c.vlan,
                                                       'vlan_ethertype', coalesce(c.vlan_ethertype, '0x8100'))
                   ELSE json_build_object('vlan_type', 'qinq', 'outer_vlan', c.outer_vlan,
                                          'inner_vlan', c.inner_vlan,
                                          'outer_vlan_ethertype', coalesce(c.outer_vlan_ethertype, '0x8100'))
               END)::text, -1)
           || CASE WHEN c.type = 'exchange_lan' THEN
                  ', "asns" : ' || to_json(c.asns)::text || ', "listed" : ' || to_json(c.listed)::text
                  || ', "consumer_side_ready" : ' || to_json(c.consumer_side_ready)::text
                  || ', "shared_statistics" : ' || coalesce(c.shared_statistics::text, 'null')
                  || ', "macs" : ' || coalesce(m.v, '[]'::json)::text
                  || ', "ips" : ' || coalesce(i.v, '[]'::json)::text
                  || ', "network_feature_configs" : ' || coalesce(f.v, '[]'::json)::text
              ELSE '' END
           || coalesce(', "product_offering" : ' || to_json(coalesce(c.product_offering, s.product_offering)::text)::text, '')
           || coalesce(', "decommission_at" : "' || to_char(c.decommission_at, 'YYYY-MM-DD') || '"', '')
           || coalesce(', "charged_until" : "' || to_char(c.charged_until, 'YYYY-MM-DD') || '"', '')
           || coalesce(', "current_billing_start_date" : "' || to_char(c.current_billing_start_date, 'YYYY-MM-DD')
                       || '"', '')
           || '}'
      FROM unnest(cs) AS c
      LEFT JOIN network_services s ON s.id = c.network_service
      LEFT JOIN ra ON ra.nsc = c.id
      LEFT JOIN m ON m.nsc = c.id
      LEFT JOIN i ON i.nsc = c.id
      LEFT JOIN f ON f.nsc = c.id;
END
$$;
