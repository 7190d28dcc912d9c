/*
 * Integration tests of /macs: addresses read back as written and compared
 * in any case and spelling, refusals (multicast, broadcast, zero,
 * malformed, past validity), filters, delete (also while the configs using
 * a MAC leave the peering LAN), tenant isolation.
 */
#include "harness.h"
#include "fixtures.h"

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
static char lan[16], connection[16], ra_noc[16];

/* POSTs a peering-LAN config over conn with the MAC ids (a JSON array);
 * the answer (new reference) when it is `status`. */
static json_t *join_lan(const char *token, const char *conn, const char *ra, int vlan, long long asn, const char *macs,
			long status)
{
	char vlan_json[16];
	snprintf(vlan_json, sizeof(vlan_json), "%d", vlan);
	return itest_post_lan_config(token, lan, conn, vlan_json, asn, macs, ra, status);
}

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &operator_token, &member_token) != 0)
		return -1;
	itest_sql(&srv, "SELECT id FROM network_services WHERE type = 'exchange_lan'", lan, sizeof(lan));
	make_connection(member_token, srv.member_creds.account, connection, ra_noc);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

static void test_create_and_read_back(void **state)
{
	(void)state;
	json_t *j = call("POST", "/macs", member_token,
			 "{\"address\": \"00-1B-21-3C-4D-5E\", \"valid_not_before\": \"2026-01-01T10:00:00+02:00\","
			 " \"valid_not_after\": \"2099-12-31T23:59:59Z\", \"external_ref\": \"rtr1\"}",
			 201);
	assert_string_equal(json_string_value(json_object_get(j, "address")), "00-1B-21-3C-4D-5E");
	assert_string_equal(json_string_value(json_object_get(j, "valid_not_before")), "2026-01-01T08:00:00Z");
	assert_string_equal(json_string_value(json_object_get(j, "valid_not_after")), "2099-12-31T23:59:59Z");
	assert_string_equal(json_string_value(json_object_get(j, "consuming_account")), srv.member_creds.account);
	char path[64];
	snprintf(path, sizeof(path), "/macs/%s", json_string_value(json_object_get(j, "id")));
	json_t *j_read = call("GET", path, member_token, NULL, 200);
	assert_true(json_equal(j, j_read));
	json_decref(j_read);
	/* Filters: the address in any spelling, external_ref. */
	json_t *j_list = call("GET", "/macs?address=00-1b-21-3c-4d-5e", member_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 1);
	json_decref(j_list);
	j_list = call("GET", "/macs?external_ref=rtr1&network_service_config=1", member_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 0);
	json_decref(j_list);
	j_list = call("GET", "/macs?valid_not_after=2099-12-31T23:59:59Z", member_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 1);
	json_decref(j_list);
	json_decref(call("GET", "/macs?valid_not_after=yesterday", member_token, NULL, 400));
	/* No update in the spec; delete answers with the object. */
	json_decref(call("PATCH", path, member_token, "{}", 405));
	json_t *j_del = call("DELETE", path, member_token, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j_del, "address")), "00-1B-21-3C-4D-5E");
	json_decref(j_del);
	json_decref(call("GET", path, member_token, NULL, 404));
	json_decref(j);
}

static void test_refusals(void **state)
{
	(void)state;
	const char *bodies[] = {
		"{\"address\": \"ff:ff:ff:ff:ff:ff\"}",
		"{\"address\": \"01:00:5e:00:00:fb\"}",
		"{\"address\": \"00:00:00:00:00:00\"}",
		"{\"address\": \"00:1b:21:3c:4d\"}",
		"{\"address\": 42}",
		"{}",
		"{\"address\": \"00:1b:21:3c:4d:5f\", \"valid_not_after\": \"2001-01-01T00:00:00Z\"}",
		"{\"address\": \"00:1b:21:3c:4d:5f\", \"valid_not_before\": \"tomorrow\"}",
		"{\"address\": \"00:1b:21:3c:4d:5f\", \"valid_not_before\": \"2026-02-30T00:00:00Z\"}",
		"{\"address\": \"00:1b:21:3c:4d:5f\", \"valid_not_before\": \"2090-01-01T00:00:00Z\","
		" \"valid_not_after\": \"2080-01-01T00:00:00Z\"}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct http_result r;
		assert_int_equal(http_call(&srv, "POST", "/macs", member_token, bodies[i], NULL, &r), 0);
		if (!itest_is_problem(&r, 400, "validation-error.html"))
			fprintf(stderr, "body %zu: %s\n", i, bodies[i]);
		assert_true(itest_is_problem(&r, 400, "validation-error.html"));
		http_result_free(&r);
	}
	char count[16];
	assert_int_equal(itest_sql(&srv, "SELECT count(*) FROM macs WHERE canonical_address LIKE '00:1b:21:3c:4d:%'",
				   count, sizeof(count)),
			 0);
	assert_string_equal(count, "0");
}

