/*
 * Unit tests of body parsing (nesting ceiling, malformed JSON) and of the
 * field validator.
 */
#include "core/json_body.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static struct problem *parse(const char *text, json_t **out)
{
	return json_body_parse(text, strlen(text), JSON_BODY_MAX_DEPTH, false, out);
}

static void test_depth(void **state)
{
	(void)state;
	assert_int_equal(json_body_depth("{}", 2), 1);
	assert_int_equal(json_body_depth("{\"a\": [[{}]]}", 13), 4);
	/* Brackets inside strings, escaped quotes included, do not count. */
	const char *s = "{\"a\": \"[[[[\\\"[[[\"}";
	assert_int_equal(json_body_depth(s, strlen(s)), 1);
}

static void test_parse(void **state)
{
	(void)state;
	json_t *j = NULL;
	assert_null(parse("", &j));
	assert_null(j);
	assert_null(parse("  \r\n ", &j));
	assert_null(j);
	assert_null(parse("{\"a\": 1}", &j));
	assert_true(json_is_object(j));
	json_decref(j);

	const char *bad[] = {"{", "nul", "{\"a\": 1,}", "{\"a\": 1, \"a\": 2}", "{'a': 1}", "{\"a\": 1} x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct problem *p = parse(bad[i], &j);
		assert_non_null(p);
		assert_int_equal(problem_kind_of(p), PROBLEM_VALIDATION);
		assert_null(j);
		problem_free(p);
	}
	char deep[200] = "";
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	for (int i = 0; i < 40; i++)
		strcat(deep, "]");
	struct problem *p = parse(deep, &j);
	assert_non_null(p);
	assert_non_null(strstr(problem_detail(p), "nested"));
	problem_free(p);

	p = json_body_parse("[1]", 3, JSON_BODY_MAX_DEPTH, true, &j);
	assert_non_null(p);
	problem_free(p);
}

static void test_validation(void **state)
{
	(void)state;
	json_t *j = json_loads("{\"s\": \"abc\", \"n\": null, \"i\": 4, \"b\": true, \"e\": \"\", \"l\": [\"x\", 1],"
			       " \"o\": {}, \"z\": \"a\\u0000b\"}",
			       JSON_ALLOW_NUL, NULL);
	assert_non_null(j);
	struct validation v = {0};
	assert_string_equal(validation_string(&v, j, "s", "s", FIELD_REQUIRED, 3), "abc");
	assert_null(v.problem);
	assert_null(validation_string(&v, j, "n", "n", FIELD_NULLABLE, 0));
	assert_null(v.problem);
	assert_null(validation_string(&v, j, "missing", "missing", FIELD_OPTIONAL, 0));
	assert_null(v.problem);
	assert_true(validation_bool(&v, j, "b", "b", FIELD_REQUIRED, false));
	assert_non_null(validation_object(&v, j, "o", "o", FIELD_REQUIRED));
	assert_null(v.problem);

	/* Now every failure kind, collected into one problem. */
	validation_string(&v, j, "s", "too_long", FIELD_REQUIRED, 2);
	validation_string(&v, j, "n", "not_nullable", FIELD_REQUIRED, 0);
	validation_string(&v, j, "missing", "required", FIELD_REQUIRED, 0);
	validation_string(&v, j, "i", "not_string", FIELD_REQUIRED, 0);
	validation_string(&v, j, "e", "blank", FIELD_REQUIRED, 0);
	validation_string(&v, j, "z", "nul", FIELD_REQUIRED, 0);
	validation_bool(&v, j, "s", "not_bool", FIELD_REQUIRED, false);
	validation_string_array(&v, j, "l", "bad_item", FIELD_REQUIRED, 0);
	validation_object(&v, j, "s", "not_object", FIELD_REQUIRED);
	assert_non_null(v.problem);
	assert_int_equal(problem_property_count(v.problem), 9);
	json_t *j_p = problem_to_json(v.problem, NULL);
	const char *names[] = {"too_long", "not_nullable", "required", "not_string", "blank",
			       "nul",      "not_bool",     "bad_item", "not_object"};
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(json_string_value(json_object_get(
					    json_array_get(json_object_get(j_p, "properties"), i), "name")),
				    names[i]);
	json_decref(j_p);
	problem_free(v.problem);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_validation),
	};
	return cmocka_run_group_tests_name("json_body", tests, NULL, NULL);
}
