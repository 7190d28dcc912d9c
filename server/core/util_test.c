/*
 * Unit tests of util.c: the strict parsers, and jansson allocating through xmalloc.
 */
#include "core/util.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Nothing in this program sets jansson's allocator: what it has is what
 * util.c installs at start-up in every program, ixapid included. */
static void test_jansson_allocates_through_xmalloc(void **state)
{
	(void)state;
	json_malloc_t m = NULL;
	json_free_t f = NULL;
	json_get_alloc_funcs(&m, &f);
	assert_ptr_equal(m, xmalloc);
	assert_ptr_equal(f, free);
	json_t *j = json_pack("{s:s}", "a", "b");
	char *text = json_dumps(j, JSON_COMPACT);
	assert_string_equal(text, "{\"a\":\"b\"}");
	free(text);
	json_decref(j);
}

static void test_parse_ll_and_ids(void **state)
{
	(void)state;
	long long v = 0;
	assert_true(util_parse_ll("42", 0, 100, &v));
	assert_int_equal(v, 42);
	assert_true(util_parse_ll("-5", -10, 0, &v));
	const char *bad[] = {"", " 1", "1 ", "+1", "1e3", "0x10", "12a", "101", "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(util_parse_ll(bad[i], 0, 100, &v));
	assert_true(util_is_id("1"));
	assert_true(util_is_id("9223372036854775807"));
	assert_false(util_is_id("0"));
	assert_false(util_is_id("-1"));
	assert_false(util_is_id("9223372036854775808"));
	assert_false(util_is_id("abc"));
	assert_false(util_is_id(NULL));
}

static void test_rfc3339(void **state)
{
	(void)state;
	const char *good[] = {"2026-01-31T12:00:00Z", "2026-01-31T12:00:00.123456Z", "2026-01-31T12:00:00+02:00",
			      "2026-01-31T12:00:00-05:30", "2026-02-30T00:00:00Z" /* calendar: the database's job */};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(util_is_rfc3339(good[i]));
	const char *bad[] = {"yesterday",
			     "epoch",
			     "2026-01-31",
			     "2026-01-31 12:00:00Z",
			     "2026-01-31T12:00:00",
			     "2026-01-31T12:00:00.Z",
			     "2026-01-31T12:00:00+0200",
			     "2026-1-31T12:00:00Z",
			     "2026-01-31T12:00:00Z "};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(util_is_rfc3339(bad[i]));
}

static void test_dates(void **state)
{
	(void)state;
	assert_true(util_is_date("2026-11-23"));
	assert_false(util_is_date("2026-11-23T00:00:00Z"));
	assert_false(util_is_date("26-11-23"));
	assert_false(util_is_date("today"));
	assert_false(util_is_date(""));
}

static void test_strbuf(void **state)
{
	(void)state;
	struct strbuf b = {0};
	for (int i = 0; i < 1000; i++)
		strbuf_puts(&b, "ab");
	strbuf_put(&b, "xyz", 1);
	assert_int_equal(b.len, 2001);
	assert_int_equal(strlen(b.text), 2001);
	assert_int_equal(b.text[2000], 'x');
	assert_memory_equal(b.text, "abab", 4);
	free(b.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jansson_allocates_through_xmalloc),
		cmocka_unit_test(test_parse_ll_and_ids),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_dates),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
