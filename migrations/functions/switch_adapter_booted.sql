-- A switch adapter answered boot_id in GET /v1/health (the identity of its
-- running state). When that is not the boot_id stored for the adapter (or
-- none is), it is stored and one `switch.port_sync` job is written per port
-- of the adapter's devices (only the ports it names when p_ports is not
-- empty) that has no such job waiting already: the workers PUT each port's
-- stored desired state again (switch_port_desired: testing -> quarantine,
-- production -> peering with the MAC lock, nothing -> down, in no service).
-- Returns the number of jobs written; 0 when the boot_id was known. Two
-- nodes seeing the same new boot_id: the upsert's row lock lets the first
-- write the jobs; the second finds the boot_id stored and writes none.
CREATE OR REPLACE FUNCTION switch_adapter_booted(p_adapter text, p_boot_id text, p_devices text[], p_ports text[])
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO switch_adapter_boots AS b (adapter, boot_id) VALUES (p_adapter, p_boot_id)
    ON CONFLICT (adapter) DO UPDATE SET boot_id = EXCLUDED.boot_id, seen_at = now()
     WHERE b.boot_id IS DISTINCT FROM EXCLUDED.boot_id;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    INSERT INTO jobs (kind, payload)
    SELECT 'switch.port_sync', jsonb_build_object('port', p.id::text, 'adapter', p_adapter)
      FROM ports p JOIN devices d ON d.id = p.device
     WHERE d.name = ANY (p_devices)
       AND (cardinality(coalesce(p_ports, '{}')) = 0 OR p.name = ANY (p_ports))
       AND NOT EXISTS (SELECT 1 FROM jobs j
                        WHERE j.object = 'port:' || p.id AND j.kind = 'switch.port_sync' AND j.state = 'pending')
     ORDER BY p.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
