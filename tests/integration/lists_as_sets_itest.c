/*
 * Lists as sets (issue 9 items 1-3) for contacts, roles, role assignments,
 * MACs, IPs, accounts and the catalog: with the per-row scope function
 * (account_in_scope, which contact_in_scope and owner_in_scope call) and
 * the per-row renderers (<resource>_json) made to fail, lists and reads
 * still answer exactly the caller's objects, so neither is in their path;
 * with the rendering of one row made to fail, a page that does not hold it
 * still answers, so only the requested page is rendered. The database is
 * the test's own: the sabotaged functions are put back after each test.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixtures.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;
static char *op_token, *member_token;

/* The member M, an account S it manages, a foreign account F, and objects
 * of each; the second MAC and IP of M (the last ones created) are valid
 * until 2099, the instant test_only_the_page_is_rendered sabotages. */
static char sub[24], foreign[24];
static char c_m[24], c_s[24], c_fm[24], c_f[24], ra_m[24], ra_f[24];
static char mac_m1[24], mac_s[24], mac_f[24], mac_m2[24];
static char ip_m1[24], ip_s[24], ip_f[24], ip_m2[24];

static void sql_id(char *out, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_int_equal(itest_sql(&srv, sql, out, 24), 0);
	assert_true(out[0] != '\0');
}

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &op_token, &member_token) != 0)
		return -1;
	const char *m = srv.member_creds.account;
	/* with the member's address: the responses are checked against the spec */
	sql_id(sub,
	       "INSERT INTO accounts (managing_account, name, address)"
	       " SELECT id, 'sets sub', address FROM accounts WHERE id = %s RETURNING id",
	       m);
	sql_id(foreign,
	       "INSERT INTO accounts (name, address) SELECT 'sets foreign', address FROM accounts WHERE id = %s"
	       " RETURNING id",
	       m);
	const char *contact = "INSERT INTO contacts (managing_account, consuming_account, email, telephone)"
			      " VALUES (%s, %s, 'noc@example.net', '+4930123456') RETURNING id";
	sql_id(c_m, contact, m, m);
	sql_id(c_s, contact, sub, sub);
	sql_id(c_fm, contact, foreign, m); /* consumed by M: M sees it */
	sql_id(c_f, contact, foreign, foreign);
	const char *assignment = "INSERT INTO role_assignments (contact, role)"
				 " SELECT %s, id FROM roles WHERE name = 'noc' RETURNING id";
	sql_id(ra_m, assignment, c_m);
	sql_id(ra_f, assignment, c_f);
	const char *mac = "INSERT INTO macs (managing_account, consuming_account, address, valid_not_after)"
			  " VALUES (%s, %s, '02:00:00:00:00:0%d', %s) RETURNING id";
	sql_id(mac_m1, mac, m, m, 1, "NULL");
	sql_id(mac_s, mac, sub, sub, 2, "NULL");
	sql_id(mac_f, mac, foreign, foreign, 3, "NULL");
	const char *ip = "INSERT INTO ips (managing_account, consuming_account, version, address, prefix_length,"
			 " valid_not_after) VALUES (%s, %s, 4, '198.51.100.%d', 24, %s) RETURNING id";
	sql_id(ip_m1, ip, m, m, 1, "NULL");
	sql_id(ip_s, ip, sub, sub, 2, "NULL");
	sql_id(ip_f, ip, foreign, foreign, 3, "NULL");
	/* many foreign rows: a member's list must not depend on them */
	char sql[1024];
	snprintf(
		sql, sizeof(sql),
		"INSERT INTO contacts (managing_account, consuming_account) SELECT %s, %s FROM generate_series(1, 300);INSERT INTO macs (managing_account, consuming_account, address)"
		" SELECT %s, %s, '02:00:00:00:01:01' FROM generate_series(1, 300);INSERT INTO ips (managing_account, consuming_account, version, address, prefix_length)"
		" SELECT %s, %s, 6, ('2001:db8::' || to_hex(g))::inet, 64 FROM generate_series(1, 300) g",
		foreign, foreign, foreign, foreign, foreign, foreign);
	assert_int_equal(itest_sql(&srv, sql, NULL, 0), 0);
	sql_id(mac_m2, mac, m, m, 4, "'2099-01-01T00:00:00Z'");
	sql_id(ip_m2, ip, m, m, 4, "'2099-01-01T00:00:00Z'");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, op_token, member_token);
}

/* Renames fn (signature sig) aside and puts in its place one (parameters
 * `params`, passed on as `args`) that fails when `when` holds; restore()
 * puts the original back. */
