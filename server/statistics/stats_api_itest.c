/*
 * Integration tests of the statistics resources (issue 13) on a real
 * server and PostgreSQL, with samples written straight into migration
 * 033's tables as the collector and its rollups would: every resource
 * (ports, connections, configs, network services; aggregates and
 * timeseries), the sums (a connection = its ports, a config = its
 * connection's ports), the 95th percentile, maxima and accuracy, the
 * hourly rollups (P1Y, a custom window older than the 5-minute samples),
 * who may read what (shared_statistics included), and bad input.
 */
#include "harness.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixtures.h"
#include "core/util.h"
#include "statistics/stats_window.h"

static struct itest_server srv;
static char *operator_token, *member_token;
static struct itest_lan_member alice, bob;
static char lan[16], port_a[24], port_b[24];
static long long slot_end; /* the end of PT5M when the samples were written */

static const struct stats_retention keep = {.raw_days = 35, .hourly_days = 400};

static long long series_of(const char *kind, const char *object)
{
	char q[256], id[24];
	snprintf(q, sizeof(q), "INSERT INTO stats_series (kind, object) VALUES ('%s', %s) RETURNING id", kind, object);
	sql(q, id, sizeof(id));
	return atoll(id);
}

static void sql_do(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql_do(const char *fmt, ...)
{
	char q[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	sql(q, NULL, 0);
}

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &operator_token, &member_token) != 0)
		return -1;
	itest_new_lan_member(operator_token, &alice, "Alice Networks", "02:AA:00:00:00:01", 3320);
	itest_new_lan_member(operator_token, &bob, "Bob Transit", "02:BB:00:00:00:01", 6939);
	snprintf(port_a, sizeof(port_a), "%.20s", alice.port[0] + 1);
	snprintf(port_b, sizeof(port_b), "%.20s", alice.port[1] + 1);
	sql("SELECT id FROM network_services WHERE type = 'exchange_lan'", lan, sizeof(lan));

	/* Away from a 5-minute boundary, so that the windows the server
	 * computes end where the samples were written during the test. */
	long long now = util_now_s();
	if (300 - now % 300 < 60)
		sleep((unsigned)(300 - now % 300 + 1));
	slot_end = util_now_s() / 300 * 300;
	sql_do("SELECT stats_partitions_ensure(to_timestamp(%lld) - interval '2 days', to_timestamp(%lld))", slot_end,
	       slot_end);
	long long a = series_of("port", port_a), b = series_of("port", port_b), n = series_of("network_service", lan);
	/* port A: the k-th slot before the end at k kB/s in (2k out), k
	 * packets/s in, one error/s in; k = 1 … 24 */
	sql_do("INSERT INTO stats_5m SELECT %lld, to_timestamp(%lld) - k * interval '5 minutes', 300, k * 300000,"
	       " k * 600000, k * 300, k * 600, 300, 0, 0, 30 FROM generate_series(1, 24) k",
	       a, slot_end);
	/* port B: 500 B/s in each slot; the newest counted for 100 s only */
	sql_do("INSERT INTO stats_5m SELECT %lld, to_timestamp(%lld) - k * interval '5 minutes',"
	       " CASE WHEN k = 1 THEN 100 ELSE 300 END, CASE WHEN k = 1 THEN 50000 ELSE 150000 END, 0, 0, 0, 0, 0, 0, 0"
	       "  FROM generate_series(1, 24) k",
	       b, slot_end);
	/* the LAN: 1 MB/s in and out over the last day */
	sql_do("INSERT INTO stats_5m SELECT %lld, to_timestamp(%lld) - k * interval '5 minutes', 300, 300000000,"
	       " 300000000, 0, 0, 0, 0, 0, 0 FROM generate_series(1, 288) k",
	       n, slot_end);
	/* hourly rollups of port A, 10 days back: 100, 200, 300 B/s, peaks
	 * of 400, 500, 600 B/s ten minutes into the hour; and one 100 days
	 * back (older than the 5-minute samples are kept) */
	long long hour = slot_end / 3600 * 3600;
	sql_do("SELECT stats_partitions_ensure(to_timestamp(%lld) - interval '101 days',"
	       " to_timestamp(%lld) - interval '99 days')",
	       hour, hour);
	sql_do("SELECT stats_partitions_ensure(to_timestamp(%lld) - interval '11 days', to_timestamp(%lld))", hour,
	       hour);
	sql_do("INSERT INTO stats_1h SELECT %lld, to_timestamp(%lld) - interval '10 days' + h * interval '1 hour',"
	       " 3600, (h + 1) * 360000, 0, 0, 0, 0, 0, 0, 0, 12, (h + 4) * 100, 0, 0, 0,"
	       " to_timestamp(%lld) - interval '10 days' + h * interval '1 hour' + interval '10 minutes', NULL"
	       "  FROM generate_series(0, 2) h",
	       a, hour, hour);
	sql_do("INSERT INTO stats_1h VALUES (%lld, to_timestamp(%lld) - interval '100 days', 3600, 7200000, 0, 0, 0, 0,"
	       " 0, 0, 0, 6, 4000, 0, 0, 0, to_timestamp(%lld) - interval '100 days' + interval '20 minutes', NULL)",
	       a, hour, hour);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(alice.token);
	free(bob.token);
	return itest_finish_tokens(&srv, operator_token, member_token);
}

