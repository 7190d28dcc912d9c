-- The network service whose statistics each of these ports' traffic counts
-- for: the service of the config the port carries (as switch_port_config
-- picks it: the first live config, by id, of the port's live connection,
-- unless the port's reservation is gone) while the port is in that
-- service's bridge: a peering-LAN config still in the quarantine LAN (not
-- in production, switch_port_desired) counts for none. Ports that carry
-- nothing are not returned. Set-based, the first config once per
-- connection (stats_ingest calls it once per poll for all its ports; a
-- call of switch_port_config per port cost ~2 ms a port).
CREATE OR REPLACE FUNCTION stats_port_services(p_ports bigint[])
RETURNS TABLE (port bigint, network_service bigint)
LANGUAGE sql STABLE AS $$
    WITH carried AS (
        SELECT p.id, p.connection
          FROM ports p
          JOIN connections k ON k.id = p.connection
         WHERE p.id = ANY (p_ports)
           AND NOT switch_object_gone(k.state, k.decommission_at)
           AND NOT EXISTS (SELECT 1 FROM port_reservations r
                            WHERE r.port = p.id AND r.connection = k.id
                              AND switch_object_gone(r.state, r.decommission_at))
    ), first AS (
        SELECT DISTINCT ON (c.connection) c.connection, c.network_service, c.type, c.quarantine_passed_at,
               c.consumer_side_ready,
               CASE WHEN c.state = 'error' THEN coalesce(c.error_from, 'requested') ELSE c.state END AS eff
          FROM network_service_configs c
         WHERE c.connection IN (SELECT connection FROM carried)
           AND NOT switch_object_gone(c.state, c.decommission_at)
         ORDER BY c.connection, c.id
    )
    SELECT x.id, f.network_service
      FROM carried x
      JOIN first f ON f.connection = x.connection
     WHERE f.type <> 'exchange_lan'
        OR f.eff IN ('production', 'production_change_pending')
        OR (f.eff = 'testing' AND f.quarantine_passed_at IS NOT NULL AND f.consumer_side_ready)
$$;
