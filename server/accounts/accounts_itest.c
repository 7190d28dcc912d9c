/*
 * Integration tests of /account and /accounts against a real server and
 * PostgreSQL: CRUD, filters, validation, and tenant scoping (a member sees
 * only its own subtree; everything else is 404).
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

#define ADDRESS                                                                                                        \
	"{\"country\": \"DE\", \"locality\": \"Berlin\", \"postal_code\": \"10115\", \"street_address\": "             \
	"\"Invalidenstr. 1\"}"

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

static void test_own_account(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", "/account", member_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "id")), srv.member_creds.account);
	assert_string_equal(json_string_value(json_object_get(r.j, "name")), "Demo Member Networks");
	/* JSON rules: ids are strings, ASNs integers, lists arrays. */
	json_t *j_asns = json_object_get(r.j, "asns");
	assert_true(json_is_array(j_asns));
	assert_true(json_is_integer(json_array_get(j_asns, 0)));
	assert_int_equal(json_integer_value(json_array_get(j_asns, 0)), 206238);
	assert_true(json_is_array(json_object_get(r.j, "status")));
	assert_true(json_is_boolean(json_object_get(r.j, "discoverable")));
	assert_true(json_is_object(json_object_get(r.j, "address")));
	assert_non_null(strstr(r.body, "\"asns\": [206238]"));
	http_result_free(&r);
}

static void test_create_read_update_delete(void **state)
{
	(void)state;
	char id[32], path[64];
	itest_create("/accounts", operator_token,
		     "{\"name\": \"Moonpeer Inc.\", \"legal_name\": \"Moonpeer Incorporated\", \"address\": " ADDRESS
		     ", \"external_ref\": \"crm-1\", \"discoverable\": true, \"metro_area_network_presence\": [],"
		     " \"unknown_key\": {\"ignored\": true}}",
		     id);
	snprintf(path, sizeof(path), "/accounts/%s", id);

	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", path, operator_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "legal_name")), "Moonpeer Incorporated");
	assert_true(json_is_null(json_object_get(r.j, "managing_account")));
	assert_true(json_is_null(json_object_get(json_object_get(r.j, "address"), "region")));
	assert_null(json_object_get(r.j, "unknown_key"));
	assert_null(json_object_get(r.j, "billing_information")); /* optional and not nullable: absent */
	http_result_free(&r);

	assert_int_equal(http_call(&srv, "PATCH", path, operator_token,
				   "{\"name\": \"Moonpeer GmbH\", \"legal_name\": null}", NULL, &r),
			 0);
	assert_int_equal(r.status, 202);
	assert_string_equal(json_string_value(json_object_get(r.j, "name")), "Moonpeer GmbH");
	assert_true(json_is_null(json_object_get(r.j, "legal_name")));
	assert_string_equal(json_string_value(json_object_get(r.j, "external_ref")), "crm-1");
	http_result_free(&r);

	/* PUT requires the full AccountUpdate. */
	assert_int_equal(http_call(&srv, "PUT", path, operator_token, "{\"name\": \"X\"}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_non_null(strstr(r.body, "metro_area_network_presence"));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "PUT", path, operator_token,
				   "{\"name\": \"Moonpeer AG\", \"address\": " ADDRESS
				   ", \"metro_area_network_presence\": []}",
				   NULL, &r),
			 0);
	assert_int_equal(r.status, 202);
	http_result_free(&r);

	/* The change is audited in the same transaction. */
	char count[16], sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM events WHERE object_type = 'account' AND object_id = '%s'",
		 id);
	assert_int_equal(itest_sql(&srv, sql, count, sizeof(count)), 0);
	assert_string_equal(count, "3");

	assert_int_equal(http_call(&srv, "DELETE", path, operator_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "name")), "Moonpeer AG");
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "GET", path, operator_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 404, "not-found.html"));
	http_result_free(&r);
}

