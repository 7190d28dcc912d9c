-- Whether a route-server session (a feature config) belongs on its route
-- server: not decommissioned or archived, and not on its way out with its
-- date come (a config in `error` counts with the state it had).
CREATE OR REPLACE FUNCTION rs_config_is_live(f network_feature_configs) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT NOT switch_object_gone(CASE WHEN f.state = 'error' THEN coalesce(f.error_from, 'requested') ELSE f.state END,
                                  f.decommission_at)
$$;
