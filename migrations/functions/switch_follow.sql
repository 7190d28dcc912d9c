-- After the switch adapter confirmed the desired state of a connection's
-- ports (wired: it has ports and each was confirmed), the IX-API states
-- follow the network:
-- * the config a port carries: a peering-LAN config in requested/allocated
--   goes to `testing` (in the quarantine LAN) and gets a `quarantine.test`
--   job (the quarantine gate's); in testing with a passed gate and
--   consumer_side_ready it is on the peering LAN now: `production`; a
--   private VLAN config goes to `production`; a config in `error` comes back
--   to what it was;
-- * what is gone on its date (configs, the connection, its reservations)
--   becomes `decommissioned`, and gets its `archive` job;
-- * the status entries say where the object is on the network; a job_failed
--   entry goes.
CREATE OR REPLACE FUNCTION switch_follow(k_id bigint, job_id bigint, wired boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    c network_service_configs;
    k connections;
    r port_reservations;
    carried bigint[];
    eff text;
    target text;
BEGIN
    carried := ARRAY(SELECT DISTINCT switch_port_config(p.id) FROM ports p WHERE p.connection = k_id);
    FOR c IN SELECT * FROM network_service_configs WHERE connection = k_id AND state <> 'archived'
              ORDER BY id FOR UPDATE LOOP
        eff := CASE WHEN c.state = 'error' THEN coalesce(c.error_from, 'requested') ELSE c.state END;
        target := NULL;
        IF switch_object_gone(eff, c.decommission_at) THEN
            target := CASE WHEN eff = 'decommission_requested' THEN 'decommissioned' ELSE eff END;
        ELSIF wired AND c.id = ANY (carried) THEN
            target := CASE WHEN eff NOT IN ('requested', 'allocated', 'testing') THEN eff
                           WHEN c.type <> 'exchange_lan' THEN 'production'
                           WHEN eff = 'testing' AND c.quarantine_passed_at IS NOT NULL AND c.consumer_side_ready
                           THEN 'production'
                           ELSE 'testing' END;
        END IF;
        CONTINUE WHEN target IS NULL;
        DELETE FROM status_entries s
         WHERE s.object_type = 'network_service_config' AND s.object_id = c.id AND s.tag = 'job_failed';
        IF target <> c.state THEN
            PERFORM job_set_state('network_service_config', c.id, target, job_id);
        END IF;
        IF target = 'testing' THEN
            PERFORM status_set('network_service_config', c.id, 'network', 5,
                               CASE WHEN c.quarantine_passed_at IS NULL
                                    THEN 'In the quarantine LAN, waiting for the quarantine test.'
                                    ELSE 'In the quarantine LAN: the quarantine test passed; production follows'
                                         ' once consumer_side_ready is set.' END, '{}'::jsonb);
            IF eff <> 'testing' THEN
                INSERT INTO jobs (kind, payload)
                VALUES ('quarantine.test', jsonb_build_object('network_service_config', c.id::text));
            END IF;
        ELSIF target IN ('production', 'production_change_pending') THEN
            PERFORM status_set('network_service_config', c.id, 'network', 6,
                               CASE WHEN c.type = 'exchange_lan'
                                    THEN 'On the peering LAN, with MAC lock on the registered MAC addresses.'
                                    ELSE 'In its network service.' END, '{}'::jsonb);
        ELSIF target = 'decommissioned' THEN
            PERFORM status_set('network_service_config', c.id, 'network', 6, 'Off the network.', '{}'::jsonb);
            INSERT INTO jobs (kind, payload, run_after)
            VALUES ('archive', jsonb_build_object('object_type', 'network_service_config', 'id', c.id::text),
                    (greatest(coalesce(c.charged_until, c.decommission_at), c.decommission_at) + 1)::timestamptz);
        END IF;
    END LOOP;

    FOR r IN SELECT * FROM port_reservations WHERE connection = k_id AND state <> 'archived' ORDER BY id FOR UPDATE
    LOOP
        eff := CASE WHEN r.state = 'error' THEN coalesce(r.error_from, 'requested') ELSE r.state END;
        IF switch_object_gone(eff, r.decommission_at) AND eff = 'decommission_requested' THEN
            PERFORM job_set_state('port_reservation', r.id, 'decommissioned', job_id);
            INSERT INTO jobs (kind, payload, run_after)
            VALUES ('archive', jsonb_build_object('object_type', 'port_reservation', 'id', r.id::text),
                    (greatest(coalesce(r.charged_until, r.decommission_at), r.decommission_at) + 1)::timestamptz);
        ELSIF r.state = 'error' THEN
            PERFORM job_set_state('port_reservation', r.id, eff, job_id);
        END IF;
        DELETE FROM status_entries s
         WHERE s.object_type = 'port_reservation' AND s.object_id = r.id AND s.tag = 'job_failed';
    END LOOP;

    SELECT * INTO k FROM connections WHERE id = k_id FOR UPDATE;
    IF FOUND AND k.state <> 'archived' THEN
        eff := CASE WHEN k.state = 'error' THEN coalesce(k.error_from, 'requested') ELSE k.state END;
        IF switch_object_gone(eff, k.decommission_at) AND eff = 'decommission_requested' THEN
            PERFORM job_set_state('connection', k.id, 'decommissioned', job_id);
            PERFORM status_set('connection', k.id, 'network', 6, 'Off the network: its ports are down.',
                               '{}'::jsonb);
            INSERT INTO jobs (kind, payload, run_after)
            VALUES ('archive', jsonb_build_object('object_type', 'connection', 'id', k.id::text),
                    (greatest(coalesce(k.charged_until, k.decommission_at), k.decommission_at) + 1)::timestamptz);
        ELSIF k.state = 'error' THEN
            PERFORM job_set_state('connection', k.id, eff, job_id);
        END IF;
        DELETE FROM status_entries s WHERE s.object_type = 'connection' AND s.object_id = k.id AND s.tag = 'job_failed';
    END IF;
END
$$;