static void test_validation_lists_every_property(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/accounts", operator_token,
				   "{\"name\": 42, \"address\": {\"country\": \"Germany\"}, \"discoverable\": \"yes\"}",
				   NULL, &r),
			 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	json_t *j_props = json_object_get(r.j, "properties");
	assert_true(json_is_array(j_props));
	const char *expected[] = {
		"name",        "address.country", "address.locality", "address.postal_code", "address.street_address",
		"discoverable"};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		bool found = false;
		size_t k;
		json_t *j_item;
		json_array_foreach (j_props, k, j_item) {
			if (strcmp(json_string_value(json_object_get(j_item, "name")), expected[i]) == 0 &&
			    json_is_string(json_object_get(j_item, "reason")))
				found = true;
		}
		if (!found)
			fprintf(stderr, "missing property %s in %s\n", expected[i], r.body);
		assert_true(found);
	}
	http_result_free(&r);

	/* Nothing was written. */
	char count[16];
	assert_int_equal(itest_sql(&srv, "SELECT count(*) FROM accounts WHERE name = '42'", count, sizeof(count)), 0);
	assert_string_equal(count, "0");

	/* A reference to a metro-area network that does not exist. */
	assert_int_equal(http_call(&srv, "POST", "/accounts", operator_token,
				   "{\"name\": \"A\", \"address\": " ADDRESS
				   ", \"metro_area_network_presence\": [\"999999\"]}",
				   NULL, &r),
			 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_non_null(strstr(r.body, "metro_area_network_presence"));
	http_result_free(&r);
}

