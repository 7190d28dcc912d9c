-- Why `addr` may not be the address of IP `ip_id` on LAN `s`, or NULL
-- when it may: the rules of lan_free_address for an address chosen by an
-- operator.
CREATE OR REPLACE FUNCTION lan_address_problem(s network_services, addr inet, ip_id bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    net cidr := CASE family(addr) WHEN 4 THEN s.subnet_v4 ELSE s.subnet_v6 END;
    rs text;
BEGIN
    IF net IS NULL OR NOT addr << net THEN
        RETURN 'Must lie in the peering LAN''s subnet ' || coalesce(net::text, '(none)') || '.';
    END IF;
    IF host(addr) = host(network(net)) OR (family(addr) = 4 AND host(addr) = host(broadcast(net))) THEN
        RETURN host(addr) || ' is not a host address of ' || net::text || '.';
    END IF;
    SELECT f.name INTO rs FROM network_features f
     WHERE f.network_service = s.id AND host(addr) IN (host(f.ip_v4), host(f.ip_v6)) LIMIT 1;
    IF FOUND THEN
        RETURN host(addr) || ' is the address of route server ' || rs || '.';
    END IF;
    IF EXISTS (SELECT 1 FROM ips o WHERE o.held_on_lan = s.id AND o.address = addr AND o.id <> ip_id) THEN
        RETURN host(addr) || ' is held by another config on this LAN.';
    END IF;
    RETURN NULL;
END
$$;
