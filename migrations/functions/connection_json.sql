-- One connection as IX-API shows it (reads of one object, the write paths'
-- events): connections_render() applied to one row, so that a list and a single
-- object cannot differ.
CREATE OR REPLACE FUNCTION connection_json(c connections) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM connections_render(ARRAY[c]) r
$$;
