-- Submits an application (POST /applications) in the caller's transaction:
-- the rules that need the database (ASNs not held by another account, a
-- facility the exchange serves, a connection offering that can be ordered,
-- the contacts' fields their roles require), then the account in state
-- `requested` with its ASNs, contacts and role assignments, the application
-- and the account's open onboarding conditions as status entries. `v` is the
-- body the handler validated and normalised; `managing` the new account's
-- managing account (a reseller) or NULL. A rule that fails raises IX400
-- naming the property. Returns the application's id.
CREATE OR REPLACE FUNCTION application_submit(v jsonb, submitter bigint, submitter_key bigint, managing bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    acc bigint;
    app bigint;
    held bigint;
    c jsonb;
    contact_id bigint;
    missing text;
    due timestamptz := working_days_after(now(), 2);
    role_of constant jsonb := '{"contract_signer": "legal", "technical": "implementation", "noc": "noc",
                                "billing": "billing"}';
BEGIN
    -- One submission per ASN at a time (two concurrent ones for one ASN
    -- would both find it free): transaction locks in ASN order.
    PERFORM pg_advisory_xact_lock(x.k)
       FROM (SELECT DISTINCT 12 * 4294967296 + (e->>'asn')::bigint AS k FROM jsonb_array_elements(v->'asns') e) x
      ORDER BY x.k;
    SELECT r.asn INTO held FROM account_asns r
     WHERE r.asn IN (SELECT (e->>'asn')::bigint FROM jsonb_array_elements(v->'asns') e)
     ORDER BY r.asn LIMIT 1;
    IF held IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'asns',
            MESSAGE = format('AS%s is held by another account of the exchange.', held);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pops p JOIN devices d ON d.pop = p.id
                    WHERE p.id IS NOT NULL AND p.facility::text = v->>'facility') THEN
        RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'facility',
            MESSAGE = 'Must be the id of a facility the exchange serves (a PoP with a device there).';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM product_offerings o
                    WHERE o.id::text = v#>>'{port_order,product_offering}' AND o.type = 'connection'
                      AND (o.orderable_not_before IS NULL OR o.orderable_not_before <= now())
                      AND (o.orderable_not_after IS NULL OR o.orderable_not_after > now())) THEN
        RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'port_order.product_offering',
            MESSAGE = 'Must be the id of a connection product offering that can be ordered now.';
    END IF;
    IF EXISTS (SELECT 1 FROM product_offerings o
                WHERE o.id::text = v#>>'{port_order,product_offering}' AND o.maximum_port_quantity IS NOT NULL
                  AND (v#>>'{port_order,quantity}')::int > o.maximum_port_quantity) THEN
        RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'port_order.quantity',
            MESSAGE = 'More ports than the product offering allows.';
    END IF;
    SELECT string_agg(format('%s needs %s', e->>'role', f), '; ' ORDER BY e->>'role', f) INTO missing
      FROM jsonb_array_elements(v->'contacts') e
      JOIN roles r ON r.name = role_of->>(e->>'role'), unnest(r.required_fields) AS f
     WHERE coalesce(e->>f, '') = '';
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'contacts',
            MESSAGE = 'A contact lacks what its role requires: ' || missing || '.';
    END IF;

    INSERT INTO accounts (managing_account, state, name, legal_name, address, billing_information)
    VALUES (managing, 'requested', v#>>'{legal_entity,name}', v#>>'{legal_entity,name}', v#>'{legal_entity,address}',
            jsonb_build_object('name', v#>>'{legal_entity,name}', 'address', v#>'{legal_entity,address}',
                               'vat_number', NULL))
    RETURNING id INTO acc;
    INSERT INTO account_asns (account_id, asn)
    SELECT DISTINCT acc, (e->>'asn')::bigint FROM jsonb_array_elements(v->'asns') e;
    INSERT INTO applications (type, submitted_by_account, submitted_by_key, account, legal_name, registration_number,
                              address, articles_accepted, facility, colocation_statement,
                              envisioned_assignment_date, product_offering, port_quantity, review_due_at)
    VALUES (v->>'type', submitter, submitter_key, acc, v#>>'{legal_entity,name}',
            v#>>'{legal_entity,registration_number}', v#>'{legal_entity,address}',
            coalesce((v->>'articles_of_association_accepted')::boolean, false), (v->>'facility')::bigint,
            v->>'colocation_statement', (v->>'envisioned_assignment_date')::date,
            (v#>>'{port_order,product_offering}')::bigint, (v#>>'{port_order,quantity}')::int, due)
    RETURNING id INTO app;
    INSERT INTO application_asns (application, asn, registry)
    SELECT app, (e->>'asn')::bigint, e->>'registry' FROM jsonb_array_elements(v->'asns') e;
    FOR c IN SELECT e FROM jsonb_array_elements(v->'contacts') e LOOP
        INSERT INTO contacts (managing_account, consuming_account, name, email, telephone)
        VALUES (coalesce(managing, acc), acc, c->>'name', c->>'email', c->>'telephone')
        RETURNING id INTO contact_id;
        INSERT INTO role_assignments (contact, role)
        SELECT contact_id, r.id FROM roles r WHERE r.name = role_of->>(c->>'role');
        INSERT INTO application_contacts (application, role, contact) VALUES (app, c->>'role', contact_id);
    END LOOP;

    PERFORM status_set('account', acc, 'onboarding.review', 5,
                       'The exchange reviews the application (within 2 working days).',
                       jsonb_build_object('application', app::text, 'due_at', rfc3339(due)));
    PERFORM status_set('account', acc, 'onboarding.colocation', 5,
                       'The colocation provider has not confirmed the colocation yet.',
                       jsonb_build_object('application', app::text));
    IF v->>'type' = 'member' THEN
        PERFORM status_set('account', acc, 'onboarding.management_approval', 5,
                           'A member application needs the approval of the exchange''s management.',
                           jsonb_build_object('application', app::text));
    END IF;
    RETURN app;
END
$$;
