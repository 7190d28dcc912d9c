/*
 * The data of `make bench` (bench/data.sql), in a small copy: it loads
 * against the current migrations, its keys log in, and its configs render
 * through the API as the lists and reads the benchmark measures (every
 * response is also checked against the OpenAPI document by the tier).
 * Without this test a schema change would break the benchmark unnoticed
 * until someone runs it.
 */
#include "harness.h"

#include "resource/listing.h"
#include "routes.h"
#include "services/service_configs.h"

#include <libpq-fe.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OTHERS      20
#define BIG_CONFIGS 200

static struct itest_server srv;

static int setup(void **state)
{
	(void)state;
	return itest_start(&srv);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish(&srv);
}

static char *login_bench_key(const char *api_key)
{
	struct itest_credentials c = srv.member_creds; /* bench/data.sql's keys share its secret */
	snprintf(c.api_key, sizeof(c.api_key), "%s", api_key);
	char *token = itest_login(&srv, &c, NULL);
	assert_non_null(token);
	return token;
}

/* Every config of list is an exchange_lan config of account, in
 * production, on a dot1q VLAN, with one IPv4 and one IPv6 address. */
static void assert_configs_of(json_t *list, const char *account)
{
	size_t i;
	json_t *c;
	json_array_foreach (list, i, c) {
		assert_string_equal(json_string_value(json_object_get(c, "consuming_account")), account);
		assert_string_equal(json_string_value(json_object_get(c, "type")), "exchange_lan");
		assert_string_equal(json_string_value(json_object_get(c, "state")), "production");
		assert_string_equal(json_string_value(json_object_get(json_object_get(c, "vlan_config"), "vlan_type")),
				    "dot1q");
		assert_int_equal(json_array_size(json_object_get(c, "ips")), 2);
	}
}

/* The plan, as run (EXPLAIN ANALYZE), of the configs' member list statement
 * without filters (the one a request naming no filter takes) for account
 * with page_limit=100&page_offset=50 (new string), after executing it as
 * the server does (prepared, plan_cache_mode as configured, 10 times): the
 * plan PostgreSQL settles on. *generic_out: whether that is the generic plan
 * (pg_prepared_statements), i.e. the statement is not planned again for
 * every request. */
static char *member_page_plan(const char *account, bool *generic_out)
{
	char err[256];
	assert_int_equal(listing_prepare(routes_table, routes_count, err, sizeof(err)), 0);
	PGconn *c = PQconnectdb(srv.db_url);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQprepare(c, "page", service_configs_listing.sql->unfiltered[1], 0, NULL);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	r = PQdescribePrepared(c, "page");
	assert_int_equal(PQnparams(r), 3); /* the account, limit and offset */
	PQclear(r);
	const char *params[] = {account, "100", "50"};
	for (int i = 0; i < 10; i++) {
		r = PQexecPrepared(c, "page", 3, params, NULL, NULL, 0);
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		assert_int_equal(PQntuples(r), 100);
		PQclear(r);
	}
	r = PQexec(c, "SELECT generic_plans > 0 FROM pg_prepared_statements WHERE name = 'page'");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	*generic_out = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	char execute[256];
	snprintf(execute, sizeof(execute),
		 "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE page('%s', '100', '50')", account);
	r = PQexec(c, execute);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", execute, PQerrorMessage(c));
	size_t size = 1;
	for (int i = 0; i < PQntuples(r); i++)
		size += strlen(PQgetvalue(r, i, 0)) + 1;
	char *plan = calloc(1, size);
	assert_non_null(plan);
	for (int i = 0; i < PQntuples(r); i++) {
		strcat(plan, PQgetvalue(r, i, 0));
		strcat(plan, "\n");
	}
	PQclear(r);
	PQfinish(c);
	return plan;
}

/* A member whose scope is itself, listing without a filter, gets its page
 * from the owner indexes in id order (index-only, stopping at the page's
 * end) and its count from the configs' counts per owner pair (migration
 * 028), not from its rows; the general path (every id of the member sorted
 * into one array) and the renderer never run; and PostgreSQL keeps the
 * statement's generic plan instead of planning it for every request (issue
 * 9: a page of 100 among 10,000 within 3x a GET by id). */
