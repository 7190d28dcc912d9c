-- After the route-server adapter applied the whole desired state of a
-- route server (arg: {network_feature, sent: the ids of the sessions in it,
-- limits: [{id, max_prefix_v4, max_prefix_v6}] as sent}), its feature configs
-- follow, in the transaction that marks the job done:
-- * a session that was sent and is requested/allocated/testing (or in
--   `error`) is on the route server: `production`;
-- * a session gone on its date (decommission_requested, the date come) and
--   not sent is off the route server: `decommissioned`, with its `archive`
--   job;
-- * the `network` status entry says where it is; a job_failed entry goes.
CREATE OR REPLACE FUNCTION rs_follow(job_id bigint, arg jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    feature_id bigint := (arg->>'network_feature')::bigint;
    sent bigint[] := ARRAY(SELECT x::bigint FROM jsonb_array_elements_text(coalesce(arg->'sent', '[]')) AS x);
    c network_feature_configs;
    rs network_features;
    eff text;
    target text;
BEGIN
    SELECT * INTO rs FROM network_features WHERE id = feature_id;
    -- the limits in force, shown by the API where the member has none
    UPDATE network_feature_configs f
       SET applied_max_prefix_v4 = (x->>'max_prefix_v4')::integer,
           applied_max_prefix_v6 = (x->>'max_prefix_v6')::integer
      FROM jsonb_array_elements(coalesce(arg->'limits', '[]')) AS x
     WHERE f.id = (x->>'id')::bigint AND f.network_feature = feature_id
       AND (f.applied_max_prefix_v4, f.applied_max_prefix_v6)
           IS DISTINCT FROM ((x->>'max_prefix_v4')::integer, (x->>'max_prefix_v6')::integer);
    FOR c IN SELECT * FROM network_feature_configs WHERE network_feature = feature_id AND state <> 'archived'
              ORDER BY id FOR UPDATE LOOP
        eff := CASE WHEN c.state = 'error' THEN coalesce(c.error_from, 'requested') ELSE c.state END;
        target := NULL;
        IF NOT rs_config_is_live(c) THEN
            IF NOT c.id = ANY (sent) THEN
                target := CASE WHEN eff = 'decommission_requested' THEN 'decommissioned' ELSE eff END;
            END IF;
        ELSIF c.id = ANY (sent) THEN
            target := CASE WHEN eff IN ('requested', 'allocated', 'testing') THEN 'production' ELSE eff END;
        END IF;
        CONTINUE WHEN target IS NULL;
        DELETE FROM status_entries s
         WHERE s.object_type = 'network_feature_config' AND s.object_id = c.id AND s.tag = 'job_failed';
        CONTINUE WHEN target = c.state AND EXISTS (
            SELECT 1 FROM status_entries s
             WHERE s.object_type = 'network_feature_config' AND s.object_id = c.id AND s.tag = 'network');
        IF target <> c.state THEN
            PERFORM job_set_state('network_feature_config', c.id, target, job_id);
        END IF;
        IF target = 'decommissioned' THEN
            PERFORM status_set('network_feature_config', c.id, 'network', 6,
                               format('Removed from route server %s.', rs.name), '{}'::jsonb);
            DELETE FROM status_entries s
             WHERE s.object_type = 'network_feature_config' AND s.object_id = c.id
               AND s.tag IN ('bgp.session', 'bgp.max_prefix');
            INSERT INTO jobs (kind, payload, run_after)
            VALUES ('archive', jsonb_build_object('object_type', 'network_feature_config', 'id', c.id::text),
                    (greatest(coalesce(c.charged_until, c.decommission_at), c.decommission_at) + 1)::timestamptz);
        ELSE
            PERFORM status_set('network_feature_config', c.id, 'network', 6,
                               format('Configured on route server %s (%s).', rs.name, rs.fqdn), '{}'::jsonb);
        END IF;
    END LOOP;
END
$$;
