-- The end of an application's review (its final approval), in the approving
-- transaction, after the connection was ordered: the account goes to
-- production, the application to the `agreement` step with its connection,
-- the review's conditions give way to `onboarding.agreement_unsigned` (on the
-- account and the connection), and the `agreement.issue` job renders and
-- sends the agreement.
CREATE OR REPLACE FUNCTION application_review_done(app bigint, conn bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    acc bigint;
BEGIN
    UPDATE applications SET step = 'agreement', connection = conn, updated_at = now() WHERE id = app
    RETURNING account INTO acc;
    UPDATE accounts SET state = 'production', updated_at = now() WHERE id = acc;
    DELETE FROM status_entries
     WHERE object_type = 'account' AND object_id = acc
       AND tag IN ('onboarding.review', 'onboarding.colocation', 'onboarding.management_approval');
    PERFORM status_set('connection', conn, 'onboarding.agreement_unsigned', 4,
                       'The connection agreement is not signed yet; the connection waits for it.',
                       jsonb_build_object('application', app::text));
    PERFORM status_set('account', acc, 'onboarding.agreement_unsigned', 4,
                       'The connection agreement is not signed yet.', jsonb_build_object('application', app::text));
    INSERT INTO jobs (kind, payload) VALUES ('agreement.issue', jsonb_build_object('application', app::text));
END
$$;
