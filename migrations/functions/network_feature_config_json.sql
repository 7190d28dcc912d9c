-- One network feature config as IX-API shows it (reads of one object, the write
-- paths' events): network_feature_configs_render() applied to one row, so that
-- a list and a single object cannot differ.
CREATE OR REPLACE FUNCTION network_feature_config_json(c network_feature_configs) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM network_feature_configs_render(ARRAY[c]) r
$$;
