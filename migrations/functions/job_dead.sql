-- A job gave up (its attempts are spent): the object it is about goes to
-- `error` (unless it is off the network already) with a status entry saying
-- what failed. An operator re-drives the job (POST /jobs/{id}/retry). A mail
-- that could not be sent puts `mail_failed` where it shows (mail_about:
-- the applicant's account for onboarding mails), until it is sent.
CREATE OR REPLACE FUNCTION job_dead(job_id bigint, reason text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    j jobs;
    o_type text;
    o_id bigint;
    cur text;
    m mails;
    shown record;
BEGIN
    SELECT * INTO j FROM jobs WHERE id = job_id;
    o_type := split_part(j.object, ':', 1);
    o_id := nullif(split_part(j.object, ':', 2), '')::bigint;
    IF o_type = 'webhook.deliver' THEN
        -- a webhook delivery whose attempts are spent: the delivery is dead
        -- (its owner reads it in GET /webhooks/{id}/deliveries)
        UPDATE webhook_deliveries SET state = 'dead' WHERE id = o_id AND state = 'pending';
        RETURN;
    ELSIF o_type = 'mail.send' THEN
        SELECT * INTO m FROM mails WHERE id = o_id;
        shown := mail_about(o_id);
        IF m.id IS NULL OR shown.o_id IS NULL OR m.state <> 'queued' THEN
            RETURN;
        END IF;
        PERFORM status_set(shown.o_type, shown.o_id, 'mail_failed', 3,
                           format('The mail "%s" to %s could not be sent (job %s, %s attempts): %s', m.subject,
                                  m.recipient, j.id, j.attempts, reason),
                           jsonb_build_object('mail', m.id::text, 'job', j.id::text, 'attempts', j.attempts));
        RETURN;
    ELSIF o_type = 'quarantine' THEN
        -- a quarantine test that could not run: the config stays where it is
        -- (testing, in the quarantine LAN); the member sees why, the operator
        -- re-drives the job
        IF NOT EXISTS (SELECT 1 FROM network_service_configs WHERE id = o_id) THEN
            RETURN;
        END IF;
        PERFORM status_set('network_service_config', o_id, 'job_failed', 3,
                           format('The quarantine test could not run (job %s, %s attempts): %s', j.id, j.attempts,
                                  reason),
                           jsonb_build_object('job', j.id::text, 'kind', j.kind, 'attempts', j.attempts));
        RETURN;
    ELSIF o_type = 'network_feature' THEN
        -- a refresh of a whole route server: every session on it says so
        -- (no config is in error: the refresh was about the route server)
        PERFORM status_set('network_feature_config', f.id, 'job_failed', 3,
                           format('The route server could not be refreshed (%s, job %s, %s attempts): %s', j.kind,
                                  j.id, j.attempts, reason),
                           jsonb_build_object('job', j.id::text, 'kind', j.kind, 'attempts', j.attempts))
           FROM network_feature_configs f
          WHERE f.network_feature = o_id AND f.state NOT IN ('decommissioned', 'archived');
        RETURN;
    ELSIF o_type = 'network_feature_config' THEN
        SELECT state INTO cur FROM network_feature_configs WHERE id = o_id FOR UPDATE;
    ELSIF o_type = 'network_service_config' THEN
        SELECT state INTO cur FROM network_service_configs WHERE id = o_id FOR UPDATE;
    ELSIF o_type = 'connection' THEN
        SELECT state INTO cur FROM connections WHERE id = o_id FOR UPDATE;
    ELSIF o_type = 'port_reservation' THEN
        SELECT state INTO cur FROM port_reservations WHERE id = o_id FOR UPDATE;
    END IF;
    IF cur IS NULL THEN
        RETURN;
    END IF;
    IF cur NOT IN ('error', 'decommissioned', 'archived') THEN
        PERFORM job_set_state(o_type, o_id, 'error', job_id);
    END IF;
    PERFORM status_set(o_type, o_id, 'job_failed', 3,
                       format('The network could not be changed (%s, job %s, %s attempts): %s', j.kind, j.id,
                              j.attempts, reason),
                       jsonb_build_object('job', j.id::text, 'kind', j.kind, 'attempts', j.attempts));
END
$$;
