-- The route-server adapter re-enabled a session its receive limit had
-- disabled (route_server.enable, arg: {network_feature_config}): the
-- limit's status entry goes; the next poll shows the session's state.
CREATE OR REPLACE FUNCTION rs_enabled(job_id bigint, arg jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM status_entries s
     WHERE s.object_type = 'network_feature_config' AND s.object_id = (arg->>'network_feature_config')::bigint
       AND s.tag IN ('bgp.max_prefix', 'job_failed');
    PERFORM status_set('network_feature_config', (arg->>'network_feature_config')::bigint, 'bgp.enable', 6,
                       format('Re-enabled by the exchange (job %s).', job_id), jsonb_build_object('job', job_id::text));
END
$$;
