-- The partitions of the statistics tables covering [from_ts, to_ts]: one
-- stats_5m partition per UTC day (stats_5m_pYYYYMMDD), one stats_1h
-- partition per UTC month (stats_1h_pYYYYMM); the missing ones are created.
-- The collector's ingest calls it for the slots it writes (so a sample
-- never lacks a partition), stats.maintain for the days ahead, a bench or
-- test for the data it generates. Concurrent callers serialise on an
-- advisory lock, taken only when a partition is missing. Returns how many
-- it created.
CREATE OR REPLACE FUNCTION stats_partitions_ensure(from_ts timestamptz, to_ts timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    d date;
    m date;
    made integer := 0;
    locked boolean := false;
    name text;
BEGIN
    IF from_ts IS NULL OR to_ts IS NULL OR to_ts < from_ts THEN
        RETURN 0;
    END IF;
    d := (from_ts AT TIME ZONE 'UTC')::date;
    WHILE d <= (to_ts AT TIME ZONE 'UTC')::date LOOP
        name := 'stats_5m_p' || to_char(d, 'YYYYMMDD');
        IF to_regclass(name) IS NULL THEN
            IF NOT locked THEN
                PERFORM pg_advisory_xact_lock(hashtext('stats_partitions_ensure'));
                locked := true;
            END IF;
            IF to_regclass(name) IS NULL THEN
                EXECUTE format('CREATE TABLE %I PARTITION OF stats_5m FOR VALUES FROM (%L) TO (%L)', name,
                               (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
                made := made + 1;
            END IF;
        END IF;
        d := d + 1;
    END LOOP;
    m := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
    WHILE m <= (to_ts AT TIME ZONE 'UTC')::date LOOP
        name := 'stats_1h_p' || to_char(m, 'YYYYMM');
        IF to_regclass(name) IS NULL THEN
            IF NOT locked THEN
                PERFORM pg_advisory_xact_lock(hashtext('stats_partitions_ensure'));
                locked := true;
            END IF;
            IF to_regclass(name) IS NULL THEN
                EXECUTE format('CREATE TABLE %I PARTITION OF stats_1h FOR VALUES FROM (%L) TO (%L)', name,
                               (m::timestamp AT TIME ZONE 'UTC'),
                               ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
                made := made + 1;
            END IF;
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
    RETURN made;
END
$$;
