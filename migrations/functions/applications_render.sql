-- Applications (the onboarding extension, issue 12) as the API shows them,
-- any number at once: their ASNs, contacts and agreements gathered once for
-- the page. No API key of an operator is shown (approvals say what and when).
-- The account's state and status entries are shown too: a portal key reads
-- the progress here (it reads no accounts).
CREATE OR REPLACE FUNCTION applications_render(apps applications[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH a AS (SELECT * FROM unnest(apps)),
    ids AS (SELECT ARRAY(SELECT a.id FROM a) AS v),
    asn AS (SELECT s.application AS app,
                   jsonb_agg(jsonb_build_object('asn', s.asn, 'registry', s.registry) ORDER BY s.asn) AS v
              FROM application_asns s WHERE s.application = ANY ((SELECT v FROM ids)::bigint[]) GROUP BY 1),
    ct AS (SELECT c.application AS app,
                  jsonb_agg(jsonb_build_object('role', c.role, 'contact', c.contact::text) ORDER BY c.role) AS v
             FROM application_contacts c WHERE c.application = ANY ((SELECT v FROM ids)::bigint[]) GROUP BY 1),
    ag AS (SELECT g.application AS app, g.id, g.state
             FROM agreements g WHERE g.application = ANY ((SELECT v FROM ids)::bigint[])),
    acc AS (SELECT c.id, c.state FROM accounts c WHERE c.id = ANY (ARRAY(SELECT a.account FROM a))),
    st AS (SELECT * FROM status_entries_render('account', ARRAY(SELECT a.account FROM a)))
    SELECT a.id, jsonb_build_object(
               'id', a.id::text,
               'step', a.step,
               'type', a.type,
               'account', a.account::text,
               'account_state', acc.state,
               'status', coalesce(st.j::jsonb, '[]'::jsonb),
               'submitted_by_account', a.submitted_by_account::text,
               'legal_entity', jsonb_build_object('name', a.legal_name, 'registration_number',
                                                  a.registration_number, 'address', a.address),
               'asns', coalesce(asn.v, '[]'::jsonb),
               'articles_of_association_accepted', a.articles_accepted,
               'facility', a.facility::text,
               'colocation_statement', a.colocation_statement,
               'colocation_confirmation',
                   CASE WHEN a.colocation_confirmed_at IS NULL THEN NULL
                        ELSE jsonb_build_object('confirmation', a.colocation_confirmation,
                                                'confirmed_at', rfc3339(a.colocation_confirmed_at)) END,
               'contacts', coalesce(ct.v, '[]'::jsonb),
               'approvals', to_jsonb(ARRAY(
                   SELECT x FROM (VALUES (1, a.approved_at, 'review'), (2, a.management_approved_at, 'management'))
                                 AS v(n, at, kind),
                          LATERAL (SELECT jsonb_build_object('kind', v.kind, 'at', rfc3339(v.at)) AS x) l
                    WHERE v.at IS NOT NULL ORDER BY v.n)),
               'review_due_at', rfc3339(a.review_due_at),
               'rejection_reason', a.rejection_reason,
               'rejected_at', rfc3339(a.rejected_at),
               'envisioned_assignment_date', to_char(a.envisioned_assignment_date, 'YYYY-MM-DD'),
               'port_order', jsonb_build_object('product_offering', a.product_offering::text,
                                                'quantity', a.port_quantity),
               'connection', a.connection::text,
               'agreement', ag.id::text,
               'agreement_state', ag.state,
               'credentials_issued', a.credentials_issued_at IS NOT NULL,
               'ports_assigned_at', rfc3339(a.ports_assigned_at),
               'production_at', rfc3339(a.production_at),
               'created_at', rfc3339(a.created_at),
               'updated_at', rfc3339(a.updated_at))
      FROM a LEFT JOIN asn ON asn.app = a.id LEFT JOIN ct ON ct.app = a.id LEFT JOIN ag ON ag.app = a.id
           LEFT JOIN acc ON acc.id = a.account LEFT JOIN st ON st.object_id = a.account;
END
$$;
