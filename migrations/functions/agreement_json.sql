-- The connection agreement as the API shows it (GET /agreements/{id}, the
-- audit events): its metadata, never the documents. The e-signature
-- envelope is shown to operators and the submitter only (with_envelope).
CREATE OR REPLACE FUNCTION agreement_json(a_id bigint, with_envelope boolean) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', a.id::text, 'application', a.application::text, 'variant', a.variant,
                              'state', a.state, 'document_sha256', a.document_sha256,
                              'envelope_id', CASE WHEN with_envelope THEN a.envelope_id END,
                              'signer_name', a.signer_name, 'signer_email', a.signer_email,
                              'signed_at', rfc3339(a.signed_at), 'signature_source', a.signature_source,
                              'signed_sha256', a.signed_sha256, 'created_at', rfc3339(a.created_at))
      FROM agreements a WHERE a.id = a_id
$$;
