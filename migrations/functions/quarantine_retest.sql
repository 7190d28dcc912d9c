-- Asks for a new quarantine test of config `nsc` (locked by the caller):
-- the earlier verdict no longer counts (quarantine_passed_at cleared, its
-- `quarantine.passed` entry gone; failure entries stay until the new
-- verdict replaces them) and a `quarantine.test` job is written, unless one
-- is waiting already (pending, or failed and due again): then that one is
-- the answer (one pending test per config). A test running now was started
-- on what the config was before: the new one follows it, and the running
-- one's verdict is not stored (quarantine_verdict: superseded). Returns the job's id and whether it is new.
CREATE OR REPLACE FUNCTION quarantine_retest(nsc bigint, OUT job bigint, OUT created boolean)
LANGUAGE plpgsql AS $$
BEGIN
    SELECT j.id INTO job FROM jobs j
     WHERE j.object = 'quarantine:' || nsc AND j.state IN ('pending', 'failed')
     ORDER BY j.id DESC LIMIT 1;
    created := job IS NULL;
    UPDATE network_service_configs SET quarantine_passed_at = NULL WHERE id = nsc;
    DELETE FROM status_entries s
     WHERE s.object_type = 'network_service_config' AND s.object_id = nsc AND s.tag = 'quarantine.passed';
    IF created THEN
        INSERT INTO jobs (kind, payload)
        VALUES ('quarantine.test', jsonb_build_object('network_service_config', nsc::text))
        RETURNING id INTO job;
    END IF;
END
$$;
