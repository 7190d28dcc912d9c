-- Port reservations as IX-API shows them, any number of rows at once (a list
-- renders only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION port_reservations_render(rs port_reservations[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH st AS (SELECT * FROM status_entries_render('port_reservation', ARRAY(SELECT x.id FROM unnest(rs) x)))
    SELECT r.id,
           jsonb_build_object(
               'id', r.id::text, 'state', r.state, 'status', coalesce(st.j::jsonb, '[]'::jsonb),
               'decommission_at', to_char(r.decommission_at, 'YYYY-MM-DD'),
               'charged_until', to_char(r.charged_until, 'YYYY-MM-DD'),
               'current_billing_start_date', to_char(r.current_billing_start_date, 'YYYY-MM-DD'),
               'purchase_order', r.purchase_order, 'contract_ref', r.contract_ref, 'external_ref', r.external_ref,
               'subscriber_side_demarc', r.subscriber_side_demarc, 'connecting_party', r.connecting_party,
               'cross_connect_id', r.cross_connect_id, 'connection', r.connection::text,
               -- only once a port is allocated or in production (2.7.1)
               'exchange_side_demarc', CASE WHEN r.state IN ('allocated', 'production') THEN r.exchange_side_demarc END,
               'port', r.port::text)
      FROM unnest(rs) r
      LEFT JOIN st ON st.object_id = r.id;
END
$$;