static json_t *aggregates(const char *what, const char *id, const char *query, const char *token)
{
	char path[256];
	snprintf(path, sizeof(path), "/%s/%s/statistics%s", what, id, query);
	json_t *j = call("GET", path, token, NULL, 200);
	json_t *a = json_incref(json_object_get(j, "aggregates"));
	assert_non_null(a);
	json_decref(j);
	return a;
}

static long long int_of(json_t *agg, const char *name, const char *field)
{
	json_t *v = json_object_get(json_object_get(agg, name), field);
	if (!json_is_integer(v))
		fail_msg("%s.%s is not an integer", name, field);
	return json_integer_value(v);
}

static double real_of(json_t *agg, const char *name, const char *field)
{
	json_t *v = json_object_get(json_object_get(agg, name), field);
	if (!json_is_number(v))
		fail_msg("%s.%s is not a number", name, field);
	return json_number_value(v);
}

static const char *text_of(json_t *agg, const char *name, const char *field)
{
	return json_string_value(json_object_get(json_object_get(agg, name), field));
}

static void rfc3339_of(long long t, char *out)
{
	util_rfc3339(t, out, 32);
}

static void test_port_aggregates(void **state)
{
	(void)state;
	char path[128], at[32];
	snprintf(path, sizeof(path), "/ports/%s/statistics", port_a);
	json_t *j = call("GET", path, alice.token, NULL, 200);
	assert_int_equal(json_array_size(json_object_get(j, "light_levels_tx")), 0);
	assert_true(json_is_array(json_object_get(j, "light_levels_rx")));
	json_t *a = json_object_get(j, "aggregates");
	assert_int_equal(json_object_size(a), 5);
	/* PT5M: the newest slot, k = 1 */
	assert_string_equal(text_of(a, "PT5M", "title"), "PT5M");
	rfc3339_of(slot_end, at);
	assert_string_equal(text_of(a, "PT5M", "end"), at);
	rfc3339_of(slot_end - 300, at);
	assert_string_equal(text_of(a, "PT5M", "start"), at);
	assert_int_equal(int_of(a, "PT5M", "average_ops_in"), 1000);
	assert_int_equal(int_of(a, "PT5M", "average_ops_out"), 2000);
	assert_int_equal(int_of(a, "PT5M", "average_pps_in"), 1);
	assert_float_equal(real_of(a, "PT5M", "accuracy"), 1.0, 1e-9);
	/* PT1H: k = 1 … 12 */
	assert_int_equal(int_of(a, "PT1H", "average_ops_in"), 6500);
	assert_int_equal(int_of(a, "PT1H", "percentile95_ops_in"), 12000);
	assert_int_equal(int_of(a, "PT1H", "maximum_ops_in"), 12000);
	assert_int_equal(int_of(a, "PT1H", "maximum_pps_out"), 24);
	rfc3339_of(slot_end - 12 * 300, at);
	assert_string_equal(text_of(a, "PT1H", "maximum_in_at"), at);
	assert_float_equal(real_of(a, "PT1H", "average_eps_in"), 1.0, 1e-9);
	assert_float_equal(real_of(a, "PT1H", "average_dps_out"), 0.1, 1e-9);
	assert_float_equal(real_of(a, "PT1H", "accuracy"), 1.0, 1e-9);
	/* P1D: k = 1 … 24 of 288; percentile_disc(0.95) of 24 values is the 23rd */
	assert_int_equal(int_of(a, "P1D", "average_ops_in"), 12500);
	assert_int_equal(int_of(a, "P1D", "percentile95_ops_in"), 23000);
	assert_int_equal(int_of(a, "P1D", "percentile95_ops_out"), 46000);
	assert_int_equal(int_of(a, "P1D", "percentile95_pps_in"), 23);
	assert_int_equal(int_of(a, "P1D", "maximum_ops_in"), 24000);
	assert_float_equal(real_of(a, "P1D", "accuracy"), 24.0 / 288, 1e-9);
	assert_float_equal(real_of(a, "P30D", "accuracy"), 24.0 / 8640, 1e-9);
	/* P1Y: the hourly rollups: averages 100, 200, 300 and 2000 (100 days
	 * back); percentile_disc(0.95) of 4 is the 4th; the peak from the
	 * rollup's own maximum and time */
	struct stats_window y;
	assert_null(stats_window_named("P1Y", util_now_s(), &keep, &y));
	assert_int_equal(int_of(a, "P1Y", "average_ops_in"), 650);
	assert_int_equal(int_of(a, "P1Y", "percentile95_ops_in"), 2000);
	assert_int_equal(int_of(a, "P1Y", "maximum_ops_in"), 4000);
	rfc3339_of(slot_end / 3600 * 3600 - 100 * 86400 + 1200, at);
	assert_string_equal(text_of(a, "P1Y", "maximum_in_at"), at);
	assert_float_equal(real_of(a, "P1Y", "accuracy"), 42.0 / (double)y.expected, 1e-9);
	rfc3339_of(y.start, at);
	assert_string_equal(text_of(a, "P1Y", "start"), at);
	json_decref(j);

	/* a window of one's own: only `custom` */
	char q[160], s[32], e[32];
	rfc3339_of(slot_end - 3 * 300, s);
	rfc3339_of(slot_end - 300, e);
	snprintf(q, sizeof(q), "?start=%s&end=%s", s, e);
	a = aggregates("ports", port_a, q, alice.token);
	assert_int_equal(json_object_size(a), 1);
	assert_int_equal(int_of(a, "custom", "average_ops_in"), 2500); /* k = 3, 2 */
	assert_string_equal(text_of(a, "custom", "title"), "custom");
	json_decref(a);
	/* older than the 5-minute samples: from the hourly rollups */
	rfc3339_of(slot_end / 3600 * 3600 - 101 * 86400, s);
	rfc3339_of(slot_end / 3600 * 3600 - 99 * 86400, e);
	snprintf(q, sizeof(q), "?start=%s&end=%s", s, e);
	a = aggregates("ports", port_a, q, alice.token);
	assert_int_equal(int_of(a, "custom", "average_ops_in"), 2000);
	assert_int_equal(int_of(a, "custom", "maximum_ops_in"), 4000);
	assert_float_equal(real_of(a, "custom", "accuracy"), 6.0 / (2 * 288), 1e-9);
	json_decref(a);
	/* nothing there: zeros and nulls, accuracy 0 */
	a = aggregates("ports", port_b, "?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z", alice.token);
	assert_int_equal(int_of(a, "custom", "average_ops_in"), 0);
	assert_true(json_is_null(json_object_get(json_object_get(a, "custom"), "percentile95_ops_in")));
	assert_true(json_is_null(json_object_get(json_object_get(a, "custom"), "maximum_in_at")));
	assert_float_equal(real_of(a, "custom", "accuracy"), 0.0, 0);
	json_decref(a);
}

