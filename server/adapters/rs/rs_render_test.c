/*
 * Unit tests of the desired state's parser and the BIRD renderer: every
 * case in tests/adapters/rs/cases/ renders byte for byte to its golden file
 * in tests/adapters/rs/golden/ (RS_GOLDEN_UPDATE=1 rewrites them: read the
 * diff before committing), and what must be refused is refused with the
 * offending property. tests/adapters/rs/golden-bird.sh has BIRD parse every
 * golden file.
 */
#include "adapters/rs/rs_render.h"
#include "adapters/rs/rs_state.h"

#include "adapters/common/ad_daemon.h"
#include "core/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define CASES  "tests/adapters/rs/cases/"
#define GOLDEN "tests/adapters/rs/golden/"

static const char *const cases[] = {"full",
				    "mode-irr_and_rpki",
				    "mode-irr",
				    "mode-rpki",
				    "mode-tagging",
				    "communities-32bit-peer",
				    "transit-free-peer",
				    "no-sessions",
				    NULL};

static char *render_case(const char *name)
{
	char *path = xasprintf(CASES "%s.json", name);
	json_error_t err;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("%s: %s", path, err.text);
	struct rs_state *s = NULL;
	struct problem *p = rs_state_parse(j, &s);
	if (p)
		fail_msg("%s: %s", path, problem_detail(p));
	char *text = rs_render(s);
	rs_state_free(s);
	json_decref(j);
	free(path);
	return text;
}

static void test_golden(void **state)
{
	(void)state;
	bool is_update = getenv("RS_GOLDEN_UPDATE") && strcmp(getenv("RS_GOLDEN_UPDATE"), "1") == 0;
	for (size_t i = 0; cases[i]; i++) {
		char *text = render_case(cases[i]);
		char *path = xasprintf(GOLDEN "%s.conf", cases[i]);
		if (is_update) {
			FILE *f = fopen(path, "w");
			assert_non_null(f);
			fputs(text, f);
			fclose(f);
		}
		char *golden = ad_daemon_file_read(path, 1024 * 1024);
		if (!golden)
			fail_msg("%s is missing (RS_GOLDEN_UPDATE=1 writes it)", path);
		if (strcmp(text, golden) != 0) {
			size_t at = 0;
			while (text[at] && text[at] == golden[at])
				at++;
			fail_msg("%s differs from the rendering at byte %zu: ...%.60s", path, at, text + at);
		}
		free(golden);
		free(path);
		free(text);
	}
}

/* What the golden files must say, rule by rule, so that a golden file
 * rewritten by mistake cannot hide a lost rule. */
