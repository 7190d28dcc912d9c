-- The lowest free host address of a LAN's subnet for one family: never the
-- network or (IPv4) broadcast address, never a route server's address,
-- never one a live config holds. Candidates are bounded by the count of
-- taken addresses, so an IPv6 /64 is searched as cheaply as an IPv4 /24.
-- NULL when the subnet is exhausted. Callers lock the service row first.
CREATE OR REPLACE FUNCTION lan_free_address(s network_services, fam integer) RETURNS inet
LANGUAGE plpgsql STABLE AS $$
DECLARE
    net cidr := CASE fam WHEN 4 THEN s.subnet_v4 ELSE s.subnet_v6 END;
    hosts numeric;
    taken bigint;
    candidate inet;
BEGIN
    hosts := power(2::numeric, (CASE fam WHEN 4 THEN 32 ELSE 128 END) - masklen(net));
    hosts := hosts - CASE fam WHEN 4 THEN 2 ELSE 1 END; -- offsets 1 .. hosts
    SELECT count(*) INTO taken FROM (
        SELECT i.address FROM ips i JOIN network_service_configs c ON c.id = i.network_service_config
         WHERE c.network_service = s.id AND c.state <> 'archived' AND family(i.address) = fam
        UNION SELECT CASE fam WHEN 4 THEN f.ip_v4 ELSE f.ip_v6 END FROM network_features f
         WHERE f.network_service = s.id) AS t;
    SELECT host(net + n)::inet INTO candidate
      FROM generate_series(1::bigint, least(taken + 1, hosts)::bigint) AS n
     WHERE NOT EXISTS (SELECT 1 FROM ips i JOIN network_service_configs c ON c.id = i.network_service_config
                        WHERE c.network_service = s.id AND c.state <> 'archived'
                          AND host(i.address) = host(net + n))
       AND NOT EXISTS (SELECT 1 FROM network_features f
                        WHERE f.network_service = s.id
                          AND host(CASE fam WHEN 4 THEN f.ip_v4 ELSE f.ip_v6 END) = host(net + n))
     ORDER BY n LIMIT 1;
    RETURN candidate;
END
$$;
