-- One switch adapter's per-pair counters (GET /v1/peer-counters: {at,
-- pairs: [{service, port, src_mac, dst_mac, packets, octets}]}) into
-- peer_stats_5m, in the stats.peer_poll job's transaction. Pairs on the
-- peering bridge only (service 'peering'). Per pair: delta = new - last
-- reading; a decrease is a reset (the adapter or switch restarted, the set
-- was flushed): no delta, the new reading is the base; a gap longer than
-- 900 s since the last reading is not spread (those slots stay missing).
-- A delta is spread over the 5-minute slots [last, at] overlaps, in
-- proportion to the overlap (rounded so that the parts add up to the
-- delta). A pair that did not grow still
-- covers its slots (zero traffic, counted in `seconds`).
-- Attribution: `in` of (the config carried by the input port, dst MAC);
-- `out` of (every live peering config holding dst MAC, src MAC). Ports are
-- the adapter's by its devices (p_devices) and their names. Slots older
-- than 35 days and readings not refreshed for a day go. Returns the number
-- of pairs read.
CREATE OR REPLACE FUNCTION peer_stats_record(p_adapter text, p_devices text[], p_reading jsonb) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t1 timestamptz := (p_reading->>'at')::timestamptz;
    n integer;
BEGIN
    CREATE TEMPORARY TABLE IF NOT EXISTS peer_stats_now (
        port text, src_mac text, dst_mac text, packets numeric, octets numeric) ON COMMIT DROP;
    TRUNCATE peer_stats_now;
    INSERT INTO peer_stats_now
        SELECT x.port, lower(x.src_mac), lower(x.dst_mac), x.packets, x.octets
          FROM jsonb_to_recordset(coalesce(p_reading->'pairs', '[]'::jsonb))
               AS x(service text, port text, src_mac text, dst_mac text, packets numeric, octets numeric)
         WHERE x.service = 'peering' AND x.packets >= 0 AND x.octets >= 0;
    GET DIAGNOSTICS n = ROW_COUNT;

    WITH delta AS (
        SELECT r.port, r.src_mac, r.dst_mac, o.at AS t0,
               r.packets - o.packets AS d_packets, r.octets - o.octets AS d_octets
          FROM peer_stats_now r
          JOIN peer_stats_readings o
            ON o.adapter = p_adapter AND o.port = r.port AND o.src_mac = r.src_mac AND o.dst_mac = r.dst_mac
         WHERE r.packets >= o.packets AND r.octets >= o.octets
           AND t1 > o.at AND t1 - o.at <= interval '900 seconds'
    ), spread AS (
        SELECT d.port, d.src_mac, d.dst_mac, s.slot,
               extract(epoch FROM least(t1, s.slot + interval '5 minutes') - greatest(d.t0, s.slot)) AS overlap,
               extract(epoch FROM t1 - d.t0) AS span, d.d_packets, d.d_octets
          FROM delta d,
               generate_series(date_bin('5 minutes', d.t0, timestamptz '2000-01-01 00:00:00+00'),
                               t1, interval '5 minutes') AS s(slot)
         WHERE s.slot < t1
    ), cum AS (
        SELECT *, sum(overlap) OVER (PARTITION BY port, src_mac, dst_mac ORDER BY slot) AS upto
          FROM spread WHERE overlap > 0
    ), part AS (
        -- differences of the rounded running share: the parts add up to the delta exactly
        SELECT port, src_mac, dst_mac, slot, overlap,
               (round(d_packets * upto / span) - round(d_packets * (upto - overlap) / span))::bigint AS packets,
               (round(d_octets * upto / span) - round(d_octets * (upto - overlap) / span))::bigint AS octets
          FROM cum
    ), member_port AS (
        SELECT p.name AS port, switch_port_config(p.id) AS config
          FROM ports p JOIN devices dv ON dv.id = p.device
         WHERE dv.name = ANY (p_devices) AND p.name IN (SELECT DISTINCT port FROM peer_stats_now)
    ), mac_config AS (
        SELECT m.canonical_address AS mac, c.id AS config
          FROM network_service_config_macs x
          JOIN macs m ON m.id = x.mac
          JOIN network_service_configs c ON c.id = x.network_service_config
         WHERE c.type = 'exchange_lan' AND NOT switch_object_gone(c.state, c.decommission_at)
    ), rows AS (
        SELECT mp.config, pt.dst_mac AS peer, pt.slot, pt.overlap, pt.octets AS in_octets, pt.packets AS in_packets,
               0::bigint AS out_octets, 0::bigint AS out_packets
          FROM part pt JOIN member_port mp ON mp.port = pt.port
          JOIN network_service_configs c ON c.id = mp.config AND c.type = 'exchange_lan'
        UNION ALL
        SELECT mc.config, pt.src_mac, pt.slot, pt.overlap, 0, 0, pt.octets, pt.packets
          FROM part pt JOIN mac_config mc ON mc.mac = pt.dst_mac
    )
    INSERT INTO peer_stats_5m AS s (network_service_config, peer_mac, slot, seconds, in_octets, out_octets,
                                    in_packets, out_packets)
    SELECT config, peer, slot, least(300, max(overlap)), sum(in_octets), sum(out_octets), sum(in_packets),
           sum(out_packets)
      FROM rows WHERE config IS NOT NULL
     GROUP BY config, peer, slot
    ON CONFLICT (network_service_config, peer_mac, slot) DO UPDATE
       SET seconds = least(300, s.seconds + excluded.seconds),
           in_octets = s.in_octets + excluded.in_octets, out_octets = s.out_octets + excluded.out_octets,
           in_packets = s.in_packets + excluded.in_packets, out_packets = s.out_packets + excluded.out_packets;

    INSERT INTO peer_stats_readings AS o (adapter, port, src_mac, dst_mac, at, packets, octets)
    SELECT p_adapter, port, src_mac, dst_mac, t1, packets, octets FROM peer_stats_now
    ON CONFLICT (adapter, port, src_mac, dst_mac) DO UPDATE
       SET at = excluded.at, packets = excluded.packets, octets = excluded.octets
     WHERE excluded.at > o.at;

    DELETE FROM peer_stats_readings WHERE adapter = p_adapter AND at < t1 - interval '1 day';
    DELETE FROM peer_stats_5m WHERE slot < now() - interval '35 days';
    RETURN n;
END
$$;