static void sabotage(const char *fn, const char *sig, const char *params, const char *args, const char *returns,
		     const char *when)
{
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "ALTER FUNCTION %s(%s) RENAME TO %s_saved;"
		 " CREATE FUNCTION %s(%s) RETURNS %s LANGUAGE plpgsql STABLE AS $f$"
		 " BEGIN IF %s THEN RAISE EXCEPTION '%s must not run here'; END IF; RETURN %s_saved(%s); END $f$",
		 fn, sig, fn, fn, params, returns, when, fn, fn, args);
	assert_int_equal(itest_sql(&srv, sql, NULL, 0), 0);
}

static void restore(const char *fn, const char *sig)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "DROP FUNCTION %s(%s); ALTER FUNCTION %s_saved(%s) RENAME TO %s", fn, sig, fn, sig,
		 fn);
	assert_int_equal(itest_sql(&srv, sql, NULL, 0), 0);
}

/* The per-row renderers of the resources of this test. */
static const char *const renderers[][2] = {
	{"contact_json", "contacts"},
	{"role_json", "roles"},
	{"role_assignment_json", "role_assignments"},
	{"mac_json", "macs"},
	{"ip_json", "ips"},
	{"account_json", "accounts"},
	{"metro_area_json", "metro_areas"},
	{"metro_area_network_json", "metro_area_networks"},
	{"facility_json", "facilities"},
	{"pop_json", "pops"},
	{"device_json", "devices"},
	{"availability_zone_json", "availability_zones"},
	{"product_offering_json", "product_offerings"},
};
#define RENDERERS (sizeof(renderers) / sizeof(renderers[0]))

static json_t *get(const char *token, const char *path, long status)
{
	return itest_expect(&srv, "GET", path, token, NULL, status);
}

/* The ids of a list, comma-separated, in order. */
static void ids_of(const json_t *j, char *out, size_t len)
{
	out[0] = '\0';
	size_t i;
	json_t *e;
	json_array_foreach (j, i, e) {
		size_t n = strlen(out);
		snprintf(out + n, len - n, "%s%s", n ? "," : "", json_string_value(json_object_get(e, "id")));
	}
}

static void expect_ids(const char *token, const char *path, const char *want)
{
	json_t *j = get(token, path, 200);
	char got[512];
	ids_of(j, got, sizeof(got));
	json_decref(j);
	if (strcmp(got, want) != 0)
		fail_msg("GET %s: ids %s, want %s", path, got, want);
}

static void expect_read(const char *token, const char *collection, const char *id, long status)
{
	char path[96];
	snprintf(path, sizeof(path), "%s/%s", collection, id);
	json_t *j = get(token, path, status);
	if (status == 200)
		assert_string_equal(json_string_value(json_object_get(j, "id")), id);
	json_decref(j);
}

