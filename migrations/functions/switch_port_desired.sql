-- The desired state of one port (adapter protocol v1, PUT /v1/ports/{port}),
-- computed from the database when a job runs (the latest state wins; a retry
-- sends the current truth). A peering-LAN config is in the quarantine LAN
-- until it is in production (or in testing with a passed quarantine test
-- and consumer_side_ready: on its way there), then on the peering LAN; a private VLAN config
-- in its service (vc-<id>); MAC lock with the config's MACs on peering-LAN
-- configs. A port that carries nothing is admin down and in no service.
CREATE OR REPLACE FUNCTION switch_port_desired(p_id bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    c network_service_configs;
    eff text;
BEGIN
    SELECT * INTO c FROM network_service_configs WHERE id = switch_port_config(p_id);
    IF NOT FOUND THEN
        RETURN jsonb_build_object('admin_state', 'down', 'service', NULL, 'vlan', NULL, 'mac_lock', false,
                                  'allowed_macs', '[]'::jsonb, 'lag_members', '[]'::jsonb);
    END IF;
    eff := CASE WHEN c.state = 'error' THEN coalesce(c.error_from, 'requested') ELSE c.state END;
    RETURN jsonb_build_object(
        'admin_state', 'up',
        'service', CASE WHEN c.type <> 'exchange_lan' THEN 'vc-' || c.network_service
                        WHEN eff IN ('production', 'production_change_pending') THEN 'peering'
                        WHEN eff = 'testing' AND c.quarantine_passed_at IS NOT NULL AND c.consumer_side_ready
                        THEN 'peering'
                        ELSE 'quarantine' END,
        'vlan', CASE WHEN c.vlan_type = 'dot1q' THEN c.vlan END,
        'mac_lock', c.type = 'exchange_lan',
        'allowed_macs', (SELECT coalesce(jsonb_agg(DISTINCT m.canonical_address ORDER BY m.canonical_address),
                                         '[]'::jsonb)
                           FROM network_service_config_macs x JOIN macs m ON m.id = x.mac
                          WHERE x.network_service_config = c.id AND c.type = 'exchange_lan'),
        'lag_members', '[]'::jsonb);
END
$$;
