-- Network services as IX-API shows them, any number at once, one grouped
-- aggregate per child table: the LAN, virtual circuits by type.
CREATE OR REPLACE FUNCTION network_services_render(ss network_services[])
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
