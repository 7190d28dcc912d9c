/*
 * Statistics collection (issue 13) against a real ixapid, a real PostgreSQL
 * and the controllable test adapter answering GET /v1/counters with what the
 * test sets (IXAPI_STATS_INTERVAL_S=1: a poll every second). The adapter's
 * `at` is the clock: the test moves it in 5-minute steps. Polls become
 * samples spread over the 5-minute slots; a counter reset is no spike; a
 * 64-bit wrap counts what passed; a gap longer than IXAPI_STATS_MAX_GAP_S is
 * not spread; a repeated answer counts nothing; an adapter that is down makes
 * gaps, not dead jobs; rollups equal the sums of the 5-minute rows (a month
 * and a leap day); maintenance rewrites a completed partition in key order
 * (the same rows); a dropped partition takes its old rows with it.
 */
#include "harness.h"
#include "adapter_ctl.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/util.h"
#include "fixtures.h"

static struct itest_server server;
static struct test_adapter adapter;
static char *operator_token;
static long long t0; /* 6 hours before the current hour: recent, complete hours */

/* The port the tests count on: p1 (seeded, 10 Gbit/s). */
#define PORT_ID "1"
#define SERIES  "(SELECT id FROM stats_series WHERE kind = 'port' AND object = " PORT_ID ")"

/* GET /v1/counters answers p1 with these counters (rx_octets, tx_octets,
 * rx_packets, tx_packets, rx_errors, tx_errors, rx_discards, tx_discards) at
 * t0 + at_s; waits until ixapid stored the reading (or, when `stored` is
 * false, until a few polls passed). */
