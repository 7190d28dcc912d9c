-- needs: id_or_null, event_account, events_account, events_webhooks
-- Issue 12, events for the portal backend: every audit event names the
-- account it is about (`events.account`, the tenant scope of GET /events and
-- of webhooks), and outgoing webhooks get a delivery (and a `webhook.deliver`
-- job) per matching event, written in the event's own transaction (outbox).
ALTER TABLE events ADD COLUMN account bigint;
CREATE INDEX events_account_idx ON events (account, id);

-- Existing events get their account once here (one pass over the table;
-- the lookups are by key): members catch up on their history too.
UPDATE events e SET account = event_account(e.object_type, e.object_id, e.old_value, e.new_value, e.actor_account);

CREATE TRIGGER events_account BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_account();

-- A webhook: where the server POSTs the events its owner may see (an
-- operator's: every event), signed with its secret (HMAC-SHA256; the secret
-- is shown once, at creation, and never reaches events, jobs or logs).
CREATE TABLE webhooks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- created with an operator key: every event; else the owner's scope
    is_operator boolean NOT NULL DEFAULT false,
    created_by_key bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    url text NOT NULL CHECK (char_length(url) <= 2000 AND url ~* '^https?://[^/?#@\s]+([/?#]\S*)?$'),
    secret text NOT NULL CHECK (secret ~ '^[0-9a-f]{64}$'),
    -- the object types it wants (empty: all)
    object_types text[] NOT NULL DEFAULT '{}' CHECK (cardinality(object_types) <= 32),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_account_idx ON webhooks (account, id);
-- the one probe every event makes: is there any active webhook at all
CREATE INDEX webhooks_active_idx ON webhooks (id) WHERE active;

-- One event for one webhook: pending until the receiver answers 2xx
-- (delivered) or the job's attempts are spent (dead).
CREATE TABLE webhook_deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_status integer,
    last_error text CHECK (char_length(last_error) <= 1000),
    delivered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (webhook, event)
);
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook, id);
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event);

CREATE TRIGGER events_webhooks AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_webhooks();
