-- One IP as IX-API shows it (reads of one object, the write paths' events):
-- ips_render() applied to one row, so that a list and a single object cannot
-- differ.
CREATE OR REPLACE FUNCTION ip_json(i ips) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM ips_render(ARRAY[i]) r
$$;
