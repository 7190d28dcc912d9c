-- One point of presence as IX-API shows it (reads of one object, the write
-- paths' events): pops_render() applied to one row, so that a list and a single
-- object cannot differ.
CREATE OR REPLACE FUNCTION pop_json(p pops) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM pops_render(ARRAY[p]) r
$$;
