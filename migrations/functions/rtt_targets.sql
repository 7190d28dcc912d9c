-- The addresses the RTT probe pings for a route server (a network feature):
-- every address held on its LAN by a live peering-LAN config (IPv4 and
-- IPv6), as a JSON array of text.
CREATE OR REPLACE FUNCTION rtt_targets(p_feature bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(DISTINCT host(i.address)), '[]'::jsonb)
      FROM network_features f
      JOIN ips i ON i.held_on_lan = f.network_service
      JOIN network_service_configs c ON c.id = i.network_service_config
     WHERE f.id = p_feature AND c.type = 'exchange_lan' AND NOT switch_object_gone(c.state, c.decommission_at)
$$;
