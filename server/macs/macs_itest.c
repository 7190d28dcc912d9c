/*
 * Integration tests of /macs: normalisation, refusals (multicast,
 * broadcast, zero, malformed, past validity), filters, delete, tenant
 * isolation.
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

static json_t *call(const char *method, const char *path, const char *token, const char *body, long status)
{
	return itest_expect(&srv, method, path, token, body, status);
}

static void test_create_normalises_and_reads_back(void **state)
{
	(void)state;
	json_t *j = call("POST", "/macs", member_token,
			 "{\"address\": \"00-1B-21-3C-4D-5E\", \"valid_not_before\": \"2026-01-01T10:00:00+02:00\","
			 " \"valid_not_after\": \"2099-12-31T23:59:59Z\", \"external_ref\": \"rtr1\"}",
			 201);
	assert_string_equal(json_string_value(json_object_get(j, "address")), "00:1b:21:3c:4d:5e");
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
	assert_string_equal(json_string_value(json_object_get(j_del, "address")), "00:1b:21:3c:4d:5e");
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
	assert_int_equal(itest_sql(&srv, "SELECT count(*) FROM macs WHERE address LIKE '00:1b:21:3c:4d:%'", count,
				   sizeof(count)),
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_normalises_and_reads_back),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_tenant_isolation),
	};
	return cmocka_run_group_tests_name("macs (integration)", tests, setup, teardown);
}
