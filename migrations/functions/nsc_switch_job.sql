-- What the switch adapter needs to put a service config on the wire (or take it
-- off): the connection's ports, the VLAN, the MACs the port may learn (each
-- address once, in the canonical spelling; one per port by default), the state
-- (quarantine until production).
CREATE OR REPLACE FUNCTION nsc_switch_job(c network_service_configs, action text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    s network_services;
    k connections;
BEGIN
    SELECT * INTO s FROM network_services WHERE id = c.network_service;
    SELECT * INTO k FROM connections WHERE id = c.connection;
    RETURN jsonb_build_object(
        'action', action, 'network_service_config', c.id::text, 'state', c.state,
        'network_service', s.id::text, 'network_service_type', s.type, 'network_service_name', s.name,
        'connection', k.id::text, 'mode', k.mode, 'lacp_timeout', k.lacp_timeout,
        'ports', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id::text, 'name', p.name,
                                                               'device', d.name) ORDER BY p.id), '[]'::jsonb)
                    FROM ports p JOIN devices d ON d.id = p.device WHERE p.connection = k.id),
        'vlan_config', network_service_config_json(c)->'vlan_config',
        'capacity', c.capacity,
        'macs', (SELECT coalesce(jsonb_agg(DISTINCT m.canonical_address ORDER BY m.canonical_address), '[]'::jsonb)
                   FROM network_service_config_macs x JOIN macs m ON m.id = x.mac
                  WHERE x.network_service_config = c.id),
        'max_macs', s.max_macs_per_config);
END
$$;
