-- One metro-area network as IX-API shows it (reads of one object, the write
-- paths' events): metro_area_networks_render() applied to one row, so that a
-- list and a single object cannot differ.
CREATE OR REPLACE FUNCTION metro_area_network_json(n metro_area_networks) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM metro_area_networks_render(ARRAY[n]) r
$$;