static void test_sums(void **state)
{
	(void)state;
	/* port B alone: 500 B/s; its newest slot counted 100 s (not present) */
	json_t *a = aggregates("ports", port_b, "", alice.token);
	assert_int_equal(int_of(a, "PT1H", "average_ops_in"), 500);
	assert_float_equal(real_of(a, "PT1H", "accuracy"), 11.0 / 12, 1e-9);
	json_decref(a);
	/* the connection: the sum of its two ports, present where both are */
	a = aggregates("connections", alice.conn, "", alice.token);
	assert_int_equal(int_of(a, "PT5M", "average_ops_in"), 1500);
	assert_float_equal(real_of(a, "PT5M", "accuracy"), 0.0, 0);
	assert_int_equal(int_of(a, "PT1H", "average_ops_in"), 7000);
	assert_int_equal(int_of(a, "PT1H", "maximum_ops_in"), 12500);
	assert_float_equal(real_of(a, "PT1H", "accuracy"), 11.0 / 12, 1e-9);
	assert_int_equal(int_of(a, "P1D", "percentile95_ops_in"), 23500);
	assert_false(json_object_get(json_object_get(a, "P1D"), "nsc_available_capacity"));
	json_decref(a);
	/* the config: its connection's ports, and what is left of their speed */
	a = aggregates("network-service-configs", alice.nsc, "", alice.token);
	assert_int_equal(int_of(a, "PT1H", "average_ops_in"), 7000);
	assert_int_equal(int_of(a, "P1D", "average_ops_in"), 13000);
	char q[160];
	snprintf(q, sizeof(q), "SELECT sum(speed) FROM ports WHERE connection = %s", alice.conn);
	long long mbps = count(q);
	assert_true(mbps > 0);
	/* 23,500 B/s at the 95th percentile: 188 kbit/s, a whole Mbps taken */
	assert_int_equal(int_of(a, "P1D", "nsc_available_capacity"), mbps - 1);
	json_decref(a);
	/* the LAN: its own series */
	a = aggregates("network-services", lan, "", bob.token);
	assert_int_equal(int_of(a, "P1D", "average_ops_out"), 1000000);
	assert_float_equal(real_of(a, "P1D", "accuracy"), 1.0, 1e-9);
	json_decref(a);
}

