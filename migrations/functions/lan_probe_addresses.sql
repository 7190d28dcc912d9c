-- Addresses for the quarantine gate's probes on LAN `s`, family 4 or 6: the
-- `n` highest host addresses of the LAN's subnet that nobody holds (no
-- non-archived config's address, no route server's; never the network or
-- the IPv4 broadcast address), highest first. The worker asks the adapter
-- to probe the first (an ARP request / neighbour solicitation for it:
-- whoever answers is a proxy) from the second. Taken from the top of the
-- subnet, away from lan_free_address's lowest-first allocation, so a config
-- ordered meanwhile does not get the probed address. Fewer rows when the
-- subnet has fewer free addresses; none without a subnet. Candidates are
-- bounded by the count of taken addresses, as in lan_free_address.
CREATE OR REPLACE FUNCTION lan_probe_addresses(s network_services, fam integer, n integer) RETURNS SETOF inet
LANGUAGE plpgsql STABLE AS $$
DECLARE
    net cidr := CASE fam WHEN 4 THEN s.subnet_v4 WHEN 6 THEN s.subnet_v6 END;
    top_offset integer := CASE fam WHEN 4 THEN 1 ELSE 0 END; -- IPv4: below the broadcast address
    hosts numeric;
    taken bigint;
BEGIN
    IF net IS NULL OR n IS NULL OR n < 1 THEN
        RETURN;
    END IF;
    hosts := power(2::numeric, (CASE fam WHEN 4 THEN 32 ELSE 128 END) - masklen(net));
    hosts := hosts - CASE fam WHEN 4 THEN 2 ELSE 1 END; -- host addresses: not the network, not the broadcast
    SELECT count(*) INTO taken FROM (
        SELECT i.address FROM ips i
         WHERE i.held_on_lan = s.id AND family(i.address) = fam
        UNION SELECT CASE fam WHEN 4 THEN f.ip_v4 ELSE f.ip_v6 END FROM network_features f
         WHERE f.network_service = s.id) AS t;
    RETURN QUERY
    SELECT host(broadcast(net) - k)::inet
      FROM generate_series(top_offset::bigint, (top_offset + least(taken + n, hosts) - 1)::bigint) AS k
     WHERE NOT EXISTS (SELECT 1 FROM ips i
                        WHERE i.held_on_lan = s.id AND host(i.address) = host(broadcast(net) - k))
       AND NOT EXISTS (SELECT 1 FROM network_features f
                        WHERE f.network_service = s.id
                          AND host(CASE fam WHEN 4 THEN f.ip_v4 ELSE f.ip_v6 END) = host(broadcast(net) - k))
     ORDER BY k LIMIT n;
END
$$;