static void test_filters(void **state)
{
	(void)state;
	char a[32], b[32], path[256];
	itest_create("/accounts", operator_token,
		     "{\"name\": \"Filter A\", \"address\": " ADDRESS ", \"external_ref\": \"flt\"}", a);
	itest_create("/accounts", operator_token,
		     "{\"name\": \"Filter B\", \"address\": " ADDRESS ", \"external_ref\": \"flt\"}", b);
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", "/accounts?external_ref=flt", operator_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(json_is_array(r.j));
	assert_int_equal(json_array_size(r.j), 2);
	http_result_free(&r);

	snprintf(path, sizeof(path), "/accounts?id=%s,%s&unknown=1", a, srv.member_creds.account);
	assert_int_equal(http_call(&srv, "GET", path, operator_token, NULL, NULL, &r), 0);
	assert_int_equal(json_array_size(r.j), 2);
	http_result_free(&r);
	snprintf(path, sizeof(path), "/accounts?id=%s&id=%s", a, b);
	assert_int_equal(http_call(&srv, "GET", path, operator_token, NULL, NULL, &r), 0);
	assert_int_equal(json_array_size(r.j), 2);
	http_result_free(&r);

	assert_int_equal(http_call(&srv, "GET", "/accounts?name=Filter%20B", operator_token, NULL, NULL, &r), 0);
	assert_int_equal(json_array_size(r.j), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(r.j, 0), "id")), b);
	http_result_free(&r);

	assert_int_equal(http_call(&srv, "GET", "/accounts?state=operator", operator_token, NULL, NULL, &r), 0);
	assert_int_equal(json_array_size(r.j), 1);
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "GET", "/accounts?state__is_not=production&external_ref=flt", operator_token,
				   NULL, NULL, &r),
			 0);
	assert_int_equal(json_array_size(r.j), 0);
	http_result_free(&r);

	/* Pages of a filtered list. */
	assert_int_equal(
		http_call(&srv, "GET", "/accounts?external_ref=flt&page_limit=1", operator_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 206);
	assert_int_equal(json_array_size(r.j), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(r.j, 0), "id")), a);
	assert_string_equal(r.total_count, "2");
	assert_string_equal(r.next_offset, "1");
	http_result_free(&r);

	assert_int_equal(http_call(&srv, "GET", "/accounts?state=bogus", operator_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	http_result_free(&r);
}

static void test_member_scoping(void **state)
{
	(void)state;
	struct http_result r;
	char other[32], sub[32], subsub[32], path[128], body[512];
	/* An account the member does not manage. */
	itest_create("/accounts", operator_token, "{\"name\": \"Other Networks\", \"address\": " ADDRESS "}", other);
	/* A member creates a sub-account: it lands below the member. */
	itest_create("/accounts", member_token, "{\"name\": \"Member Customer\", \"address\": " ADDRESS "}", sub);
	snprintf(path, sizeof(path), "/accounts/%s", sub);
	assert_int_equal(http_call(&srv, "GET", path, member_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "managing_account")), srv.member_creds.account);
	http_result_free(&r);
	/* And a customer of that customer (reseller hierarchy). */
	snprintf(body, sizeof(body),
		 "{\"name\": \"Sub Customer\", \"address\": " ADDRESS ", \"managing_account\": \"%s\"}", sub);
	itest_create("/accounts", member_token, body, subsub);

	/* The member sees itself and its subtree, nothing else. */
	assert_int_equal(http_call(&srv, "GET", "/accounts", member_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(r.j), 3);
	assert_null(strstr(r.body, "Other Networks"));
	assert_null(strstr(r.body, "Demo IXP Operator"));
	http_result_free(&r);

	/* Outside the subtree: 404 for read, update and delete, and nothing changes. */
	snprintf(path, sizeof(path), "/accounts/%s", other);
	assert_int_equal(http_call(&srv, "GET", path, member_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 404, "not-found.html"));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "PATCH", path, member_token, "{\"name\": \"pwned\"}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 404, "not-found.html"));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "DELETE", path, member_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 404, "not-found.html"));
	http_result_free(&r);
	snprintf(path, sizeof(path), "/accounts?id=%s", other);
	assert_int_equal(http_call(&srv, "GET", path, member_token, NULL, NULL, &r), 0);
	assert_int_equal(json_array_size(r.j), 0);
	http_result_free(&r);
	char name[64], sql[128];
	snprintf(sql, sizeof(sql), "SELECT name FROM accounts WHERE id = %s", other);
	assert_int_equal(itest_sql(&srv, sql, name, sizeof(name)), 0);
	assert_string_equal(name, "Other Networks");

	/* A member cannot hang a new account below someone else's. */
	snprintf(body, sizeof(body), "{\"name\": \"Sneaky\", \"address\": " ADDRESS ", \"managing_account\": \"%s\"}",
		 other);
	assert_int_equal(http_call(&srv, "POST", "/accounts", member_token, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	http_result_free(&r);
	/* Nor move its own account, nor create a cycle. */
	snprintf(path, sizeof(path), "/accounts/%s", srv.member_creds.account);
	snprintf(body, sizeof(body), "{\"managing_account\": \"%s\"}", sub);
	assert_int_equal(http_call(&srv, "PATCH", path, member_token, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 403, "permission-denied.html"));
	http_result_free(&r);
	snprintf(path, sizeof(path), "/accounts/%s", sub);
	snprintf(body, sizeof(body), "{\"managing_account\": \"%s\"}", subsub);
	assert_int_equal(http_call(&srv, "PATCH", path, member_token, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	http_result_free(&r);

	/* Deleting: not one's own account, not one that still manages others. */
	snprintf(path, sizeof(path), "/accounts/%s", srv.member_creds.account);
	assert_int_equal(http_call(&srv, "DELETE", path, member_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "unable-to-fulfill.html"));
	http_result_free(&r);
	snprintf(path, sizeof(path), "/accounts/%s", sub);
	assert_int_equal(http_call(&srv, "DELETE", path, member_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "unable-to-fulfill.html"));
	http_result_free(&r);
	snprintf(path, sizeof(path), "/accounts/%s", subsub);
	assert_int_equal(http_call(&srv, "DELETE", path, member_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	http_result_free(&r);
	snprintf(path, sizeof(path), "/accounts/%s", sub);
	assert_int_equal(http_call(&srv, "DELETE", path, member_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	http_result_free(&r);
}

static void test_only_operators_move_states(void **state)
{
	(void)state;
	char path[64], value[32], sql[96];
	snprintf(path, sizeof(path), "/accounts/%s", srv.member_creds.account);
	json_decref(itest_expect(&srv, "PATCH", path, member_token, "{\"state\": \"decommissioned\"}", 403));
	json_decref(itest_expect(&srv, "PATCH", path, operator_token, "{\"state\": \"sleeping\"}", 400));
	snprintf(sql, sizeof(sql), "SELECT state FROM accounts WHERE id = %s", srv.member_creds.account);
	assert_int_equal(itest_sql(&srv, sql, value, sizeof(value)), 0);
	assert_string_equal(value, "production");
	json_t *j = itest_expect(&srv, "PATCH", path, operator_token, "{\"state\": \"testing\"}", 202);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "testing");
	json_decref(j);
	json_decref(itest_expect(&srv, "PATCH", path, operator_token, "{\"state\": \"production\"}", 202));
	/* A create ignores a state: AccountRequest has none. */
	j = itest_expect(&srv, "POST", "/accounts", operator_token,
			 "{\"name\": \"S\", \"state\": \"error\", \"address\": " ADDRESS "}", 201);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "production");
	json_decref(j);
}

static void test_non_numeric_id_is_not_found(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", "/accounts/not-a-number", operator_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 404, "not-found.html"));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "GET", "/accounts/99999999999999999999999", operator_token, NULL, NULL, &r),
			 0);
	assert_true(itest_is_problem(&r, 404, "not-found.html"));
	http_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_account),
		cmocka_unit_test(test_create_read_update_delete),
		cmocka_unit_test(test_validation_lists_every_property),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_member_scoping),
		cmocka_unit_test(test_only_operators_move_states),
		cmocka_unit_test(test_non_numeric_id_is_not_found),
	};
	return cmocka_run_group_tests_name("accounts (integration)", tests, setup, teardown);
}
