-- One year of statistics for :ports ports (bench/stats.sh): psql -v ports=N -v port=ID.
-- Series 1 is port :port's; the others stand for more ports (series need no
-- port row: no foreign key). Rates vary per series and slot.
INSERT INTO stats_series (kind, object)
SELECT 'port', CASE WHEN s = 1 THEN :port ELSE 1000000000 + s END FROM generate_series(1, :ports) s;
SELECT stats_partitions_ensure(date_trunc('day', now()) - interval '35 days', now());
DO $$
DECLARE m date;
BEGIN
    FOR m IN SELECT generate_series(date_trunc('month', now() - interval '367 days'), now(), interval '1 month')::date LOOP
        IF to_regclass('stats_1h_p' || to_char(m, 'YYYYMM')) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF stats_1h FOR VALUES FROM (%L) TO (%L)',
                           'stats_1h_p' || to_char(m, 'YYYYMM'), m::timestamp AT TIME ZONE 'UTC',
                           (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        END IF;
    END LOOP;
END
$$;
-- one row per series and slot, slot after slot (as the polls write them)
INSERT INTO stats_5m
SELECT s.id, t.slot, 300, r * 300, r * 150, r / 4, r / 8, r % 7, 0, r % 3, 0
  FROM generate_series(date_trunc('day', now()) - interval '35 days', date_trunc('hour', now()), interval '5 minutes') t(slot),
       stats_series s,
       LATERAL (SELECT 1000 + abs(hashint8(s.id * 1000003 + extract(epoch FROM t.slot)::bigint)::bigint) % 1000000 AS r) v;
INSERT INTO stats_1h
SELECT s.id, t.slot, 3600, r * 3600, r * 1800, r * 3600 / 4, r * 3600 / 8, 0, 0, 0, 0, 12,
       r * 2, r, r / 2, r / 4, t.slot + interval '5 minutes', t.slot + interval '10 minutes'
  FROM generate_series(date_trunc('hour', now()) - interval '366 days', date_trunc('hour', now()) - interval '1 hour', interval '1 hour') t(slot),
       stats_series s,
       LATERAL (SELECT 1000 + abs(hashint8(s.id * 1000003 + extract(epoch FROM t.slot)::bigint)::bigint) % 1000000 AS r) v;
INSERT INTO stats_1d
SELECT s.id, t.slot, 86400, r * 86400, r * 43200, r * 86400 / 4, r * 86400 / 8, 0, 0, 0, 0, 288,
       r * 3, r, r / 2, r / 4, t.slot + interval '5 minutes', t.slot + interval '10 minutes'
  FROM generate_series(date_trunc('day', now()) - interval '366 days', date_trunc('day', now()) - interval '1 day', interval '1 day') t(slot),
       stats_series s,
       LATERAL (SELECT 1000 + abs(hashint8(s.id * 1000003 + extract(epoch FROM t.slot)::bigint)::bigint) % 1000000 AS r) v;
VACUUM ANALYZE stats_5m;
VACUUM ANALYZE stats_1h;
VACUUM ANALYZE stats_1d;
