-- The `onboarding.billing_start` job (payload {"application"}), due 30 days
-- after the ports were assigned, in the job's finishing transaction: a
-- member not in production by then is billed from that day on
-- ((ports_assigned_at + 30 days)::date where current_billing_start_date is
-- still NULL, onboarding_billing_begins). Idempotent: a second run, or a
-- connection in production already, changes nothing.
CREATE OR REPLACE FUNCTION onboarding_billing_start(job_id bigint, payload jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    a applications;
BEGIN
    SELECT * INTO a FROM applications
     WHERE id = CASE WHEN payload->>'application' ~ '^[0-9]{1,18}$' THEN (payload->>'application')::bigint END;
    IF NOT FOUND OR a.connection IS NULL OR a.ports_assigned_at IS NULL THEN
        RETURN;
    END IF;
    PERFORM onboarding_billing_begins(a.connection, NULL, (a.ports_assigned_at + interval '30 days')::date,
                                      'job:' || job_id);
END
$$;