static void test_rules_in_full(void **state)
{
	(void)state;
	char *t = render_case("full");
	const char *expected[] = {
		"define RS_IRR_VALID = (6777, 65011);", "define RS_IRR_INVALID = (6777, 65021);",
		"define RS_RPKI_VALID = (6777, 65012);", "define RS_RPKI_INVALID = (6777, 65022);",
		"define RS_RPKI_UNKNOWN = (6777, 65023);", "\t10.0.0.0/8+,", "\t192.168.0.0/16+,",
		"if net = 0.0.0.0/0 then return false;", "if net = ::/0 then return false;",
		"if net.len < 8 || net.len > 24 then return false;",
		"if net.len < 12 || net.len > 48 then return false;", "if bgp_path.first != peer_as then return false;",
		"if bgp_next_hop != peer_ip then return false;", "if !rs_import_ok_v4(1001, 192.0.2.1, 0) then reject;",
		"if !rs_import_ok_v6(1001, 2001:db8:7f8::1, 0) then reject;", "if bgp_path.len > 32 then return false;",
		"if filter(bgp_path, RESERVED_ASNS).len > 0 then return false;", "define LAN_V4 = [192.0.2.0/24+];",
		"if net ~ LAN_V4 then return false;", "route 45.1.1.0/24 max 24 as 1001;",
		"route 45.3.0.0/16 max 24 as 1003;", "route 2a0a:1::/32 max 48 as 1001;", "\t45.1.8.0/21{22,24}\n",
		"\t2a0a:1::/32{32,48}\n", "define AS_SET_1_ORIGINS = [1001, 1004];",
		"if net ~ AS_SET_1_V4 && bgp_path.last ~ AS_SET_1_ORIGINS then bgp_community.add(RS_IRR_VALID);",
		/* action communities towards AS1002 */
		"if peer_as <= 65535 then {\n\t\tif (0, peer_as) ~ bgp_community then return false;\n"
		"\t\tif (6777, peer_as) ~ bgp_community then to_peer = true;\n\t}",
		"if (rt, 0, peer_as) ~ bgp_ext_community || (6777, 0, peer_as) ~ bgp_large_community then return false;",
		"if (rt, 6777, peer_as) ~ bgp_ext_community || (6777, 1, peer_as) ~ bgp_large_community then to_peer = true;",
		"if ((0, 6777) ~ bgp_community || (rt, 0, 6777) ~ bgp_ext_community || (6777, 0, 0) ~ "
		"bgp_large_community) &&\n\t   !to_peer then return false;",
		"if !rs_export_ok(1001, 1) then reject;", "if !rs_export_ok(1002, 2) then reject;",
		"if !rs_export_ok(1003, 0) then reject;",
		"if (6777, 65501) ~ bgp_community || (6777, 101, bgp_path.first) ~ bgp_large_community ||",
		"(6777, 103, peer_as) ~ bgp_large_community then n = 3;",
		"bgp_community.delete([(0, *), (6777, 0..65010), (6777, 65013..65020), (6777, 65024..65535)]);",
		"bgp_large_community.delete([(6777, *, *)]);", "passive on;\n\trs client;\n\tpassword \"s3cret-md5\";",
		"import table on;\n\t\timport keep filtered on;\n\t\tsecondary on;\n\t\treceive limit 100 action disable;",
		"receive limit 50 action disable;", "receive limit 200 action disable;",
		"if how = 1 && (RS_IRR_INVALID ~ bgp_community || RS_RPKI_INVALID ~ bgp_community) then return false;",
		"if how = 2 && RS_IRR_INVALID ~ bgp_community then return false;",
		"if how = 3 && RS_RPKI_INVALID ~ bgp_community then return false;",
		"# filtering tagging: nothing is withheld", NULL};
	for (size_t i = 0; expected[i]; i++)
		if (!strstr(t, expected[i]))
			fail_msg("the full case lacks: %s", expected[i]);
	assert_null(strstr(t, "protocol bgp s_102_v6"));
	assert_null(strstr(t, "protocol bgp s_103_v4"));
	free(t);

	t = render_case("communities-32bit-peer");
	assert_non_null(strstr(t, "if !rs_export_ok(210001, "));
	/* a standard community cannot name a 32-bit AS: only under peer_as <= 65535 */
	assert_non_null(strstr(t, "if peer_as <= 65535 then {\n\t\tif (0, peer_as) ~ bgp_community"));
	assert_non_null(strstr(t, "bgp_community.add(RS_IRR_INVALID); # IRR: no AS-SET named"));
	free(t);

	t = render_case("transit-free-peer");
	assert_non_null(strstr(t, "if !rs_import_ok_v4(3356, 192.0.2.30, 3356) then reject;"));
	assert_non_null(strstr(t, "# IRR: AS-NOT-LOADED: no prefixes or origins loaded"));
	free(t);
}

static void expect_refused(const char *json, const char *property)
{
	json_error_t err;
	json_t *j = json_loads(json, 0, &err);
	if (!j)
		fail_msg("bad test JSON: %s", err.text);
	struct rs_state *s = NULL;
	struct problem *p = rs_state_parse(j, &s);
	if (!p)
		fail_msg("accepted: %s", json);
	json_t *jp = problem_to_json(p, NULL);
	const char *name =
		json_string_value(json_object_get(json_array_get(json_object_get(jp, "properties"), 0), "name"));
	if (!name || strcmp(name, property) != 0)
		fail_msg("%s: refused for %s, not %s (%s)", json, name ? name : "(none)", property, problem_detail(p));
	assert_int_equal(problem_status(p), 400);
	json_decref(jp);
	problem_free(p);
	json_decref(j);
}

#define RS "\"asn\": 6777, \"ipv4\": \"192.0.2.251\", "

/* The route server's ASN: any 16-bit one but 0, 23456 and 65535; the demo's
 * documentation ASN 64496 and a private one render their communities. */
