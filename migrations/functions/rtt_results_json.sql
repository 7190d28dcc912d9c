-- GET /network-services/{id}/rtt-statistics: PeerRTT items of the LAN in
-- serial order, filtered by ASN and address when given: the p_limit after
-- serial p_after (polling), or without p_after the latest p_limit.
CREATE OR REPLACE FUNCTION rtt_results_json(p_service bigint, p_asn bigint, p_ip inet, p_after bigint, p_limit integer)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'time_ms', r.time_ms, 'tx', r.tx, 'rx', r.rx, 'loss', r.loss,
               'rtt_min_ms', r.rtt_min_ms, 'rtt_avg_ms', r.rtt_avg_ms, 'rtt_max_ms', r.rtt_max_ms,
               'rtt_mdev_ms', r.rtt_mdev_ms, 'neighbor', r.neighbor, 'asn', r.asn, 'ip', host(r.ip),
               'timestamp', rfc3339(r.measured_at), 'serial', r.serial) ORDER BY r.serial), '[]'::jsonb)
      FROM (SELECT * FROM rtt_results
             WHERE network_service = p_service
               AND (p_asn IS NULL OR asn = p_asn)
               AND (p_ip IS NULL OR ip = p_ip)
               AND (p_after IS NULL OR serial > p_after)
             ORDER BY CASE WHEN p_after IS NULL THEN -serial ELSE serial END LIMIT p_limit) AS r
$$;