static json_t *timeseries(const char *what, const char *id, const char *aggregate, const char *query, const char *token)
{
	char path[256];
	snprintf(path, sizeof(path), "/%s/%s/statistics/%s/timeseries%s", what, id, aggregate, query);
	return call("GET", path, token, NULL, 200);
}

static void test_timeseries(void **state)
{
	(void)state;
	json_t *j = timeseries("ports", port_a, "PT1H", "?fields=average_ops_in,maximum_ops_in,accuracy&precision=900",
			       alice.token);
	assert_string_equal(str(j, "origin_timezone"), "UTC");
	assert_int_equal(json_integer_value(json_object_get(j, "precision")), 900);
	assert_int_equal(json_array_size(json_object_get(j, "fields")), 3);
	json_t *samples = json_object_get(j, "samples");
	assert_int_equal(json_array_size(samples), 4);
	/* buckets of three slots from the window's start: k = 12,11,10 first */
	const long long avg[] = {11000, 8000, 5000, 2000}, max[] = {12000, 9000, 6000, 3000};
	for (size_t i = 0; i < 4; i++) {
		json_t *s = json_array_get(samples, i);
		char at[32];
		rfc3339_of(slot_end - 3600 + (long long)i * 900, at);
		assert_string_equal(json_string_value(json_array_get(s, 0)), at);
		assert_int_equal(json_integer_value(json_array_get(s, 1)), avg[i]);
		assert_int_equal(json_integer_value(json_array_get(s, 2)), max[i]);
		assert_float_equal(json_number_value(json_array_get(s, 3)), 1.0, 1e-9);
	}
	json_decref(j);
	/* the default fields; P1D in 5-minute samples: only those present */
	j = timeseries("connections", alice.conn, "P1D", "", alice.token);
	assert_int_equal(json_integer_value(json_object_get(j, "precision")), 300);
	json_t *f = json_object_get(j, "fields");
	assert_int_equal(json_array_size(f), 4);
	assert_string_equal(json_string_value(json_array_get(f, 0)), "average_pps_in");
	assert_string_equal(json_string_value(json_array_get(f, 3)), "average_ops_out");
	samples = json_object_get(j, "samples");
	assert_int_equal(json_array_size(samples), 24);
	json_t *last = json_array_get(samples, 23);
	/* [time, pps in, pps out, ops in, ops out]: the newest k = 1, the oldest k = 24 */
	assert_int_equal(json_integer_value(json_array_get(last, 3)), 1500);
	assert_int_equal(json_integer_value(json_array_get(last, 4)), 2000);
	assert_int_equal(json_integer_value(json_array_get(last, 1)), 1);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(samples, 0), 4)), 48000);
	json_decref(j);
	/* percentiles per bucket: P1D in hours; the newest hour k = 12 … 1 */
	j = timeseries("ports", port_a, "P1D", "?precision=3600&fields=percentile95_ops_in,average_eps_in",
		       alice.token);
	samples = json_object_get(j, "samples");
	assert_int_equal(json_array_size(samples), 2);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(samples, 1), 1)), 12000);
	assert_float_equal(json_number_value(json_array_get(json_array_get(samples, 1), 2)), 1.0, 1e-9);
	json_decref(j);
	/* P1Y: daily from the hourly rollups */
	j = timeseries("ports", port_a, "P1Y", "?fields=average_ops_in,maximum_ops_in", alice.token);
	assert_int_equal(json_integer_value(json_object_get(j, "precision")), 86400);
	samples = json_object_get(j, "samples");
	assert_int_equal(json_array_size(samples), 2);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(samples, 0), 1)), 2000);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(samples, 0), 2)), 4000);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(samples, 1), 1)), 200);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(samples, 1), 2)), 600);
	json_decref(j);
	/* a network service's, and a config's */
	j = timeseries("network-services", lan, "PT1H", "?fields=average_ops_in", member_token);
	assert_int_equal(json_array_size(json_object_get(j, "samples")), 12);
	json_decref(j);
	char q[160], s[32];
	rfc3339_of(slot_end - 2 * 300, s);
	snprintf(q, sizeof(q), "?start=%s&fields=average_ops_in", s);
	j = timeseries("network-service-configs", alice.nsc, "custom", q, alice.token);
	samples = json_object_get(j, "samples");
	assert_int_equal(json_array_size(samples), 2);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(samples, 0), 1)), 2500);
	json_decref(j);
}