static void test_rs_asn_accepted(void **state)
{
	(void)state;
	const long ok[] = {1, 6777, 23455, 23457, 64496, 64511, 64512, 65534};
	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		char text[256];
		snprintf(text, sizeof(text),
			 "{\"asn\": %ld, \"ipv4\": \"192.0.2.1\", \"sessions\": [{\"id\": \"a\", \"peer_asn\": 206238,"
			 " \"ipv4\": \"192.0.2.3\"}]}",
			 ok[i]);
		json_t *j = json_loads(text, 0, NULL);
		struct rs_state *s = NULL;
		struct problem *p = rs_state_parse(j, &s);
		if (p)
			fail_msg("asn %ld refused: %s", ok[i], problem_detail(p));
		char *t = rs_render(s);
		char want[64];
		snprintf(want, sizeof(want), "define RS_IRR_VALID = (%ld, 65011);", ok[i]);
		assert_non_null(strstr(t, want));
		free(t);
		rs_state_free(s);
		json_decref(j);
	}
}

static void test_refusals(void **state)
{
	(void)state;
	expect_refused("{\"ipv4\": \"192.0.2.251\", \"sessions\": []}", "asn");
	expect_refused("{\"asn\": 4200000001, \"ipv4\": \"192.0.2.251\", \"sessions\": []}", "asn");
	expect_refused("{\"asn\": 0, \"ipv4\": \"192.0.2.251\", \"sessions\": []}", "asn");
	expect_refused("{\"asn\": 23456, \"ipv4\": \"192.0.2.251\", \"sessions\": []}", "asn");
	expect_refused("{\"asn\": 65535, \"ipv4\": \"192.0.2.251\", \"sessions\": []}", "asn");
	expect_refused("{\"asn\": 65536, \"ipv4\": \"192.0.2.251\", \"sessions\": []}", "asn");
	expect_refused("{\"asn\": \"64496\", \"ipv4\": \"192.0.2.251\", \"sessions\": []}", "asn");
	expect_refused("{" RS "\"sessions\": [], \"mode\": 1}", "mode");
	expect_refused("{\"asn\": 6777, \"sessions\": []}", "ipv4");
	expect_refused("{" RS "\"lan_v4\": \"192.0.2.1/24\", \"sessions\": []}", "lan_v4");
	expect_refused("{" RS "\"sessions\": [{\"id\": \"a-b\", \"peer_asn\": 1, \"ipv4\": \"192.0.2.1\"}]}",
		       "sessions[0].id");
	expect_refused("{" RS "\"sessions\": [{\"id\": \"a\", \"peer_asn\": 1, \"ipv4\": \"192.0.2.1\"},"
		       "{\"id\": \"a\", \"peer_asn\": 2, \"ipv4\": \"192.0.2.2\"}]}",
		       "sessions[1].id");
	expect_refused("{" RS "\"sessions\": [{\"id\": \"a\", \"peer_asn\": 0, \"ipv4\": \"192.0.2.1\"}]}",
		       "sessions[0].peer_asn");
	expect_refused("{" RS "\"sessions\": [{\"id\": \"a\", \"peer_asn\": 1, \"ipv4\": \"192.0.2.1;\"}]}",
		       "sessions[0].ipv4");
	expect_refused("{" RS "\"sessions\": [{\"id\": \"a\", \"peer_asn\": 1, \"ipv6\": \"2001:db8::1\"}]}",
		       "sessions[0].ipv6");
	/* a password could otherwise end the string and add configuration */
	expect_refused("{" RS "\"sessions\": [{\"id\": \"a\", \"peer_asn\": 1, \"ipv4\": \"192.0.2.1\", "
		       "\"password\": \"x\\\"; }\\nprotocol\"}]}",
		       "sessions[0].password");
	expect_refused("{" RS "\"sessions\": [{\"id\": \"a\", \"peer_asn\": 1, \"ipv4\": \"192.0.2.1\", "
		       "\"filtering\": \"none\"}]}",
		       "sessions[0].filtering");
	expect_refused("{" RS "\"sessions\": [{\"id\": \"a\", \"peer_asn\": 1, \"ipv4\": \"192.0.2.1\", "
		       "\"max_prefix_v4\": 0}]}",
		       "sessions[0].max_prefix_v4");
	expect_refused("{" RS "\"sessions\": [{\"id\": \"a\", \"peer_asn\": 1, \"ipv4\": \"192.0.2.1\", "
		       "\"as_set_v4\": \"AS-X\\n}\"}]}",
		       "sessions[0].as_set_v4");
	expect_refused("{" RS "\"sessions\": [], \"as_sets\": {\"AS-X\": {\"prefixes_v4\": "
		       "[{\"prefix\": \"45.0.0.1/16\", \"exact\": true}]}}}",
		       "as_sets.AS-X.prefixes_v4");
	expect_refused(
		"{" RS "\"sessions\": [], \"as_sets\": {\"AS-X\": {\"prefixes_v4\": "
		"[{\"prefix\": \"45.0.0.0/16\", \"exact\": false, \"greater-equal\": 25, \"less-equal\": 24}]}}}",
		"as_sets.AS-X.prefixes_v4");
	expect_refused("{" RS "\"sessions\": [], \"roas\": [{\"prefix\": \"45.0.0.0/16\", \"max_length\": 8, "
		       "\"asn\": 1}]}",
		       "roas");
	expect_refused("{" RS "\"sessions\": [], \"roas\": [], \"roas_version\": \"v1\"}", "roas_version");
	expect_refused("{" RS "\"sessions\": [], \"roas_version\": \"v 1\"}", "roas_version");
	expect_refused("{" RS "\"sessions\": [], \"roas_version\": 1}", "roas_version");
}

