-- A peer (IX-API Peer) on a LAN by its MAC: the live peering-LAN config of
-- that LAN holding the MAC gives the ASN (its first) and the address (its
-- IPv4 on the LAN, else its IPv6). A MAC no config holds (e.g. a route
-- server's) is a peer with asn and ip null.
CREATE OR REPLACE FUNCTION peer_json(p_service bigint, p_mac text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'mac_address', p_mac,
        'asn', (SELECT c.asns[1] FROM network_service_configs c
                 WHERE c.id = k.config),
        'ip', (SELECT jsonb_build_object('version', i.version, 'address', host(i.address))
                 FROM ips i WHERE i.network_service_config = k.config AND i.held_on_lan = p_service
                ORDER BY i.version, i.id LIMIT 1))
      FROM (SELECT (SELECT c.id
                      FROM network_service_config_macs x
                      JOIN macs m ON m.id = x.mac
                      JOIN network_service_configs c ON c.id = x.network_service_config
                     WHERE m.canonical_address = p_mac AND c.network_service = p_service
                       AND c.type = 'exchange_lan' AND NOT switch_object_gone(c.state, c.decommission_at)
                     ORDER BY c.id LIMIT 1) AS config) AS k
$$;
