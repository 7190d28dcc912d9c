/*
 * Integration tests of /ips: canonical addresses, version/prefix rules,
 * PATCH and PUT, filters, no DELETE. (Tenant isolation: the matrix in
 * tests/integration/isolation_itest.c.)
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
static char *token;

static int setup(void **state)
{
	(void)state;
	return itest_start_with_tokens(&srv, NULL, &token);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, NULL, token);
}

static json_t *call(const char *method, const char *path, const char *body, long status)
{
	return itest_expect(&srv, method, path, token, body, status);
}

static void test_create_and_update(void **state)
{
	(void)state;
	json_t *j = call("POST", "/ips",
			 "{\"version\": 6, \"address\": \"2001:DB8:0:0::0001\", \"prefix_length\": 32,"
			 " \"fqdn\": \"rtr1.member.example\"}",
			 201);
	assert_string_equal(json_string_value(json_object_get(j, "address")), "2001:db8::1");
	assert_true(json_is_integer(json_object_get(j, "version")));
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 6);
	assert_int_equal(json_integer_value(json_object_get(j, "prefix_length")), 32);
	assert_true(json_is_null(json_object_get(j, "network_service_config")));
	char path[64];
	snprintf(path, sizeof(path), "/ips/%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);

	j = call("PATCH", path, "{\"fqdn\": \"rtr2.member.example\"}", 200);
	assert_string_equal(json_string_value(json_object_get(j, "fqdn")), "rtr2.member.example");
	assert_string_equal(json_string_value(json_object_get(j, "address")), "2001:db8::1");
	json_decref(j);
	/* Changing the version alone would contradict the address: 400 naming it. */
	struct http_result r;
	assert_int_equal(http_call(&srv, "PATCH", path, token, "{\"version\": 4}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_non_null(strstr(r.body, "\"version\""));
	http_result_free(&r);
	/* PUT replaces and needs every required field. */
	json_decref(call("PUT", path, "{\"fqdn\": null}", 400));
	char body[256];
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"version\": 4,"
		 " \"address\": \"192.0.2.10\", \"prefix_length\": 24, \"fqdn\": null}",
		 srv.member_creds.account, srv.member_creds.account);
	j = call("PUT", path, body, 200);
	assert_string_equal(json_string_value(json_object_get(j, "address")), "192.0.2.10");
	assert_true(json_is_null(json_object_get(j, "fqdn")));
	json_decref(j);
	/* The spec has no DELETE for IPs. */
	json_decref(call("DELETE", path, NULL, 405));

	j = call("GET", "/ips?version=4&prefix_length=24", NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	j = call("GET", "/ips?version=6", NULL, 200);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	json_decref(call("GET", "/ips?version=four", NULL, 400));
}

static void test_refusals(void **state)
{
	(void)state;
	const char *bodies[] = {
		"{\"version\": 4, \"address\": \"2001:db8::1\", \"prefix_length\": 24}",
		"{\"version\": 4, \"address\": \"192.0.2.1\", \"prefix_length\": 33}",
		"{\"version\": 5, \"address\": \"192.0.2.1\", \"prefix_length\": 24}",
		"{\"version\": 4, \"address\": \"192.0.2.1/24\", \"prefix_length\": 24}",
		"{\"version\": 4, \"address\": \"192.0.2.256\", \"prefix_length\": 24}",
		"{\"version\": \"4\", \"address\": \"192.0.2.1\", \"prefix_length\": 24}",
		"{\"version\": 4, \"address\": \"192.0.2.1\", \"prefix_length\": 24.0}",
		"{\"version\": 4, \"address\": \"192.0.2.1\", \"prefix_length\": 24, \"fqdn\": \"-bad-.example\"}",
		"{\"version\": 4, \"address\": \"192.0.2.1\"}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		json_decref(call("POST", "/ips", bodies[i], 400));
	char count[16];
	assert_int_equal(itest_sql(&srv, "SELECT count(*) FROM ips WHERE address = '192.0.2.1'", count, sizeof(count)),
			 0);
	assert_string_equal(count, "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_update),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("ips (integration)", tests, setup, teardown);
}
