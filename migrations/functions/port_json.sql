-- One port as IX-API shows it (reads of one object, the write paths' events):
-- ports_render() applied to one row, so that a list and a single object cannot
-- differ.
CREATE OR REPLACE FUNCTION port_json(p ports) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM ports_render(ARRAY[p]) r
$$;
