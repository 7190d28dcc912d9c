/*
 * Unit tests of the application submission's pure rules (no I/O): which
 * ASNs are public, and the validator's refusals (every offending property
 * at once) and normalisation.
 */
#include "onboarding/applications.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_public_asns(void **state)
{
	(void)state;
	const long long public_asns[] = {1, 3320, 23455, 23457, 64495, 131072, 196608, 206238, 4199999999LL};
	const long long not_public[] = {0,     23456, 64496,  64511,        64512,        65534,        65535,
					65536, 65551, 131071, 4200000000LL, 4294967294LL, 4294967295LL, 4294967296LL,
					-1};
	for (size_t i = 0; i < sizeof(public_asns) / sizeof(public_asns[0]); i++)
		assert_true(applications_asn_is_public(public_asns[i]));
	for (size_t i = 0; i < sizeof(not_public) / sizeof(not_public[0]); i++)
		assert_false(applications_asn_is_public(not_public[i]));
}

#define VALID                                                                                                           \
	"{\"type\": \"member\", \"legal_entity\": {\"name\": \"E B.V.\", \"registration_number\": \"1\","               \
	" \"address\": {\"country\": \"NL\", \"locality\": \"A\", \"postal_code\": \"1\", \"street_address\": \"S\"}}," \
	" \"asns\": [{\"asn\": 196608, \"registry\": \"ripe_ncc\"}], \"articles_of_association_accepted\": true,"       \
	" \"facility\": \"1\", \"colocation_statement\": \"Rack 1\", \"contacts\": ["                                   \
	"{\"role\": \"contract_signer\", \"name\": \"A\", \"email\": \"a@e.net\"},"                                     \
	"{\"role\": \"technical\", \"name\": \"T\", \"email\": \"t@e.net\", \"telephone\": \"+31201\"},"                \
	"{\"role\": \"noc\", \"email\": \"n@e.net\", \"telephone\": \"+31202\"},"                                       \
	"{\"role\": \"billing\", \"name\": \"B\", \"email\": \"b@e.net\"}],"                                            \
	" \"port_order\": {\"product_offering\": \"2\", \"quantity\": 1}, \"unknown\": 1}"

static struct problem *validate(const char *text, json_t **out)
{
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	*out = NULL;
	struct problem *p = applications_validate_submit(j, out);
	json_decref(j);
	return p;
}

static void test_valid_body_is_normalised(void **state)
{
	(void)state;
	json_t *j = NULL;
	struct problem *p = validate(VALID, &j);
	assert_null(p);
	assert_null(json_object_get(j, "unknown"));
	assert_string_equal(json_string_value(json_object_get(j, "type")), "member");
	json_t *j_noc = json_array_get(json_object_get(j, "contacts"), 2);
	assert_true(json_is_null(json_object_get(j_noc, "name")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "port_order"), "quantity")), 1);
	json_decref(j);
}

/* Replaces the first `from` in VALID by `to` and expects a refusal naming property. */
static void expect_refusal(const char *from, const char *to, const char *property)
{
	const char *valid = VALID;
	const char *at = strstr(valid, from);
	assert_non_null(at);
	char text[4096];
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - valid), valid, to, at + strlen(from));
	json_t *j = NULL;
	struct problem *p = validate(text, &j);
	assert_non_null(p);
	assert_null(j);
	assert_int_equal(problem_status(p), 400);
	bool named = false;
	json_t *j_problem = problem_to_json(p, NULL);
	size_t i;
	json_t *j_prop;
	json_array_foreach (json_object_get(j_problem, "properties"), i, j_prop)
		named = named || strcmp(json_string_value(json_object_get(j_prop, "name")), property) == 0;
	json_decref(j_problem);
	if (!named)
		fprintf(stderr, "expected %s for %s -> %s\n", property, from, to);
	assert_true(named);
	problem_free(p);
}

static void test_refusals_name_the_property(void **state)
{
	(void)state;
	expect_refusal("\"asn\": 196608", "\"asn\": 64512", "asns[0].asn");
	expect_refusal("\"asn\": 196608", "\"asn\": 196608.0", "asns[0].asn");
	expect_refusal("\"ripe_ncc\"", "\"iana\"", "asns[0].registry");
	expect_refusal("[{\"asn\": 196608, \"registry\": \"ripe_ncc\"}]", "[]", "asns");
	expect_refusal("\"articles_of_association_accepted\": true", "\"articles_of_association_accepted\": false",
		       "articles_of_association_accepted");
	expect_refusal("{\"role\": \"billing\"", "{\"role\": \"noc\"", "contacts[3].role");
	expect_refusal("{\"role\": \"billing\"", "{\"role\": \"noc\"", "contacts");
	expect_refusal("\"+31201\"", "\"0201\"", "contacts[1].telephone");
	expect_refusal("\"a@e.net\"", "\"nope\"", "contacts[0].email");
	expect_refusal("\"quantity\": 1", "\"quantity\": 17", "port_order.quantity");
	expect_refusal("\"facility\": \"1\"", "\"facility\": \"x\"", "facility");
	expect_refusal("\"type\": \"member\"", "\"type\": \"peer\"", "type");
	expect_refusal("\"country\": \"NL\"", "\"country\": \"nl\"", "legal_entity.address.country");
	expect_refusal("\"registration_number\": \"1\",", "", "legal_entity.registration_number");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public_asns),
		cmocka_unit_test(test_valid_body_is_normalised),
		cmocka_unit_test(test_refusals_name_the_property),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
