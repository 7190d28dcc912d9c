-- The effects of the onboarding's port assignment (server/onboarding/
-- assignment_db.c checked and locked the application, its signed agreement
-- and the ports): reservation i of the application's connection (requested,
-- without a port, by id) takes port_ids[i] through port_reservation_move
-- (the operator's allocation path: the same switch jobs), its exchange-side
-- demarc names the device and port (a `port_reservation.changed` job, as a
-- PATCH of it writes); the connection goes from `requested` to `allocated`
-- (a `connection.changed` job); the application goes to `quarantine` with
-- ports_assigned_at; the account's `onboarding.port_assignment` and
-- `onboarding.no_free_port` entries give way to `onboarding.quarantine`; the
-- `onboarding.billing_start` job is due 30 days later. Every change has its
-- audit event (actor_account/actor_key may be NULL: a job, request id req).
CREATE OR REPLACE FUNCTION onboarding_ports_assign(a_id bigint, port_ids bigint[], actor_account bigint,
                                                   actor_key bigint, req text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    a applications;
    r port_reservations;
    k connections;
    before jsonb;
    i integer := 0;
    demarc text;
BEGIN
    SELECT * INTO a FROM applications WHERE id = a_id FOR UPDATE;
    FOR r IN SELECT * FROM port_reservations
              WHERE connection = a.connection AND state = 'requested' AND port IS NULL
              ORDER BY id FOR UPDATE LOOP
        i := i + 1;
        EXIT WHEN i > coalesce(array_length(port_ids, 1), 0);
        before := port_reservation_json(r);
        PERFORM port_reservation_move(r.id, port_ids[i], NULL);
        SELECT d.name || ', port ' || p.name INTO demarc
          FROM ports p JOIN devices d ON d.id = p.device WHERE p.id = port_ids[i];
        UPDATE port_reservations SET exchange_side_demarc = demarc WHERE id = r.id;
        INSERT INTO jobs (kind, payload)
        VALUES ('port_reservation.changed', jsonb_build_object('port_reservation', r.id::text,
                'changes', jsonb_build_object('port', port_ids[i]::text, 'exchange_side_demarc', demarc)));
        INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value,
                            new_value)
        SELECT actor_account, actor_key, req, 'update', 'port_reservation', x.id::text, before,
               port_reservation_json(x)
          FROM port_reservations x WHERE x.id = r.id;
    END LOOP;

    SELECT * INTO k FROM connections WHERE id = a.connection FOR UPDATE;
    IF FOUND AND k.state = 'requested' THEN
        UPDATE connections SET state = 'allocated', updated_at = now() WHERE id = k.id;
        INSERT INTO jobs (kind, payload)
        VALUES ('connection.changed', jsonb_build_object('connection', k.id::text,
                'changes', jsonb_build_object('state', 'allocated')));
        INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value,
                            new_value)
        SELECT actor_account, actor_key, req, 'update', 'connection', x.id::text, connection_json(k),
               connection_json(x)
          FROM connections x WHERE x.id = k.id;
    END IF;

    UPDATE applications SET step = 'quarantine', ports_assigned_at = now(), updated_at = now() WHERE id = a_id;
    INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value,
                        new_value)
    SELECT actor_account, actor_key, req, 'update', 'application', x.id::text, to_jsonb(a), to_jsonb(x)
      FROM applications x WHERE x.id = a_id;

    DELETE FROM status_entries s
     WHERE s.object_type = 'account' AND s.object_id = a.account
       AND s.tag IN ('onboarding.port_assignment', 'onboarding.no_free_port');
    PERFORM status_set('account', a.account, 'onboarding.quarantine', 5,
                       'Ports assigned: the connection starts in the quarantine LAN; set consumer_side_ready on the'
                       || ' peering-LAN config (or ask for a quarantine test) to reach production.',
                       jsonb_build_object('application', a_id::text, 'connection', a.connection::text));
    INSERT INTO jobs (kind, payload, run_after)
    SELECT 'onboarding.billing_start', jsonb_build_object('application', a_id::text),
           x.ports_assigned_at + interval '30 days'
      FROM applications x WHERE x.id = a_id;
END
$$;
