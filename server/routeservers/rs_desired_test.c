/*
 * Unit tests of the route server's desired state: the session limit (the
 * dynamic table's edges through bgp_max_prefix_limit, 100 while unknown, a
 * member's own limit within the LAN's ceiling), AS-SET keys, filtering
 * modes, and a whole rendering from the database's facts.
 */
#include "routeservers/rs_desired.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static void test_limit_dynamic(void **state)
{
	(void)state;
	const struct {
		long long observed, limit;
	} cases[] = {
		{-1, 100},    {0, 100},      {49, 100},     {50, 500},      {249, 500},     {250, 1000},
		{499, 1000},  {500, 2000},   {999, 2000},   {1000, 3000},   {1500, 3000},   {1999, 3000},
		{2000, 4000}, {9000, 11000}, {9999, 12000}, {10000, 13000}, {15000, 19000},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long got = rs_session_limit(-1, cases[i].observed, 320000);
		if (got != cases[i].limit)
			fail_msg("observed %lld: limit %lld, expected %lld", cases[i].observed, got, cases[i].limit);
	}
}

static void test_limit_explicit_and_ceiling(void **state)
{
	(void)state;
	assert_int_equal(rs_session_limit(5000, 10, 320000), 5000);     /* the member's own wins */
	assert_int_equal(rs_session_limit(50, 100000, 320000), 50);     /* also below the dynamic one */
	assert_int_equal(rs_session_limit(400000, -1, 320000), 320000); /* within the ceiling */
	assert_int_equal(rs_session_limit(-1, 300000, 320000), 320000); /* the dynamic one too */
	assert_int_equal(rs_session_limit(-1, 300000, -1), 361000);
	assert_int_equal(rs_session_limit(0, -1, 320000), 1); /* BIRD's limit is at least 1 */
	assert_int_equal(rs_session_limit(-1, -1, 0), 1);
	assert_int_equal(rs_session_limit(-1, 100000000, -1), RS_LIMIT_MAX); /* the adapter's ceiling */
}

static void test_as_set_key_and_modes(void **state)
{
	(void)state;
	char key[64];
	assert_true(rs_as_set_key("AS-EXAMPLE@RIPE", key, sizeof(key)));
	assert_string_equal(key, "AS-EXAMPLE.RIPE");
	assert_true(rs_as_set_key("as1200:as-customers@radb", key, sizeof(key)));
	assert_string_equal(key, "AS1200:AS-CUSTOMERS.RADB");
	assert_false(rs_as_set_key("AS-TOO-LONG@RIPE", key, 8));
	assert_false(rs_as_set_key("", key, sizeof(key)));
	assert_string_equal(rs_filtering_of_flag("irrdb_rpki"), "irr_and_rpki");
	assert_string_equal(rs_filtering_of_flag("irrdb"), "irr");
	assert_string_equal(rs_filtering_of_flag("rpki"), "rpki");
	assert_string_equal(rs_filtering_of_flag("tagging"), "tagging");
	assert_string_equal(rs_filtering_of_flag(NULL), "irr_and_rpki");
	assert_string_equal(rs_filtering_of_flag("bogus"), "irr_and_rpki");
}

static const char facts[] =
	"{\"route_server\": {\"id\": \"1\", \"name\": \"rs1\", \"fqdn\": \"rs1.ix.example\", \"asn\": 6777,"
	"  \"ip_v4\": \"192.0.2.1\", \"ip_v6\": \"2001:db8::1\"},"
	" \"lan\": {\"subnet_v4\": \"192.0.2.0/24\", \"subnet_v6\": \"2001:db8::/64\","
	"  \"max_prefix_ceiling_v4\": 1000, \"max_prefix_ceiling_v6\": 80000},"
	" \"sessions\": ["
	"  {\"id\": \"12\", \"asn\": 206238, \"ip\": \"192.0.2.10\", \"ip_version\": 4, \"password\": \"s3cret\","
	"   \"filtering_mode\": \"irrdb\", \"as_set_v4\": \"AS-DEMO@RIPE\", \"as_set_v6\": null,"
	"   \"max_prefix_v4\": null, \"max_prefix_v6\": 20, \"observed_v4\": 60, \"observed_v6\": null},"
	"  {\"id\": \"13\", \"asn\": 64500, \"ip\": \"2001:db8::10\", \"ip_version\": 6, \"password\": null,"
	"   \"filtering_mode\": null, \"as_set_v4\": null, \"as_set_v6\": null,"
	"   \"max_prefix_v4\": 5000, \"max_prefix_v6\": null, \"observed_v4\": null, \"observed_v6\": 300}],"
	" \"as_sets\": {\"AS-DEMO@RIPE\": {\"prefixes_v4\": [{\"prefix\": \"203.0.113.0/24\", \"exact\": true}],"
	"  \"prefixes_v6\": [], \"origins\": [206238]}},"
	" \"roas_version\": \"roas-0123456789abcdef0123456789abcdef\"}";

static void test_render(void **state)
{
	(void)state;
	json_t *f = json_loads(facts, 0, NULL);
	assert_non_null(f);
	char err[256];
	json_t *d = rs_desired_render(f, err, sizeof(err));
	assert_non_null(d);
	char *text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	const char *want =
		"{\"as_sets\":{\"AS-DEMO.RIPE\":{\"origins\":[206238],\"prefixes_v4\":[{\"exact\":true,\"prefix\":"
		"\"203.0.113.0/24\"}],\"prefixes_v6\":[]}},\"asn\":6777,\"ipv4\":\"192.0.2.1\",\"ipv6\":\"2001:db8::1\","
		"\"lan_v4\":\"192.0.2.0/24\",\"lan_v6\":\"2001:db8::/64\","
		"\"roas_version\":\"roas-0123456789abcdef0123456789abcdef\",\"router_id\":\"192.0.2.1\",\"sessions\":["
		"{\"as_set_v4\":\"AS-DEMO.RIPE\",\"filtering\":\"irr\",\"id\":\"12\",\"ipv4\":\"192.0.2.10\","
		"\"max_prefix_v4\":500,\"max_prefix_v6\":20,\"password\":\"s3cret\",\"peer_asn\":206238},"
		"{\"filtering\":\"irr_and_rpki\",\"id\":\"13\",\"ipv6\":\"2001:db8::10\",\"max_prefix_v4\":1000,"
		"\"max_prefix_v6\":1000,\"peer_asn\":64500}]}";
	if (strcmp(text, want) != 0)
		fail_msg("rendered\n%s\nexpected\n%s", text, want);
	free(text);
	json_decref(d);
	/* no route server: no state */
	json_object_del(f, "route_server");
	assert_null(rs_desired_render(f, err, sizeof(err)));
	assert_non_null(strstr(err, "route server"));
	json_decref(f);
	/* no sessions, no data (no ROA table version): an empty route server still renders, with no ROAs */
	f = json_loads("{\"route_server\": {\"asn\": 6777, \"ip_v4\": \"192.0.2.1\"}}", 0, NULL);
	d = rs_desired_render(f, err, sizeof(err));
	text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"as_sets\":{},\"asn\":6777,\"ipv4\":\"192.0.2.1\",\"roas\":[],\"router_id\":"
				  "\"192.0.2.1\",\"sessions\":[]}");
	free(text);
	json_decref(d);
	json_decref(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_dynamic),
		cmocka_unit_test(test_limit_explicit_and_ceiling),
		cmocka_unit_test(test_as_set_key_and_modes),
		cmocka_unit_test(test_render),
	};
	return cmocka_run_group_tests_name("rs_desired", tests, NULL, NULL);
}
