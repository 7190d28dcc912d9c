/*
 * Unit tests of the route server rules: the prefix limit table and its
 * examples, AS number ranges, AS-SET@IRR spelling, filtering modes.
 */
#include "bgp/bgp_rules.h"

#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static void test_prefix_limit_examples(void **state)
{
	(void)state;
	/* Every example of the domain document's table. */
	assert_int_equal(bgp_max_prefix_limit(25), 100);
	assert_int_equal(bgp_max_prefix_limit(51), 500);
	assert_int_equal(bgp_max_prefix_limit(300), 1000);
	assert_int_equal(bgp_max_prefix_limit(900), 2000);
	assert_int_equal(bgp_max_prefix_limit(1500), 3000);
	assert_int_equal(bgp_max_prefix_limit(9000), 11000);
	assert_int_equal(bgp_max_prefix_limit(15000), 19000);
	/* The coefficients it prints, to the precision it prints them. */
	assert_true(fabs(bgp_max_prefix_coefficient(9000) - 1.22) < 0.005);
	assert_true(fabs(bgp_max_prefix_coefficient(15000) - 1.2) < 1e-12);
}

static void test_prefix_limit_boundaries(void **state)
{
	(void)state;
	const struct {
		long long announced, limit;
	} cases[] = {
		{LLONG_MIN, 100}, {-1, 100},        {0, 100},           {49, 100},
		{50, 500},        {249, 500},       {250, 1000},        {499, 1000},
		{500, 2000},      {999, 2000},      {1000, 3000},       {1999, 3000},
		{2000, 4000},     {2001, 4000},     {9999, 12000},      {10000, 13000},
		{10001, 13000},   {10833, 13000},   {10834, 14000},     {18000, 22000},
		{20000, 25000},   {100000, 121000}, {1000000, 1201000}, {10000000, 12001000},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long got = bgp_max_prefix_limit(cases[i].announced);
		if (got != cases[i].limit)
			fail_msg("announced %lld: limit %lld, expected %lld", cases[i].announced, got, cases[i].limit);
	}
	/* The exact coefficients at the ends of the sliding tiers. */
	assert_true(bgp_max_prefix_coefficient(999) == 2.0);
	assert_true(bgp_max_prefix_coefficient(1000) == 2.0);
	assert_true(bgp_max_prefix_coefficient(2000) == 1.5);
	assert_true(bgp_max_prefix_coefficient(10000) == 1.2);
}

static void test_prefix_limit_monotone(void **state)
{
	(void)state;
	long long previous = bgp_max_prefix_limit(-1);
	for (long long y = 0; y <= 10000000; y++) {
		long long limit = bgp_max_prefix_limit(y);
		if (limit < previous)
			fail_msg("limit falls from %lld to %lld at %lld", previous, limit, y);
		if (y >= 1000 && limit <= y)
			fail_msg("limit %lld not above %lld announced", limit, y);
		previous = limit;
	}
	/* Huge counts saturate instead of overflowing. */
	assert_true(bgp_max_prefix_limit(LLONG_MAX / 2) >= bgp_max_prefix_limit(LLONG_MAX / 4));
	assert_int_equal(bgp_max_prefix_limit(LLONG_MAX), LLONG_MAX);
	assert_int_equal(bgp_max_prefix_limit(LLONG_MAX - 1), LLONG_MAX);
}

/* In the sliding tiers y * x is a whole multiple of 1000 only at a tier's
 * start; everywhere else it keeps far more than rounding noise away from
 * one, so the 1e-9 snap in the module never changes a result. */
static void test_prefix_limit_no_near_steps(void **state)
{
	(void)state;
	for (long long y = 1000; y < 10000; y++) {
		double steps = (double)y * bgp_max_prefix_coefficient(y) / 1000.0;
		double off = fabs(steps - round(steps));
		if (y == 1000 || y == 2000)
			assert_true(off == 0.0);
		else if (off < 1e-7)
			fail_msg("y %lld: y * x is %.12f steps, too near a whole step", y, steps);
	}
}

static void test_asn_ranges(void **state)
{
	(void)state;
	const long long usable[] = {1,      112,    6777,         23455,         23457,       64495,
				    131072, 206238, 4199999999LL, 65551 + 65536, 2147483647LL};
	for (size_t i = 0; i < sizeof(usable) / sizeof(usable[0]); i++)
		if (bgp_asn_unusable_reason(usable[i]))
			fail_msg("AS %lld refused: %s", usable[i], bgp_asn_unusable_reason(usable[i]));
	const long long unusable[] = {LLONG_MIN,    -1,       0,      23456,        64496,        64500,
				      64511,        64512,    65000,  65534,        65535,        65536,
				      65551,        65552,    131071, 4200000000LL, 4294967294LL, 4294967295LL,
				      4294967296LL, LLONG_MAX};
	for (size_t i = 0; i < sizeof(unusable) / sizeof(unusable[0]); i++) {
		const char *reason = bgp_asn_unusable_reason(unusable[i]);
		if (!reason || !*reason)
			fail_msg("AS %lld accepted", unusable[i]);
	}
	/* The reason says which rule, not only "invalid". */
	assert_non_null(strstr(bgp_asn_unusable_reason(64512), "private"));
	assert_non_null(strstr(bgp_asn_unusable_reason(64511), "documentation"));
	assert_non_null(strstr(bgp_asn_unusable_reason(23456), "AS_TRANS"));
	assert_non_null(strstr(bgp_asn_unusable_reason(-1), "between"));
}

