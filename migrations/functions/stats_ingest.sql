-- One answer of a switch adapter's GET /v1/counters ({"at", "ports": [...]},
-- openapi/adapter-switch.json) becomes statistics, in one statement: the
-- ports named (ports.name of a port of the adapter's devices; other names
-- are counted as unknown and ignored), each port's delta against its last
-- reading (stats_readings), spread over the 5-minute slots [last at, at]
-- overlaps (stats_slots) into the port's series and, summed over its ports,
-- the series of the network service each port counts for
-- (stats_port_services); the readings become the new base. Time is
-- the adapter's `at`, never ours (a late answer counts where it was read).
-- Per port:
-- * first reading: the base only;
-- * `at` not after the stored reading's (a stale or repeated answer):
--   ignored, the stored reading stays;
-- * more than p_max_gap_s since the last reading (missed polls): not
--   spread (those slots stay missing), the new reading is the base;
-- * a counter decreased (reset: no wrap, stats_counter_delta), or a wrap
--   whose implied octet rate exceeds the port's speed: nothing for the
--   interval, the new reading is the base;
-- * otherwise the deltas of the 8 counters, in = the switch port's rx
--   (from the member), out = tx (towards the member).
-- Slots add up (several polls in one slot), seconds at most 300. Counter
-- values must be integers in [0, 2^64): a port with another value is
-- ignored (counted as invalid). Returns counts: ports (matched), unknown,
-- invalid, first, stale, gaps, resets, wraps, deltas, rows (5-minute rows
-- written). The partitions and series it needs are made first; ingests
-- of one adapter are serialised (advisory lock).
CREATE OR REPLACE FUNCTION stats_ingest(p_adapter text, p_devices text[], p_body jsonb, p_max_gap_s integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    t1 timestamptz := (p_body->>'at')::timestamptz;
    result jsonb;
BEGIN
    IF t1 IS NULL OR jsonb_typeof(p_body->'ports') IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'adapter %: the counters have no "at" or no "ports" array', p_adapter
              USING ERRCODE = 'IX400', COLUMN = 'at';
    END IF;
    -- one ingest of an adapter at a time (two rounds' polls running at once
    -- would both count against the same reading); the statements after the
    -- lock see what the one before committed
    PERFORM pg_advisory_xact_lock(hashtext('stats_ingest'), hashtext(p_adapter));
    PERFORM stats_partitions_ensure(t1 - make_interval(secs => p_max_gap_s), t1);
    -- series of the adapter's ports and of every network service, by a
    -- statement of its own: the next statement sees them, and those
    -- another poll's transaction made meanwhile (ON CONFLICT waited for it)
    INSERT INTO stats_series (kind, object)
    SELECT 'port', p.id
      FROM ports p JOIN devices d ON d.id = p.device
     WHERE d.name = ANY (p_devices)
       AND NOT EXISTS (SELECT 1 FROM stats_series s WHERE s.kind = 'port' AND s.object = p.id)
    UNION ALL
    SELECT 'network_service', n.id
      FROM network_services n
     WHERE NOT EXISTS (SELECT 1 FROM stats_series s WHERE s.kind = 'network_service' AND s.object = n.id)
    ON CONFLICT DO NOTHING;

    WITH given AS (
        SELECT DISTINCT ON (x.port) x.*
          FROM jsonb_to_recordset(p_body->'ports')
               AS x (port text, rx_octets numeric, tx_octets numeric, rx_packets numeric, tx_packets numeric,
                     rx_errors numeric, tx_errors numeric, rx_discards numeric, tx_discards numeric)
         ORDER BY x.port
    ), matched AS (
        SELECT g.*, p.id AS port_id, p.speed,
               num_nulls(g.rx_octets, g.tx_octets, g.rx_packets, g.tx_packets, g.rx_errors, g.tx_errors,
                         g.rx_discards, g.tx_discards) = 0
               AND least(g.rx_octets, g.tx_octets, g.rx_packets, g.tx_packets, g.rx_errors, g.tx_errors,
                         g.rx_discards, g.tx_discards) >= 0
               AND greatest(g.rx_octets, g.tx_octets, g.rx_packets, g.tx_packets, g.rx_errors, g.tx_errors,
                            g.rx_discards, g.tx_discards) < 18446744073709551616
               AND g.rx_octets = trunc(g.rx_octets) AND g.tx_octets = trunc(g.tx_octets)
               AND g.rx_packets = trunc(g.rx_packets) AND g.tx_packets = trunc(g.tx_packets)
               AND g.rx_errors = trunc(g.rx_errors) AND g.tx_errors = trunc(g.tx_errors)
               AND g.rx_discards = trunc(g.rx_discards) AND g.tx_discards = trunc(g.tx_discards) AS valid
          FROM given g
          JOIN ports p ON p.name = g.port
          JOIN devices d ON d.id = p.device AND d.name = ANY (p_devices)
    ), deltas AS (
        SELECT m.*, o.at AS t0,
               stats_counter_delta(o.in_octets, m.rx_octets) AS d_in_octets,
               stats_counter_delta(o.out_octets, m.tx_octets) AS d_out_octets,
               stats_counter_delta(o.in_packets, m.rx_packets) AS d_in_packets,
               stats_counter_delta(o.out_packets, m.tx_packets) AS d_out_packets,
               stats_counter_delta(o.in_errors, m.rx_errors) AS d_in_errors,
               stats_counter_delta(o.out_errors, m.tx_errors) AS d_out_errors,
               stats_counter_delta(o.in_discards, m.rx_discards) AS d_in_discards,
               stats_counter_delta(o.out_discards, m.tx_discards) AS d_out_discards,
               (m.rx_octets < o.in_octets OR m.tx_octets < o.out_octets OR m.rx_packets < o.in_packets
                OR m.tx_packets < o.out_packets OR m.rx_errors < o.in_errors OR m.tx_errors < o.out_errors
                OR m.rx_discards < o.in_discards OR m.tx_discards < o.out_discards) AS decreased
          FROM matched m
          LEFT JOIN stats_readings o ON o.port = m.port_id
         WHERE m.valid
    ), judged AS (
        SELECT d.*,
               CASE WHEN d.t0 IS NULL THEN 'first'
                    WHEN t1 <= d.t0 THEN 'stale'
                    WHEN extract(epoch FROM t1 - d.t0) > p_max_gap_s THEN 'gap'
                    WHEN num_nulls(d.d_in_octets, d.d_out_octets, d.d_in_packets, d.d_out_packets, d.d_in_errors,
                                   d.d_out_errors, d.d_in_discards, d.d_out_discards) > 0 THEN 'reset'
                    WHEN d.decreased AND d.speed IS NOT NULL
                         AND greatest(d.d_in_octets, d.d_out_octets) * 8
                             > d.speed * 1000000.0 * extract(epoch FROM t1 - d.t0) THEN 'reset'
                    WHEN d.decreased THEN 'wrap'
                    ELSE 'delta' END AS verdict
          FROM deltas d
    ), parts AS (
        -- in float8 (exact for deltas below 2^53 a poll): the slots' parts of a delta
        -- telescope (the last slot's f1 is 1), so they add up to it exactly
        SELECT j.port_id, s.slot, s.seconds,
               (round(j.d_in_octets::float8 * s.f1) - round(j.d_in_octets::float8 * s.f0))::bigint AS in_octets,
               (round(j.d_out_octets::float8 * s.f1) - round(j.d_out_octets::float8 * s.f0))::bigint AS out_octets,
               (round(j.d_in_packets::float8 * s.f1) - round(j.d_in_packets::float8 * s.f0))::bigint AS in_packets,
               (round(j.d_out_packets::float8 * s.f1) - round(j.d_out_packets::float8 * s.f0))::bigint AS out_packets,
               (round(j.d_in_errors::float8 * s.f1) - round(j.d_in_errors::float8 * s.f0))::bigint AS in_errors,
               (round(j.d_out_errors::float8 * s.f1) - round(j.d_out_errors::float8 * s.f0))::bigint AS out_errors,
               (round(j.d_in_discards::float8 * s.f1) - round(j.d_in_discards::float8 * s.f0))::bigint AS in_discards,
               (round(j.d_out_discards::float8 * s.f1) - round(j.d_out_discards::float8 * s.f0))::bigint AS out_discards
          FROM judged j
          CROSS JOIN LATERAL (SELECT x.slot, x.seconds, x.to_s::float8 / x.total::float8 AS f1,
                                     x.from_s::float8 / x.total::float8 AS f0
                                FROM stats_slots(j.t0, t1) x) s
         WHERE j.verdict IN ('delta', 'wrap') AND s.seconds > 0
    ), services AS (
        SELECT v.port AS port_id, v.network_service
          FROM stats_port_services(ARRAY(SELECT DISTINCT port_id FROM parts)) v
    ), out_rows AS (
        SELECT s.id AS series, p.slot, p.seconds, p.in_octets, p.out_octets, p.in_packets, p.out_packets,
               p.in_errors, p.out_errors, p.in_discards, p.out_discards
          FROM parts p JOIN stats_series s ON s.kind = 'port' AND s.object = p.port_id
        UNION ALL
        SELECT s.id, p.slot, max(p.seconds), sum(p.in_octets), sum(p.out_octets), sum(p.in_packets),
               sum(p.out_packets), sum(p.in_errors), sum(p.out_errors), sum(p.in_discards), sum(p.out_discards)
          FROM parts p
          JOIN services v ON v.port_id = p.port_id
          JOIN stats_series s ON s.kind = 'network_service' AND s.object = v.network_service
         GROUP BY s.id, p.slot
    ), written AS (
        INSERT INTO stats_5m AS t (series, slot, seconds, in_octets, out_octets, in_packets, out_packets, in_errors,
                                   out_errors, in_discards, out_discards)
        SELECT series, slot, least(300, seconds), in_octets, out_octets, in_packets, out_packets, in_errors,
               out_errors, in_discards, out_discards
          FROM out_rows
         ORDER BY series, slot
        ON CONFLICT (series, slot) DO UPDATE
           SET seconds = least(300, t.seconds + excluded.seconds),
               in_octets = t.in_octets + excluded.in_octets, out_octets = t.out_octets + excluded.out_octets,
               in_packets = t.in_packets + excluded.in_packets, out_packets = t.out_packets + excluded.out_packets,
               in_errors = t.in_errors + excluded.in_errors, out_errors = t.out_errors + excluded.out_errors,
               in_discards = t.in_discards + excluded.in_discards,
               out_discards = t.out_discards + excluded.out_discards
        RETURNING 1
    ), based AS (
        INSERT INTO stats_readings AS r (port, at, in_octets, out_octets, in_packets, out_packets, in_errors,
                                         out_errors, in_discards, out_discards, boot)
        SELECT j.port_id, t1, j.rx_octets, j.tx_octets, j.rx_packets, j.tx_packets, j.rx_errors, j.tx_errors,
               j.rx_discards, j.tx_discards,
               (SELECT b.boot_id FROM switch_adapter_boots b WHERE b.adapter = p_adapter)
          FROM judged j
         WHERE j.verdict <> 'stale'
         ORDER BY j.port_id
        ON CONFLICT (port) DO UPDATE
           SET at = excluded.at, in_octets = excluded.in_octets, out_octets = excluded.out_octets,
               in_packets = excluded.in_packets, out_packets = excluded.out_packets,
               in_errors = excluded.in_errors, out_errors = excluded.out_errors,
               in_discards = excluded.in_discards, out_discards = excluded.out_discards, boot = excluded.boot
         WHERE r.at < excluded.at
        RETURNING 1
    )
    SELECT jsonb_build_object(
               'ports', (SELECT count(*) FROM matched),
               'unknown', (SELECT count(*) FROM given) - (SELECT count(*) FROM matched),
               'invalid', (SELECT count(*) FROM matched WHERE NOT valid),
               'first', (SELECT count(*) FROM judged WHERE verdict = 'first'),
               'stale', (SELECT count(*) FROM judged WHERE verdict = 'stale'),
               'gaps', (SELECT count(*) FROM judged WHERE verdict = 'gap'),
               'resets', (SELECT count(*) FROM judged WHERE verdict = 'reset'),
               'wraps', (SELECT count(*) FROM judged WHERE verdict = 'wrap'),
               'deltas', (SELECT count(*) FROM judged WHERE verdict IN ('delta', 'wrap')),
               'rows', (SELECT count(*) FROM written),
               'readings', (SELECT count(*) FROM based))
      INTO result;
    RETURN result;
END
$$;
