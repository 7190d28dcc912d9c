/*
 * Unit tests of the error type and its RFC 7807 rendering.
 */
#include "core/problem.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static void test_kinds_render_with_types_and_integer_status(void **state)
{
	(void)state;
	struct {
		enum problem_kind kind;
		int status;
		const char *type;
	} cases[] = {
		{PROBLEM_VALIDATION, 400, "https://errors.ix-api.net/v2/validation-error.html"},
		{PROBLEM_AUTHENTICATION, 401, "https://errors.ix-api.net/v2/authentication-error.html"},
		{PROBLEM_SIGNATURE_EXPIRED, 401, "https://errors.ix-api.net/v2/signature-expired.html"},
		{PROBLEM_NOT_AUTHENTICATED, 401, "https://errors.ix-api.net/v2/not-authenticated.html"},
		{PROBLEM_PERMISSION_DENIED, 403, "https://errors.ix-api.net/v2/permission-denied.html"},
		{PROBLEM_NOT_FOUND, 404, "https://errors.ix-api.net/v2/not-found.html"},
		{PROBLEM_UNABLE_TO_FULFILL, 400, "https://errors.ix-api.net/v2/unable-to-fulfill.html"},
		{PROBLEM_METHOD_NOT_ALLOWED, 405, "about:blank"},
		{PROBLEM_PAYLOAD_TOO_LARGE, 413, "about:blank"},
		{PROBLEM_UNSUPPORTED_MEDIA_TYPE, 415, "about:blank"},
		{PROBLEM_UNAVAILABLE, 503, "about:blank"},
		{PROBLEM_CANCELLATION_POLICY, 400, "https://errors.ix-api.net/v2/cancellation-policy-error.html"},
		{PROBLEM_INTERNAL, 500, "about:blank"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct problem *p = problem_new(cases[i].kind, "detail %d", (int)i);
		assert_int_equal(problem_status(p), cases[i].status);
		json_t *j = problem_to_json(p, "/api/v2/x");
		assert_true(json_is_integer(json_object_get(j, "status")));
		assert_int_equal(json_integer_value(json_object_get(j, "status")), cases[i].status);
		assert_string_equal(json_string_value(json_object_get(j, "type")), cases[i].type);
		assert_true(json_is_string(json_object_get(j, "title")));
		assert_string_equal(json_string_value(json_object_get(j, "instance")), "/api/v2/x");
		char expected[32];
		snprintf(expected, sizeof(expected), "detail %d", (int)i);
		assert_string_equal(json_string_value(json_object_get(j, "detail")), expected);
		/* Only validation problems carry properties. */
		assert_int_equal(json_object_get(j, "properties") != NULL, cases[i].kind == PROBLEM_VALIDATION);
		json_decref(j);
		problem_free(p);
	}
}

static void test_validation_properties(void **state)
{
	(void)state;
	struct problem *p = problem_invalid("name", "Too long: %d", 81);
	problem_add_property(p, "address.country", "Required.");
	assert_int_equal(problem_property_count(p), 2);
	json_t *j = problem_to_json(p, NULL);
	assert_null(json_object_get(j, "instance"));
	json_t *j_props = json_object_get(j, "properties");
	assert_int_equal(json_array_size(j_props), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j_props, 0), "name")), "name");
	assert_string_equal(json_string_value(json_object_get(json_array_get(j_props, 0), "reason")), "Too long: 81");
	problem_free(p); /* the rendered body keeps its own reference */
	assert_string_equal(json_string_value(json_object_get(json_array_get(j_props, 1), "name")), "address.country");
	json_decref(j);
}

static void test_empty_detail_falls_back_to_title(void **state)
{
	(void)state;
	struct problem *p = problem_new(PROBLEM_NOT_FOUND, "%s", "");
	json_t *j = problem_to_json(p, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "detail")), "Not Found");
	json_decref(j);
	problem_free(p);
}

static void test_invalid_utf8_is_replaced(void **state)
{
	(void)state;
	/* Client bytes quoted in a detail or a reason must not break rendering. */
	struct problem *p = problem_new(PROBLEM_VALIDATION, "near '%s'", "\xcf\xa3\xa3\xff\xed\xa0\x80ok");
	problem_add_property(p, "state\xff", "\"\xc3\" is not a valid choice.");
	json_t *j = problem_to_json(p, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "detail")), "near '\xcf\xa3?????ok'");
	json_t *j_prop = json_array_get(json_object_get(j, "properties"), 0);
	assert_string_equal(json_string_value(json_object_get(j_prop, "name")), "state?");
	assert_string_equal(json_string_value(json_object_get(j_prop, "reason")), "\"?\" is not a valid choice.");
	json_decref(j);
	problem_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_render_with_types_and_integer_status),
		cmocka_unit_test(test_validation_properties),
		cmocka_unit_test(test_empty_detail_falls_back_to_title),
		cmocka_unit_test(test_invalid_utf8_is_replaced),
	};
	return cmocka_run_group_tests_name("problem", tests, NULL, NULL);
}