static void test_tenant_isolation(void **state)
{
	(void)state;
	json_t *j = call("POST", "/accounts", operator_token,
			 "{\"name\": \"Mac Tenant\", \"address\": {\"country\": \"DE\", \"locality\": \"Berlin\","
			 " \"postal_code\": \"10115\", \"street_address\": \"Str. 1\"}}",
			 201);
	char other[16], body[256], path[64];
	snprintf(other, sizeof(other), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	snprintf(body, sizeof(body),
		 "{\"address\": \"02:00:00:00:00:99\", \"managing_account\": \"%s\", \"consuming_account\": \"%s\"}",
		 other, other);
	j = call("POST", "/macs", operator_token, body, 201);
	snprintf(path, sizeof(path), "/macs/%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	json_decref(call("GET", path, member_token, NULL, 404));
	json_decref(call("DELETE", path, member_token, NULL, 404));
	j = call("GET", "/macs", member_token, NULL, 200);
	for (size_t i = 0; i < json_array_size(j); i++)
		assert_string_not_equal(json_string_value(json_object_get(json_array_get(j, i), "consuming_account")),
					other);
	json_decref(j);
	/* Registering a MAC for the other tenant: 403. */
	json_decref(call("POST", "/macs", member_token, body, 403));
	char count[16], sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM macs WHERE consuming_account = %s", other);
	assert_int_equal(itest_sql(&srv, sql, count, sizeof(count)), 0);
	assert_string_equal(count, "1");
	/* The operator sees it. */
	snprintf(sql, sizeof(sql), "/macs?consuming_account=%s", other);
	j = call("GET", sql, operator_token, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
}

/* Issue 8 item 11: what the client wrote reads back unchanged (the
 * Terraform provider plans a change on any difference and cannot apply
 * one); lookups, the LAN's rule and the switch's job ignore case and
 * spelling. */
static void test_address_reads_back_as_written(void **state)
{
	(void)state;
	json_t *j = call("POST", "/macs", member_token, "{\"address\": \"02:35:AA:10:20:2F\"}", 201);
	assert_string_equal(str(j, "address"), "02:35:AA:10:20:2F");
	char mac[16], path[64], query[256], value[128], macs[32];
	snprintf(mac, sizeof(mac), "%s", str(j, "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/macs/%s", mac);
	j = call("GET", path, member_token, NULL, 200);
	assert_string_equal(str(j, "address"), "02:35:AA:10:20:2F");
	json_decref(j);
	static const char *const spellings[] = {"02:35:aa:10:20:2f", "0235.AA10.202f", "02-35-aa-10-20-2F",
						"0235aa10202f"};
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		snprintf(path, sizeof(path), "/macs?address=%s", spellings[i]);
		j = call("GET", path, member_token, NULL, 200);
		assert_int_equal(json_array_size(j), 1);
		assert_string_equal(str(json_array_get(j, 0), "id"), mac);
		json_decref(j);
	}
	/* Every spelling the server takes reads back as written. */
	static const char *const written[] = {"0235.AA10.202E", "0235aa10202D", "02-35-Aa-10-20-2c"};
	for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		snprintf(query, sizeof(query), "{\"address\": \"%s\"}", written[i]);
		j = call("POST", "/macs", member_token, query, 201);
		assert_string_equal(str(j, "address"), written[i]);
		json_decref(j);
	}
	/* The switch adapter gets one spelling: lower case with colons. */
	snprintf(macs, sizeof(macs), "[\"%s\"]", mac);
	j = join_lan(member_token, connection, ra_noc, 310, 206238, macs, 201);
	snprintf(query, sizeof(query),
		 "SELECT payload->>'macs' FROM jobs WHERE kind = 'switch.port_vlan'"
		 "   AND payload->>'network_service_config' = '%s' ORDER BY id DESC LIMIT 1",
		 str(j, "id"));
	json_decref(j);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "[\"02:35:aa:10:20:2f\"]");
	/* Another member's router with the same address in another case is
	 * still the same address on the LAN. */
	char other[16], other_conn[16], other_ra[16];
	char *other_token = itest_new_tenant(
		operator_token,
		"{\"name\": \"Case Networks\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		" \"postal_code\": \"1000\", \"street_address\": \"Dam 2\"}, \"billing_information\": {\"name\":"
		" \"Case\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\", \"postal_code\": \"1000\","
		" \"street_address\": \"Dam 2\"}}}",
		other);
	make_connection(other_token, other, other_conn, other_ra);
	j = call("POST", "/macs", other_token, "{\"address\": \"02:35:aa:10:20:2f\"}", 201);
	assert_string_equal(str(j, "address"), "02:35:aa:10:20:2f");
	snprintf(macs, sizeof(macs), "[\"%s\"]", str(j, "id"));
	json_decref(j);
	snprintf(query, sizeof(query), "SELECT count(*) FROM network_service_configs WHERE consuming_account = %s",
		 other);
	j = join_lan(other_token, other_conn, other_ra, 310, 3320, macs, 400);
	const char *reason = str(json_array_get(json_object_get(j, "properties"), 0), "reason");
	assert_non_null(reason);
	assert_non_null(strstr(reason, "in use by another member"));
	json_decref(j);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "0");
	free(other_token);
}

