-- Trigger of events: no secret reaches the audit trail (jsonb_without_secrets
-- on both values, on every insert and update).
CREATE OR REPLACE FUNCTION events_without_secrets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.old_value := jsonb_without_secrets(NEW.old_value);
    NEW.new_value := jsonb_without_secrets(NEW.new_value);
    RETURN NEW;
END
$$;
