-- A worker moves an object's IX-API state (network service config,
-- connection, port reservation, network feature config) with its audit event (no actor; request id
-- 'job:N'); error_from keeps the state a dead job found (NULL otherwise).
CREATE OR REPLACE FUNCTION job_set_state(o_type text, o_id bigint, new_state text, job_id bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    before jsonb;
    after jsonb;
BEGIN
    IF o_type = 'network_service_config' THEN
        SELECT network_service_config_json(c) INTO before FROM network_service_configs c WHERE c.id = o_id;
        UPDATE network_service_configs c
           SET error_from = CASE WHEN new_state = 'error' THEN c.state END, state = new_state, updated_at = now()
         WHERE c.id = o_id;
        SELECT network_service_config_json(c) INTO after FROM network_service_configs c WHERE c.id = o_id;
    ELSIF o_type = 'connection' THEN
        SELECT connection_json(c) INTO before FROM connections c WHERE c.id = o_id;
        UPDATE connections c
           SET error_from = CASE WHEN new_state = 'error' THEN c.state END, state = new_state, updated_at = now()
         WHERE c.id = o_id;
        SELECT connection_json(c) INTO after FROM connections c WHERE c.id = o_id;
    ELSIF o_type = 'port_reservation' THEN
        SELECT port_reservation_json(r) INTO before FROM port_reservations r WHERE r.id = o_id;
        UPDATE port_reservations r
           SET error_from = CASE WHEN new_state = 'error' THEN r.state END, state = new_state
         WHERE r.id = o_id;
        SELECT port_reservation_json(r) INTO after FROM port_reservations r WHERE r.id = o_id;
    ELSIF o_type = 'network_feature_config' THEN
        SELECT network_feature_config_json(f) INTO before FROM network_feature_configs f WHERE f.id = o_id;
        UPDATE network_feature_configs f
           SET error_from = CASE WHEN new_state = 'error' THEN f.state END, state = new_state, updated_at = now()
         WHERE f.id = o_id;
        SELECT network_feature_config_json(f) INTO after FROM network_feature_configs f WHERE f.id = o_id;
    ELSE
        RETURN;
    END IF;
    IF before IS NOT NULL THEN
        INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value,
                            new_value)
        VALUES (NULL, NULL, 'job:' || job_id, 'update', o_type, o_id::text, before, after);
    END IF;
END
$$;
