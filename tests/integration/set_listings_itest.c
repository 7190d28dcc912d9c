/*
 * Lists and reads as sets (issue 9): the listings of connections, ports,
 * port reservations, network services, network features, network feature
 * configs and member joining rules scope a member through its accounts,
 * computed once per statement, not through a per-row scope function. The
 * test replaces the per-row functions (owner_in_scope, account_in_scope,
 * network_service_visible) with ones that fail, then checks that every
 * member list and read still answers, with exactly the member's rows.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;
static char *operator_token, *member_token;

static int setup(void **state)
{
	(void)state;
	return itest_start_with_tokens(&srv, &operator_token, &member_token);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

/* Copies tmpl into out with every @A@ replaced by account. */
static void fill(const char *tmpl, const char *account, char *out, size_t len)
{
	size_t n = 0;
	for (const char *p = tmpl; *p && n + 1 < len;) {
		if (strncmp(p, "@A@", 3) == 0) {
			n += (size_t)snprintf(out + n, len - n, "%s", account);
			p += 3;
		} else
			out[n++] = *p++;
	}
	out[n < len ? n : len - 1] = '\0';
}

/* Rows of both the operator (O) and the member (M): a connection each with
 * its reservation, a port, a private VLAN each with a joining rule naming
 * its owner, a config on the peering LAN and a route-server session each. */
static void make_rows(void)
{
	char tmpl[4096], sql[4096];
	snprintf(
		tmpl, sizeof(tmpl),
		"CREATE TABLE set_owners AS SELECT unnest(ARRAY[%s, %s]::bigint[]) AS a;INSERT INTO connections (managing_account, consuming_account, billing_account, mode,"
		"    product_offering, port_quantity, name)"
		" SELECT a, a, a, 'standalone', (SELECT min(id) FROM product_offerings WHERE type = 'connection'),"
		"        1, 'SET-' || a FROM set_owners;INSERT INTO port_reservations (connection) SELECT id FROM connections WHERE name LIKE 'SET-%%';UPDATE ports SET managing_account = @A@, consuming_account = @A@ WHERE id = (SELECT min(id) FROM ports);INSERT INTO network_services (type, managing_account, consuming_account, billing_account,"
		"    product_offering, name)"
		" SELECT 'mp2mp_vc', a, a, a, (SELECT min(id) FROM product_offerings WHERE type = 'mp2mp_vc'),"
		"        'set-' || a FROM set_owners;INSERT INTO member_joining_rules (type, network_service, managing_account, consuming_account)"
		" SELECT 'allow', s.id, s.managing_account, s.consuming_account FROM network_services s"
		"  WHERE s.name LIKE 'set-%%';INSERT INTO network_service_configs (type, network_service, managing_account, consuming_account,"
		"    billing_account, connection, vlan_type)"
		" SELECT 'exchange_lan', (SELECT id FROM network_services WHERE type = 'exchange_lan'),"
		"        k.consuming_account, k.consuming_account, k.consuming_account, k.id, 'port'"
		"   FROM connections k WHERE k.name LIKE 'SET-%%';INSERT INTO ips (managing_account, consuming_account, version, address, prefix_length)"
		" SELECT a, a, 4, ('198.51.100.' || a)::inet, 32 FROM set_owners;INSERT INTO network_feature_configs (network_feature, network_service_config, managing_account,"
		"    consuming_account, billing_account, asn, ip)"
		" SELECT (SELECT min(id) FROM network_features), c.id, c.consuming_account, c.consuming_account,"
		"        c.consuming_account, 64500,"
		"        (SELECT min(i.id) FROM ips i WHERE i.consuming_account = c.consuming_account)"
		"   FROM network_service_configs c;DROP TABLE set_owners",
		srv.operator_creds.account, srv.member_creds.account);
	fill(tmpl, srv.member_creds.account, sql, sizeof(sql));
	assert_int_equal(itest_sql(&srv, sql, NULL, 0), 0);
}

/* The per-row scope functions fail from now on: a read path that still
 * calls one answers 500. */
static void poison_row_scope_functions(void)
{
	assert_int_equal(
		itest_sql(
			&srv,
			"CREATE OR REPLACE FUNCTION owner_in_scope(managing bigint, consuming bigint, viewer bigint,"
			"    viewer_is_operator boolean) RETURNS boolean LANGUAGE plpgsql AS $$"
			" BEGIN RAISE EXCEPTION 'per-row scope function in a read path'; END $$;CREATE OR REPLACE FUNCTION account_in_scope(target bigint, viewer bigint,"
			"    viewer_is_operator boolean) RETURNS boolean LANGUAGE plpgsql AS $$"
			" BEGIN RAISE EXCEPTION 'per-row scope function in a read path'; END $$;CREATE OR REPLACE FUNCTION network_service_visible(s network_services, viewer bigint,"
			"    viewer_is_operator boolean) RETURNS boolean LANGUAGE plpgsql AS $$"
			" BEGIN RAISE EXCEPTION 'per-row scope function in a read path'; END $$",
			NULL, 0),
		0);
}

