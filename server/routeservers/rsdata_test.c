/*
 * Unit tests of the imported IRR/RPKI data: bgpq4's JSON output (as
 * printed and as a bare list), rpki-client/Routinator ROA exports, and the
 * problems bad input gets (each naming the property).
 */
#include "routeservers/rsdata.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *as_set_text(const char *in)
{
	json_t *j = json_loads(in, 0, NULL), *out = NULL;
	assert_non_null(j);
	struct problem *p = rsdata_as_set_parse(j, &out);
	json_decref(j);
	if (p)
		fail_msg("%s: %s", in, problem_detail(p));
	char *text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(out);
	return text;
}

/* The property a bad expansion's problem names ("" when accepted). */
static const char *as_set_refusal(const char *in)
{
	static char prop[64];
	json_t *j = json_loads(in, 0, NULL), *out = NULL;
	assert_non_null(j);
	struct problem *p = rsdata_as_set_parse(j, &out);
	json_decref(j);
	json_decref(out);
	prop[0] = '\0';
	if (p) {
		json_t *pj = problem_to_json(p, "/x");
		const char *name = json_string_value(
			json_object_get(json_array_get(json_object_get(pj, "properties"), 0), "name"));
		snprintf(prop, sizeof(prop), "%s", name ? name : "?");
		json_decref(pj);
		problem_free(p);
	} else
		assert_null(p);
	return prop;
}

static void test_bgpq4_output(void **state)
{
	(void)state;
	/* as bgpq4 -j prints it: {"NN": [...]}; aggregated entries keep their range */
	char *t = as_set_text("{\"prefixes_v4\": {\"NN\": [{\"prefix\": \"203.0.113.0/24\", \"exact\": true},"
			      " {\"prefix\": \"198.51.100.0/22\", \"exact\": false, \"greater-equal\": 23,"
			      " \"less-equal\": 24}]},"
			      " \"prefixes_v6\": {\"NN\": [{\"prefix\": \"2001:db8::/32\", \"exact\": true}]},"
			      " \"origins\": {\"NN\": [206238, 64500]}}");
	assert_string_equal(t,
			    "{\"origins\":[206238,64500],\"prefixes_v4\":[{\"exact\":true,\"prefix\":"
			    "\"203.0.113.0/24\"},{\"exact\":false,\"greater-equal\":23,\"less-equal\":24,\"prefix\":"
			    "\"198.51.100.0/22\"}],\"prefixes_v6\":[{\"exact\":true,\"prefix\":\"2001:db8::/32\"}]}");
	free(t);
	/* bare lists; absent members are empty; "AS<n>" origins */
	t = as_set_text("{\"origins\": [\"AS206238\", 1]}");
	assert_string_equal(t, "{\"origins\":[206238,1],\"prefixes_v4\":[],\"prefixes_v6\":[]}");
	free(t);
	/* only less-equal: ge is the length; only greater-equal: le is the family's */
	t = as_set_text("{\"prefixes_v4\": [{\"prefix\": \"10.0.0.0/8\", \"exact\": false, \"less-equal\": 24},"
			" {\"prefix\": \"11.0.0.0/8\", \"exact\": false, \"greater-equal\": 16}]}");
	assert_non_null(strstr(t, "\"greater-equal\":8,\"less-equal\":24"));
	assert_non_null(strstr(t, "\"greater-equal\":16,\"less-equal\":32"));
	free(t);
}