static void test_no_per_row_scope_or_renderer(void **state)
{
	(void)state;
	sabotage("account_in_scope", "bigint, bigint, boolean", "target bigint, viewer bigint, op boolean",
		 "target, viewer, op", "boolean", "true");
	for (size_t i = 0; i < RENDERERS; i++) {
		char args[96];
		snprintf(args, sizeof(args), "x %s", renderers[i][1]);
		sabotage(renderers[i][0], renderers[i][1], args, "x", "jsonb", "true");
	}
	/* the sabotage holds: the old path would fail */
	char v[24];
	assert_int_not_equal(itest_sql(&srv, "SELECT contact_in_scope(c, 1, false) FROM contacts c LIMIT 1", v, 1), 0);
	assert_int_not_equal(itest_sql(&srv, "SELECT mac_json(m) FROM macs m LIMIT 1", v, 1), 0);

	const char *mt = member_token;
	char want[256], path[128];
	snprintf(want, sizeof(want), "%s,%s,%s", c_m, c_s, c_fm);
	expect_ids(mt, "/contacts", want);
	snprintf(path, sizeof(path), "/contacts?managing_account=%s", foreign);
	expect_ids(mt, path, c_fm);
	expect_read(mt, "/contacts", c_s, 200);
	expect_read(mt, "/contacts", c_f, 404);
	expect_ids(mt, "/role-assignments", ra_m);
	expect_read(mt, "/role-assignments", ra_m, 200);
	expect_read(mt, "/role-assignments", ra_f, 404);
	/* the roles of a contact the caller sees; none of another's */
	snprintf(path, sizeof(path), "/roles?contact=%s", c_m);
	json_t *j = get(mt, path, 200);
	assert_int_equal(json_array_size(j), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "name")), "noc");
	json_decref(j);
	snprintf(path, sizeof(path), "/roles?contact=%s", c_f);
	expect_ids(mt, path, "");
	j = get(mt, "/roles", 200);
	assert_int_equal(json_array_size(j), 6);
	expect_read(mt, "/roles", json_string_value(json_object_get(json_array_get(j, 0), "id")), 200);
	json_decref(j);
	snprintf(want, sizeof(want), "%s,%s,%s", mac_m1, mac_s, mac_m2);
	expect_ids(mt, "/macs", want);
	expect_read(mt, "/macs", mac_s, 200);
	expect_read(mt, "/macs", mac_f, 404);
	snprintf(want, sizeof(want), "%s,%s,%s", ip_m1, ip_s, ip_m2);
	expect_ids(mt, "/ips", want);
	expect_read(mt, "/ips", ip_s, 200);
	expect_read(mt, "/ips", ip_f, 404);
	snprintf(want, sizeof(want), "%s,%s", srv.member_creds.account, sub);
	expect_ids(mt, "/accounts", want);
	snprintf(path, sizeof(path), "/accounts?id=%s,%s", sub, foreign);
	expect_ids(mt, path, sub);
	expect_read(mt, "/accounts", sub, 200);
	expect_read(mt, "/accounts", foreign, 404);
	/* operators see every object */
	snprintf(path, sizeof(path), "/accounts?id=%s,%s", sub, foreign);
	snprintf(want, sizeof(want), "%s,%s", sub, foreign);
	expect_ids(op_token, path, want);
	snprintf(path, sizeof(path), "/macs?id=%s,%s", mac_f, mac_s);
	snprintf(want, sizeof(want), "%s,%s", mac_s, mac_f);
	expect_ids(op_token, path, want);
	expect_read(op_token, "/contacts", c_f, 200);
	/* the catalog, listed and read */
	static const char *const catalog[] = {"/metro-areas", "/metro-area-networks", "/facilities",       "/pops",
					      "/devices",     "/availability-zones",  "/product-offerings"};
	for (size_t i = 0; i < sizeof(catalog) / sizeof(catalog[0]); i++) {
		j = get(mt, catalog[i], 200);
		assert_true(json_array_size(j) > 0);
		expect_read(mt, catalog[i], json_string_value(json_object_get(json_array_get(j, 0), "id")), 200);
		json_decref(j);
	}

	restore("account_in_scope", "bigint, bigint, boolean");
	for (size_t i = 0; i < RENDERERS; i++)
		restore(renderers[i][0], renderers[i][1]);
}

/* A page: 206, its ids in order and the whole list's count. */
static void expect_page(const char *token, const char *path, const char *want, const char *total)
{
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", path, token, NULL, NULL, &r), 0);
	if (r.status != 206)
		fail_msg("GET %s: %ld %s", path, r.status, r.body);
	char got[512];
	ids_of(r.j, got, sizeof(got));
	assert_string_equal(got, want);
	assert_string_equal(r.total_count, total);
	http_result_free(&r);
}

static void test_only_the_page_is_rendered(void **state)
{
	(void)state;
	/* rendering the 2099 instant fails: the objects that hold it (the
	 * last MAC and IP of M, the last product offering) must stay off the
	 * page */
	assert_int_equal(itest_sql(&srv,
				   "UPDATE product_offerings SET orderable_not_after = '2099-01-01T00:00:00Z'"
				   " WHERE id = (SELECT max(id) FROM product_offerings)",
				   NULL, 0),
			 0);
	char offerings[24], first_offering[24];
	assert_int_equal(itest_sql(&srv, "SELECT count(*) FROM product_offerings", offerings, sizeof(offerings)), 0);
	assert_int_equal(
		itest_sql(&srv, "SELECT min(id) FROM product_offerings", first_offering, sizeof(first_offering)), 0);
	sabotage("rfc3339", "timestamptz", "t timestamptz", "t", "text", "t = '2099-01-01T00:00:00Z'");
	char v[24];
	assert_int_not_equal(itest_sql(&srv, "SELECT rfc3339('2099-01-01T00:00:00Z')", v, sizeof(v)), 0);

	char want[128];
	snprintf(want, sizeof(want), "%s,%s", mac_m1, mac_s);
	expect_page(member_token, "/macs?page_limit=2", want, "3");
	expect_page(member_token, "/macs?page_limit=1&page_offset=1", mac_s, "3");
	snprintf(want, sizeof(want), "%s,%s", ip_m1, ip_s);
	expect_page(member_token, "/ips?page_limit=2", want, "3");
	expect_page(op_token, "/product-offerings?page_limit=1", first_offering, offerings);

	restore("rfc3339", "timestamptz");
	/* and past the page's end the rest is there */
	expect_page(member_token, "/macs?page_limit=2&page_offset=2", mac_m2, "3");
}

