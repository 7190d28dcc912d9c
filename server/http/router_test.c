/*
 * Unit tests of route matching and table checking, on a table of their own
 * and on the real table.
 */
#include "http/router.h"
#include "routes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static struct problem *nop(struct request *req, struct response *res)
{
	(void)req;
	(void)res;
	return NULL;
}

static const struct route table[] = {
	{HTTP_GET, "/accounts", nop, PRIV_MEMBER, NULL, 0, "accounts_list", false, NULL, NULL},
	{HTTP_POST, "/accounts", nop, PRIV_MEMBER, NULL, 1024, "accounts_create", false, NULL, NULL},
	{HTTP_GET, "/accounts/{id}", nop, PRIV_MEMBER, NULL, 0, "accounts_read", false, NULL, NULL},
	{HTTP_DELETE, "/accounts/{id}", nop, PRIV_MEMBER, NULL, 0, "accounts_destroy", false, NULL, NULL},
	{HTTP_GET, "/ports/{id}/statistics/{aggregate}/timeseries", nop, PRIV_MEMBER, NULL, 0, "ts", false, NULL, NULL},
	{HTTP_GET, "/account", nop, PRIV_MEMBER, NULL, 0, "account_read", false, NULL, NULL},
};
#define N (sizeof(table) / sizeof(table[0]))

static void test_literal_and_capture(void **state)
{
	(void)state;
	struct router_match m;
	assert_int_equal(router_match(table, N, HTTP_GET, "/accounts", &m), ROUTER_FOUND);
	assert_string_equal(m.route->operation_id, "accounts_list");
	assert_int_equal(m.param_count, 0);
	router_match_clear(&m);

	assert_int_equal(router_match(table, N, HTTP_DELETE, "/accounts/42", &m), ROUTER_FOUND);
	assert_string_equal(m.route->operation_id, "accounts_destroy");
	assert_int_equal(m.param_count, 1);
	assert_string_equal(m.params[0], "42");
	router_match_clear(&m);

	assert_int_equal(router_match(table, N, HTTP_GET, "/ports/p1/statistics/PT5M/timeseries", &m), ROUTER_FOUND);
	assert_int_equal(m.param_count, 2);
	assert_string_equal(m.params[0], "p1");
	assert_string_equal(m.params[1], "PT5M");
	router_match_clear(&m);

	/* /account is not a prefix match of /accounts. */
	assert_int_equal(router_match(table, N, HTTP_GET, "/account", &m), ROUTER_FOUND);
	assert_string_equal(m.route->operation_id, "account_read");
	router_match_clear(&m);
}

static void test_no_path(void **state)
{
	(void)state;
	const char *paths[] = {"",
			       "/",
			       "/accounts/",
			       "/accounts//",
			       "/accounts/1/",
			       "/accounts/1/x",
			       "/Accounts",
			       "/accountsx",
			       "//accounts",
			       "/ports/p1/statistics//timeseries"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct router_match m;
		assert_int_equal(router_match(table, N, HTTP_GET, paths[i], &m), ROUTER_NO_PATH);
		assert_int_equal(m.param_count, 0);
	}
	/* A capture longer than 80 characters matches nothing. */
	char long_path[128] = "/accounts/";
	memset(long_path + 10, '7', 81);
	struct router_match m;
	assert_int_equal(router_match(table, N, HTTP_GET, long_path, &m), ROUTER_NO_PATH);
}

static void test_wrong_method_lists_allowed(void **state)
{
	(void)state;
	struct router_match m;
	assert_int_equal(router_match(table, N, HTTP_PATCH, "/accounts/9", &m), ROUTER_WRONG_METHOD);
	char allow[64];
	router_allow_header(m.allowed, allow, sizeof(allow));
	assert_string_equal(allow, "GET, DELETE");
	assert_int_equal(router_match(table, N, HTTP_METHOD_COUNT, "/accounts", &m), ROUTER_WRONG_METHOD);
	router_allow_header(m.allowed, allow, sizeof(allow));
	assert_string_equal(allow, "GET, POST");
}

static void test_methods(void **state)
{
	(void)state;
	assert_int_equal(http_method_parse("GET"), HTTP_GET);
	assert_int_equal(http_method_parse("HEAD"), HTTP_GET);
	assert_int_equal(http_method_parse("PATCH"), HTTP_PATCH);
	assert_int_equal(http_method_parse("get"), -1);
	assert_int_equal(http_method_parse("OPTIONS"), -1);
	assert_string_equal(http_method_name(HTTP_DELETE), "DELETE");
}

static void test_table_check(void **state)
{
	(void)state;
	char err[128];
	assert_int_equal(router_check(table, N, err, sizeof(err)), 0);
	assert_int_equal(router_check(routes_table, routes_count, err, sizeof(err)), 0);

	const struct route dup[] = {table[0], table[0]};
	assert_int_equal(router_check(dup, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "twice"));
	const struct route slash[] = {{HTTP_GET, "/accounts/", nop, PRIV_MEMBER, NULL, 0, "x", false, NULL, NULL}};
	assert_int_equal(router_check(slash, 1, err, sizeof(err)), -1);
	const struct route capture[] = {{HTTP_GET, "/a/x{id}", nop, PRIV_MEMBER, NULL, 0, "x", false, NULL, NULL}};
	assert_int_equal(router_check(capture, 1, err, sizeof(err)), -1);
	const struct route body[] = {
		{HTTP_POST, "/a", nop, PRIV_MEMBER, NULL, ROUTE_BODY_MAX + 1, "x", false, NULL, NULL}};
	assert_int_equal(router_check(body, 1, err, sizeof(err)), -1);
}

static void test_real_table_paths(void **state)
{
	(void)state;
	/* Every route of the real table matches its own pattern with "x" ids. */
	for (size_t i = 0; i < routes_count; i++) {
		char path[256];
		size_t n = 0;
		for (const char *p = routes_table[i].pattern; *p && n < sizeof(path) - 2; p++) {
			if (*p == '{') {
				path[n++] = 'x';
				p = strchr(p, '}');
			} else
				path[n++] = *p;
		}
		path[n] = '\0';
		struct router_match m;
		assert_int_equal(router_match(routes_table, routes_count, routes_table[i].method, path, &m),
				 ROUTER_FOUND);
		assert_ptr_equal(m.route, &routes_table[i]);
		router_match_clear(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_and_capture),
		cmocka_unit_test(test_no_path),
		cmocka_unit_test(test_wrong_method_lists_allowed),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_table_check),
		cmocka_unit_test(test_real_table_paths),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