static void counters_at(long long at_s, const unsigned long long c[8], bool stored)
{
	char at[40], body[1200], q[300];
	util_rfc3339(t0 + at_s, at, sizeof(at));
	snprintf(
		body, sizeof(body),
		"{\"at\": \"%s\", \"ports\": [{\"port\": \"p" PORT_ID "\", \"rx_octets\": %llu, \"tx_octets\": %llu,"
		" \"rx_packets\": %llu, \"tx_packets\": %llu, \"rx_errors\": %llu, \"tx_errors\": %llu,"
		" \"rx_discards\": %llu, \"tx_discards\": %llu, \"mac_lock_drops\": 0},"
		" {\"port\": \"not-ours\", \"rx_octets\": 1, \"tx_octets\": 1, \"rx_packets\": 1, \"tx_packets\": 1,"
		" \"rx_errors\": 0, \"tx_errors\": 0, \"rx_discards\": 0, \"tx_discards\": 0, \"mac_lock_drops\": 0}]}",
		at, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
	assert_int_equal(test_adapter_control(&adapter, "counters", body), 0);
	if (stored) {
		snprintf(q, sizeof(q), "SELECT at = '%s'::timestamptz FROM stats_readings WHERE port = " PORT_ID, at);
		assert_true(itest_wait_for(q, "t", 20000));
	} else {
		long long polls = count("SELECT count(*) FROM jobs WHERE kind = 'stats.poll' AND state = 'done'");
		snprintf(q, sizeof(q), "SELECT count(*) >= %lld FROM jobs WHERE kind = 'stats.poll' AND state = 'done'",
			 polls + 2);
		assert_true(itest_wait_for(q, "t", 20000));
	}
}

/* One value of a 5-minute row of p1 (the slot t0 + slot_s), "" without one. */
static void slot_value(long long slot_s, const char *column, char *out, size_t len)
{
	char at[40], q[400];
	util_rfc3339(t0 + slot_s, at, sizeof(at));
	snprintf(q, sizeof(q), "SELECT %s FROM stats_5m WHERE series = " SERIES " AND slot = '%s'", column, at);
	sql(q, out, len);
}

static void slot_is(long long slot_s, const char *column, const char *want)
{
	char got[64];
	slot_value(slot_s, column, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fprintf(stderr, "slot t0+%llds %s: got '%s', wanted '%s'\n", slot_s, column, got, want);
	assert_string_equal(got, want);
}

static long long sum_from(long long from_s, const char *column)
{
	char at[40], q[400];
	util_rfc3339(t0 + from_s, at, sizeof(at));
	snprintf(q, sizeof(q), "SELECT coalesce(sum(%s), 0) FROM stats_5m WHERE series = " SERIES " AND slot >= '%s'",
		 column, at);
	return count(q);
}

/* A poll spread over the slots it overlaps; every counter lands in its
 * column (rx = in, tx = out); names not of the adapter's devices are
 * ignored; a repeated answer counts nothing. */
static void test_polls_become_samples(void **state)
{
	(void)state;
	const unsigned long long a[8] = {1000, 2000, 10, 20, 0, 0, 0, 0};
	counters_at(60, a, true); /* the first reading: the base only */
	assert_int_equal(count("SELECT count(*) FROM stats_5m WHERE series = " SERIES), 0);
	/* 300 s later: 240 s in slot t0, 60 s in slot t0+300 */
	const unsigned long long b[8] = {1000 + 300000, 2000 + 600000, 10 + 3000, 20 + 6000, 30, 60, 300, 600};
	counters_at(360, b, true);
	slot_is(0, "seconds", "240");
	slot_is(0, "in_octets", "240000");
	slot_is(0, "out_octets", "480000");
	slot_is(0, "in_packets", "2400");
	slot_is(0, "out_packets", "4800");
	slot_is(0, "in_errors", "24");
	slot_is(0, "out_errors", "48");
	slot_is(0, "in_discards", "240");
	slot_is(0, "out_discards", "480");
	slot_is(300, "seconds", "60");
	slot_is(300, "in_octets", "60000");
	slot_is(300, "out_discards", "120");
	/* the same answer again (polled every second since): nothing more */
	counters_at(360, b, false);
	assert_int_equal(sum_from(0, "in_octets"), 300000);
	/* the next poll fills slot t0+300 up (several polls in one slot add up) */
	const unsigned long long c[8] = {301000 + 240000, 602000, 3010, 6020, 30, 60, 300, 600};
	counters_at(600, c, true);
	slot_is(300, "seconds", "300");
	slot_is(300, "in_octets", "300000");
	slot_is(600, "in_octets", "");
}

/* A counter that goes down (the switch restarted) is a reset: no delta for
 * that interval, no spike; the next interval counts from the new base. */
static void test_reset_is_no_spike(void **state)
{
	(void)state;
	const unsigned long long before[8] = {5000000, 5000000, 5000, 5000, 0, 0, 0, 0};
	counters_at(3600, before, true);
	const unsigned long long reset[8] = {700, 900, 7, 9, 0, 0, 0, 0};
	counters_at(3900, reset, true);
	assert_int_equal(sum_from(3600, "in_octets"), 0);
	assert_int_equal(sum_from(3600, "out_octets"), 0);
	const unsigned long long after[8] = {700 + 3000, 900 + 6000, 7 + 30, 9 + 60, 0, 0, 0, 0};
	counters_at(4200, after, true);
	assert_int_equal(sum_from(3600, "in_octets"), 3000);
	assert_int_equal(sum_from(3600, "out_octets"), 6000);
	assert_int_equal(count("SELECT count(*) FROM stats_5m WHERE series = " SERIES " AND in_octets > 1000000000"),
			 0);
}

/* A 64-bit counter that wraps counts what passed: 2^64 - 100 -> 900 is
 * 1,000 octets. */
static void test_wrap_counts(void **state)
{
	(void)state;
	const unsigned long long near[8] = {18446744073709551516ULL, 0, 0, 0, 0, 0, 0, 0};
	counters_at(7200, near, true);
	const unsigned long long wrapped[8] = {900, 0, 0, 0, 0, 0, 0, 0};
	counters_at(7500, wrapped, true);
	assert_int_equal(sum_from(7200, "in_octets"), 1000);
}

/* Missed polls: a gap up to IXAPI_STATS_MAX_GAP_S (900 s) is spread over its
 * slots; a longer one is not (those slots stay missing). */
static void test_gaps(void **state)
{
	(void)state;
	const unsigned long long a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
	counters_at(10800, a, true);
	const unsigned long long b[8] = {90000, 0, 0, 0, 0, 0, 0, 0};
	counters_at(10800 + 900, b, true); /* 900 s: three slots of 30,000 */
	slot_is(10800, "in_octets", "30000");
	slot_is(11100, "in_octets", "30000");
	slot_is(11400, "in_octets", "30000");
	const unsigned long long c[8] = {190000, 0, 0, 0, 0, 0, 0, 0};
	counters_at(10800 + 900 + 1200, c, true); /* 1,200 s: not spread */
	assert_int_equal(sum_from(11700, "in_octets"), 0);
	const unsigned long long d[8] = {190300, 0, 0, 0, 0, 0, 0, 0};
	counters_at(10800 + 900 + 1200 + 300, d, true); /* counted again from the new base */
	assert_int_equal(sum_from(11700, "in_octets"), 300);
}

/* An adapter whose counters fail: each round's poll is retried briefly,
 * then finished as a gap (last_error says so); no poll dies, the next
 * rounds poll again and read once it answers. */
static void test_adapter_down_is_a_gap(void **state)
{
	(void)state;
	long long last = count("SELECT coalesce(max(id), 0) FROM jobs WHERE kind = 'stats.poll'");
	assert_int_equal(test_adapter_control(&adapter, "counters_fail", "{\"count\": 1000, \"status\": 503}"), 0);
	char q[300];
	snprintf(q, sizeof(q),
		 "SELECT count(*) >= 2 FROM jobs WHERE kind = 'stats.poll' AND id > %lld AND state = 'done'"
		 " AND last_error LIKE 'gap: adapter test: GET /v1/counters: HTTP 503%%'",
		 last);
	assert_true(itest_wait_for(q, "t", 15000));
	assert_int_equal(count("SELECT count(*) FROM jobs WHERE kind LIKE 'stats.%' AND state = 'dead'"), 0);
	assert_int_equal(test_adapter_control(&adapter, "reset", "{}"), 0);
	const unsigned long long back[8] = {190300 + 600, 0, 0, 0, 0, 0, 0, 0};
	counters_at(10800 + 900 + 1200 + 600, back, true);
	assert_int_equal(sum_from(11700, "in_octets"), 900);
	/* one poll per adapter and round */
	assert_int_equal(count("SELECT count(*) FROM (SELECT payload->>'round' FROM jobs WHERE kind = 'stats.poll'"
			       " GROUP BY 1 HAVING count(*) > 1) x"),
			 0);
}

/* Rollups equal the sums of the 5-minute rows: hours from stats_5m, days
 * from the hours, over a month end in a leap year (2024-02-28 .. 03-01);
 * running the rollup again changes nothing. */
static void test_rollups_equal_sums(void **state)
{
	(void)state;
	/* the workers wrote the hour's rollup and the day's upkeep by themselves, and ran them */
	assert_true(
		itest_wait_for("SELECT count(DISTINCT kind) FROM jobs WHERE kind IN ('stats.rollup', 'stats.maintain')"
			       " AND payload->>'round' ~ '^[0-9]+$' AND state = 'done'",
			       "2", 20000));
	/* two days and a bit of generated 5-minute rows for two series, some slots missing, some partial */
	sql("SELECT stats_partitions_ensure('2024-02-28T00:00:00Z', '2024-03-01T23:59:59Z')", NULL, 0);
	sql("INSERT INTO stats_5m (series, slot, seconds, in_octets, out_octets, in_packets, out_packets, in_errors,"
	    " out_errors, in_discards, out_discards)"
	    " SELECT s, t, CASE WHEN n % 7 = 0 THEN 100 ELSE 300 END, n * 1000 + s, n * 2000 + s, n, n * 2, n % 3,"
	    "        n % 5, n % 2, n % 4"
	    "   FROM generate_series(1000001, 1000002) s,"
	    "        generate_series('2024-02-28T00:00:00Z'::timestamptz, '2024-03-01T02:55:00Z', '5 minutes')"
	    "          WITH ORDINALITY AS g (t, n)"
	    "  WHERE n % 11 <> 0",
	    NULL, 0);
	for (int round = 0; round < 2; round++) {
		char body[200], q[200];
		long long before = count("SELECT coalesce(max(id), 0) FROM jobs");
		snprintf(body, sizeof(body),
			 "INSERT INTO jobs (kind, payload) VALUES ('stats.rollup', '{\"round\": \"test-%d\","
			 " \"from\": \"2024-02-28T00:00:00Z\", \"to\": \"2024-03-01T03:00:00Z\"}')",
			 round);
		sql(body, NULL, 0);
		snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE kind = 'stats.rollup' AND id > %lld", before);
		assert_true(itest_wait_for(q, "done", 10000));
		/* every (series, hour) of the 5-minute rows, and no other, with equal sums */
		assert_int_equal(count("SELECT count(*) FROM stats_1h WHERE series > 1000000"), 2 * 51);
		assert_int_equal(
			count("SELECT count(*) FROM ("
			      " SELECT series, date_trunc('hour', slot AT TIME ZONE 'UTC') AS h, sum(seconds)::numeric(10, 1),"
			      "        sum(in_octets), sum(out_octets), sum(in_packets), sum(out_packets), sum(in_errors),"
			      "        sum(out_errors), sum(in_discards), sum(out_discards),"
			      "        count(*) FILTER (WHERE seconds >= 150), max(round(in_octets / seconds)),"
			      "        max(round(out_octets / seconds))"
			      "   FROM stats_5m WHERE series > 1000000 GROUP BY 1, 2"
			      " EXCEPT"
			      " SELECT series, slot AT TIME ZONE 'UTC', seconds::numeric(10, 1), in_octets, out_octets,"
			      "        in_packets, out_packets, in_errors, out_errors, in_discards, out_discards, samples,"
			      "        max_ops_in, max_ops_out FROM stats_1h WHERE series > 1000000) x"),
			0);
		/* the complete days (02-28, 02-29), not 03-01 (rows until 03:00 only) */
		assert_int_equal(count("SELECT count(*) FROM stats_1d WHERE series > 1000000"), 4);
		assert_int_equal(
			count("SELECT count(*) FROM stats_1d WHERE series > 1000000 AND slot = '2024-02-29T00:00Z'"),
			2);
		assert_int_equal(
			count("SELECT count(*) FROM ("
			      " SELECT series, date_trunc('day', slot AT TIME ZONE 'UTC') AS d, sum(in_octets),"
			      "        sum(out_octets), sum(in_packets), sum(out_errors),"
			      "        count(*) FILTER (WHERE seconds >= 150)"
			      "   FROM stats_5m WHERE series > 1000000 AND slot < '2024-03-01T00:00Z' GROUP BY 1, 2"
			      " EXCEPT"
			      " SELECT series, slot AT TIME ZONE 'UTC', in_octets, out_octets, in_packets, out_errors,"
			      "        samples FROM stats_1d WHERE series > 1000000) x"),
			0);
	}
}

/* Rows as the collector writes them (all series of a slot together) in a
 * completed day of stats_5m (10 days back) and a completed month of
 * stats_1h (3 months back); the partitions exist but were never
 * maintained. */
#define ORDER_DAY   "(date_trunc('day', now() AT TIME ZONE 'UTC') - interval '10 days')"
#define ORDER_MONTH "(date_trunc('month', now() AT TIME ZONE 'UTC') - interval '3 months')"
#define ORDER_ROWS_5M                                                                                                  \
	"(SELECT md5(string_agg(x::text, ';' ORDER BY series, slot)) || '/' || count(*) FROM stats_5m x"               \
	"  WHERE series > 7000000)"
#define ORDER_ROWS_1H                                                                                                  \
	"(SELECT md5(string_agg(x::text, ';' ORDER BY series, slot)) || '/' || count(*) FROM stats_1h x"               \
	"  WHERE series > 7000000)"
/* rows of partition `name` whose place in the heap (ctid) is not their
 * place in key order */
static long long out_of_order(const char *name)
{
	char q[400];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM (SELECT row_number() OVER (ORDER BY ctid) AS a,"
		 " row_number() OVER (ORDER BY series, slot) AS b FROM %s) x WHERE a <> b",
		 name);
	return count(q);
}

/* stats.maintain rewrites a completed partition in key order (series,
 * slot): the same rows, in key order on disk, still a partition with its
 * primary key (a reader sees it, a conflicting insert conflicts), marked so
 * that the next run leaves it alone. */
static void test_maintain_orders_partitions(void **state)
{
	(void)state;
	char day[40], month[40], before_5m[80], before_1h[80], after[80], q[600];
	sql("SELECT 'stats_5m_p' || to_char(" ORDER_DAY ", 'YYYYMMDD')", day, sizeof(day));
	sql("SELECT 'stats_1h_p' || to_char(" ORDER_MONTH ", 'YYYYMM')", month, sizeof(month));
	sql("SELECT stats_partitions_ensure(" ORDER_DAY " AT TIME ZONE 'UTC', " ORDER_DAY " AT TIME ZONE 'UTC')"
	    " + stats_partitions_ensure(" ORDER_MONTH " AT TIME ZONE 'UTC', " ORDER_MONTH " AT TIME ZONE 'UTC')",
	    NULL, 0);
	sql("INSERT INTO stats_5m SELECT s, t, 300 - s % 2, h, h / 2, h / 100, h / 200, h % 5, 0, h % 3, s % 2"
	    "  FROM generate_series(" ORDER_DAY " AT TIME ZONE 'UTC', " ORDER_DAY " AT TIME ZONE 'UTC'"
	    "       + interval '23 hours 55 minutes', interval '5 minutes') t,"
	    "       generate_series(7000001::bigint, 7000007) s,"
	    "       LATERAL (SELECT abs(hashint8(s * 1000003 + extract(epoch FROM t)::bigint)::bigint) % 100000000 AS h) v"
	    " ORDER BY t, s",
	    NULL, 0);
	sql("INSERT INTO stats_1h SELECT s, t, 3600, h, h / 2, h / 100, h / 200, 0, 0, 0, 0, 12, h / 300, h / 600,"
	    "       h / 30000, h / 60000, t + interval '5 minutes', t + interval '10 minutes'"
	    "  FROM generate_series(" ORDER_MONTH " AT TIME ZONE 'UTC', (" ORDER_MONTH " + interval '1 month'"
	    "       - interval '1 hour') AT TIME ZONE 'UTC', interval '1 hour') t, generate_series(7000001::bigint, 7000007) s,"
	    "       LATERAL (SELECT abs(hashint8(s * 1000003 + extract(epoch FROM t)::bigint)::bigint) % 100000000 AS h) v"
	    " ORDER BY t, s",
	    NULL, 0);
	sql("SELECT " ORDER_ROWS_5M, before_5m, sizeof(before_5m));
	sql("SELECT " ORDER_ROWS_1H, before_1h, sizeof(before_1h));
	assert_non_null(strstr(before_5m, "/2016"));
	/* as written, the rows are out of key order (else this proves nothing) */
	assert_true(out_of_order(day) > 1000);
	assert_true(out_of_order(month) > 1000);
	snprintf(q, sizeof(q), "SELECT obj_description('%s'::regclass, 'pg_class') IS NULL", day);
	sql(q, after, sizeof(after));
	assert_string_equal(after, "t");

	long long before = count("SELECT coalesce(max(id), 0) FROM jobs");
	sql("INSERT INTO jobs (kind, payload) VALUES ('stats.maintain', '{\"round\": \"order-test\"}')", NULL, 0);
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE kind = 'stats.maintain' AND id > %lld", before);
	assert_true(itest_wait_for(q, "done", 30000));

	/* the same rows, now in key order on disk */
	sql("SELECT " ORDER_ROWS_5M, after, sizeof(after));
	assert_string_equal(after, before_5m);
	sql("SELECT " ORDER_ROWS_1H, after, sizeof(after));
	assert_string_equal(after, before_1h);
	assert_int_equal(out_of_order(day), 0);
	assert_int_equal(out_of_order(month), 0);
	/* still the parents' partitions, with their keys attached to the parents' */
	snprintf(
		q, sizeof(q),
		"SELECT count(*) FROM pg_inherits WHERE (inhrelid, inhparent) IN (('%s'::regclass, 'stats_5m'::regclass),"
		" ('%s_pkey'::regclass, 'stats_5m_pkey'::regclass), ('%s'::regclass, 'stats_1h'::regclass),"
		" ('%s_pkey'::regclass, 'stats_1h_pkey'::regclass))",
		day, day, month, month);
	assert_int_equal(count(q), 4);
	assert_int_equal(count("SELECT count(*) FROM pg_class WHERE relname LIKE 'stats\\_%\\_ordered%'"), 0);
	snprintf(q, sizeof(q),
		 "WITH i AS (INSERT INTO stats_5m SELECT series, slot, 1, 1, 1, 1, 1, 1, 1, 1, 1 FROM %s"
		 " WHERE series = 7000003 ON CONFLICT (series, slot) DO NOTHING RETURNING 1) SELECT count(*) FROM i",
		 day);
	assert_int_equal(count(q), 0);
	snprintf(q, sizeof(q), "SELECT obj_description('%s'::regclass, 'pg_class')", day);
	sql(q, after, sizeof(after));
	assert_string_equal(after, "ordered by (series, slot)");

	/* the next run leaves the ordered partitions as they are */
	char oids[80];
	snprintf(q, sizeof(q), "SELECT '%s'::regclass::oid || '/' || '%s'::regclass::oid", day, month);
	sql(q, oids, sizeof(oids));
	sql("SELECT stats_maintain(now(), 35, 400, 3)->'ordered'", after, sizeof(after));
	assert_null(strstr(after, day));
	assert_null(strstr(after, month));
	sql(q, after, sizeof(after));
	assert_string_equal(after, oids);
}

/* stats.maintain drops the partitions beyond retention whole (the rows in
 * them go), makes the days ahead, keeps recent data and the daily rollups. */
static void test_maintain_drops_old_partitions(void **state)
{
	(void)state;
	assert_true(count("SELECT count(*) FROM stats_5m WHERE slot < '2024-03-02'") > 0);
	long long recent = count("SELECT count(*) FROM stats_5m WHERE slot >= now() - interval '2 days'");
	assert_true(recent > 0);
	long long days = count("SELECT count(*) FROM stats_1d");
	long long before = count("SELECT coalesce(max(id), 0) FROM jobs");
	sql("INSERT INTO jobs (kind, payload) VALUES ('stats.maintain', '{\"round\": \"test\"}')", NULL, 0);
	char q[200];
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE kind = 'stats.maintain' AND id > %lld", before);
	assert_true(itest_wait_for(q, "done", 10000));
	assert_int_equal(count("SELECT count(*) FROM stats_5m WHERE slot < '2024-03-02'"), 0);
	assert_int_equal(count("SELECT count(*) FROM stats_1h WHERE slot < '2024-04-01'"), 0);
	assert_int_equal(
		count("SELECT count(*) FROM pg_class WHERE relname IN ('stats_5m_p20240229', 'stats_1h_p202402')"), 0);
	assert_int_equal(count("SELECT count(*) FROM stats_5m WHERE slot >= now() - interval '2 days'"), recent);
	assert_int_equal(count("SELECT count(*) FROM stats_1d"), days);
	assert_int_equal(count("SELECT count(*) FROM pg_class WHERE relname = 'stats_5m_p'"
			       " || to_char(now() AT TIME ZONE 'UTC' + interval '3 days', 'YYYYMMDD')"),
			 1);
}

/* A network service's series is the sum of its ports' deltas, in the same
 * poll; a port in the quarantine LAN counts for none. */
static void test_network_service_sums(void **state)
{
	(void)state;
	struct itest_lan_member m;
	itest_new_lan_member(operator_token, &m, "Stats Member", "02:5A:00:00:00:01", 3320);
	char q[600], body[1500], at[3][40];
	snprintf(q, sizeof(q), "SELECT state FROM network_service_configs WHERE id = %s", m.nsc);
	assert_true(itest_wait_for(q, "testing", 10000)); /* the quarantine LAN */
	for (int k = 0; k < 3; k++) {
		util_rfc3339(t0 + 18000 + 300 * k, at[k], sizeof(at[k]));
		snprintf(
			body, sizeof(body),
			"{\"at\": \"%s\", \"ports\": ["
			"{\"port\": \"%s\", \"rx_octets\": %d, \"tx_octets\": %d, \"rx_packets\": 0, \"tx_packets\": 0,"
			" \"rx_errors\": 0, \"tx_errors\": 0, \"rx_discards\": 0, \"tx_discards\": 0},"
			"{\"port\": \"%s\", \"rx_octets\": %d, \"tx_octets\": %d, \"rx_packets\": 0, \"tx_packets\": 0,"
			" \"rx_errors\": 0, \"tx_errors\": 0, \"rx_discards\": 0, \"tx_discards\": 0}]}",
			at[k], m.port[0], 1000 * k, 3000 * k, m.port[1], 2000 * k, 5000 * k);
		if (k == 2) /* on the peering LAN from now on: only this interval counts for the LAN */
			sql("UPDATE network_service_configs SET state = 'production' WHERE id = (SELECT max(id) FROM"
			    " network_service_configs)",
			    NULL, 0);
		assert_int_equal(test_adapter_control(&adapter, "counters", body), 0);
		snprintf(q, sizeof(q),
			 "SELECT count(*) FROM stats_readings r JOIN ports p ON p.id = r.port"
			 " WHERE p.name IN ('%s', '%s') AND r.at = '%s'",
			 m.port[0], m.port[1], at[k]);
		assert_true(itest_wait_for(q, "2", 20000));
	}
	snprintf(q, sizeof(q),
		 "SELECT sum(x.in_octets) || '/' || sum(x.out_octets) || '/' || max(x.seconds) FROM stats_5m x"
		 "  JOIN stats_series s ON s.id = x.series"
		 " WHERE s.kind = 'network_service' AND s.object = (SELECT network_service FROM network_service_configs"
		 "                                                   WHERE id = %s) AND x.slot >= '%s'",
		 m.nsc, at[0]);
	char got[64];
	sql(q, got, sizeof(got));
	assert_string_equal(got, "3000/8000/300");
	free(m.token);
}

static int setup(void **state)
{
	(void)state;
	t0 = (util_now_s() / 3600) * 3600 - 6 * 3600;
	if (itest_start_with_tokens(&server, &operator_token, NULL) != 0)
		return -1;
	if (itest_adapter_for_devices(&server, &adapter, NULL) != 0)
		return -1;
	setenv("IXAPI_WORKERS", "2", 1);
	setenv("IXAPI_JOB_POLL_MS", "100", 1);
	setenv("IXAPI_JOB_MAX_ATTEMPTS", "8", 1);
	setenv("IXAPI_JOB_BACKOFF_BASE_MS", "100", 1);
	setenv("IXAPI_JOB_BACKOFF_CAP_MS", "200", 1);
	setenv("IXAPI_ADAPTER_TIMEOUT_MS", "2000", 1);
	setenv("IXAPI_STATS_INTERVAL_S", "1", 1);
	setenv("IXAPI_QUARANTINE_SECONDS", "1", 1);
	itest_stop_server(&server);
	return itest_start_server(&server);
}

static int teardown(void **state)
{
	(void)state;
	test_adapter_stop(&adapter);
	return itest_finish_tokens(&server, operator_token, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_polls_become_samples),
		cmocka_unit_test(test_reset_is_no_spike),
		cmocka_unit_test(test_wrap_counts),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_adapter_down_is_a_gap),
		cmocka_unit_test(test_rollups_equal_sums),
		cmocka_unit_test(test_maintain_drops_old_partitions),
		cmocka_unit_test(test_maintain_orders_partitions), /* after it: a run drops the old days */
		cmocka_unit_test(test_network_service_sums),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
