-- The outcome of a route_server.poll round, in the transaction that marks
-- it done: each session's state as status entries on its feature config
-- (`bgp.session`: up/down, since, last error, counts; `bgp.max_prefix` while
-- its receive limit has disabled it), refreshes of the route servers whose
-- limits changed, and the next round after next_ms.
-- sessions: [{config, route_server, state, bgp_state, since, info,
-- last_error, received, accepted, filtered, exported, receive_limit,
-- limit_hit}] in arg->'sessions', the route servers to refresh in
-- arg->'refresh', the pause before the next round in arg->'next_ms'.
CREATE OR REPLACE FUNCTION rs_poll_record(job_id bigint, arg jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    sessions jsonb := arg->'sessions';
    refresh bigint[] := ARRAY(SELECT x::bigint FROM jsonb_array_elements_text(coalesce(arg->'refresh', '[]')) AS x);
    next_ms integer := (arg->>'next_ms')::integer;
    x jsonb;
    c network_feature_configs;
    up boolean;
    msg text;
BEGIN
    FOR x IN SELECT * FROM jsonb_array_elements(coalesce(sessions, '[]'::jsonb)) LOOP
        SELECT * INTO c FROM network_feature_configs WHERE id = (x->>'config')::bigint;
        CONTINUE WHEN NOT FOUND OR NOT rs_config_is_live(c);
        up := x->>'state' = 'up';
        msg := CASE WHEN up
                    THEN format('BGP session with route server %s established since %s: %s prefixes received, '
                                '%s accepted, %s filtered.', x->>'route_server', coalesce(x->>'since', '?'),
                                x->>'received', x->>'accepted', x->>'filtered')
                    ELSE format('BGP session with route server %s is down (%s%s)%s.', x->>'route_server',
                                coalesce(nullif(x->>'bgp_state', ''), x->>'state'),
                                CASE WHEN nullif(x->>'info', '') IS NOT NULL THEN ': ' || (x->>'info') ELSE '' END,
                                CASE WHEN x->>'last_error' IS NOT NULL
                                     THEN '; last error: ' || (x->>'last_error') ELSE '' END) END;
        PERFORM status_set('network_feature_config', c.id, 'bgp.session', CASE WHEN up THEN 6 ELSE 4 END, msg,
                           jsonb_build_object('route_server', x->'route_server', 'state', x->'state',
                                              'bgp_state', x->'bgp_state', 'since', x->'since',
                                              'last_error', x->'last_error', 'received', x->'received',
                                              'accepted', x->'accepted', 'filtered', x->'filtered',
                                              'exported', x->'exported', 'receive_limit', x->'receive_limit',
                                              'limit_hit', x->'limit_hit'));
        IF coalesce((x->>'limit_hit')::boolean, false) THEN
            IF NOT EXISTS (SELECT 1 FROM status_entries s
                            WHERE s.object_type = 'network_feature_config' AND s.object_id = c.id
                              AND s.tag = 'bgp.max_prefix') THEN
                PERFORM status_set('network_feature_config', c.id, 'bgp.max_prefix', 3,
                                   format('The session sent more than its limit of %s prefixes; route server %s '
                                          'disabled it. Fix the announcements, then ask the exchange to '
                                          're-enable it.', coalesce(x->>'receive_limit', '?'), x->>'route_server'),
                                   jsonb_build_object('route_server', x->'route_server',
                                                      'receive_limit', x->'receive_limit',
                                                      'received', x->'received'));
            END IF;
        ELSE
            DELETE FROM status_entries s
             WHERE s.object_type = 'network_feature_config' AND s.object_id = c.id AND s.tag = 'bgp.max_prefix';
        END IF;
    END LOOP;
    PERFORM rs_refresh(refresh);
    IF next_ms IS NOT NULL THEN
        INSERT INTO jobs (kind, payload, run_after)
        VALUES ('route_server.poll', jsonb_build_object('round', job_id::text || '+'),
                now() + next_ms * interval '1 millisecond')
        ON CONFLICT DO NOTHING;
    END IF;
END
$$;
