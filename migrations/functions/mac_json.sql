-- One MAC as IX-API shows it (reads of one object, the write paths' events):
-- macs_render() applied to one row, so that a list and a single object cannot
-- differ.
CREATE OR REPLACE FUNCTION mac_json(m macs) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM macs_render(ARRAY[m]) r
$$;
