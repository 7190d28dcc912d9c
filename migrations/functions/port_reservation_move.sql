-- Moves port reservation r_id onto new_port (NULL: no port), the one path
-- every port allocation takes (an operator's PATCH of the reservation's
-- `port`, the onboarding's port assignment): the port it held goes back to
-- the exchange (exchange_account) with a `port_reservation.released` job,
-- the new one to the connection's accounts with a
-- `port_reservation.allocated` job; the reservation names the port, and a
-- requested reservation that gets one is `allocated`. The caller has
-- checked the new port (free, the right place and speed) and locked it.
CREATE OR REPLACE FUNCTION port_reservation_move(r_id bigint, new_port bigint, exchange_account bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r port_reservations;
BEGIN
    SELECT * INTO r FROM port_reservations WHERE id = r_id FOR UPDATE;
    IF NOT FOUND OR r.port IS NOT DISTINCT FROM new_port THEN
        RETURN;
    END IF;
    IF r.port IS NOT NULL THEN
        UPDATE ports SET connection = NULL, managing_account = exchange_account, consuming_account = exchange_account,
                         billing_account = exchange_account
         WHERE id = r.port;
        INSERT INTO jobs (kind, payload)
        VALUES ('port_reservation.released', jsonb_build_object('port_reservation', r.id::text,
                'connection', r.connection::text, 'port', r.port::text));
    END IF;
    IF new_port IS NOT NULL THEN
        UPDATE ports p SET connection = c.id, managing_account = c.managing_account,
                           consuming_account = c.consuming_account, billing_account = c.billing_account
          FROM connections c WHERE p.id = new_port AND c.id = r.connection;
        INSERT INTO jobs (kind, payload)
        VALUES ('port_reservation.allocated', jsonb_build_object('port_reservation', r.id::text,
                'connection', r.connection::text, 'port', new_port::text));
    END IF;
    UPDATE port_reservations x
       SET port = new_port,
           state = CASE WHEN new_port IS NOT NULL AND x.state = 'requested' THEN 'allocated' ELSE x.state END
     WHERE x.id = r_id;
END
$$;
