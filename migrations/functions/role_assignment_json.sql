-- One role assignment as IX-API shows it (reads of one object, the write paths'
-- events): role_assignments_render() applied to one row, so that a list and a
-- single object cannot differ.
CREATE OR REPLACE FUNCTION role_assignment_json(a role_assignments) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM role_assignments_render(ARRAY[a]) r
$$;
