-- A network service's decommissioning: its configs (nsc_decommission), then the
-- service, with its audit event and its job.
CREATE OR REPLACE FUNCTION network_service_decommission(s_id bigint, at date, until date, actor bigint, actor_key bigint,
                                             rid text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c_id bigint;
BEGIN
    FOR c_id IN SELECT id FROM network_service_configs WHERE network_service = s_id ORDER BY id LOOP
        PERFORM nsc_decommission(c_id, at, until, actor, actor_key, rid, true);
    END LOOP;
    UPDATE network_services SET state = 'decommission_requested', decommission_at = at, charged_until = until,
           updated_at = now()
     WHERE id = s_id;
    INSERT INTO jobs (kind, payload, run_after)
    VALUES ('network_service.decommission', jsonb_build_object('network_service', s_id::text), at);
END
$$;
