-- One network service config as IX-API shows it (reads of one object, the write
-- paths' events): network_service_configs_render() applied to one row, so that
-- a list and a single object cannot differ.
CREATE OR REPLACE FUNCTION network_service_config_json(c network_service_configs) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j::jsonb FROM network_service_configs_render(ARRAY[c]) r
$$;