static void expect_page_from_owner_indexes(const char *account)
{
	assert_int_equal(itest_sql(&srv, "VACUUM ANALYZE", NULL, 0), 0); /* as a production database is */
	bool generic = false;
	char *plan = member_page_plan(account, &generic);
	bool ordered = false, counted = false, general = false, rows_counted = false;
	char all_rows[48];
	snprintf(all_rows, sizeof(all_rows), "rows=%d ", BIG_CONFIGS);
	for (char *line = strtok(plan, "\n"); line; line = strtok(NULL, "\n")) {
		bool ran = !strstr(line, "never executed");
		if (strstr(line, "Index Only Scan using network_service_configs_consuming_id_idx") && ran) {
			ordered = true;
			rows_counted = rows_counted || strstr(line, all_rows);
		}
		if (strstr(line, "on network_service_config_counts") && ran)
			counted = true;
		if ((strstr(line, "Bitmap") || strstr(line, "CTE Scan on sel") || strstr(line, "_render")) && ran)
			general = true;
	}
	if (!ordered || !counted || rows_counted || general || !generic) {
		free(plan);
		plan = member_page_plan(account, &generic);
		fail_msg("the member's page takes the general path, counts its rows or is planned per request"
			 " (generic plan: %s):\n%s",
			 generic ? "yes" : "no", plan);
	}
	free(plan);
}

static void test_bench_data_renders(void **state)
{
	(void)state;
	char cmd[1400];
	snprintf(cmd, sizeof(cmd),
		 "psql -X -q -v others=%d -v big_configs=%d -v big_per_connection=50 '%s' -f bench/data.sql", OTHERS,
		 BIG_CONFIGS, srv.db_url);
	assert_int_equal(system(cmd), 0);
	char big[24], small[24], count[24];
	assert_int_equal(itest_sql(&srv, "SELECT id FROM accounts WHERE external_ref = 'bench:big'", big, sizeof(big)),
			 0);
	assert_int_equal(
		itest_sql(&srv, "SELECT id FROM accounts WHERE external_ref = 'bench:small'", small, sizeof(small)), 0);
	assert_int_equal(itest_sql(&srv, "SELECT count(*) FROM network_service_configs", count, sizeof(count)), 0);
	assert_int_equal(atoi(count), OTHERS * 10 + 2 + BIG_CONFIGS);

	char *big_token = login_bench_key("benchbig00000000");
	char *small_token = login_bench_key("benchsmall000000");

	json_t *list = itest_expect(&srv, "GET", "/network-service-configs", big_token, NULL, 200);
	assert_int_equal(json_array_size(list), BIG_CONFIGS);
	assert_configs_of(list, big);
	char path[96];
	snprintf(path, sizeof(path), "/network-service-configs/%s",
		 json_string_value(json_object_get(json_array_get(list, 0), "id")));
	json_t *ip_ids = json_object_get(json_array_get(list, 0), "ips");
	char ip_path[64];
	snprintf(ip_path, sizeof(ip_path), "/ips/%s", json_string_value(json_array_get(ip_ids, 1)));
	json_decref(itest_expect(&srv, "GET", path, big_token, NULL, 200));
	json_t *ip = itest_expect(&srv, "GET", ip_path, big_token, NULL, 200);
	assert_int_equal(json_integer_value(json_object_get(ip, "version")), 6);
	json_decref(ip);
	json_decref(list);

	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", "/network-service-configs?page_limit=100&page_offset=50", big_token,
				   NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 206);
	assert_int_equal(json_array_size(r.j), 100);
	assert_int_equal(atoi(r.total_count), BIG_CONFIGS);
	assert_configs_of(r.j, big);
	http_result_free(&r);

	expect_page_from_owner_indexes(big);

	list = itest_expect(&srv, "GET", "/network-service-configs", small_token, NULL, 200);
	assert_int_equal(json_array_size(list), 2);
	assert_configs_of(list, small);
	json_decref(list);

	free(big_token);
	free(small_token);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bench_data_renders),
	};
	return cmocka_run_group_tests_name("bench data (integration)", tests, setup, teardown);
}
