-- Availability zones as IX-API shows them, any number of rows at once (a list
-- renders only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION availability_zones_render(zs availability_zones[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT z.id, jsonb_build_object('id', z.id::text, 'name', z.name) FROM unnest(zs) z;
END
$$;
