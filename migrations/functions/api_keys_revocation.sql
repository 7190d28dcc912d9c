-- Trigger of api_keys: a key revoked or deleted, by the API, an operator's SQL
-- or a cascade, is recorded and announced (auth_revocation_record).
CREATE OR REPLACE FUNCTION api_keys_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM auth_revocation_record('key', OLD.id);
        RETURN OLD;
    END IF;
    IF NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL THEN
        PERFORM auth_revocation_record('key', NEW.id);
    END IF;
    RETURN NEW;
END
$$;
