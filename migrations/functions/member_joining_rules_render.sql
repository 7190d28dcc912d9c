-- Member joining rules as IX-API shows them, any number of rows at once (a list
-- renders only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION member_joining_rules_render(rs member_joining_rules[])
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