/* Pages past the end, and at the largest limit and offset, answer the rest
 * or nothing, with the whole list's count. */
static void test_pages_at_the_edges(void **state)
{
	(void)state;
	char want[128];
	snprintf(want, sizeof(want), "%s,%s", mac_s, mac_m2);
	expect_page(member_token, "/macs?page_offset=1", want, "3");
	expect_page(member_token, "/macs?page_offset=3", "", "3");
	expect_page(member_token, "/macs?page_limit=2147483647&page_offset=2", mac_m2, "3");
	expect_page(member_token, "/macs?page_limit=2147483647&page_offset=2147483647", "", "3");
}

/* The service configs' renderer writes JSON text itself: free text comes
 * back as it went in, in a read and in a list. */
static void test_free_text_is_escaped(void **state)
{
	(void)state;
	char nsc[24], path[96];
	itest_join_lan(member_token, srv.member_creds.account, "02:00:00:00:0e:01", 206239, nsc);
	const char *ref = "q\"uote \\ back/slash \u00e9t\u00e9 \t tab {\"x\": [1]}";
	const char *order = "PO \"7\" \\n";
	json_t *body =
		json_pack("{s:s, s:s, s:s}", "external_ref", ref, "purchase_order", order, "contract_ref", "\u2603");
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	snprintf(path, sizeof(path), "/network-service-configs/%s", nsc);
	struct http_result r;
	assert_int_equal(http_call(&srv, "PATCH", path, member_token, text, NULL, &r), 0);
	free(text);
	if (r.status != 202)
		fail_msg("PATCH %s: %ld %s", path, r.status, r.body);
	http_result_free(&r);
	json_t *one = get(member_token, path, 200);
	snprintf(path, sizeof(path), "/network-service-configs?id=%s", nsc);
	json_t *list = get(member_token, path, 200);
	assert_int_equal(json_array_size(list), 1);
	const json_t *objects[] = {one, json_array_get(list, 0)};
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(json_string_value(json_object_get(objects[i], "external_ref")), ref);
		assert_string_equal(json_string_value(json_object_get(objects[i], "purchase_order")), order);
		assert_string_equal(json_string_value(json_object_get(objects[i], "contract_ref")), "\u2603");
		assert_string_equal(json_string_value(json_object_get(objects[i], "id")), nsc);
	}
	json_decref(one);
	json_decref(list);
}

/* A new tenant (it manages no account) with ASN asn, billable: its token
 * (free()), its account into id_out (16 bytes). */
static char *new_lan_tenant(const char *name, long long asn, char *id_out)
{
	char body[1024], q[128];
	snprintf(body, sizeof(body),
		 "{\"name\": \"%s\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		 " \"postal_code\": \"1012\", \"street_address\": \"Dam 1\"}, \"billing_information\": {\"name\":"
		 " \"%s\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\", \"postal_code\": \"1012\","
		 " \"street_address\": \"Dam 1\"}}}",
		 name, name);
	char *token = itest_new_tenant(op_token, body, id_out);
	snprintf(q, sizeof(q), "INSERT INTO account_asns VALUES (%s, %lld)", id_out, asn);
	assert_int_equal(itest_sql(&srv, q, NULL, 0), 0);
	return token;
}

/* The JSON of config nsc as its renderer makes it now (new reference). */
static json_t *rendered_now(const char *nsc)
{
	char query[160], text[8192];
	snprintf(query, sizeof(query),
		 "SELECT network_service_config_json(c)::text FROM network_service_configs c WHERE c.id = %s", nsc);
	assert_int_equal(itest_sql(&srv, query, text, sizeof(text)), 0);
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	return j;
}

