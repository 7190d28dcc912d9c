-- Ports as IX-API shows them, any number of rows at once (a list renders only
-- its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION ports_render(ps ports[])
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
