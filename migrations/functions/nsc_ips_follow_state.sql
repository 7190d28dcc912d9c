-- An archived config gives its addresses back; one brought back from
-- archived takes them again (the unique index refuses it if they were
-- handed out meanwhile).
CREATE OR REPLACE FUNCTION nsc_ips_follow_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ips SET held_on_lan = CASE WHEN NEW.state <> 'archived' THEN network_service END
     WHERE network_service_config = NEW.id;
    RETURN NULL;
END
$$;
