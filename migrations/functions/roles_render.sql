-- Roles as IX-API shows them, any number of rows at once (a list renders only
-- its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION roles_render(rs roles[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT r.id, jsonb_build_object('id', r.id::text, 'name', r.name, 'required_fields', to_jsonb(r.required_fields))
      FROM unnest(rs) r;
END
$$;