/* The object of id `id` in the answer to GET path (an object or a list). */
static json_t *object_in(const char *token, const char *path, const char *id)
{
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", path, token, NULL, NULL, &r), 0);
	if (r.status != 200 && r.status != 206)
		fail_msg("GET %s: %ld %s", path, r.status, r.body);
	json_t *found = NULL;
	const char *rid = json_string_value(json_object_get(r.j, "id"));
	if (json_is_object(r.j) && rid && strcmp(rid, id) == 0)
		found = json_incref(r.j);
	size_t i;
	json_t *e;
	json_array_foreach (r.j, i, e) {
		const char *eid = json_string_value(json_object_get(e, "id"));
		if (eid && strcmp(eid, id) == 0)
			found = json_incref(e);
	}
	http_result_free(&r);
	if (!found)
		fail_msg("GET %s: no object %s", path, id);
	return found;
}

/* Config nsc of the tenant behind token (which manages no account) shows
 * as its renderer makes it now in every list and read: the tenant's own
 * list and a page of it (the owner indexes' path), a filtered list (the
 * general path), the read, and the operator's read and list. Returns that
 * JSON (new reference). */
static json_t *expect_config_shown(const char *token, const char *nsc)
{
	json_t *want = rendered_now(nsc);
	char page[128], filtered[96], read[96], all[96], q[256];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM network_service_configs c JOIN network_service_configs o"
		 " ON o.consuming_account = c.consuming_account AND o.id < c.id WHERE c.id = %s",
		 nsc);
	snprintf(page, sizeof(page), "/network-service-configs?page_limit=1&page_offset=%lld", itest_count(q));
	snprintf(filtered, sizeof(filtered), "/network-service-configs?id=%s", nsc);
	snprintf(read, sizeof(read), "/network-service-configs/%s", nsc);
	snprintf(all, sizeof(all), "/network-service-configs?page_limit=1000");
	const struct {
		const char *token, *path;
	} views[] = {{token, "/network-service-configs"},
		     {token, page},
		     {token, filtered},
		     {token, read},
		     {op_token, read},
		     {op_token, filtered},
		     {op_token, all}};
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		json_t *got = object_in(views[i].token, views[i].path, nsc);
		if (!json_equal(got, want)) {
			char *g = json_dumps(got, JSON_SORT_KEYS), *w = json_dumps(want, JSON_SORT_KEYS);
			fail_msg("GET %s shows %s, its renderer %s", views[i].path, g, w);
		}
		json_decref(got);
	}
	assert_int_equal(itest_count("SELECT network_service_configs_rendered_stale()"), 0);
	return want;
}

/* Runs the change (SQL, as an operator's script would) and checks that it
 * shows at once, in every list and read of the config. */
static void expect_change_shown(const char *token, const char *nsc, json_t **shown, const char *change)
{
	assert_int_equal(itest_sql(&srv, change, NULL, 0), 0);
	json_t *now = expect_config_shown(token, nsc);
	if (json_equal(now, *shown))
		fail_msg("%s: the config's JSON did not change", change);
	json_decref(*shown);
	*shown = now;
}

/* The configs keep their JSON (migration 025): a change of each table the
 * renderer reads (IPs, MAC and role assignment links, feature configs, the
 * service's product offering) and of the config itself shows at once in
 * the lists and reads, inserted, updated and deleted. */
