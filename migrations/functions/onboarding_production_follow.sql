-- Trigger (AFTER UPDATE OF state, migration 041) of connections and
-- network_service_configs: when an onboarded application's connection, or
-- the peering-LAN config on it, reaches `production` (whichever path moved
-- it: the workers' switch_follow after the quarantine gate, an operator's
-- PATCH), in that transaction billing begins today (onboarding_billing_begins),
-- the application reaches step `production` with production_at, and the
-- account's `onboarding.quarantine` entry goes, and the connection and its
-- allocated port reservations are `production` too (the member is live: what
-- an IX-API client reads on the connection). Applications in another step
-- are left alone (the connection's own UPDATE below finds none).
CREATE OR REPLACE FUNCTION onboarding_production_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    a applications;
    k_id bigint;
    nsc_id bigint;
    r port_reservations;
    k connections;
    before jsonb;
BEGIN
    IF TG_TABLE_NAME = 'connections' THEN
        k_id := NEW.id;
    ELSIF NEW.type = 'exchange_lan' THEN
        k_id := NEW.connection;
        nsc_id := NEW.id;
    ELSE
        RETURN NULL;
    END IF;
    SELECT * INTO a FROM applications WHERE connection = k_id AND step = 'quarantine' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM onboarding_billing_begins(k_id, nsc_id, current_date, 'onboarding.production');
    UPDATE applications SET step = 'production', production_at = now(), updated_at = now() WHERE id = a.id;
    INSERT INTO events (request_id, action, object_type, object_id, old_value, new_value)
    SELECT 'onboarding.production', 'update', 'application', x.id::text, application_json(a), application_json(x)
      FROM applications x WHERE x.id = a.id;
    DELETE FROM status_entries s
     WHERE s.object_type = 'account' AND s.object_id = a.account
       AND s.tag IN ('onboarding.quarantine', 'onboarding.port_assignment', 'onboarding.no_free_port');
    FOR r IN SELECT * FROM port_reservations WHERE connection = k_id AND state = 'allocated' ORDER BY id FOR UPDATE
    LOOP
        before := port_reservation_json(r);
        UPDATE port_reservations SET state = 'production' WHERE id = r.id RETURNING * INTO r;
        INSERT INTO events (request_id, action, object_type, object_id, old_value, new_value)
        VALUES ('onboarding.production', 'update', 'port_reservation', r.id::text, before, port_reservation_json(r));
    END LOOP;
    SELECT * INTO k FROM connections WHERE id = k_id AND state = 'allocated' FOR UPDATE;
    IF FOUND THEN
        before := connection_json(k);
        UPDATE connections SET state = 'production', updated_at = now() WHERE id = k_id RETURNING * INTO k;
        INSERT INTO events (request_id, action, object_type, object_id, old_value, new_value)
        VALUES ('onboarding.production', 'update', 'connection', k.id::text, before, connection_json(k));
    END IF;
    RETURN NULL;
END
$$;
