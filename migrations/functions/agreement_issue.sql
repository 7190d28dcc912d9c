-- The end of the `agreement.issue` job, in the transaction that marks it
-- done: stores the rendered agreement of the application and queues its
-- mail to the contract signer, with the PDF attached. `outcome`:
-- {"application", "pdf" (base64), "envelope_id", "recipient", "subject",
-- "body"}. Idempotent: an application that has its agreement already, or is
-- no longer waiting for one (rejected, or past the step), gets nothing.
CREATE OR REPLACE FUNCTION agreement_issue(job_id bigint, outcome jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    app applications;
    pdf bytea;
    ag_id bigint;
BEGIN
    SELECT * INTO app FROM applications WHERE id = (outcome->>'application')::bigint FOR UPDATE;
    IF NOT FOUND OR app.step <> 'agreement' OR EXISTS (SELECT 1 FROM agreements WHERE application = app.id) THEN
        RETURN;
    END IF;
    pdf := decode(outcome->>'pdf', 'base64');
    INSERT INTO agreements (application, variant, envelope_id, document, document_sha256)
    VALUES (app.id, app.type, outcome->>'envelope_id', pdf, encode(sha256(pdf), 'hex'))
    RETURNING id INTO ag_id;
    PERFORM mail_queue(outcome->>'recipient', outcome->>'subject', outcome->>'body', 'agreement.pdf', pdf,
                       'agreement', ag_id);
    INSERT INTO events (action, object_type, object_id, new_value)
    VALUES ('create', 'agreement', ag_id::text, agreement_json(ag_id, false));
END
$$;
