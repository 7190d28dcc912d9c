/*
 * Unit tests of the collector's pure parts: the rounds the statistics jobs
 * are written for (one per interval, the rollup's hour 10 minutes late) and
 * when a failed poll is retried rather than finished as a gap. The delta,
 * wrap, reset, gap and slot rules are SQL (stats_ingest.sql): tested
 * against PostgreSQL by collect_itest.c.
 */
#include "statistics/collect.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void test_rounds(void **state)
{
	(void)state;
	/* 2024-02-29T23:59:59Z, 2024-03-01T00:00:00Z */
	assert_int_equal(stats_round(1709251199, 300, 0), 1709250900 / 300);
	assert_int_equal(stats_round(1709251200, 300, 0), 1709251200 / 300);
	/* the rollup's hour: 00:09:59 still rolls up to 23:00, 00:10:00 up to 00:00 */
	assert_int_equal(stats_round(1709251200 + 599, 3600, 600), 1709247600 / 3600);
	assert_int_equal(stats_round(1709251200 + 600, 3600, 600), 1709251200 / 3600);
	/* before the epoch (a clock gone wrong): still floor, never two times in one round */
	assert_int_equal(stats_round(-1, 300, 0), -1);
	assert_int_equal(stats_round(-300, 300, 0), -1);
	assert_int_equal(stats_round(-301, 300, 0), -2);
	assert_int_equal(stats_round(5, 0, 0), 5); /* a period of 0 is taken as 1 s */
}

static void test_poll_retry_window(void **state)
{
	(void)state;
	long long round = 1709251200 / 300; /* starts at 1709251200, ends at 1709251500 */
	assert_true(stats_poll_retry(round, 300, 1, 8, 1709251200));
	assert_true(stats_poll_retry(round, 300, 2, 8, 1709251499));
	assert_false(stats_poll_retry(round, 300, 3, 8, 1709251300)); /* 3 attempts at most */
	assert_false(stats_poll_retry(round, 300, 1, 8, 1709251500)); /* the interval is over: a gap */
	assert_false(stats_poll_retry(round, 300, 1, 1, 1709251200)); /* never up to the dead job */
	assert_false(stats_poll_retry(round, 300, 2, 2, 1709251200));
	assert_true(stats_poll_retry(round, 300, 1, 2, 1709251200));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounds),
		cmocka_unit_test(test_poll_retry_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
