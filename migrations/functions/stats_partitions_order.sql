-- Rewrites the completed partitions of stats_5m (days that ended by p_now)
-- and stats_1h (months that ended by p_now) in key order (series, slot),
-- once each, so that one series' rows of a day (a month) sit on a few
-- pages instead of one page per slot (the collector writes all series of a
-- slot together). Partitions stats_maintain is about to drop (beyond
-- p_raw_days / p_hourly_days) are left alone. A rewritten partition is
-- marked by its comment 'ordered by (series, slot)'; rows that arrive in
-- it later (a late poll's last slot, a rollup's catch-up) go where there
-- is room, they stay correct. One call copies about 1.5 M rows at most
-- (by the partitions' reltuples), the partitions that ended first first
-- (a month before the day that ended with it), at least one: what is left
-- waits for the next call (a day and a month of 1,000 ports are 0.29 M
-- and 0.72 M rows, about 4 s on the 2-core machine: within the job's
-- default statement_timeout of 10 s; see stats_maintain for what happens
-- when it is not).
--
-- How: an ordered copy is built beside each partition (CREATE TABLE LIKE
-- the parent, INSERT ... ORDER BY series, slot, its primary key, ANALYZE)
-- while the parents are locked in SHARE mode (readers go on, writers wait:
-- no row can go to the old partition while it is copied); then, for each,
-- DETACH the old, DROP it, rename the copy to its name, ATTACH it (a CHECK
-- of the bounds spares the scan). The caller's transaction holds it all:
-- readers see the old partition or the new one, never none and never a
-- part of one. Only the swap holds the parents' ACCESS EXCLUSIVE lock
-- (milliseconds, to the commit), not the copy. (CLUSTER would hold the
-- partition's ACCESS EXCLUSIVE lock for the whole rewrite, and a reader of
-- the parent locks every partition when its window is not a constant:
-- every reader would wait for the rewrite.) Like TRUNCATE, the swap is not
-- MVCC-safe for a REPEATABLE READ snapshot taken before it commits (such a
-- snapshot sees the new partition empty); the statistics are read with
-- statement snapshots (READ COMMITTED). stats_maintain calls it first (the
-- copies before any lock stronger than SHARE). Returns the names
-- rewritten.
CREATE OR REPLACE FUNCTION stats_partitions_order(p_now timestamptz, p_raw_days integer, p_hourly_days integer)
RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    parts record;
    names text[] := '{}';
    parents text[] := '{}';
    lows timestamptz[] := '{}';
    highs timestamptz[] := '{}';
    i integer;
    copy text;
    lock_wait text;
BEGIN
    FOR parts IN
        SELECT y.parent, y.name, y.lo, y.hi
          FROM (SELECT x.*, row_number() OVER w AS n, sum(x.rows) OVER w AS total
                  FROM (SELECT 'stats_5m' AS parent, c.relname::text AS name,
                       to_date(substr(c.relname, 11), 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC' AS lo,
                       (to_date(substr(c.relname, 11), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' AS hi,
                       make_interval(days => p_raw_days) AS keep, c.oid, greatest(c.reltuples, 0) AS rows
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'stats_5m'::regclass AND c.relname ~ '^stats_5m_p[0-9]{8}$'
                UNION ALL
                SELECT 'stats_1h', c.relname::text,
                       to_date(substr(c.relname, 11), 'YYYYMM')::timestamp AT TIME ZONE 'UTC',
                       (to_date(substr(c.relname, 11), 'YYYYMM') + interval '1 month')::timestamp AT TIME ZONE 'UTC',
                       make_interval(days => p_hourly_days), c.oid, greatest(c.reltuples, 0)
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'stats_1h'::regclass AND c.relname ~ '^stats_1h_p[0-9]{6}$') x
         WHERE x.hi <= p_now AND x.hi > p_now - x.keep
           AND obj_description(x.oid, 'pg_class') IS DISTINCT FROM 'ordered by (series, slot)'
        WINDOW w AS (ORDER BY x.hi, x.parent = 'stats_5m')) y
         WHERE y.n = 1 OR y.total <= 1500000
         ORDER BY 1, 2
    LOOP
        names := names || parts.name;
        parents := parents || parts.parent;
        lows := lows || parts.lo;
        highs := highs || parts.hi;
    END LOOP;
    IF cardinality(names) = 0 THEN
        RETURN names;
    END IF;
    -- stats_partitions_ensure's lock first (an ingest that makes a
    -- partition takes it before the parent's lock: the same order), then
    -- the parents in a fixed order, ONLY (not every partition): writers
    -- wait from here to the commit, readers do not. Waiting for SHARE
    -- holds up writers only, so it may wait longer than the job's
    -- lock_timeout; the swap's ACCESS EXCLUSIVE waits no longer than that.
    PERFORM pg_advisory_xact_lock(hashtext('stats_partitions_ensure'));
    lock_wait := current_setting('lock_timeout');
    PERFORM set_config('lock_timeout', '10s', true);
    IF 'stats_5m' = ANY (parents) THEN
        LOCK TABLE ONLY stats_5m IN SHARE MODE;
    END IF;
    IF 'stats_1h' = ANY (parents) THEN
        LOCK TABLE ONLY stats_1h IN SHARE MODE;
    END IF;
    FOR i IN 1 .. cardinality(names) LOOP
        copy := names[i] || '_ordered';
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS,'
                       ' CONSTRAINT %I CHECK (slot >= %L AND slot < %L))',
                       copy, parents[i], copy || '_bounds', lows[i], highs[i]);
        EXECUTE format('INSERT INTO %I SELECT * FROM %I ORDER BY series, slot', copy, names[i]);
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (series, slot)', copy, copy || '_pkey');
        EXECUTE format('ANALYZE %I', copy);
    END LOOP;
    PERFORM set_config('lock_timeout', lock_wait, true);
    FOR i IN 1 .. cardinality(names) LOOP
        copy := names[i] || '_ordered';
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parents[i], names[i]);
        EXECUTE format('DROP TABLE %I', names[i]);
        EXECUTE format('ALTER TABLE %I RENAME TO %I', copy, names[i]);
        EXECUTE format('ALTER INDEX %I RENAME TO %I', copy || '_pkey', names[i] || '_pkey');
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parents[i], names[i],
                       lows[i], highs[i]);
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', names[i], copy || '_bounds');
        EXECUTE format('COMMENT ON TABLE %I IS %L', names[i], 'ordered by (series, slot)');
    END LOOP;
    RETURN names;
END
$$;
