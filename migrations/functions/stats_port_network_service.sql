-- The network service whose statistics a port's traffic counts for: the
-- service of the config the port carries (switch_port_config) while the
-- port is in that service's bridge: a peering-LAN config in the quarantine
-- LAN (not yet in production, switch_port_desired) counts for none. NULL
-- when the port carries nothing.
CREATE OR REPLACE FUNCTION stats_port_network_service(p_id bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT c.network_service
      FROM network_service_configs c
     WHERE c.id = switch_port_config(p_id)
       AND (c.type <> 'exchange_lan'
            OR (CASE WHEN c.state = 'error' THEN coalesce(c.error_from, 'requested') ELSE c.state END)
                   IN ('production', 'production_change_pending')
            OR ((CASE WHEN c.state = 'error' THEN coalesce(c.error_from, 'requested') ELSE c.state END) = 'testing'
                AND c.quarantine_passed_at IS NOT NULL AND c.consumer_side_ready))
$$;
