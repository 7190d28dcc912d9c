-- A stats.rtt round's results, in the transaction that marks it done:
-- arg = {rounds: [{feature, at, results: [{target, tx, rx, loss, time_ms,
-- rtt_min_ms, rtt_avg_ms, rtt_max_ms, rtt_mdev_ms}]}], next_ms} (ixapi-rsd's
-- probe answers per route server). Each result becomes a row of
-- rtt_results (a new serial) naming the config that holds the address on
-- the feature's LAN, its consuming account's name as the neighbor and the
-- config's first ASN. Results of a probe that could not measure (tx 0) are
-- not stored. Rows older than 7 days go; the next round is queued after
-- next_ms.
CREATE OR REPLACE FUNCTION rtt_record(job_id bigint, arg jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    round jsonb;
BEGIN
    FOR round IN SELECT * FROM jsonb_array_elements(coalesce(arg->'rounds', '[]'::jsonb)) LOOP
        INSERT INTO rtt_results (network_service, network_feature, network_service_config, neighbor, asn, ip, measured_at,
                                 time_ms, tx, rx, loss, rtt_min_ms, rtt_avg_ms, rtt_max_ms, rtt_mdev_ms)
        SELECT f.network_service, f.id, c.id, coalesce(a.name, host(r.target::inet)), c.asns[1], r.target::inet,
               (round->>'at')::timestamptz, coalesce(r.time_ms, 0), r.tx, r.rx, least(1, greatest(0, r.loss)),
               r.rtt_min_ms, r.rtt_avg_ms, r.rtt_max_ms, r.rtt_mdev_ms
          FROM network_features f
         CROSS JOIN LATERAL jsonb_to_recordset(coalesce(round->'results', '[]'::jsonb))
               AS r(target text, tx integer, rx integer, loss real, time_ms integer, rtt_min_ms double precision,
                    rtt_avg_ms double precision, rtt_max_ms double precision, rtt_mdev_ms double precision)
          LEFT JOIN ips i ON i.held_on_lan = f.network_service AND i.address = r.target::inet
          LEFT JOIN network_service_configs c ON c.id = i.network_service_config
          LEFT JOIN accounts a ON a.id = c.consuming_account
         WHERE f.id = (round->>'feature')::bigint AND r.tx > 0;
    END LOOP;
    DELETE FROM rtt_results WHERE measured_at < now() - interval '7 days';
    INSERT INTO jobs (kind, payload, run_after)
    VALUES ('stats.rtt', jsonb_build_object('round', 'after:' || job_id),
            now() + (arg->>'next_ms')::bigint * interval '1 millisecond')
    ON CONFLICT DO NOTHING;
END
$$;
