/*
 * Unit tests of list-filter parsing from query parameters.
 */
#include "http/filters.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static void add(struct request *req, const char *name, const char *value)
{
	req->query[req->query_count].name = name;
	req->query[req->query_count].value = value;
	req->query_count++;
}

static void test_id_lists(void **state)
{
	(void)state;
	struct request req = {0};
	char *lit = NULL;
	assert_null(filter_list_literal(&req, "id", &lit));
	assert_null(lit);

	add(&req, "id", "1,2");
	add(&req, "state", "production");
	add(&req, "id", " 3 ");
	assert_null(filter_list_literal(&req, "id", &lit));
	assert_string_equal(lit, "{\"1\",\"2\",\"3\"}");
	free(lit);

	/* Ids are positive whole numbers, compared as the key's type: quotes,
	 * backslashes and anything else that is not one are refused before
	 * they come near the array literal. */
	const char *bad[] = {"",
			     "1,,2",
			     ",",
			     "1,",
			     "a\"b\\c",
			     "a",
			     "0",
			     "01",
			     "-1",
			     "1.5",
			     "1e3",
			     "1,x",
			     "1234567890123456789",
			     "9999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct request r = {0};
		add(&r, "id", bad[i]);
		struct problem *p = filter_list_literal(&r, "id", &lit);
		assert_non_null(p);
		assert_int_equal(problem_kind_of(p), PROBLEM_VALIDATION);
		assert_null(lit);
		problem_free(p);
	}
}

static void test_enum_and_text(void **state)
{
	(void)state;
	static const char *const states[] = {"production", "testing", NULL};
	struct request req = {0};
	const char *v = NULL;
	assert_null(filter_enum(&req, "state", states, &v));
	assert_null(v);
	add(&req, "state", "testing");
	add(&req, "name", "");
	assert_null(filter_enum(&req, "state", states, &v));
	assert_string_equal(v, "testing");
	struct problem *p = filter_text(&req, "name", &v);
	assert_non_null(p);
	problem_free(p);

	struct request bad = {0};
	add(&bad, "state", "nope");
	p = filter_enum(&bad, "state", states, &v);
	assert_non_null(p);
	assert_null(v);
	problem_free(p);
}

static void test_parse_specs(void **state)
{
	(void)state;
	static const char *const colours[] = {"red", "blue", NULL};
	static const struct filter_spec specs[] = {
		{"id", FILTER_LIST, NULL}, {"speed", FILTER_INT, NULL}, {"colour", FILTER_ENUM, colours},
		{"ok", FILTER_BOOL, NULL}, {"name", FILTER_TEXT, NULL}, {NULL, FILTER_TEXT, NULL},
	};
	struct request req = {0};
	add(&req, "speed", "10000");
	add(&req, "id", "7,8");
	add(&req, "ok", "false");
	struct filter_values v;
	assert_null(filters_parse(&req, specs, &v));
	assert_int_equal(v.count, 5);
	assert_string_equal(v.values[0], "{\"7\",\"8\"}");
	assert_string_equal(v.values[1], "10000");
	assert_null(v.values[2]);
	assert_string_equal(v.values[3], "false");
	assert_null(v.values[4]);
	filters_clear(&v);

	const char *bad[][2] = {{"speed", "10G"}, {"speed", "-1"},     {"speed", "99999999999"},
				{"speed", ""},    {"colour", "green"}, {"ok", "1"},
				{"name", ""}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct request r = {0};
		add(&r, "id", "1");
		add(&r, bad[i][0], bad[i][1]);
		struct problem *p = filters_parse(&r, specs, &v);
		assert_non_null(p);
		assert_int_equal(problem_property_count(p), 1);
		assert_null(v.owned[0]); /* nothing left to free on failure */
		problem_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_lists),
		cmocka_unit_test(test_enum_and_text),
		cmocka_unit_test(test_parse_specs),
	};
	return cmocka_run_group_tests_name("filters", tests, NULL, NULL);
}
