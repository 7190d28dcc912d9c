-- GET /network-service-configs/{id}/peer-statistics: one PeerAggregate per
-- peer MAC the config exchanged traffic with (rows in the last 30 days, or
-- in the custom window), each with the aggregates PT5M, P1D and P30D, the
-- windows of 5-minute slots ending with the current slot (still filling:
-- its data counts, and its accuracy is partial until it ends), or only
-- `custom` when p_start is given. Ordered by MAC.
CREATE OR REPLACE FUNCTION peer_statistics_json(p_config bigint, p_start timestamptz, p_end timestamptz)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    edge timestamptz := date_bin('5 minutes', now(), timestamptz '2000-01-01 00:00:00+00') + interval '5 minutes';
    svc bigint;
    out jsonb := '[]'::jsonb;
    mac text;
    aggs jsonb;
BEGIN
    SELECT network_service INTO svc FROM network_service_configs WHERE id = p_config;
    IF p_start IS NOT NULL THEN
        p_end := peer_stats_window(p_start, p_end);
    END IF;
    FOR mac IN SELECT DISTINCT peer_mac FROM peer_stats_5m
                WHERE network_service_config = p_config
                  AND slot >= coalesce(p_start, edge - interval '30 days') AND slot < coalesce(p_end, edge)
                ORDER BY peer_mac LOOP
        IF p_start IS NOT NULL THEN
            aggs := jsonb_build_object('custom', peer_aggregate_json(p_config, mac, 'custom', p_start, p_end));
        ELSE
            aggs := jsonb_build_object(
                'PT5M', peer_aggregate_json(p_config, mac, '5 minutes', edge - interval '5 minutes', edge),
                'P1D', peer_aggregate_json(p_config, mac, '1 day', edge - interval '1 day', edge),
                'P30D', peer_aggregate_json(p_config, mac, '30 days', edge - interval '30 days', edge));
        END IF;
        out := out || jsonb_build_array(jsonb_build_object('peer', peer_json(svc, mac), 'aggregates', aggs));
    END LOOP;
    RETURN out;
END
$$;