static void test_rendered_configs_follow_their_dependencies(void **state)
{
	(void)state;
	char tenant[16], nsc[16], nsc2[16], ip[24], mac[24], mac2[16], ra[24], ra2[24], lan[24], offering[24];
	char *token = new_lan_tenant("Rendered Networks", 206240, tenant);
	char q[1024];
	itest_join_lan(token, tenant, "02:00:00:00:0f:01", 206240, nsc);
	itest_join_lan(token, tenant, "02:00:00:00:0f:02", 206240, nsc2);
	itest_new_mac(token, "02:00:00:00:0f:03", mac2);
	sql_id(ip, "SELECT max(id) FROM ips WHERE network_service_config = %s", nsc);
	sql_id(mac, "SELECT min(mac) FROM network_service_config_macs WHERE network_service_config = %s", nsc);
	sql_id(ra,
	       "SELECT min(role_assignment) FROM network_service_config_role_assignments"
	       " WHERE network_service_config = %s",
	       nsc);
	sql_id(ra2,
	       "SELECT min(a.id) FROM role_assignments a JOIN contacts c ON c.id = a.contact"
	       " WHERE c.consuming_account = %s AND a.id <> %s",
	       tenant, ra);
	sql_id(lan, "SELECT network_service FROM network_service_configs WHERE id = %s", nsc);
	sql_id(offering, "SELECT product_offering FROM network_services WHERE id = %s", lan);
	json_t *shown = expect_config_shown(token, nsc);

	/* IPs: off the config, back on it, deleted, a new one */
	snprintf(q, sizeof(q), "UPDATE ips SET network_service_config = NULL WHERE id = %s", ip);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q), "UPDATE ips SET network_service_config = %s WHERE id = %s", nsc, ip);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q), "DELETE FROM ips WHERE id = %s", ip);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q),
		 "INSERT INTO ips (managing_account, consuming_account, version, address, prefix_length,"
		 " network_service, network_service_config)"
		 " SELECT c.managing_account, c.consuming_account, 6, lan_free_address(s, 6), masklen(s.subnet_v6),"
		 " s.id, c.id FROM network_service_configs c JOIN network_services s ON s.id = c.network_service"
		 " WHERE c.id = %s",
		 nsc);
	expect_change_shown(token, nsc, &shown, q);
	/* MACs */
	snprintf(q, sizeof(q), "UPDATE network_service_config_macs SET mac = %s WHERE network_service_config = %s",
		 mac2, nsc);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q), "DELETE FROM network_service_config_macs WHERE network_service_config = %s", nsc);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q), "INSERT INTO network_service_config_macs VALUES (%s, %s)", nsc, mac);
	expect_change_shown(token, nsc, &shown, q);
	/* role assignments */
	snprintf(q, sizeof(q),
		 "UPDATE network_service_config_role_assignments SET role_assignment = %s"
		 " WHERE network_service_config = %s",
		 ra2, nsc);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q), "DELETE FROM network_service_config_role_assignments WHERE network_service_config = %s",
		 nsc);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q), "INSERT INTO network_service_config_role_assignments VALUES (%s, %s)", nsc, ra);
	expect_change_shown(token, nsc, &shown, q);
	/* a route-server session: new, moved to the other config and back, gone */
	snprintf(q, sizeof(q),
		 "INSERT INTO network_feature_configs (network_feature, network_service_config, managing_account,"
		 " consuming_account, billing_account, asn, ip)"
		 " SELECT (SELECT min(id) FROM network_features), c.id, c.managing_account, c.consuming_account,"
		 " c.billing_account, 206240, (SELECT min(i.id) FROM ips i WHERE i.network_service_config = c.id)"
		 " FROM network_service_configs c WHERE c.id = %s",
		 nsc);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q),
		 "UPDATE network_feature_configs SET network_service_config = %s"
		 " WHERE network_service_config = %s",
		 nsc2, nsc);
	expect_change_shown(token, nsc, &shown, q);
	json_decref(expect_config_shown(token, nsc2));
	snprintf(q, sizeof(q),
		 "UPDATE network_feature_configs SET network_service_config = %s"
		 " WHERE network_service_config = %s",
		 nsc, nsc2);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q), "DELETE FROM network_feature_configs WHERE network_service_config = %s", nsc);
	expect_change_shown(token, nsc, &shown, q);
	/* the service's product offering, which a config without its own shows */
	snprintf(q, sizeof(q), "UPDATE network_service_configs SET product_offering = NULL WHERE id = %s", nsc);
	assert_int_equal(itest_sql(&srv, q, NULL, 0), 0);
	char other_offering[24];
	sql_id(other_offering,
	       "INSERT INTO product_offerings (type, name, display_name, resource_type, handover_metro_area_network,"
	       " handover_metro_area, service_provider, provider_vlans, service_metro_area_network, service_metro_area,"
	       " bandwidth_min, bandwidth_max, exchange_lan_network_service, contract_initial_period,"
	       " contract_initial_notice_period, contract_renewal_period, contract_renewal_notice_period,"
	       " upgrade_allowed, downgrade_allowed)"
	       " SELECT type, name || ' (kept)', display_name, resource_type, handover_metro_area_network,"
	       " handover_metro_area, service_provider, provider_vlans, service_metro_area_network, service_metro_area,"
	       " bandwidth_min, bandwidth_max, exchange_lan_network_service, contract_initial_period,"
	       " contract_initial_notice_period, contract_renewal_period, contract_renewal_notice_period,"
	       " upgrade_allowed, downgrade_allowed FROM product_offerings WHERE id = %s RETURNING id",
	       offering);
	snprintf(q, sizeof(q), "UPDATE network_services SET product_offering = %s WHERE id = %s", other_offering, lan);
	expect_change_shown(token, nsc, &shown, q);
	snprintf(q, sizeof(q), "UPDATE network_services SET product_offering = %s WHERE id = %s", offering, lan);
	expect_change_shown(token, nsc, &shown, q);
	/* the config itself */
	snprintf(q, sizeof(q), "UPDATE network_service_configs SET listed = NOT listed WHERE id = %s", nsc);
	expect_change_shown(token, nsc, &shown, q);
	json_decref(shown);
	json_decref(expect_config_shown(token, nsc2));
	free(token);
}