static void test_bgpq4_refusals(void **state)
{
	(void)state;
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": [{\"prefix\": \"203.0.113.1/24\"}]}"), "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": [{\"prefix\": \"2001:db8::/32\"}]}"), "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v6\": [{\"prefix\": \"203.0.113.0/24\"}]}"), "prefixes_v6");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": [{\"prefix\": \"203.0.113.0/33\"}]}"), "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": [{\"prefix\": \"203.0.113.0/024\"}]}"), "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": [{\"prefix\": \"10.0.0.0/8\", \"greater-equal\": 7}]}"),
			    "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": [{\"prefix\": \"10.0.0.0/8\", \"greater-equal\": 20,"
					   " \"less-equal\": 16}]}"),
			    "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": [{\"prefix\": \"10.0.0.0/8\", \"less-equal\": 33}]}"),
			    "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": [{\"prefix\": \"10.0.0.0/8\", \"exact\": 1}]}"),
			    "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": [{\"prefix\": \"10.0.0.0/8\", \"other\": 1}]}"),
			    "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": {\"A\": [], \"B\": []}}"), "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"prefixes_v4\": \"10.0.0.0/8\"}"), "prefixes_v4");
	assert_string_equal(as_set_refusal("{\"origins\": [0]}"), "origins");
	assert_string_equal(as_set_refusal("{\"origins\": [4294967296]}"), "origins");
	assert_string_equal(as_set_refusal("{\"origins\": [\"AS01\"]}"), "origins");
	assert_string_equal(as_set_refusal("{\"origins\": 5}"), "origins");
	assert_string_equal(as_set_refusal("{\"members\": []}"), "members");
	assert_string_equal(as_set_refusal("{}"), "prefixes_v4");
}

static void test_roas(void **state)
{
	(void)state;
	json_t *j = json_loads(
		       "{\"metadata\": {\"buildtime\": \"x\"}, \"roas\": ["
		       "{\"asn\": \"AS13335\", \"prefix\": \"1.0.0.0/24\", \"maxLength\": 24, \"ta\": \"apnic\"},"
		       "{\"asn\": 0, \"prefix\": \"2001:db8::/32\", \"max_length\": 48},"
		       "{\"asn\": 64500, \"prefix\": \"10.0.0.0/8\"}]}",
		       0, NULL),
	       *out = NULL;
	assert_null(rsdata_roas_parse(j, &out));
	char *t = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(
		t, "[{\"asn\":13335,\"max_length\":24,\"prefix\":\"1.0.0.0/24\"},{\"asn\":0,\"max_length\":48,"
		   "\"prefix\":\"2001:db8::/32\"},{\"asn\":64500,\"max_length\":8,\"prefix\":\"10.0.0.0/8\"}]");
	free(t);
	json_decref(out);
	json_decref(j);
	const char *bad[] = {
		"{\"roas\": [{\"asn\": 1, \"prefix\": \"1.0.0.1/24\", \"maxLength\": 24}]}",
		"{\"roas\": [{\"asn\": 1, \"prefix\": \"1.0.0.0/24\", \"maxLength\": 23}]}",
		"{\"roas\": [{\"asn\": 1, \"prefix\": \"1.0.0.0/24\", \"maxLength\": 33}]}",
		"{\"roas\": [{\"asn\": 1, \"prefix\": \"2001:db8::/32\", \"maxLength\": 129}]}",
		"{\"roas\": [{\"asn\": -1, \"prefix\": \"1.0.0.0/24\"}]}",
		"{\"roas\": [{\"asn\": \"ASX\", \"prefix\": \"1.0.0.0/24\"}]}",
		"{\"roas\": [{\"prefix\": \"1.0.0.0/24\"}]}",
		"{\"roas\": [5]}",
		"{\"roas\": {}}",
		"{\"roa\": []}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = json_loads(bad[i], 0, NULL);
		struct problem *p = rsdata_roas_parse(j, &out);
		if (!p)
			fail_msg("accepted %s", bad[i]);
		assert_null(out);
		problem_free(p);
		json_decref(j);
	}
}

static void test_prefix_ok(void **state)
{
	(void)state;
	int fam = 0, len = 0;
	assert_true(rsdata_prefix_ok("0.0.0.0/0", 4, &fam, &len));
	assert_int_equal(fam, 4);
	assert_int_equal(len, 0);
	assert_true(rsdata_prefix_ok("2001:db8::/128", 0, &fam, &len));
	assert_int_equal(fam, 6);
	assert_int_equal(len, 128);
	assert_false(rsdata_prefix_ok("10.0.0.0", 0, NULL, NULL));
	assert_false(rsdata_prefix_ok("10.0.0.0/", 0, NULL, NULL));
	assert_false(rsdata_prefix_ok("/8", 0, NULL, NULL));
	assert_false(rsdata_prefix_ok("10.0.0.0/8x", 0, NULL, NULL));
	assert_false(rsdata_prefix_ok("10.0.0.0/-8", 0, NULL, NULL));
	assert_false(rsdata_prefix_ok("10.0.0.0/8", 6, NULL, NULL));
	assert_false(rsdata_prefix_ok("10.0.0.256/32", 4, NULL, NULL));
	assert_false(rsdata_prefix_ok(NULL, 0, NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bgpq4_output),
		cmocka_unit_test(test_bgpq4_refusals),
		cmocka_unit_test(test_roas),
		cmocka_unit_test(test_prefix_ok),
	};
	return cmocka_run_group_tests_name("rsdata", tests, NULL, NULL);
}
