/*
 * Unit tests of the member joining rule body validator: what it keeps,
 * what it refuses, and which property each refusal names.
 */
#include "services/joining_rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* Validates text; on failure checks that the problem names `property`. */
static json_t *validate(const char *text, const char *const *required, const char *property)
{
	json_t *j_body = json_loads(text, 0, NULL);
	assert_non_null(j_body);
	json_t *j_out = NULL;
	struct problem *p = joining_rules_validate(j_body, required, &j_out);
	json_decref(j_body);
	if (!property) {
		assert_null(p);
		assert_non_null(j_out);
		return j_out;
	}
	assert_non_null(p);
	assert_null(j_out);
	assert_int_equal(problem_status(p), 400);
	json_t *j_problem = problem_to_json(p, NULL);
	json_t *j_props = json_object_get(j_problem, "properties");
	bool found = false;
	for (size_t i = 0; i < json_array_size(j_props); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(j_props, i), "name")), property) == 0)
			found = true;
	assert_true(found);
	json_decref(j_problem);
	problem_free(p);
	return NULL;
}

static void test_keeps_what_it_knows(void **state)
{
	(void)state;
	json_t *j = validate("{\"type\": \"allow\", \"network_service\": \"7\", \"consuming_account\": \"9\","
			     " \"capacity_min\": 1, \"capacity_max\": null, \"external_ref\": null, \"state\": \"x\"}",
			     NULL, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "type")), "allow");
	assert_int_equal(json_integer_value(json_object_get(j, "capacity_min")), 1);
	assert_true(json_is_null(json_object_get(j, "capacity_max")));
	assert_true(json_is_null(json_object_get(j, "external_ref")));
	assert_null(json_object_get(j, "state")); /* unknown properties are ignored */
	assert_null(json_object_get(j, "managing_account"));
	json_decref(j);
	/* A deny rule with null capacities (clients send every attribute). */
	j = validate("{\"type\": \"deny\", \"capacity_min\": null}", NULL, NULL);
	assert_true(json_is_null(json_object_get(j, "capacity_min")));
	json_decref(j);
	/* A patch without a type: capacities are checked by storage against the
	 * stored rule's type. */
	j = validate("{\"capacity_max\": 5}", NULL, NULL);
	json_decref(j);
}

static void test_refusals(void **state)
{
	(void)state;
	static const char *const required[] = {"type", "network_service", "consuming_account", NULL};
	validate("{\"type\": \"allow\", \"network_service\": \"7\"}", required, "consuming_account");
	validate("{\"network_service\": \"7\", \"consuming_account\": \"9\"}", required, "type");
	validate("{\"type\": \"maybe\"}", NULL, "type");
	validate("{\"type\": \"\"}", NULL, "type");
	validate("{\"type\": null}", NULL, "type");
	validate("{\"type\": \"deny\", \"capacity_min\": 1}", NULL, "capacity_min");
	validate("{\"type\": \"deny\", \"capacity_max\": 1}", NULL, "capacity_max");
	validate("{\"capacity_min\": 0}", NULL, "capacity_min");
	validate("{\"capacity_max\": -1}", NULL, "capacity_max");
	validate("{\"capacity_max\": 2147483648}", NULL, "capacity_max");
	validate("{\"capacity_max\": 2.0}", NULL, "capacity_max");
	validate("{\"capacity_max\": \"10\"}", NULL, "capacity_max");
	validate("{\"capacity_min\": 10, \"capacity_max\": 9}", NULL, "capacity_min");
	validate("{\"consuming_account\": null}", NULL, "consuming_account");
	validate("{\"managing_account\": 5}", NULL, "managing_account");
	validate("{\"network_service\": \"\"}", NULL, "network_service");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_what_it_knows),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("joining_rules", tests, NULL, NULL);
}
