-- A reservation of a live connection takes one port off it (port_quantity
-- counts the reservations not on their way out), with the connection's
-- own audit event.
CREATE OR REPLACE FUNCTION port_reservation_decommission(r_id bigint, at date, until date, actor bigint, actor_key bigint,
                                              rid text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r port_reservations;
    c connections;
    before jsonb;
BEGIN
    UPDATE port_reservations SET state = 'decommission_requested', decommission_at = at, charged_until = until
     WHERE id = r_id RETURNING * INTO r;
    SELECT * INTO c FROM connections WHERE id = r.connection;
    IF c.state NOT IN ('decommission_requested', 'decommissioned', 'archived') THEN
        before := connection_json(c);
        UPDATE connections SET port_quantity = port_quantity - 1, updated_at = now()
         WHERE id = c.id RETURNING * INTO c;
        INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value,
                            new_value)
        VALUES (actor, actor_key, rid, 'update', 'connection', c.id::text, before, connection_json(c));
    END IF;
    INSERT INTO jobs (kind, payload, run_after)
    VALUES ('port_reservation.decommission',
            jsonb_build_object('port_reservation', r_id::text, 'connection', r.connection::text,
                               'port', r.port::text), at);
END
$$;
