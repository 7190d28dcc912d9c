-- Records the signature of an agreement (the caller locked it and its
-- application and checked that it waits for one): signer, time, source
-- (`callback` from the e-signature provider, `upload` by an operator,
-- recorded_by its key), the signed document and its SHA-256. Then the
-- application moves on to port assignment: the `agreement_unsigned` entries
-- of the account and the connection go (and a declined envelope's), the account shows
-- `onboarding.port_assignment` (due at the envisioned date, or now), and the
-- `onboarding.assign` job is due then. Audit events of both, under the
-- actor given (NULLs for the provider). Returns the agreement's JSON.
CREATE OR REPLACE FUNCTION agreement_sign(a_id bigint, source text, signer text, signer_mail text,
                                          signed timestamptz, doc bytea, recorded_by bigint,
                                          actor_account bigint, actor_key bigint, request text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    old_json jsonb := agreement_json(a_id, false);
    app applications;
    due timestamptz;
BEGIN
    UPDATE agreements
       SET state = 'signed', signer_name = signer, signer_email = signer_mail, signed_at = signed,
           signature_source = source, signed_document = doc, signed_sha256 = encode(sha256(doc), 'hex'),
           signed_recorded_by_key = recorded_by, updated_at = now()
     WHERE id = a_id;
    SELECT p.* INTO app FROM applications p JOIN agreements a ON a.application = p.id WHERE a.id = a_id;
    DELETE FROM status_entries s
     WHERE s.tag IN ('onboarding.agreement_unsigned', 'onboarding.agreement_declined')
       AND ((s.object_type = 'account' AND s.object_id = app.account)
            OR (s.object_type = 'connection' AND s.object_id = app.connection));
    due := greatest(now(), app.envisioned_assignment_date::timestamptz);
    UPDATE applications SET step = 'port_assignment', updated_at = now() WHERE id = app.id;
    PERFORM status_set('account', app.account, 'onboarding.port_assignment', 5,
                       'The agreement is signed: the exchange assigns the ports by ' || rfc3339(due) || '.',
                       jsonb_build_object('application', app.id::text, 'due_at', rfc3339(due)));
    INSERT INTO jobs (kind, payload, run_after)
    VALUES ('onboarding.assign', jsonb_build_object('application', app.id::text), due);
    INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value,
                        new_value)
    VALUES (actor_account, actor_key, request, 'update', 'agreement', a_id::text, old_json,
            agreement_json(a_id, false)),
           (actor_account, actor_key, request, 'update', 'application', app.id::text,
            jsonb_build_object('id', app.id::text, 'step', app.step, 'agreement', a_id::text),
            jsonb_build_object('id', app.id::text, 'step', 'port_assignment', 'agreement', a_id::text));
    RETURN agreement_json(a_id, true);
END
$$;
