-- The VLAN a config asks for on its connection, checked against the live
-- configs already there (VLAN ids unique per connection, qinq pairs unique,
-- a `port` config takes the whole connection); a null vlan / outer_vlan is
-- the lowest free one. Returns the VLAN config with ids filled in, or
-- {"error": reason}. Callers lock the connection first.
CREATE OR REPLACE FUNCTION nsc_vlan_choice(conn bigint, exclude bigint, vc jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    kind text := vc->>'vlan_type';
    other record;
    chosen integer;
    inner_id integer := (vc->>'inner_vlan')::integer;
BEGIN
    SELECT c.id, c.vlan_type INTO other FROM network_service_configs c
     WHERE c.connection = conn AND c.id IS DISTINCT FROM exclude AND nsc_is_live(c.state)
       AND (c.vlan_type = 'port' OR kind = 'port') LIMIT 1;
    IF FOUND THEN
        RETURN jsonb_build_object('error', CASE WHEN other.vlan_type = 'port'
            THEN 'The connection is taken whole by network service config ' || other.id || ' (vlan_type port).'
            ELSE 'A port VLAN config needs the whole connection; network service config ' || other.id
                 || ' uses it.' END);
    END IF;
    IF kind = 'port' THEN
        RETURN vc;
    END IF;
    chosen := CASE kind WHEN 'dot1q' THEN (vc->>'vlan')::integer ELSE (vc->>'outer_vlan')::integer END;
    IF chosen IS NULL THEN
        SELECT n INTO chosen FROM generate_series(1, 4094) AS n
         WHERE NOT EXISTS (SELECT 1 FROM network_service_configs c
                            WHERE c.connection = conn AND c.id IS DISTINCT FROM exclude AND nsc_is_live(c.state)
                              AND (c.vlan = n OR (c.outer_vlan = n AND (kind = 'dot1q' OR c.inner_vlan = inner_id))))
         ORDER BY n LIMIT 1;
        IF chosen IS NULL THEN
            RETURN jsonb_build_object('error', 'The connection has no free VLAN left.');
        END IF;
    END IF;
    SELECT c.id INTO other FROM network_service_configs c
     WHERE c.connection = conn AND c.id IS DISTINCT FROM exclude AND nsc_is_live(c.state)
       AND (c.vlan = chosen OR (c.outer_vlan = chosen AND (kind = 'dot1q' OR c.inner_vlan = inner_id)))
     LIMIT 1;
    IF FOUND THEN
        RETURN jsonb_build_object('error', CASE kind WHEN 'dot1q' THEN 'VLAN ' ELSE 'VLAN pair ' END
            || chosen || CASE kind WHEN 'qinq' THEN '/' || inner_id ELSE '' END
            || ' is used on this connection by network service config ' || other.id || '.');
    END IF;
    IF kind = 'dot1q' THEN
        RETURN vc || jsonb_build_object('vlan', chosen);
    END IF;
    RETURN vc || jsonb_build_object('outer_vlan', chosen);
END
$$;
