-- One device as IX-API shows it (reads of one object, the write paths' events):
-- devices_render() applied to one row, so that a list and a single object
-- cannot differ.
CREATE OR REPLACE FUNCTION device_json(d devices) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM devices_render(ARRAY[d]) r
$$;
