-- Rejects an application under review, in the caller's transaction: the
-- reason the applicant reads, the account archived with its ASNs released
-- (a new application may name them), its onboarding conditions replaced by
-- `onboarding.rejected`.
CREATE OR REPLACE FUNCTION application_reject(app bigint, by_key bigint, reason text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    acc bigint;
BEGIN
    UPDATE applications SET step = 'rejected', rejected_at = now(), rejected_by_key = by_key,
                            rejection_reason = reason, updated_at = now()
     WHERE id = app RETURNING account INTO acc;
    UPDATE accounts SET state = 'archived', updated_at = now() WHERE id = acc;
    DELETE FROM account_asns WHERE account_id = acc;
    DELETE FROM status_entries WHERE object_type = 'account' AND object_id = acc AND tag LIKE 'onboarding.%';
    PERFORM status_set('account', acc, 'onboarding.rejected', 3, 'The application was rejected: ' || reason,
                       jsonb_build_object('application', app::text));
END
$$;
