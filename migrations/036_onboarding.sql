-- Issue 12, the onboarding workflow: application -> review (colocation
-- confirmation, approval, management approval for members) -> connection
-- agreement (PDF, e-signature callback or signed copy) -> port assignment
-- (LOA, mail to the technical contact) -> quarantine -> production -> billing
-- start. IX-API has no such resources: `/applications` and `/agreements` are
-- extensions; progress shows in the IX-API `state` and `status` of the
-- account, the connection and the configs.

-- A portal key: an API key of the member-portal backend that may submit
-- applications and read their progress, nothing else (token role "portal").
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('operator', 'member', 'portal'));

-- Accounts and applications carry status entries too (an account's
-- onboarding conditions: review due, colocation unconfirmed, ...).
ALTER TABLE status_entries DROP CONSTRAINT status_entries_object_type_check;
ALTER TABLE status_entries ADD CONSTRAINT status_entries_object_type_check
    CHECK (object_type IN ('network_service_config', 'connection', 'port_reservation', 'network_feature_config',
                           'network_service', 'account', 'application'));

CREATE TABLE applications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- where the application stands; every step is also an audit event
    step text NOT NULL DEFAULT 'review'
        CHECK (step IN ('review', 'agreement', 'port_assignment', 'quarantine', 'production', 'rejected')),
    type text NOT NULL CHECK (type IN ('member', 'customer')),
    -- who submitted it: the portal's account (portal key) or a reseller (its member key) or an operator
    submitted_by_account bigint NOT NULL REFERENCES accounts (id),
    submitted_by_key bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    -- the applicant's account, created by the submission in state `requested`
    account bigint NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    legal_name text NOT NULL CHECK (char_length(legal_name) BETWEEN 1 AND 80),
    registration_number text NOT NULL CHECK (char_length(registration_number) BETWEEN 1 AND 80),
    address jsonb NOT NULL CHECK (jsonb_typeof(address) = 'object'),
    articles_accepted boolean NOT NULL DEFAULT false CHECK (type <> 'member' OR articles_accepted),
    facility bigint NOT NULL REFERENCES facilities (id),
    colocation_statement text NOT NULL CHECK (char_length(colocation_statement) BETWEEN 1 AND 1000),
    envisioned_assignment_date date,
    product_offering bigint NOT NULL REFERENCES product_offerings (id),
    port_quantity integer NOT NULL CHECK (port_quantity BETWEEN 1 AND 16),
    -- review
    review_due_at timestamptz NOT NULL,
    colocation_confirmed_at timestamptz,
    colocation_confirmed_by_key bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    colocation_confirmation text CHECK (char_length(colocation_confirmation) <= 1000),
    approved_at timestamptz,
    approved_by_key bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    management_approved_at timestamptz,
    management_approved_by_key bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    CHECK (management_approved_by_key IS DISTINCT FROM approved_by_key OR management_approved_by_key IS NULL),
    rejected_at timestamptz,
    rejected_by_key bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    rejection_reason text CHECK (char_length(rejection_reason) BETWEEN 1 AND 1000),
    -- the first API key of the account, issued once to the applicant after approval
    credentials_issued_at timestamptz,
    -- what approval created and later steps fill in
    connection bigint REFERENCES connections (id) ON DELETE SET NULL,
    ports_assigned_at timestamptz,
    production_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applications_submitted_by_account_idx ON applications (submitted_by_account, id);
CREATE INDEX applications_step_idx ON applications (step, id);
CREATE INDEX applications_connection_idx ON applications (connection);

-- The ASNs of an application, with the registry that assigned them. The
-- account's own ASNs (account_asns) hold them from the submission on, so a
-- second application for a held ASN is refused; a rejection releases them.
CREATE TABLE application_asns (
    application bigint NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    asn bigint NOT NULL CHECK (asn BETWEEN 1 AND 4294967295),
    registry text NOT NULL CHECK (registry IN ('ripe_ncc', 'arin', 'apnic', 'lacnic', 'afrinic')),
    PRIMARY KEY (application, asn)
);

-- The contacts an application names, by the exchange's onboarding role;
-- each is also an IX-API contact of the account with its role assignment
-- (contract_signer -> legal, technical -> implementation, noc -> noc,
-- billing -> billing).
CREATE TABLE application_contacts (
    application bigint NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('contract_signer', 'technical', 'noc', 'billing')),
    contact bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (application, role)
);

-- The connection agreement: the document the server rendered (member or
-- customer variant), its SHA-256, and the signature once recorded.
CREATE TABLE agreements (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application bigint NOT NULL UNIQUE REFERENCES applications (id) ON DELETE CASCADE,
    variant text NOT NULL CHECK (variant IN ('member', 'customer')),
    state text NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'signed')),
    -- the e-signature envelope the provider's callbacks name
    envelope_id text NOT NULL UNIQUE CHECK (envelope_id ~ '^[A-Za-z0-9-]{8,64}$'),
    document bytea NOT NULL CHECK (octet_length(document) BETWEEN 8 AND 4194304
                                   AND substr(document, 1, 5) = '\x255044462d'::bytea),
    document_sha256 text NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    signer_name text CHECK (char_length(signer_name) <= 128),
    signer_email text CHECK (char_length(signer_email) <= 80),
    signed_at timestamptz,
    signature_source text CHECK (signature_source IN ('callback', 'upload')),
    signed_document bytea CHECK (signed_document IS NULL OR (octet_length(signed_document) BETWEEN 8 AND 4194304
                                 AND substr(signed_document, 1, 5) = '\x255044462d'::bytea)),
    signed_sha256 text CHECK (signed_sha256 ~ '^[0-9a-f]{64}$'),
    signed_recorded_by_key bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    CHECK (state <> 'signed' OR (signed_at IS NOT NULL AND signature_source IS NOT NULL AND signed_sha256 IS NOT NULL)),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The e-signature callbacks taken, by the SHA-256 of their exact body: a
-- replayed callback is refused (409) and changes nothing.
CREATE TABLE signature_callbacks (
    body_sha256 text PRIMARY KEY CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
    envelope_id text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- Outgoing mail: queued in the transaction of the change that causes it
-- (mail_queue()), sent by the `mail.send` job through SMTP (libcurl),
-- retried with the jobs' backoff. The job's payload names the mail only.
CREATE TABLE mails (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient text NOT NULL CHECK (char_length(recipient) <= 254 AND recipient ~ '^[^@\s<>]+@[^@\s<>]+$'),
    subject text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 200 AND subject !~ '[\r\n]'),
    body text NOT NULL CHECK (char_length(body) <= 65536),
    attachment_name text CHECK (attachment_name ~ '^[A-Za-z0-9._-]{1,100}$'),
    attachment bytea CHECK (octet_length(attachment) <= 4194304),
    CHECK ((attachment IS NULL) = (attachment_name IS NULL)),
    -- what the mail is about (an application, an agreement, a connection)
    object_type text NOT NULL CHECK (char_length(object_type) <= 40),
    object_id bigint NOT NULL,
    state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent')),
    message_id text CHECK (char_length(message_id) <= 200),
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mails_object_idx ON mails (object_type, object_id);
