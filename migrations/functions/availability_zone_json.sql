-- One availability zone as IX-API shows it (reads of one object, the write
-- paths' events): availability_zones_render() applied to one row, so that a
-- list and a single object cannot differ.
CREATE OR REPLACE FUNCTION availability_zone_json(z availability_zones) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM availability_zones_render(ARRAY[z]) r
$$;
