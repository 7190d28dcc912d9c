-- Partition upkeep of the statistics tables at p_now: the partitions of
-- the day before to p_ahead_days ahead are made (stats_partitions_ensure);
-- a stats_5m day partition that ended more than p_raw_days ago and a
-- stats_1h month partition that ended more than p_hourly_days ago are
-- dropped whole (never a DELETE of rows). Only partitions named as
-- stats_partitions_ensure names them are dropped. First, the completed
-- partitions not yet ordered are rewritten in key order (series, slot)
-- (stats_partitions_order: it copies under SHARE locks, so it goes before
-- anything here that takes the parents' ACCESS EXCLUSIVE lock to the
-- commit). Should the ordering run out of the job's statement_timeout
-- or lock_timeout, it is undone and skipped (order_skipped says why; the
-- next run tries again): the partitions are still made and dropped. Two
-- calls at once take turns. The stats.maintain job calls it once a day
-- (IXAPI_STATS_RAW_DAYS, IXAPI_STATS_HOURLY_DAYS).
-- Returns {"created": n, "dropped": [names], "ordered": [names],
-- "order_skipped": null or the reason}.
CREATE OR REPLACE FUNCTION stats_maintain(p_now timestamptz, p_raw_days integer, p_hourly_days integer,
                                          p_ahead_days integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    made integer;
    dropped text[] := '{}';
    part record;
    ordered text[];
    skipped text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('stats_maintain'));
    BEGIN
        ordered := stats_partitions_order(p_now, p_raw_days, p_hourly_days);
    EXCEPTION WHEN query_canceled OR lock_not_available THEN
        -- the job's statement_timeout or lock_timeout: nothing ordered
        -- this time (the next run tries again), the upkeep goes on
        ordered := '{}';
        skipped := SQLERRM;
    END;
    made := stats_partitions_ensure(p_now - interval '1 day', p_now + make_interval(days => p_ahead_days));
    FOR part IN
        SELECT c.relname::text AS name
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'stats_5m'::regclass AND c.relname ~ '^stats_5m_p[0-9]{8}$'
           AND (to_date(substr(c.relname, 11), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC'
               <= p_now - make_interval(days => p_raw_days)
        UNION ALL
        SELECT c.relname::text
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'stats_1h'::regclass AND c.relname ~ '^stats_1h_p[0-9]{6}$'
           AND (to_date(substr(c.relname, 11), 'YYYYMM') + interval '1 month')::timestamp AT TIME ZONE 'UTC'
               <= p_now - make_interval(days => p_hourly_days)
         ORDER BY 1
    LOOP
        EXECUTE format('DROP TABLE %I', part.name);
        dropped := dropped || part.name;
    END LOOP;
    RETURN jsonb_build_object('created', made, 'dropped', to_jsonb(dropped), 'ordered', to_jsonb(ordered),
                              'order_skipped', skipped);
END
$$;
