-- Queues a refresh of the route servers (network features) in ids: their
-- whole desired state is rendered and PUT again (route_server.refresh, one
-- waiting per route server: a pending one renders the latest state anyway).
CREATE OR REPLACE FUNCTION rs_refresh(ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO jobs (kind, payload)
    SELECT 'route_server.refresh', jsonb_build_object('network_feature', f.id::text)
      FROM network_features f
     WHERE f.id = ANY (ids)
       AND NOT EXISTS (SELECT 1 FROM jobs j
                        WHERE j.object = 'network_feature:' || f.id AND j.state = 'pending'
                          AND j.kind = 'route_server.refresh')
     ORDER BY f.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
