-- One network feature as IX-API shows it (reads of one object, the write paths'
-- events): network_features_render() applied to one row, so that a list and a
-- single object cannot differ.
CREATE OR REPLACE FUNCTION network_feature_json(f network_features) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM network_features_render(ARRAY[f]) r
$$;
