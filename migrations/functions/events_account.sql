-- Trigger of events (BEFORE INSERT): fills events.account (event_account()).
CREATE OR REPLACE FUNCTION events_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.account IS NULL THEN
        NEW.account := event_account(NEW.object_type, NEW.object_id, NEW.old_value, NEW.new_value,
                                     NEW.actor_account);
    END IF;
    RETURN NEW;
END
$$;