static void test_as_set_good(void **state)
{
	(void)state;
	const char *good[] = {
		"AS-EXAMPLE@RIPE",
		"AS1200:AS-CUSTOMERS@RIPE",
		"AS206238@RIPE",
		"as-example@ripe",
		"As-Mixed_Case-1@RaDb",
		"AS-A@ARIN",
		"AS-FOO:AS-BAR@RADB",
		"AS-FOO:AS1:AS-BAR@ALTDB",
		"AS4294967295@LACNIC",
		"AS1@APNIC",
		"AS64512:AS-PRIVATE-OK@AFRINIC",
		"AS-1@NTTCOM",
		"AS-X@LEVEL3",
		"AS-X@ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!bgp_as_set_is_valid(good[i]))
			fail_msg("refused %s", good[i]);
	/* Exactly 200 characters is still fine. */
	char s[202];
	memset(s, 'A', 200);
	memcpy(s, "AS-", 3);
	memcpy(s + 195, "@RIPE", 6);
	assert_int_equal(strlen(s), 200);
	assert_true(bgp_as_set_is_valid(s));
}

static void test_as_set_bad(void **state)
{
	(void)state;
	const char *bad[] = {
		"",
		"AS-EXAMPLE",
		"@RIPE",
		"AS-EXAMPLE@",
		"AS-EXAMPLE@@RIPE",
		"AS-EXAMPLE@RI@PE",
		"AS-EXAMPLE@RIPE ",
		" AS-EXAMPLE@RIPE",
		"AS-EX AMPLE@RIPE",
		"AS-EXAMPLE@RI_PE",
		"AS-EXAMPLE@ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456",
		"AS-@RIPE",
		"AS-FOO-@RIPE",
		"AS-FOO.BAR@RIPE",
		"EXAMPLE@RIPE",
		"ASFOO@RIPE",
		"AS@RIPE",
		"AS0@RIPE",
		"AS01@RIPE",
		"AS4294967296@RIPE",
		"AS99999999999@RIPE",
		"AS1:AS2@RIPE",
		"AS-FOO::AS-BAR@RIPE",
		":AS-FOO@RIPE",
		"AS-FOO:@RIPE",
		"AS1:RS-FOO@RIPE",
		"AS-FOO\t@RIPE",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (bgp_as_set_is_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(bgp_as_set_is_valid(NULL));
	char s[203];
	memset(s, 'A', 201);
	memcpy(s, "AS-", 3);
	memcpy(s + 196, "@RIPE", 6);
	assert_int_equal(strlen(s), 201);
	assert_false(bgp_as_set_is_valid(s));
}

static void test_filtering_modes(void **state)
{
	(void)state;
	assert_string_equal(bgp_filtering_mode_default(), "irrdb_rpki");
	size_t n = 0;
	while (bgp_filtering_modes[n]) {
		assert_true(bgp_filtering_mode_is_valid(bgp_filtering_modes[n]));
		n++;
	}
	assert_int_equal(n, 4);
	assert_true(bgp_filtering_mode_is_valid("irrdb"));
	assert_true(bgp_filtering_mode_is_valid("rpki"));
	assert_true(bgp_filtering_mode_is_valid("tagging"));
	assert_false(bgp_filtering_mode_is_valid(NULL));
	assert_false(bgp_filtering_mode_is_valid(""));
	assert_false(bgp_filtering_mode_is_valid("IRRDB"));
	assert_false(bgp_filtering_mode_is_valid("irrdb_rpki "));
	assert_false(bgp_filtering_mode_is_valid("none"));
}

/* What the route servers can use as a TCP-MD5 key (rs_state.c's rule). */
static void test_password(void **state)
{
	(void)state;
	char longest[BGP_PASSWORD_MAX + 2];
	memset(longest, 'k', sizeof(longest) - 1);
	longest[BGP_PASSWORD_MAX] = '\0';
	assert_null(bgp_password_unusable_reason(longest));
	longest[BGP_PASSWORD_MAX] = 'k';
	longest[BGP_PASSWORD_MAX + 1] = '\0';
	assert_non_null(bgp_password_unusable_reason(longest));
	assert_null(bgp_password_unusable_reason(""));
	assert_null(bgp_password_unusable_reason(" !#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~"));
	const char *const bad[] = {"a\"b", "a\\b", "a\tb", "a\nb", "a\x7f", "caf\xc3\xa9"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_non_null(bgp_password_unusable_reason(bad[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_limit_examples),
		cmocka_unit_test(test_prefix_limit_boundaries),
		cmocka_unit_test(test_prefix_limit_monotone),
		cmocka_unit_test(test_prefix_limit_no_near_steps),
		cmocka_unit_test(test_asn_ranges),
		cmocka_unit_test(test_as_set_good),
		cmocka_unit_test(test_as_set_bad),
		cmocka_unit_test(test_filtering_modes),
		cmocka_unit_test(test_password),
	};
	return cmocka_run_group_tests_name("bgp_rules", tests, NULL, NULL);
}