struct listed {
	const char *path;
	/* the member's rows: one column of ids; @A@ is the member's account */
	const char *expected_sql;
	/* one row the member must not see; @A@ is the operator's account */
	const char *foreign_sql;
};

static const struct listed listed[] = {
	{"/connections", "SELECT id FROM connections WHERE consuming_account = @A@",
	 "SELECT min(id) FROM connections WHERE consuming_account = @A@"},
	{"/ports", "SELECT id FROM ports WHERE consuming_account = @A@",
	 "SELECT min(id) FROM ports WHERE consuming_account = @A@"},
	{"/port-reservations",
	 "SELECT r.id FROM port_reservations r JOIN connections c ON c.id = r.connection"
	 " WHERE c.consuming_account = @A@",
	 "SELECT min(r.id) FROM port_reservations r JOIN connections c ON c.id = r.connection"
	 " WHERE c.consuming_account = @A@"},
	{"/network-services", "SELECT id FROM network_services WHERE consuming_account = @A@ OR type = 'exchange_lan'",
	 "SELECT min(id) FROM network_services WHERE consuming_account = @A@ AND type = 'mp2mp_vc'"},
	{"/network-features", "SELECT id FROM network_features WHERE @A@ IS NOT NULL", NULL},
	{"/network-feature-configs", "SELECT id FROM network_feature_configs WHERE consuming_account = @A@",
	 "SELECT min(id) FROM network_feature_configs WHERE consuming_account = @A@"},
	{"/member-joining-rules", "SELECT id FROM member_joining_rules WHERE consuming_account = @A@",
	 "SELECT min(id) FROM member_joining_rules WHERE consuming_account = @A@"},
};

static void test_member_lists_and_reads_scope_as_sets(void **state)
{
	(void)state;
	make_rows();
	/* What the member must see, computed before the functions go. */
	char expected[sizeof(listed) / sizeof(listed[0])][512], foreign[sizeof(listed) / sizeof(listed[0])][24];
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
		char inner[512], sql[768];
		fill(listed[i].expected_sql, srv.member_creds.account, inner, sizeof(inner));
		snprintf(sql, sizeof(sql), "SELECT string_agg(x.id::text, ',' ORDER BY x.id) FROM (%s) x", inner);
		assert_int_equal(itest_sql(&srv, sql, expected[i], sizeof(expected[i])), 0);
		assert_true(expected[i][0] != '\0'); /* the member has rows of each */
		foreign[i][0] = '\0';
		if (listed[i].foreign_sql) {
			fill(listed[i].foreign_sql, srv.operator_creds.account, sql, sizeof(sql));
			assert_int_equal(itest_sql(&srv, sql, foreign[i], sizeof(foreign[i])), 0);
			assert_true(foreign[i][0] != '\0'); /* and someone else has rows too */
		}
	}
	poison_row_scope_functions();
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
		/* the list: exactly the member's rows */
		json_t *list = itest_expect(&srv, "GET", listed[i].path, member_token, NULL, 200);
		char got[512] = "";
		size_t n = 0, k;
		json_t *item;
		json_array_foreach (list, k, item) {
			n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s", k ? "," : "",
					      json_string_value(json_object_get(item, "id")));
			assert_true(n < sizeof(got));
		}
		if (strcmp(got, expected[i]) != 0)
			fprintf(stderr, "%s: listed %s, expected %s\n", listed[i].path, got, expected[i]);
		assert_string_equal(got, expected[i]);
		json_decref(list);
		/* a read of the member's first row, of someone else's, and a page */
		char path[256], first[24];
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(expected[i], ","), expected[i]);
		snprintf(path, sizeof(path), "%s/%s", listed[i].path, first);
		json_t *one = itest_expect(&srv, "GET", path, member_token, NULL, 200);
		assert_string_equal(json_string_value(json_object_get(one, "id")), first);
		json_decref(one);
		if (foreign[i][0]) {
			snprintf(path, sizeof(path), "%s/%s", listed[i].path, foreign[i]);
			json_decref(itest_expect(&srv, "GET", path, member_token, NULL, 404));
		}
		snprintf(path, sizeof(path), "%s?page_limit=1", listed[i].path);
		json_t *page = itest_expect(&srv, "GET", path, member_token, NULL, 206);
		assert_int_equal(json_array_size(page), 1);
		json_decref(page);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_lists_and_reads_scope_as_sets),
	};
	return cmocka_run_group_tests_name("set-based listings (integration)", tests, setup, teardown);
}