#define SESSIONS "\"sessions\": [{\"id\": \"a\", \"peer_asn\": 64500, \"ipv4\": \"192.0.2.1\"}]"

static struct problem *table_of(const char *json, struct rs_roa_table **t)
{
	json_t *j = json_loads(json, 0, NULL);
	assert_non_null(j);
	struct problem *p = rs_roa_table_parse(j, t);
	json_decref(j);
	return p;
}

/* PUT /v1/roas: a version and the list; a state naming the version renders
 * the table's ROAs exactly as the same ROAs inline would. */
static void test_roa_table(void **state)
{
	(void)state;
	struct rs_roa_table *t = NULL;
	assert_null(table_of("{\"version\": \"roas-1\", \"roas\": [{\"prefix\": \"45.0.0.0/16\", \"max_length\": 24,"
			     " \"asn\": 64500}, {\"prefix\": \"2001:db8::/32\", \"maxLength\": 48, \"asn\": \"AS0\"}]}",
			     &t));
	assert_int_equal(t->n, 2);
	assert_string_equal(t->version, "roas-1");
	json_t *j_named = json_loads("{" RS "\"roas_version\": \"roas-1\", " SESSIONS "}", 0, NULL);
	json_t *j_inline =
		json_loads("{" RS "\"roas\": [{\"prefix\": \"45.0.0.0/16\", \"max_length\": 24, \"asn\": 64500},"
			   " {\"prefix\": \"2001:db8::/32\", \"max_length\": 48, \"asn\": 0}], " SESSIONS "}",
			   0, NULL);
	struct rs_state *named = NULL, *inl = NULL;
	assert_null(rs_state_parse(j_named, &named));
	assert_null(rs_state_parse(j_inline, &inl));
	assert_string_equal(named->roas_version, "roas-1");
	named->roa_table = rs_roa_table_ref(t);
	char *a = rs_render(named), *b = rs_render(inl);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "route 45.0.0.0/16 max 24 as 64500;"));
	free(a);
	free(b);
	rs_state_free(named); /* drops its reference: the table lives on */
	assert_int_equal(t->refs, 1);
	rs_state_free(inl);
	rs_roa_table_unref(t);
	json_decref(j_named);
	json_decref(j_inline);
	/* refusals */
	struct problem *p_tmp;
	assert_non_null((p_tmp = table_of("{\"roas\": []}", &t)));
	problem_free(p_tmp);
	assert_non_null((p_tmp = table_of("{\"version\": \"\", \"roas\": []}", &t)));
	problem_free(p_tmp);
	assert_non_null((p_tmp = table_of("{\"version\": \"v\", \"roas\": [{\"prefix\": \"45.0.0.1/16\"}]}", &t)));
	problem_free(p_tmp);
	assert_non_null((p_tmp = table_of("{\"version\": \"v\", \"roas\": [], \"extra\": 1}", &t)));
	problem_free(p_tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),    cmocka_unit_test(test_rules_in_full),
		cmocka_unit_test(test_refusals),  cmocka_unit_test(test_rs_asn_accepted),
		cmocka_unit_test(test_roa_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
