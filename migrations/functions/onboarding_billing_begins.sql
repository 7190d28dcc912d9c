-- Billing begins for an onboarded connection on `day` (the day it reached
-- production, or 30 days after its ports were assigned): the connection's
-- current_billing_start_date and its live reservations' (and, given, the
-- peering-LAN config's) where still NULL, each with its audit event (no
-- actor; request id req). What already has a date keeps it.
CREATE OR REPLACE FUNCTION onboarding_billing_begins(k_id bigint, nsc_id bigint, day date, req text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    k connections;
    r port_reservations;
    c network_service_configs;
BEGIN
    SELECT * INTO k FROM connections WHERE id = k_id AND current_billing_start_date IS NULL FOR UPDATE;
    IF FOUND THEN
        UPDATE connections SET current_billing_start_date = day, updated_at = now() WHERE id = k_id;
        INSERT INTO events (request_id, action, object_type, object_id, old_value, new_value)
        SELECT req, 'update', 'connection', x.id::text, connection_json(k), connection_json(x)
          FROM connections x WHERE x.id = k_id;
    END IF;
    FOR r IN SELECT * FROM port_reservations
              WHERE connection = k_id AND current_billing_start_date IS NULL
                AND state NOT IN ('decommission_requested', 'decommissioned', 'archived')
              ORDER BY id FOR UPDATE LOOP
        UPDATE port_reservations SET current_billing_start_date = day WHERE id = r.id;
        INSERT INTO events (request_id, action, object_type, object_id, old_value, new_value)
        SELECT req, 'update', 'port_reservation', x.id::text, port_reservation_json(r), port_reservation_json(x)
          FROM port_reservations x WHERE x.id = r.id;
    END LOOP;
    SELECT * INTO c FROM network_service_configs WHERE id = nsc_id AND current_billing_start_date IS NULL FOR UPDATE;
    IF FOUND THEN
        UPDATE network_service_configs SET current_billing_start_date = day, updated_at = now() WHERE id = nsc_id;
        INSERT INTO events (request_id, action, object_type, object_id, old_value, new_value)
        SELECT req, 'update', 'network_service_config', x.id::text, network_service_config_json(c),
               network_service_config_json(x)
          FROM network_service_configs x WHERE x.id = nsc_id;
    END IF;
END
$$;
