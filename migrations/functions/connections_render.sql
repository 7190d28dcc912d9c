-- Connections as IX-API shows them, any number of rows at once (a list renders
-- only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION connections_render(cs connections[])
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
            WHERE r.connection = ANY (ARRAY(SELECT c.id FROM c)) GROUP BY 1),
    st AS (SELECT * FROM status_entries_render('connection', ARRAY(SELECT c.id FROM c)))
    SELECT c.id,
           jsonb_build_object(
               'id', c.id::text, 'state', c.state, 'status', coalesce(st.j::jsonb, '[]'::jsonb),
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
      LEFT JOIN pr ON pr.k = c.id
      LEFT JOIN st ON st.object_id = c.id;
END
$$;