static void expect_invisible(const char *what, const char *id, const char *token)
{
	char path[160];
	snprintf(path, sizeof(path), "/%s/%s/statistics", what, id);
	json_decref(call("GET", path, token, NULL, 404));
	snprintf(path, sizeof(path), "/%s/%s/statistics/P1D/timeseries", what, id);
	json_decref(call("GET", path, token, NULL, 404));
}

static void expect_visible(const char *what, const char *id, const char *token)
{
	json_decref(aggregates(what, id, "", token));
	json_decref(timeseries(what, id, "P1D", "", token));
}

static void test_access(void **state)
{
	(void)state;
	/* never another member's port or connection */
	expect_invisible("ports", port_a, bob.token);
	expect_invisible("connections", alice.conn, bob.token);
	expect_invisible("network-service-configs", alice.nsc, bob.token); /* policy deny, nobody allowed */
	/* bad input about what one may not see is a 404 too */
	char bad[160];
	snprintf(bad, sizeof(bad), "/ports/%s/statistics/P2D/timeseries?precision=1", port_a);
	json_decref(call("GET", bad, bob.token, NULL, 404));
	snprintf(bad, sizeof(bad), "/connections/%s/statistics?start=tomorrow", alice.conn);
	json_decref(call("GET", bad, bob.token, NULL, 404));
	expect_invisible("ports", "999999", alice.token);
	expect_invisible("ports", "p1", alice.token);
	expect_invisible("network-services", "999999", alice.token);
	expect_visible("ports", bob.port[0] + 1, bob.token);
	expect_visible("network-services", lan, bob.token);
	expect_visible("ports", port_a, operator_token);
	expect_visible("network-service-configs", alice.nsc, operator_token);

	/* shared_statistics: deny but Bob */
	char path[128], body[256];
	snprintf(path, sizeof(path), "/network-service-configs/%s", alice.nsc);
	snprintf(body, sizeof(body), "{\"shared_statistics\": {\"policy\": \"deny\", \"accounts_allowed\": [\"%s\"]}}",
		 bob.account);
	json_decref(call("PATCH", path, alice.token, body, 202));
	expect_visible("network-service-configs", alice.nsc, bob.token);
	expect_invisible("network-service-configs", alice.nsc, member_token);
	expect_invisible("ports", port_a, bob.token);
	expect_invisible("connections", alice.conn, bob.token);
	/* allow all but Bob */
	snprintf(body, sizeof(body), "{\"shared_statistics\": {\"policy\": \"allow\", \"accounts_denied\": [\"%s\"]}}",
		 bob.account);
	json_decref(call("PATCH", path, alice.token, body, 202));
	expect_invisible("network-service-configs", alice.nsc, bob.token);
	expect_visible("network-service-configs", alice.nsc, member_token);
	json_decref(call("PATCH", path, alice.token,
			 "{\"shared_statistics\": {\"policy\": \"deny\", \"accounts_allowed\": []}}", 202));
	expect_invisible("network-service-configs", alice.nsc, member_token);
}

