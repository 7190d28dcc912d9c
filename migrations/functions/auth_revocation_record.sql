-- Records that an API key ('key') or an account ('account') was revoked and
-- announces it with NOTIFY on the channel ixapi_revocations ('key:<id>' or
-- 'account:<id>', never a secret): every pooled connection of every node
-- LISTENs (server/auth/revocations.c). Tokens are stateless JWTs: this is how a
-- revocation reaches every node before the token's hour is up.
CREATE OR REPLACE FUNCTION auth_revocation_record(what text, obj bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO auth_revocations (kind, object_id) VALUES (what, obj);
    -- Tokens live hours, not weeks: rows past any sane token lifetime go.
    DELETE FROM auth_revocations WHERE revoked_at < now() - interval '30 days';
    PERFORM pg_notify('ixapi_revocations', what || ':' || obj::text);
END
$$;
