/*
 * Unit tests of the statistics resources' pure side (stats_window.c):
 * RFC 3339 parsing (leap days), calendar years back, the aggregates'
 * windows at month ends and across 29 February 2028 (UTC: no DST),
 * the table a window is read from, custom windows and their refusals,
 * precision (defaults, multiples, the point ceiling) and bucketing,
 * accuracy, and the timeseries' field list.
 */
#include "statistics/stats_window.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const struct stats_retention keep = {.raw_days = 35, .hourly_days = 400};

static long long t_of(const char *s)
{
	long long t = -1;
	assert_true(stats_parse_time(s, &t));
	return t;
}

/* p is a 400 naming `property`; frees it. */
static void assert_names(struct problem *p, const char *property)
{
	assert_non_null(p);
	assert_int_equal(problem_status(p), 400);
	json_t *j = problem_to_json(p, "/x");
	json_t *props = json_object_get(j, "properties");
	assert_int_equal(json_array_size(props), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(props, 0), "name")), property);
	json_decref(j);
	problem_free(p);
}

static void test_parse_time(void **state)
{
	(void)state;
	assert_int_equal(t_of("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(t_of("2028-02-29T00:00:00Z"), 1835395200LL);
	assert_int_equal(t_of("2028-02-29T02:00:00+02:00"), 1835395200LL);
	assert_int_equal(t_of("2028-02-28T19:30:00.999-04:30"), 1835395200LL);
	long long t;
	assert_false(stats_parse_time("2027-02-29T00:00:00Z", &t)); /* not a leap year */
	assert_false(stats_parse_time("2026-04-31T00:00:00Z", &t));
	assert_false(stats_parse_time("2026-01-01T24:00:00Z", &t));
	assert_false(stats_parse_time("2026-01-01 00:00:00Z", &t));
	assert_false(stats_parse_time("yesterday", &t));
	assert_false(stats_parse_time("2026-01-01T00:00:00", &t)); /* an offset is needed */
	assert_false(stats_parse_time(NULL, &t));
}

static void test_year_before(void **state)
{
	(void)state;
	assert_int_equal(stats_year_before(t_of("2028-02-29T10:00:00Z")), t_of("2027-02-28T10:00:00Z"));
	assert_int_equal(stats_year_before(t_of("2028-03-01T00:00:00Z")), t_of("2027-03-01T00:00:00Z"));
	assert_int_equal(stats_year_before(t_of("2029-02-28T00:00:00Z")), t_of("2028-02-28T00:00:00Z"));
	assert_int_equal(stats_year_before(t_of("2027-01-01T00:00:00Z")), t_of("2026-01-01T00:00:00Z"));
}

static void test_named_windows_at_a_month_end(void **state)
{
	(void)state;
	long long now = t_of("2026-03-31T23:59:59Z");
	struct stats_window w;
	assert_null(stats_window_named("PT5M", now, &keep, &w));
	assert_string_equal(w.title, "PT5M");
	assert_int_equal(w.start, t_of("2026-03-31T23:50:00Z"));
	assert_int_equal(w.end, t_of("2026-03-31T23:55:00Z"));
	assert_int_equal(w.expected, 1);
	assert_int_equal(w.table, STATS_5M);
	assert_int_equal(w.next_update, t_of("2026-04-01T00:00:00Z"));
	assert_null(stats_window_named("PT1H", now, &keep, &w));
	assert_int_equal(w.start, t_of("2026-03-31T22:55:00Z"));
	assert_int_equal(w.expected, 12);
	assert_null(stats_window_named("P1D", now, &keep, &w));
	assert_int_equal(w.start, t_of("2026-03-30T23:55:00Z"));
	assert_int_equal(w.expected, 288);
	assert_null(stats_window_named("P30D", now, &keep, &w));
	assert_int_equal(w.start, t_of("2026-03-01T23:55:00Z"));
	assert_int_equal(w.expected, 30 * 288);
	assert_int_equal(w.table, STATS_5M);
	/* at the turn of the month the last complete slot is the old month's */
	assert_null(stats_window_named("PT5M", t_of("2026-05-01T00:00:00Z"), &keep, &w));
	assert_int_equal(w.start, t_of("2026-04-30T23:55:00Z"));
	assert_int_equal(w.end, t_of("2026-05-01T00:00:00Z"));
	assert_null(stats_window_named("P30D", t_of("2026-03-01T00:04:59Z"), &keep, &w));
	assert_int_equal(w.start, t_of("2026-01-30T00:00:00Z"));
}

static void test_year_window_over_a_leap_day(void **state)
{
	(void)state;
	struct stats_window w;
	/* from the hourly rollups: ends with the last complete hour */
	assert_null(stats_window_named("P1Y", t_of("2028-02-29T10:17:00Z"), &keep, &w));
	assert_int_equal(w.table, STATS_1H);
	assert_int_equal(w.resolution, 3600);
	assert_int_equal(w.end, t_of("2028-02-29T10:00:00Z"));
	assert_int_equal(w.start, t_of("2027-02-28T10:00:00Z"));
	assert_int_equal(w.expected, 366 * 288); /* 2027-02-28 to 2028-02-29: 366 days */
	assert_int_equal(w.next_update, t_of("2028-02-29T11:00:00Z"));
	assert_null(stats_window_named("P1Y", t_of("2029-03-01T00:30:00Z"), &keep, &w));
	assert_int_equal(w.start, t_of("2028-03-01T00:00:00Z"));
	assert_int_equal(w.expected, 365 * 288);
	/* P1D across the leap day: 24 hours */
	assert_null(stats_window_named("P1D", t_of("2028-03-01T12:00:00Z"), &keep, &w));
	assert_int_equal(w.start, t_of("2028-02-29T12:00:00Z"));
	assert_int_equal(w.expected, 288);
	assert_names(stats_window_named("P2D", 0, &keep, &w), "aggregate");
	assert_names(stats_window_named("pt5m", 0, &keep, &w), "aggregate");
}

static void test_table_for(void **state)
{
	(void)state;
	long long now = t_of("2026-12-01T00:00:00Z");
	assert_int_equal(stats_table_for(now - 35LL * 86400, now, &keep), STATS_5M);
	assert_int_equal(stats_table_for(now - 35LL * 86400 - 1, now, &keep), STATS_1H);
	assert_int_equal(stats_table_for(now - 400LL * 86400, now, &keep), STATS_1H);
	assert_int_equal(stats_table_for(now - 400LL * 86400 - 1, now, &keep), STATS_1D);
	const struct stats_retention short_raw = {.raw_days = 7, .hourly_days = 30};
	struct stats_window w;
	assert_null(stats_window_named("P30D", now, &short_raw, &w));
	assert_int_equal(w.table, STATS_1H);
	assert_null(stats_window_named("P1Y", now, &short_raw, &w));
	assert_int_equal(w.table, STATS_1D);
	assert_int_equal(w.start % 86400, 0);
}

static void test_custom_windows(void **state)
{
	(void)state;
	long long now = t_of("2026-12-01T12:03:10Z");
	struct stats_window w;
	assert_null(stats_window_custom("custom", "2026-11-30T10:07:00Z", "2026-11-30T11:00:00+00:00", now, &keep, &w));
	assert_string_equal(w.title, "custom");
	assert_int_equal(w.start, t_of("2026-11-30T10:05:00Z")); /* aligned down to the slot */
	assert_int_equal(w.end, t_of("2026-11-30T11:00:00Z"));
	assert_int_equal(w.expected, 11);
	/* no end, or one in the future: now, the current slot as counted so
	 * far included (it completes at 12:05) */
	assert_null(stats_window_custom("custom", "2026-12-01T11:00:00Z", NULL, now, &keep, &w));
	assert_int_equal(w.end, t_of("2026-12-01T12:05:00Z"));
	assert_int_equal(w.expected, 13);
	assert_int_equal(w.next_update, t_of("2026-12-01T12:05:00Z"));
	assert_null(stats_window_custom("custom", "2026-12-01T11:00:00Z", "2027-01-01T00:00:00Z", now, &keep, &w));
	assert_int_equal(w.end, t_of("2026-12-01T12:05:00Z"));
	/* an end given before now: the last complete slot before it */
	assert_null(stats_window_custom("custom", "2026-12-01T11:00:00Z", "2026-12-01T12:03:00Z", now, &keep, &w));
	assert_int_equal(w.end, t_of("2026-12-01T12:00:00Z"));
	assert_int_equal(w.next_update, t_of("2026-12-01T12:05:00Z"));
	/* from within the current slot: that slot */
	assert_null(stats_window_custom("custom", "2026-12-01T12:01:00Z", NULL, now, &keep, &w));
	assert_int_equal(w.start, t_of("2026-12-01T12:00:00Z"));
	assert_int_equal(w.end, t_of("2026-12-01T12:05:00Z"));
	/* older than the raw retention: hourly rollups, whole hours */
	assert_null(stats_window_custom("custom", "2026-09-01T10:30:00Z", "2026-09-02T10:30:00Z", now, &keep, &w));
	assert_int_equal(w.table, STATS_1H);
	assert_int_equal(w.start, t_of("2026-09-01T10:00:00Z"));
	assert_int_equal(w.end, t_of("2026-09-02T10:00:00Z"));
	/* beyond the hourly rollups: days */
	assert_null(stats_window_custom("custom", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", now, &keep, &w));
	assert_int_equal(w.table, STATS_1D);
	assert_int_equal(w.expected, 60 * 288); /* 2024 is a leap year */

	assert_names(stats_window_custom("custom", NULL, "2026-11-30T11:00:00Z", now, &keep, &w), "start");
	assert_names(stats_window_custom("custom", "2026-11-30", NULL, now, &keep, &w), "start");
	assert_names(stats_window_custom("custom", "2026-11-30T11:00:00Z", "soon", now, &keep, &w), "end");
	assert_names(stats_window_custom("custom", "2026-11-30T11:00:00Z", "2026-11-30T11:00:00Z", now, &keep, &w),
		     "start");
	assert_names(stats_window_custom("custom", "2026-11-30T12:00:00Z", "2026-11-30T11:00:00Z", now, &keep, &w),
		     "start");
	assert_names(stats_window_custom("custom", "2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z", now, &keep, &w),
		     "start");
	/* within one slot: no complete period */
	assert_names(stats_window_custom("custom", "2026-11-30T11:01:00Z", "2026-11-30T11:04:00Z", now, &keep, &w),
		     "end");
}

static void test_precision(void **state)
{
	(void)state;
	long long now = t_of("2026-12-01T12:03:10Z"), p = 0;
	struct stats_window w;
	const char *names[] = {"PT5M", "PT1H", "P1D", "P30D", "P1Y"};
	const long long defaults[] = {300, 300, 300, 3600, 86400};
	for (int i = 0; i < 5; i++) {
		assert_null(stats_window_named(names[i], now, &keep, &w));
		assert_null(stats_precision(NULL, &w, &p));
		assert_int_equal(p, defaults[i]);
	}
	/* P1Y at 1 hour: 8,760 points, fine; its table has no 5-minute rows */
	assert_null(stats_precision("3600", &w, &p));
	assert_int_equal(stats_points(&w, p), 8760);
	assert_names(stats_precision("300", &w, &p), "precision");
	assert_names(stats_precision("1800", &w, &p), "precision");
	assert_null(stats_window_named("P30D", now, &keep, &w));
	assert_names(stats_precision("301", &w, &p), "precision");
	assert_names(stats_precision("0", &w, &p), "precision");
	assert_names(stats_precision("-300", &w, &p), "precision");
	assert_names(stats_precision("5m", &w, &p), "precision");
	assert_null(stats_precision("300", &w, &p)); /* 8,640 points */
	/* 10,000 points at most */
	assert_null(stats_window_custom("custom", "2026-11-01T00:00:00Z", NULL, now, &keep, &w));
	assert_int_equal(stats_points(&w, 300), 8785); /* the current slot too */
	assert_null(stats_window_custom("custom", "2026-10-27T12:05:00Z", NULL, now, &keep, &w));
	assert_int_equal(stats_points(&w, 300), 10080);
	assert_names(stats_precision("300", &w, &p), "precision");
	/* a custom window's default: about 1,000 points at most */
	assert_null(stats_precision(NULL, &w, &p));
	assert_int_equal(p, 3600);
	assert_null(stats_window_custom("custom", "2026-12-01T11:00:00Z", NULL, now, &keep, &w));
	assert_null(stats_precision(NULL, &w, &p));
	assert_int_equal(p, 300);
}

static void test_buckets(void **state)
{
	(void)state;
	struct stats_window w;
	long long now = t_of("2026-12-01T12:03:10Z");
	assert_null(stats_window_custom("custom", "2026-12-01T09:10:00Z", "2026-12-01T11:40:00Z", now, &keep, &w));
	/* 2.5 hours in hours: three buckets from the window's start, the last
	 * half as long */
	assert_int_equal(stats_points(&w, 3600), 3);
	assert_int_equal(stats_bucket_start(&w, 3600, t_of("2026-12-01T09:10:00Z")), t_of("2026-12-01T09:10:00Z"));
	assert_int_equal(stats_bucket_start(&w, 3600, t_of("2026-12-01T10:05:00Z")), t_of("2026-12-01T09:10:00Z"));
	assert_int_equal(stats_bucket_start(&w, 3600, t_of("2026-12-01T10:10:00Z")), t_of("2026-12-01T10:10:00Z"));
	assert_int_equal(stats_bucket_start(&w, 3600, t_of("2026-12-01T11:35:00Z")), t_of("2026-12-01T11:10:00Z"));
	assert_int_equal(stats_bucket_expected(&w, 3600, t_of("2026-12-01T09:10:00Z")), 12);
	assert_int_equal(stats_bucket_expected(&w, 3600, t_of("2026-12-01T11:10:00Z")), 6);
	assert_int_equal(stats_bucket_expected(&w, 300, t_of("2026-12-01T11:35:00Z")), 1);
}

static void test_accuracy(void **state)
{
	(void)state;
	/* the specification's example: 275 of 288 */
	assert_float_equal(stats_accuracy(275, 288), 0.9548611, 1e-6);
	assert_float_equal(stats_accuracy(288, 288), 1.0, 0);
	assert_float_equal(stats_accuracy(0, 288), 0.0, 0);
	assert_float_equal(stats_accuracy(5, 0), 0.0, 0);
	assert_float_equal(stats_accuracy(13, 12), 1.0, 0);
}

static void test_fields(void **state)
{
	(void)state;
	int f[STATS_FIELDS_MAX];
	size_t n = 0;
	assert_null(stats_fields_parse(NULL, f, &n));
	assert_int_equal(n, 4);
	assert_string_equal(stats_fields[f[0]], "average_pps_in");
	assert_string_equal(stats_fields[f[3]], "average_ops_out");
	assert_null(stats_fields_parse("accuracy,percentile95_ops_in,maximum_pps_out", f, &n));
	assert_int_equal(n, 3);
	assert_string_equal(stats_fields[f[1]], "percentile95_ops_in");
	assert_names(stats_fields_parse("average_pps_in,average_bps_in", f, &n), "fields");
	assert_names(stats_fields_parse("average_pps_in,", f, &n), "fields");
	assert_names(stats_fields_parse("", f, &n), "fields");
	assert_names(stats_fields_parse("average_pps_in_extra", f, &n), "fields");
	char many[40 * 20] = "";
	for (int i = 0; i < 33; i++)
		strcat(many, i ? ",accuracy" : "accuracy");
	assert_names(stats_fields_parse(many, f, &n), "fields");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_year_before),
		cmocka_unit_test(test_named_windows_at_a_month_end),
		cmocka_unit_test(test_year_window_over_a_leap_day),
		cmocka_unit_test(test_table_for),
		cmocka_unit_test(test_custom_windows),
		cmocka_unit_test(test_precision),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_accuracy),
		cmocka_unit_test(test_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
