-- The rollups of [p_from, p_to), recomputed (idempotent): stats_1h for
-- every hour starting in it, from stats_5m; then stats_1d for every day
-- overlapping it that ends by p_to, from stats_1h (so a day is written
-- once complete and again while its late hours are). Per period: the
-- sums, seconds, samples = 5-minute slots present (seconds >= 150), the
-- highest 5-minute rate (octets or packets per counted second of the
-- slot) in and out, and the slot of the highest octet rate. The
-- stats.rollup job calls it for the last complete hours. Returns the rows
-- written: {"hours": n, "days": n}.
CREATE OR REPLACE FUNCTION stats_rollup(p_from timestamptz, p_to timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    h0 timestamptz := date_trunc('hour', p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    d0 timestamptz := date_trunc('day', p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    d1 timestamptz := date_trunc('day', p_to AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    hours integer;
    days integer;
BEGIN
    IF p_to <= p_from THEN
        RETURN jsonb_build_object('hours', 0, 'days', 0);
    END IF;
    PERFORM stats_partitions_ensure(h0, p_to - interval '1 microsecond');
    DELETE FROM stats_1h WHERE slot >= h0 AND slot < p_to;
    INSERT INTO stats_1h (series, slot, seconds, in_octets, out_octets, in_packets, out_packets, in_errors, out_errors,
                          in_discards, out_discards, samples, max_ops_in, max_ops_out, max_pps_in, max_pps_out,
                          max_in_at, max_out_at)
    SELECT series, date_trunc('hour', slot AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', sum(seconds), sum(in_octets),
           sum(out_octets), sum(in_packets), sum(out_packets), sum(in_errors), sum(out_errors), sum(in_discards),
           sum(out_discards), count(*) FILTER (WHERE seconds >= 150), max(round(in_octets / seconds)),
           max(round(out_octets / seconds)), max(round(in_packets / seconds)), max(round(out_packets / seconds)),
           (array_agg(slot ORDER BY in_octets / seconds DESC, slot))[1],
           (array_agg(slot ORDER BY out_octets / seconds DESC, slot))[1]
      FROM stats_5m
     WHERE slot >= h0 AND slot < p_to
     GROUP BY 1, 2;
    GET DIAGNOSTICS hours = ROW_COUNT;
    -- the days overlapping [p_from, p_to) that are complete by p_to
    DELETE FROM stats_1d WHERE slot >= d0 AND slot < d1;
    INSERT INTO stats_1d (series, slot, seconds, in_octets, out_octets, in_packets, out_packets, in_errors, out_errors,
                          in_discards, out_discards, samples, max_ops_in, max_ops_out, max_pps_in, max_pps_out,
                          max_in_at, max_out_at)
    SELECT series, date_trunc('day', slot AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', sum(seconds), sum(in_octets),
           sum(out_octets), sum(in_packets), sum(out_packets), sum(in_errors), sum(out_errors), sum(in_discards),
           sum(out_discards), sum(samples), max(max_ops_in), max(max_ops_out), max(max_pps_in), max(max_pps_out),
           (array_agg(max_in_at ORDER BY max_ops_in DESC, slot))[1],
           (array_agg(max_out_at ORDER BY max_ops_out DESC, slot))[1]
      FROM stats_1h
     WHERE slot >= d0 AND slot < d1
     GROUP BY 1, 2;
    GET DIAGNOSTICS days = ROW_COUNT;
    RETURN jsonb_build_object('hours', hours, 'days', days);
END
$$;
