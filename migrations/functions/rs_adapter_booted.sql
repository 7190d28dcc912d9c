-- A route-server adapter answered boot_id in GET /v1/health (the identity
-- of its running state: ixapi-rsd draws a new one at each start). When that
-- is not the boot_id stored for the adapter (or none is), it is stored and
-- one `route_server.refresh` is queued per route server the adapter serves
-- (p_route_servers: network features by name or fqdn, as the adapters file
-- names them; rs_refresh skips one that has a refresh waiting): the workers
-- PUT each route server's whole desired state again. Returns the number of
-- jobs written; 0 when the boot_id was known. Two nodes seeing the same new
-- boot_id: the upsert's row lock lets the first write the jobs.
CREATE OR REPLACE FUNCTION rs_adapter_booted(p_adapter text, p_boot_id text, p_route_servers text[])
RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO route_server_adapter_boots AS b (adapter, boot_id) VALUES (p_adapter, p_boot_id)
    ON CONFLICT (adapter) DO UPDATE SET boot_id = EXCLUDED.boot_id, seen_at = now()
     WHERE b.boot_id IS DISTINCT FROM EXCLUDED.boot_id;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    RETURN rs_refresh(ARRAY(SELECT f.id FROM network_features f
                             WHERE f.type = 'route_server'
                               AND (f.name = ANY (p_route_servers) OR f.fqdn = ANY (p_route_servers))));
END
$$;
