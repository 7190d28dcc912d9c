-- Of the candidates, the MACs whose DELETE waits and that no config still
-- holding its MACs (nsc_is_live) uses: removed, each with its audit event
-- (no actor: it follows from the config's change).
CREATE OR REPLACE FUNCTION macs_release(candidates bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH gone AS (
        DELETE FROM macs m
         WHERE m.id = ANY (candidates) AND m.delete_requested_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM network_service_config_macs x
                             JOIN network_service_configs c ON c.id = x.network_service_config
                            WHERE x.mac = m.id AND nsc_is_live(c.state))
        RETURNING m.id, mac_json(m) AS j)
    INSERT INTO events (action, object_type, object_id, old_value)
    SELECT 'delete', 'mac', g.id::text, g.j FROM gone g;
END
$$;
