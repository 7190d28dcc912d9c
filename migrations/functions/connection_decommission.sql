-- Decommissioning a connection the way the services are decommissioned (one
-- function per object, called by the one decommission transaction of
-- http/decommission.c): marks it, marks its reservations that are not already
-- on their way out, and queues the network's job.
CREATE OR REPLACE FUNCTION connection_decommission(c_id bigint, at date, until date, actor bigint, actor_key bigint,
                                        rid text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE connections SET state = 'decommission_requested', decommission_at = at, charged_until = until,
           updated_at = now()
     WHERE id = c_id;
    -- reservations already on their way out keep their own dates
    UPDATE port_reservations SET state = 'decommission_requested', decommission_at = at, charged_until = until
     WHERE connection = c_id AND state NOT IN ('decommission_requested', 'decommissioned', 'archived');
    INSERT INTO jobs (kind, payload, run_after)
    VALUES ('connection.decommission', jsonb_build_object('connection', c_id::text), at);
END
$$;
