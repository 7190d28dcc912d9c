-- Role assignments as IX-API shows them, any number of rows at once (a list
-- renders only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION role_assignments_render(ras role_assignments[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT a.id, jsonb_build_object('id', a.id::text, 'role', a.role::text, 'contact', a.contact::text)
      FROM unnest(ras) a;
END
$$;