/* Issue 8 item 10: Terraform's destroy (and pyixapi's mac.delete()) removes
 * a config, then its MAC. A MAC only leaving configs use stays in force
 * until the last of them leaves (valid_not_after says when), then goes; a
 * MAC a live config uses cannot go. */
static void test_delete_while_its_configs_leave(void **state)
{
	(void)state;
	json_t *j = call("POST", "/macs", member_token, "{\"address\": \"02:35:BB:00:00:01\"}", 201);
	char mac[16], mac_path[64], nsc[16], nsc_path[64], macs[32], query[320], value[128], leaves[16];
	snprintf(mac, sizeof(mac), "%s", str(j, "id"));
	json_decref(j);
	snprintf(mac_path, sizeof(mac_path), "/macs/%s", mac);
	snprintf(macs, sizeof(macs), "[\"%s\"]", mac);
	j = join_lan(member_token, connection, ra_noc, 320, 206238, macs, 201);
	snprintf(nsc, sizeof(nsc), "%s", str(j, "id"));
	json_decref(j);
	snprintf(nsc_path, sizeof(nsc_path), "/network-service-configs/%s", nsc);

	/* In use by a live config: refused, naming it; nothing changes. */
	snprintf(query, sizeof(query), "SELECT count(*) FROM events WHERE object_type = 'mac' AND object_id = '%s'",
		 mac);
	long long events = count(query);
	struct http_result r;
	assert_int_equal(http_call(&srv, "DELETE", mac_path, member_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "unable-to-fulfill.html"));
	assert_non_null(strstr(r.body, nsc));
	http_result_free(&r);
	j = call("GET", mac_path, member_token, NULL, 200);
	assert_true(json_is_null(json_object_get(j, "valid_not_after")));
	json_decref(j);
	assert_int_equal(count(query), events);

	/* The config leaves: the MAC may go, and stays in force (listed, on
	 * the config, in the config's remove job) until the config's date. */
	j = call("DELETE", nsc_path, member_token, "null", 202);
	snprintf(leaves, sizeof(leaves), "%s", str(j, "decommission_at"));
	json_decref(j);
	char until[32];
	snprintf(until, sizeof(until), "%sT00:00:00Z", leaves);
	j = call("DELETE", mac_path, member_token, NULL, 200);
	assert_string_equal(str(j, "address"), "02:35:BB:00:00:01");
	assert_string_equal(str(j, "valid_not_after"), until);
	json_decref(j);
	j = call("GET", mac_path, member_token, NULL, 200);
	assert_string_equal(str(j, "valid_not_after"), until);
	json_decref(j);
	j = call("GET", nsc_path, member_token, NULL, 200);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "macs"), 0)), mac);
	json_decref(j);
	snprintf(query, sizeof(query), "/macs?network_service_config=%s", nsc);
	j = call("GET", query, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	assert_string_equal(str(json_array_get(j, 0), "id"), mac);
	json_decref(j);
	snprintf(query, sizeof(query),
		 "SELECT (payload->'macs')::text || ' ' || run_after::date FROM jobs WHERE kind = 'switch.port_vlan'"
		 "   AND payload->>'action' = 'remove' AND payload->>'network_service_config' = '%s'",
		 nsc);
	sql(query, value, sizeof(value));
	char expected[96];
	snprintf(expected, sizeof(expected), "[\"02:35:bb:00:00:01\"] %s", leaves);
	assert_string_equal(value, expected);
	/* Asking again changes nothing; no new config may take it. */
	j = call("DELETE", mac_path, member_token, NULL, 200);
	assert_string_equal(str(j, "valid_not_after"), until);
	json_decref(j);
	j = join_lan(member_token, connection, ra_noc, 321, 206238, macs, 400);
	assert_string_equal(str(json_array_get(json_object_get(j, "properties"), 0), "name"), "macs");
	json_decref(j);

	/* An operator's write that replaces the leaving config's MACs with the
	 * same ones keeps it (judged at commit, not between delete and insert). */
	snprintf(query, sizeof(query), "{\"type\": \"exchange_lan\", \"macs\": [\"%s\"]}", mac);
	json_decref(call("PATCH", nsc_path, operator_token, query, 202));
	json_decref(call("GET", mac_path, member_token, NULL, 200));

	/* The config's date comes (the adapter's remove job done, the config
	 * decommissioned): the MAC goes with it, audited. */
	j = call("PATCH", nsc_path, operator_token, "{\"state\": \"decommissioned\"}", 202);
	assert_string_equal(str(j, "state"), "decommissioned");
	json_decref(j);
	json_decref(call("GET", mac_path, member_token, NULL, 404));
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM events WHERE object_type = 'mac' AND object_id = '%s' AND action = 'delete'",
		 mac);
	assert_int_equal(count(query), 1);
	j = call("GET", nsc_path, member_token, NULL, 200);
	assert_int_equal(json_array_size(json_object_get(j, "macs")), 0);
	json_decref(j);

	/* A MAC only gone configs held goes at once. */
	j = call("POST", "/macs", member_token, "{\"address\": \"02:35:bb:00:00:02\"}", 201);
	snprintf(mac, sizeof(mac), "%s", str(j, "id"));
	json_decref(j);
	snprintf(mac_path, sizeof(mac_path), "/macs/%s", mac);
	snprintf(macs, sizeof(macs), "[\"%s\"]", mac);
	j = join_lan(member_token, connection, ra_noc, 322, 206238, macs, 201);
	snprintf(nsc_path, sizeof(nsc_path), "/network-service-configs/%s", str(j, "id"));
	json_decref(j);
	json_decref(call("PATCH", nsc_path, operator_token, "{\"state\": \"archived\"}", 202));
	j = call("DELETE", mac_path, member_token, NULL, 200);
	assert_true(json_is_null(json_object_get(j, "valid_not_after")));
	json_decref(j);
	json_decref(call("GET", mac_path, member_token, NULL, 404));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_read_back),
		cmocka_unit_test(test_address_reads_back_as_written),
		cmocka_unit_test(test_delete_while_its_configs_leave),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_tenant_isolation),
	};
	return cmocka_run_group_tests_name("macs (integration)", tests, setup, teardown);
}