static void test_bad_input(void **state)
{
	(void)state;
	char base[96], path[320], s[32], e[32];
	snprintf(base, sizeof(base), "/ports/%s/statistics", port_a);
	long long rows = count("SELECT count(*) FROM stats_5m");
	snprintf(path, sizeof(path), "%s/P2D/timeseries", base);
	expect_naming("GET", path, alice.token, NULL, 400, "aggregate");
	snprintf(path, sizeof(path), "%s/custom/timeseries", base);
	expect_naming("GET", path, alice.token, NULL, 400, "start");
	rfc3339_of(slot_end - 3600, s);
	snprintf(path, sizeof(path), "%s?start=%s&end=%s", base, s, s);
	expect_naming("GET", path, alice.token, NULL, 400, "start");
	rfc3339_of(slot_end - 7200, e);
	snprintf(path, sizeof(path), "%s?start=%s&end=%s", base, s, e);
	expect_naming("GET", path, alice.token, NULL, 400, "start");
	snprintf(path, sizeof(path), "%s?start=yesterday", base);
	expect_naming("GET", path, alice.token, NULL, 400, "start");
	snprintf(path, sizeof(path), "%s?start=%s&end=2026-02-30T00:00:00Z", base, s);
	expect_naming("GET", path, alice.token, NULL, 400, "end");
	snprintf(path, sizeof(path), "%s/P1D/timeseries?fields=average_ops_in,average_bps_in", base);
	expect_naming("GET", path, alice.token, NULL, 400, "fields");
	snprintf(path, sizeof(path), "%s/P1D/timeseries?precision=301", base);
	expect_naming("GET", path, alice.token, NULL, 400, "precision");
	snprintf(path, sizeof(path), "%s/P1D/timeseries?precision=five", base);
	expect_naming("GET", path, alice.token, NULL, 400, "precision");
	/* beyond the 5-minute samples' retention: no 5-minute precision */
	rfc3339_of(slot_end - 100 * 86400, s);
	snprintf(path, sizeof(path), "%s/custom/timeseries?start=%s&precision=300", base, s);
	expect_naming("GET", path, alice.token, NULL, 400, "precision");
	/* too many points */
	rfc3339_of(slot_end - 34 * 86400 - 23 * 3600, s);
	snprintf(path, sizeof(path), "%s/custom/timeseries?start=%s&precision=300", base, s);
	expect_naming("GET", path, alice.token, NULL, 400, "precision");
	snprintf(path, sizeof(path), "%s/custom/timeseries?start=%s&precision=600", base, s);
	json_decref(call("GET", path, alice.token, NULL, 200));
	assert_int_equal(count("SELECT count(*) FROM stats_5m"), rows);
}

static void test_implementation_lists_them(void **state)
{
	(void)state;
	const char *const want[] = {"ports_statistics_read",
				    "ports_statistics_timeseries_read",
				    "connections_statistics_read",
				    "connections_statistics_timeseries_read",
				    "network_service_configs_statistics_read",
				    "network_service_configs_statistics_timeseries_read",
				    "network_services_statistics_read",
				    "network_services_statistics_timeseries_read"};
	itest_expect_operations(alice.token, want, sizeof(want) / sizeof(want[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_aggregates), cmocka_unit_test(test_sums),
		cmocka_unit_test(test_timeseries),      cmocka_unit_test(test_access),
		cmocka_unit_test(test_bad_input),       cmocka_unit_test(test_implementation_lists_them),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
