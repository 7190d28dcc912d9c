-- One network service config as IX-API shows it, rendered afresh (the write
-- paths' answers and events): network_service_configs_render() applied to one
-- row, so that it and the lists and reads (which copy the kept `rendered`
-- column, migration 025) cannot differ.
CREATE OR REPLACE FUNCTION network_service_config_json(c network_service_configs) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j::jsonb FROM network_service_configs_render(ARRAY[c]) r
$$;
