-- needs: api_keys_revocation, accounts_revocation
-- Access tokens are stateless JWTs, so revoking an API key (or deleting it,
-- or its account) must reach every node before the token's hour is up.
-- Whatever revokes -- the API, an operator's SQL, a cascade from a deleted
-- account -- these triggers record the revocation and announce it with
-- NOTIFY on the channel ixapi_revocations. Every pooled connection of every
-- node LISTENs on it and loads the recent rows when it connects
-- (server/auth/revocations.c), so the first statement a request runs after
-- the revocation has committed brings the news along: no extra round trip.
-- Payload: 'key:<api key id>' or 'account:<account id>'. No secret is in it.

CREATE TABLE auth_revocations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('key', 'account')),
    object_id bigint NOT NULL, -- no foreign key: the key or account is usually gone
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_revocations_revoked_at_idx ON auth_revocations (revoked_at);

CREATE TRIGGER api_keys_revocation AFTER UPDATE OF revoked_at OR DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION api_keys_revocation();
CREATE TRIGGER accounts_revocation AFTER DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_revocation();