/* Lists and reads of configs copy their kept JSON: with the renderer made
 * to fail, the tenant's own list (the owner indexes' path), a filtered one
 * (the general path), a page, a read and the operator's list answer. */
static void test_config_lists_do_not_render(void **state)
{
	(void)state;
	char tenant[16], nsc[16];
	char *token = new_lan_tenant("Kept Networks", 206241, tenant);
	itest_join_lan(token, tenant, "02:00:00:00:0f:11", 206241, nsc);
	assert_int_equal(itest_sql(&srv,
				   "ALTER FUNCTION network_service_configs_render(network_service_configs[])"
				   " RENAME TO network_service_configs_render_saved;"
				   " CREATE FUNCTION network_service_configs_render(cs network_service_configs[])"
				   " RETURNS TABLE (rid bigint, j text) LANGUAGE plpgsql STABLE AS $f$"
				   " BEGIN RAISE EXCEPTION 'network_service_configs_render must not run here'; END $f$",
				   NULL, 0),
			 0);
	char v[24];
	assert_int_not_equal(
		itest_sql(&srv, "SELECT count(*) FROM network_service_configs c, network_service_config_json(c) j", v,
			  sizeof(v)),
		0);
	char path[96];
	snprintf(path, sizeof(path), "/network-service-configs/%s", nsc);
	expect_read(token, "/network-service-configs", nsc, 200);
	expect_ids(token, "/network-service-configs", nsc);
	snprintf(path, sizeof(path), "/network-service-configs?id=%s", nsc);
	expect_ids(token, path, nsc);
	expect_page(token, "/network-service-configs?page_limit=1", nsc, "1");
	expect_ids(op_token, path, nsc);
	expect_read(op_token, "/network-service-configs", nsc, 200);
	assert_int_equal(itest_sql(&srv,
				   "DROP FUNCTION network_service_configs_render(network_service_configs[]);"
				   " ALTER FUNCTION network_service_configs_render_saved(network_service_configs[])"
				   " RENAME TO network_service_configs_render",
				   NULL, 0),
			 0);
	free(token);
}

/* The count of a member's configs: the configs it consumes or manages; the
 * X-Total-Count of its unfiltered page (the owner indexes' path, which sums
 * network_service_config_counts) and of a filtered page (the general path,
 * which counts the rows) both say want; and no owner pair's count is stale. */
static void expect_config_count(const char *token, const char *account, long long want)
{
	char q[256], total[24];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM network_service_configs WHERE consuming_account = %s OR managing_account = %s",
		 account, account);
	assert_int_equal(itest_count(q), want);
	snprintf(total, sizeof(total), "%lld", want);
	const char *paths[] = {"/network-service-configs?page_limit=1",
			       "/network-service-configs?page_limit=1&state__is_not=error"};
	for (size_t i = 0; i < 2; i++) {
		struct http_result r;
		assert_int_equal(http_call(&srv, "GET", paths[i], token, NULL, NULL, &r), 0);
		if (r.status != 206)
			fail_msg("GET %s: %ld %s", paths[i], r.status, r.body);
		if (strcmp(r.total_count, total) != 0)
			fail_msg("GET %s: X-Total-Count %s, the account has %s configs", paths[i], r.total_count,
				 total);
		assert_int_equal(json_array_size(r.j), want > 0 ? 1 : 0);
		http_result_free(&r);
	}
	assert_int_equal(itest_count("SELECT network_service_config_counts_stale()"), 0);
}

/* The configs' counts per owner pair (migration 028) follow every kind of
 * write in the same transaction: a config ordered, its state changed,
 * decommissioned, archived (lists hide no state, so it still counts), its
 * managing and consuming account changed, and deleted. */
