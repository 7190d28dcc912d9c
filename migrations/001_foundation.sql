-- Foundation: accounts (with the reseller hierarchy), API keys, refresh
-- tokens, the audit trail and the jobs outbox.

CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    managing_account bigint REFERENCES accounts (id) ON DELETE RESTRICT,
    state text NOT NULL DEFAULT 'production' CHECK (state IN (
        'requested', 'allocated', 'testing', 'production', 'production_change_pending',
        'decommission_requested', 'decommissioned', 'archived', 'error', 'operator', 'scheduled')),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    legal_name text CHECK (char_length(legal_name) <= 80),
    external_ref text CHECK (char_length(external_ref) <= 80),
    discoverable boolean NOT NULL DEFAULT false,
    address jsonb NOT NULL CHECK (jsonb_typeof(address) = 'object'),
    billing_information jsonb CHECK (billing_information IS NULL OR jsonb_typeof(billing_information) = 'object'),
    metro_area_network_presence text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (managing_account IS DISTINCT FROM id)
);
CREATE INDEX accounts_managing_account_idx ON accounts (managing_account);

CREATE TABLE api_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    api_key text NOT NULL UNIQUE CHECK (char_length(api_key) = 16),
    secret_hash text NOT NULL CHECK (secret_hash LIKE '$argon2id$%'),
    role text NOT NULL CHECK (role IN ('operator', 'member')),
    description text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX api_keys_account_idx ON api_keys (account_id);

CREATE TABLE refresh_tokens (
    jti text PRIMARY KEY,
    api_key_id bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    issued_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    replaced_by text
);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

-- Audit trail: who did what to which object, with the object before and
-- after. Actors are plain ids (no foreign key) so history outlives accounts.
CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_account bigint,
    actor_api_key bigint,
    request_id text,
    action text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'decommission', 'login', 'refresh')),
    object_type text NOT NULL,
    object_id text NOT NULL,
    old_value jsonb,
    new_value jsonb
);
CREATE INDEX events_object_idx ON events (object_type, object_id);

-- Outbox for side effects on the network (switch and route-server
-- adapters): written in the same transaction as the change that needs it,
-- taken by workers with SELECT ... FOR UPDATE SKIP LOCKED.
CREATE TABLE jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    run_after timestamptz NOT NULL DEFAULT now(),
    last_error text,
    locked_by text,
    locked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_pending_idx ON jobs (run_after) WHERE state = 'pending';

-- ASNs an account registered with the exchange (its membership
-- application). Network service configs will reference these.
CREATE TABLE account_asns (
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    asn bigint NOT NULL CHECK (asn BETWEEN 1 AND 4294967295),
    PRIMARY KEY (account_id, asn)
);
