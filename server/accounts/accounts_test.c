/*
 * Unit tests of account body validation and normalisation (no I/O).
 */
#include "accounts/accounts.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static const char *const create_required[] = {"name", "address", NULL};

static json_t *validate(const char *body, const char *const *required, struct problem **p)
{
	json_t *j = json_loads(body, 0, NULL);
	assert_non_null(j);
	json_t *j_out = NULL;
	*p = accounts_validate(j, required, &j_out);
	json_decref(j);
	return j_out;
}

static void test_normalises_address_and_drops_unknown_keys(void **state)
{
	(void)state;
	struct problem *p = NULL;
	json_t *j = validate("{\"name\": \"N\", \"address\": {\"country\": \"DE\", \"locality\": \"Berlin\","
			     " \"postal_code\": \"10115\", \"street_address\": \"S 1\", \"extra\": 1}, \"x\": 2,"
			     " \"billing_information\": null}",
			     create_required, &p);
	assert_null(p);
	json_t *j_addr = json_object_get(j, "address");
	assert_int_equal(json_object_size(j_addr), 6);
	assert_true(json_is_null(json_object_get(j_addr, "region")));
	assert_null(json_object_get(j_addr, "extra"));
	assert_null(json_object_get(j, "x"));
	assert_true(json_is_null(json_object_get(j, "billing_information")));
	json_decref(j);
}

static void test_required_and_types(void **state)
{
	(void)state;
	struct problem *p = NULL;
	json_t *j = validate("{\"address\": {\"country\": \"de\", \"locality\": \"B\", \"postal_code\": \"1\","
			     " \"street_address\": \"S\"}, \"discoverable\": 1, \"metro_area_network_presence\": \"x\","
			     " \"billing_information\": {\"name\": \"B\"}}",
			     create_required, &p);
	assert_null(j);
	assert_non_null(p);
	json_t *j_p = problem_to_json(p, NULL);
	char *text = json_dumps(j_p, 0);
	assert_non_null(strstr(text, "\"name\": \"name\""));
	assert_non_null(strstr(text, "\"address.country\""));
	assert_non_null(strstr(text, "\"discoverable\""));
	assert_non_null(strstr(text, "\"metro_area_network_presence\""));
	assert_non_null(strstr(text, "\"billing_information.address\""));
	free(text);
	json_decref(j_p);
	problem_free(p);
}

static void test_patch_requires_nothing_but_name_may_not_be_null(void **state)
{
	(void)state;
	struct problem *p = NULL;
	json_t *j = validate("{}", NULL, &p);
	assert_null(p);
	assert_int_equal(json_object_size(j), 0);
	json_decref(j);
	j = validate("{\"name\": null}", NULL, &p);
	assert_null(j);
	assert_non_null(p);
	problem_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalises_address_and_drops_unknown_keys),
		cmocka_unit_test(test_required_and_types),
		cmocka_unit_test(test_patch_requires_nothing_but_name_may_not_be_null),
	};
	return cmocka_run_group_tests_name("accounts validation", tests, NULL, NULL);
}
