-- The service config a port carries: the first live one (by id) of the
-- port's connection, or NULL (the port is free, its connection or its
-- reservation is gone, or nothing is configured on it). In the
-- bridge-per-service model a port is in one service at a time.
CREATE OR REPLACE FUNCTION switch_port_config(p_id bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT c.id
      FROM ports p
      JOIN connections k ON k.id = p.connection
      JOIN network_service_configs c ON c.connection = k.id
     WHERE p.id = p_id
       AND NOT switch_object_gone(k.state, k.decommission_at)
       AND NOT switch_object_gone(c.state, c.decommission_at)
       AND NOT EXISTS (SELECT 1 FROM port_reservations r
                        WHERE r.port = p.id AND r.connection = k.id
                          AND switch_object_gone(r.state, r.decommission_at))
     ORDER BY c.id
     LIMIT 1
$$;
