-- The IX-API object a job is about, as 'type:id': jobs of one object run in
-- the order they were written (the workers never start a job while an
-- earlier unfinished one of its object exists). The quarantine test has a
-- key of its own, so that a test waiting for its judge does not hold up the
-- config's switch jobs. A port's re-push after its adapter restarted
-- (switch.port_sync) is keyed by the port. A route server's refresh is about
-- the network feature; each poll round is an object of its own (a poll that
-- died holds up no later round), as is each statistics round (stats.poll per
-- adapter, stats.rollup, stats.maintain, stats.peer_poll, stats.rtt). The
-- onboarding steps of an application (agreement.issue, onboarding.*) run in
-- order per application; a mail (mail.send, payload id) is its own object.
CREATE OR REPLACE FUNCTION jobs_object_key(kind text, payload jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN kind = 'switch.port_vlan' THEN 'network_service_config:' || (payload->>'network_service_config')
        WHEN kind = 'switch.port_sync' THEN 'port:' || (payload->>'port')
        WHEN kind = 'quarantine.test' THEN 'quarantine:' || (payload->>'network_service_config')
        WHEN kind IN ('route_server.session', 'route_server.enable') THEN 'network_feature_config:' || (payload->>'network_feature_config')
        WHEN kind = 'route_server.refresh' THEN 'network_feature:' || (payload->>'network_feature')
        WHEN kind = 'route_server.poll' THEN 'route_server.poll:' || coalesce(payload->>'round', '')
        WHEN kind = 'stats.poll' THEN 'stats.poll:' || coalesce(payload->>'adapter', '') || ':' || coalesce(payload->>'round', '')
        WHEN kind IN ('stats.rollup', 'stats.maintain', 'stats.peer_poll', 'stats.rtt') THEN kind || ':' || coalesce(payload->>'round', '')
        WHEN kind LIKE 'connection.%' THEN 'connection:' || (payload->>'connection')
        WHEN kind LIKE 'port_reservation.%' THEN 'port_reservation:' || (payload->>'port_reservation')
        WHEN kind LIKE 'network_service.%' THEN 'network_service:' || (payload->>'network_service')
        WHEN kind = 'agreement.issue' OR kind LIKE 'onboarding.%' THEN 'application:' || (payload->>'application')
        WHEN kind = 'archive' THEN (payload->>'object_type') || ':' || (payload->>'id')
        ELSE kind || ':' || coalesce(payload->>'id', '')
    END
$$;
