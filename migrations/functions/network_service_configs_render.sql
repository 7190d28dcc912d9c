-- Network service configs as IX-API shows them, any number at once. Text, not
-- jsonb: building and aggregating json text is several times cheaper than jsonb
-- for thousands of rows; the optional dates and the product offering are left
-- out when unset (2.1.0 types them non-nullable). PL/pgSQL for the ids array:
-- the child tables are read through their indexes for a page, whatever the
-- exchange holds.
-- Each object is concatenated text, not json_build_object (a third cheaper on
-- the exchange's largest table): type, state and vlan_type are CHECKed words,
-- ids, numbers and booleans need no escaping, dates go through to_char, and
-- every free text (external_ref, purchase_order, contract_ref) through to_json.
-- Its result is kept in network_service_configs.rendered (migration 025), which
-- lists and reads copy: a table this starts to read needs the touch triggers
-- (network_service_configs_touch), or the test harness's guard fails.
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
           WHERE n.network_service_config = ANY (ids) GROUP BY 1),
    st AS (SELECT * FROM status_entries_render('network_service_config', ids))
    SELECT c.id,
           '{"type":"' || c.type || '","id":"' || c.id || '","state":"' || c.state
           || '","status":' || coalesce(st.j, '[]') || ',"network_service":"' || c.network_service
           || '","managing_account":"' || c.managing_account || '","consuming_account":"' || c.consuming_account
           || '","billing_account":"' || c.billing_account
           || '","external_ref":' || coalesce(to_json(c.external_ref)::text, 'null')
           || ',"purchase_order":' || to_json(c.purchase_order)::text
           || ',"contract_ref":' || coalesce(to_json(c.contract_ref)::text, 'null')
           || ',"role_assignments":' || coalesce(ra.v::text, '[]')
           || ',"connection":"' || c.connection
           || '","capacity":' || coalesce(c.capacity::text, 'null')
           || ',"vlan_config":' || CASE c.vlan_type
                  WHEN 'port' THEN '{"vlan_type":"port"}'
                  WHEN 'dot1q' THEN '{"vlan_type":"dot1q","vlan":' || c.vlan || ',"vlan_ethertype":"'
                                    || coalesce(c.vlan_ethertype, '0x8100') || '"}'
                  ELSE '{"vlan_type":"qinq","outer_vlan":' || c.outer_vlan || ',"inner_vlan":' || c.inner_vlan
                       || ',"outer_vlan_ethertype":"' || coalesce(c.outer_vlan_ethertype, '0x8100') || '"}'
              END
           || CASE WHEN c.type = 'exchange_lan' THEN
                  ',"asns":[' || array_to_string(c.asns, ',') || '],"listed":' || c.listed
                  || ',"consumer_side_ready":' || c.consumer_side_ready
                  || ',"shared_statistics":' || c.shared_statistics::text
                  || ',"macs":' || coalesce(m.v::text, '[]')
                  || ',"ips":' || coalesce(i.v::text, '[]')
                  || ',"network_feature_configs":' || coalesce(f.v::text, '[]')
              ELSE '' END
           || coalesce(',"product_offering":"' || coalesce(c.product_offering, s.product_offering) || '"', '')
           || coalesce(',"decommission_at":"' || to_char(c.decommission_at, 'YYYY-MM-DD') || '"', '')
           || coalesce(',"charged_until":"' || to_char(c.charged_until, 'YYYY-MM-DD') || '"', '')
           || coalesce(',"current_billing_start_date":"' || to_char(c.current_billing_start_date, 'YYYY-MM-DD')
                       || '"', '')
           || '}'
      FROM unnest(cs) AS c
      LEFT JOIN network_services s ON s.id = c.network_service
      LEFT JOIN ra ON ra.nsc = c.id
      LEFT JOIN m ON m.nsc = c.id
      LEFT JOIN i ON i.nsc = c.id
      LEFT JOIN f ON f.nsc = c.id
      LEFT JOIN st ON st.object_id = c.id;
END
$$;
