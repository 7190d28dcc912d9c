-- One aggregate of a config's traffic with one peer (IX-API
-- AggregateStatistics) over [p_start, p_end) from peer_stats_5m: averages
-- over the seconds covered (sum / seconds), maxima and 95th percentiles of
-- the 5-minute rates of slots covered for at least 150 s, accuracy = such
-- slots / the window's 5-minute slots. `in` = from the member to the peer,
-- `out` = from the peer to the member. Errors and discards are not counted
-- per peer: null.
CREATE OR REPLACE FUNCTION peer_aggregate_json(p_config bigint, p_mac text, p_title text, p_start timestamptz,
                                               p_end timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH s AS (
        SELECT slot, seconds, in_octets, out_octets, in_packets, out_packets,
               in_octets / seconds AS ops_in, out_octets / seconds AS ops_out,
               in_packets / seconds AS pps_in, out_packets / seconds AS pps_out, seconds >= 150 AS full_slot
          FROM peer_stats_5m
         WHERE network_service_config = p_config AND peer_mac = p_mac AND slot >= p_start AND slot < p_end
    ), t AS (
        SELECT sum(seconds) AS seconds, sum(in_octets) AS in_octets, sum(out_octets) AS out_octets,
               sum(in_packets) AS in_packets, sum(out_packets) AS out_packets,
               count(*) FILTER (WHERE full_slot) AS samples,
               max(ops_in) FILTER (WHERE full_slot) AS max_ops_in, max(ops_out) FILTER (WHERE full_slot) AS max_ops_out,
               max(pps_in) FILTER (WHERE full_slot) AS max_pps_in, max(pps_out) FILTER (WHERE full_slot) AS max_pps_out,
               percentile_disc(0.95) WITHIN GROUP (ORDER BY ops_in) FILTER (WHERE full_slot) AS p95_ops_in,
               percentile_disc(0.95) WITHIN GROUP (ORDER BY ops_out) FILTER (WHERE full_slot) AS p95_ops_out,
               percentile_disc(0.95) WITHIN GROUP (ORDER BY pps_in) FILTER (WHERE full_slot) AS p95_pps_in,
               percentile_disc(0.95) WITHIN GROUP (ORDER BY pps_out) FILTER (WHERE full_slot) AS p95_pps_out
          FROM s
    )
    SELECT jsonb_build_object(
        'title', p_title,
        'start', rfc3339(p_start), 'end', rfc3339(p_end),
        'accuracy', round((t.samples / greatest(1, extract(epoch FROM p_end - p_start) / 300))::numeric, 4),
        'created_at', rfc3339(now()),
        'next_update_at', rfc3339(date_bin('5 minutes', now(), timestamptz '2000-01-01 00:00:00+00')
                                  + interval '5 minutes'),
        'average_pps_in', coalesce(round(t.in_packets / nullif(t.seconds, 0))::bigint, 0),
        'average_pps_out', coalesce(round(t.out_packets / nullif(t.seconds, 0))::bigint, 0),
        'average_ops_in', coalesce(round(t.in_octets / nullif(t.seconds, 0))::bigint, 0),
        'average_ops_out', coalesce(round(t.out_octets / nullif(t.seconds, 0))::bigint, 0),
        'average_eps_in', NULL, 'average_eps_out', NULL, 'average_dps_in', NULL, 'average_dps_out', NULL,
        'percentile95_pps_in', round(t.p95_pps_in)::bigint, 'percentile95_pps_out', round(t.p95_pps_out)::bigint,
        'percentile95_ops_in', round(t.p95_ops_in)::bigint, 'percentile95_ops_out', round(t.p95_ops_out)::bigint,
        'maximum_pps_in', round(t.max_pps_in)::bigint, 'maximum_pps_out', round(t.max_pps_out)::bigint,
        'maximum_ops_in', round(t.max_ops_in)::bigint, 'maximum_ops_out', round(t.max_ops_out)::bigint,
        'maximum_in_at', (SELECT rfc3339(slot) FROM s WHERE full_slot ORDER BY ops_in DESC, slot LIMIT 1),
        'maximum_out_at', (SELECT rfc3339(slot) FROM s WHERE full_slot ORDER BY ops_out DESC, slot LIMIT 1))
      FROM t
$$;
