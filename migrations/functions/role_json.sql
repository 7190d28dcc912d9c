-- One role as IX-API shows it (reads of one object, the write paths' events):
-- roles_render() applied to one row, so that a list and a single object cannot
-- differ.
CREATE OR REPLACE FUNCTION role_json(r roles) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT x.j FROM roles_render(ARRAY[r]) x
$$;
