-- A service config's decommissioning: its feature configs first
-- (nfc_decommission), then the config itself, with its audit event (unless
-- record_event is false: its service's event covers it) and the switch
-- adapter's `remove` job. Configs already on their way out are left alone.
CREATE OR REPLACE FUNCTION nsc_decommission(c_id bigint, at date, until date, actor bigint, actor_key bigint, rid text,
                                 record_event boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c network_service_configs;
    before jsonb;
    f_id bigint;
BEGIN
    SELECT * INTO c FROM network_service_configs WHERE id = c_id FOR UPDATE;
    IF NOT FOUND OR c.state IN ('decommission_requested', 'decommissioned', 'archived') THEN
        RETURN;
    END IF;
    before := network_service_config_json(c);
    FOR f_id IN SELECT id FROM network_feature_configs WHERE network_service_config = c_id ORDER BY id LOOP
        PERFORM nfc_decommission(f_id, at, until, actor, actor_key, rid, true);
    END LOOP;
    UPDATE network_service_configs SET state = 'decommission_requested', decommission_at = at,
           charged_until = until, updated_at = now()
     WHERE id = c_id RETURNING * INTO c;
    INSERT INTO jobs (kind, payload, run_after) VALUES ('switch.port_vlan', nsc_switch_job(c, 'remove'), at);
    IF record_event THEN
        INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value,
                            new_value)
        VALUES (actor, actor_key, rid, 'decommission', 'network_service_config', c_id::text, before,
                network_service_config_json(c));
    END IF;
END
$$;
