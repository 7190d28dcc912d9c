-- Stores the quarantine gate's verdict on config `nsc` (job `job_id` ran the
-- test): the config's earlier `quarantine.%` entries (and a job_failed
-- entry of an earlier test) give way to `entries` (the gate's status
-- entries: [{severity, tag, message, attrs}]), quarantine_passed_at is set
-- or cleared, and when it passed and the member already set
-- consumer_side_ready a switch job puts the ports on the peering LAN
-- (switch_port_desired; switch_follow then makes it `production`). A config
-- that is no longer in testing (an operator moved it, it left) keeps what
-- it has: 'skipped'; so does a verdict a newer test request supersedes
-- (quarantine_retest). Returns 'passed', 'production' (passed and its
-- switch job written), 'failed' or 'skipped'.
CREATE OR REPLACE FUNCTION quarantine_verdict(nsc bigint, job_id bigint, passed boolean, entries jsonb)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    c network_service_configs;
    e jsonb;
BEGIN
    SELECT * INTO c FROM network_service_configs WHERE id = nsc FOR UPDATE;
    IF NOT FOUND OR c.type <> 'exchange_lan'
       OR (CASE WHEN c.state = 'error' THEN c.error_from ELSE c.state END) IS DISTINCT FROM 'testing' THEN
        RETURN 'skipped';
    END IF;
    IF EXISTS (SELECT 1 FROM jobs j WHERE j.object = 'quarantine:' || nsc AND j.id > job_id AND j.state <> 'done') THEN
        RETURN 'skipped';
    END IF;
    DELETE FROM status_entries s
     WHERE s.object_type = 'network_service_config' AND s.object_id = nsc
       AND (s.tag LIKE 'quarantine.%' OR (s.tag = 'job_failed' AND s.attrs->>'kind' = 'quarantine.test'));
    FOR e IN SELECT * FROM jsonb_array_elements(coalesce(entries, '[]'::jsonb)) LOOP
        PERFORM status_set('network_service_config', nsc, e->>'tag', (e->>'severity')::integer, e->>'message',
                           coalesce(e->'attrs', '{}'::jsonb) || jsonb_build_object('job', job_id::text));
    END LOOP;
    UPDATE network_service_configs SET quarantine_passed_at = CASE WHEN passed THEN now() END WHERE id = nsc;
    IF passed AND c.consumer_side_ready THEN
        INSERT INTO jobs (kind, payload)
        SELECT 'switch.port_vlan', nsc_switch_job(x, 'configure') FROM network_service_configs x WHERE x.id = nsc;
        RETURN 'production';
    END IF;
    RETURN CASE WHEN passed THEN 'passed' ELSE 'failed' END;
END
$$;
