-- GET .../peer-statistics/{aggregate}/timeseries of one peer (by MAC):
-- the 5-minute samples in [p_start, p_end) (precision 300 s), each
-- [slot start, the fields' rates over the seconds the slot covers]; slots
-- never covered are absent. p_fields: of average_pps_in, average_pps_out,
-- average_ops_in, average_ops_out.
CREATE OR REPLACE FUNCTION peer_timeseries_json(p_config bigint, p_mac text, p_title text, p_start timestamptz,
                                                p_end timestamptz, p_fields text[]) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'title', p_title, 'precision', 300, 'origin_timezone', 'UTC',
        'created_at', rfc3339(now()),
        'next_update_at', rfc3339(date_bin('5 minutes', now(), timestamptz '2000-01-01 00:00:00+00')
                                  + interval '5 minutes'),
        'fields', to_jsonb(p_fields),
        'samples', coalesce((
            SELECT jsonb_agg(jsonb_build_array(rfc3339(s.slot)) || (
                       SELECT jsonb_agg(CASE f
                                 WHEN 'average_pps_in' THEN round(s.in_packets / s.seconds)
                                 WHEN 'average_pps_out' THEN round(s.out_packets / s.seconds)
                                 WHEN 'average_ops_in' THEN round(s.in_octets / s.seconds)
                                 WHEN 'average_ops_out' THEN round(s.out_octets / s.seconds) END
                              ORDER BY o)
                         FROM unnest(p_fields) WITH ORDINALITY AS u(f, o)) ORDER BY s.slot)
              FROM peer_stats_5m s
             WHERE s.network_service_config = p_config AND s.peer_mac = p_mac
               AND s.slot >= p_start AND s.slot < p_end), '[]'::jsonb))
$$;