static void test_config_counts_follow_writes(void **state)
{
	(void)state;
	char t1[16], t2[16], nsc1[16], nsc2[16], q[512];
	char *token1 = new_lan_tenant("Counted Networks", 206242, t1);
	char *token2 = new_lan_tenant("Counting Managers", 206243, t2);
	expect_config_count(token1, t1, 0);
	expect_config_count(token2, t2, 0);
	/* ordered */
	itest_join_lan(token1, t1, "02:00:00:00:0f:21", 206242, nsc1);
	expect_config_count(token1, t1, 1);
	itest_join_lan(token1, t1, "02:00:00:00:0f:22", 206242, nsc2);
	expect_config_count(token1, t1, 2);
	expect_config_count(token2, t2, 0);
	/* its state */
	snprintf(q, sizeof(q), "UPDATE network_service_configs SET state = 'production' WHERE id = %s", nsc1);
	assert_int_equal(itest_sql(&srv, q, NULL, 0), 0);
	expect_config_count(token1, t1, 2);
	/* decommissioned, then archived */
	char path[96];
	snprintf(path, sizeof(path), "/network-service-configs/%s", nsc2);
	json_decref(itest_expect(&srv, "DELETE", path, token1, NULL, 202));
	expect_config_count(token1, t1, 2);
	snprintf(q, sizeof(q), "UPDATE network_service_configs SET state = 'archived' WHERE id = %s", nsc2);
	assert_int_equal(itest_sql(&srv, q, NULL, 0), 0);
	expect_config_count(token1, t1, 2);
	/* managed by the other tenant for the first, then consumed by it */
	snprintf(q, sizeof(q), "UPDATE network_service_configs SET managing_account = %s WHERE id = %s", t2, nsc1);
	assert_int_equal(itest_sql(&srv, q, NULL, 0), 0);
	expect_config_count(token1, t1, 2);
	expect_config_count(token2, t2, 1);
	snprintf(q, sizeof(q), "UPDATE network_service_configs SET consuming_account = %s WHERE id = %s", t2, nsc1);
	assert_int_equal(itest_sql(&srv, q, NULL, 0), 0);
	expect_config_count(token1, t1, 1);
	expect_config_count(token2, t2, 1);
	/* deleted (with what points at it) */
	snprintf(
		q, sizeof(q),
		"DELETE FROM network_feature_configs WHERE network_service_config = %s;"
		" DELETE FROM ips WHERE network_service_config = %s; DELETE FROM network_service_configs WHERE id = %s",
		nsc1, nsc1, nsc1);
	assert_int_equal(itest_sql(&srv, q, NULL, 0), 0);
	expect_config_count(token1, t1, 1);
	expect_config_count(token2, t2, 0);
	free(token1);
	free(token2);
}

/* The guard of the counts (network_service_config_counts_stale(), which the
 * harness asserts at the end of every test program) sees a write the
 * triggers missed: with the insert trigger off, a new config leaves its
 * pair's count stale and the member's X-Total-Count wrong. */
static void test_config_counts_guard_sees_a_missed_write(void **state)
{
	(void)state;
	char tenant[16], nsc[16], q[256];
	char *token = new_lan_tenant("Uncounted Networks", 206244, tenant);
	itest_join_lan(token, tenant, "02:00:00:00:0f:31", 206244, nsc);
	expect_config_count(token, tenant, 1);
	assert_int_equal(
		itest_sql(&srv,
			  "ALTER TABLE network_service_configs DISABLE TRIGGER network_service_configs_counts_insert",
			  NULL, 0),
		0);
	itest_join_lan(token, tenant, "02:00:00:00:0f:32", 206244, nsc);
	assert_int_equal(
		itest_sql(&srv,
			  "ALTER TABLE network_service_configs ENABLE TRIGGER network_service_configs_counts_insert",
			  NULL, 0),
		0);
	assert_int_equal(itest_count("SELECT network_service_config_counts_stale()"), 1);
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", "/network-service-configs?page_limit=1", token, NULL, NULL, &r), 0);
	assert_string_equal(r.total_count, "1"); /* the stale count: what the guard is for */
	http_result_free(&r);
	snprintf(q, sizeof(q), "UPDATE network_service_config_counts SET total = 2 WHERE consuming_account = %s",
		 tenant);
	assert_int_equal(itest_sql(&srv, q, NULL, 0), 0);
	expect_config_count(token, tenant, 2);
	free(token);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_per_row_scope_or_renderer),
		cmocka_unit_test(test_only_the_page_is_rendered),
		cmocka_unit_test(test_pages_at_the_edges),
		cmocka_unit_test(test_free_text_is_escaped),
		cmocka_unit_test(test_rendered_configs_follow_their_dependencies),
		cmocka_unit_test(test_config_lists_do_not_render),
		cmocka_unit_test(test_config_counts_follow_writes),
		cmocka_unit_test(test_config_counts_guard_sees_a_missed_write),
	};
	return cmocka_run_group_tests_name("lists as sets (integration)", tests, setup, teardown);
}
