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

-- The one tenant-scoping rule: a viewer sees an account when the viewer is
-- an operator, or the viewer is the account or one of its managing
-- ancestors (a reseller sees its customers, recursively). Walking up from
-- the target is cheap: hierarchies are shallow; depth is capped against
-- cycles all the same. PL/pgSQL rather than SQL so that its plan is cached
-- per connection (measured: 2.5x the throughput of GET /accounts/{id}).
CREATE FUNCTION account_in_scope(target bigint, viewer bigint, viewer_is_operator boolean)
RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF viewer_is_operator OR target = viewer THEN
        RETURN true;
    END IF;
    RETURN EXISTS (
        WITH RECURSIVE chain (id, managing_account, depth) AS (
            SELECT a.id, a.managing_account, 0 FROM accounts a WHERE a.id = target
            UNION ALL
            SELECT a.id, a.managing_account, c.depth + 1
              FROM accounts a JOIN chain c ON a.id = c.managing_account
             WHERE c.depth < 32)
        SELECT 1 FROM chain WHERE chain.id = viewer);
END
$$;

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

-- The IX-API representation of an account, rendered where the data is so
-- that reads pass PostgreSQL's JSON straight to the client. ids are strings.
-- `asns` lists the account's registered ASNs.
CREATE FUNCTION account_json(a accounts) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'id', a.id::text,
        'state', a.state,
        'status', '[]'::jsonb,
        'managing_account', a.managing_account::text,
        'name', a.name,
        'legal_name', a.legal_name,
        'billing_information', a.billing_information,
        'external_ref', a.external_ref,
        'discoverable', a.discoverable,
        'metro_area_network_presence', to_jsonb(a.metro_area_network_presence),
        'address', a.address,
        'asns', (SELECT coalesce(jsonb_agg(x.asn ORDER BY x.asn), '[]'::jsonb)
                   FROM account_asns x WHERE x.account_id = a.id));
END
$$;
