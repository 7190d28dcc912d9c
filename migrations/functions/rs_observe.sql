-- Records what ASes announce to the route servers (one poll round):
-- observations [{asn, family, accepted}], each the largest accepted count
-- among the AS's established sessions of that family. The peak, from which
-- bgp_max_prefix_limit() computes the dynamic limit, follows a rise at once
-- and a fall after a week (normal fluctuation keeps the limit).
CREATE OR REPLACE FUNCTION rs_observe(observations jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO rs_prefix_observations AS o (asn, family, accepted, observed_at, peak, peak_at)
    SELECT (x->>'asn')::bigint, (x->>'family')::integer, max((x->>'accepted')::bigint), now(),
           max((x->>'accepted')::bigint), now()
      FROM jsonb_array_elements(coalesce(observations, '[]'::jsonb)) AS x
     GROUP BY 1, 2
    ON CONFLICT (asn, family) DO UPDATE
       SET accepted = excluded.accepted, observed_at = now(),
           peak = CASE WHEN excluded.accepted >= o.peak OR o.peak_at < now() - interval '7 days'
                       THEN excluded.accepted ELSE o.peak END,
           peak_at = CASE WHEN excluded.accepted >= o.peak OR o.peak_at < now() - interval '7 days'
                          THEN now() ELSE o.peak_at END
$$;
