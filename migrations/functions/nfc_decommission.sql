-- Decommissioning cascades down (service -> its configs -> their feature
-- configs), never up. Each object that changes gets its audit event and
-- its job, all in the caller's transaction.
CREATE OR REPLACE FUNCTION nfc_decommission(f_id bigint, at date, until date, actor bigint, actor_key bigint, rid text,
                                 record_event boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    f network_feature_configs;
    before jsonb;
BEGIN
    SELECT * INTO f FROM network_feature_configs WHERE id = f_id FOR UPDATE;
    IF NOT FOUND OR f.state IN ('decommission_requested', 'decommissioned', 'archived') THEN
        RETURN;
    END IF;
    before := network_feature_config_json(f);
    UPDATE network_feature_configs SET state = 'decommission_requested', decommission_at = at,
           charged_until = until, updated_at = now()
     WHERE id = f_id RETURNING * INTO f;
    INSERT INTO jobs (kind, payload, run_after) VALUES ('route_server.session', nfc_route_server_job(f, 'remove'), at);
    IF NOT record_event THEN
        RETURN;
    END IF;
    INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value, new_value)
    VALUES (actor, actor_key, rid, 'decommission', 'network_feature_config', f_id::text, before,
            network_feature_config_json(f));
END
$$;
