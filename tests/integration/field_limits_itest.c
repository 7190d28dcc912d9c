/*
 * The limits of the resource descriptors agree with the database: for
 * each resource of the route table (the `data` of the generic write
 * handlers) and each string field of its table with a limit, the column of
 * the same name on the resource's table (its listing's) says the same:
 * a text column's CHECK (char_length(col) <= N) gives N, and a bigint
 * column (an id, rendered as text) is a reference of ID_MAX_LEN. A field
 * whose column has neither (another type, no length CHECK) or that has no
 * column is not compared. A resource without a listing (accounts) is
 * compared with the table its create inserts into.
 */
#include "harness.h"

#include "core/fields.h"
#include "resource/resource.h"
#include "routes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;

static int setup(void **state)
{
	(void)state;
	return itest_start(&srv);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish(&srv) == 0 ? 0 : -1;
}

/* $1 table, $2 column: its type, and the N of a CHECK (char_length(col) <= N) on it (or NULL). */
static const char column_sql[] =
	"SELECT c.data_type,"
	"       (SELECT min((regexp_match(pg_get_constraintdef(k.oid),"
	"                                 'char_length\\(' || c.column_name || '\\) <= (\\d+)'))[1]::int)"
	"          FROM pg_constraint k"
	"         WHERE k.conrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass"
	"           AND k.contype = 'c')"
	"  FROM information_schema.columns c"
	" WHERE c.table_schema = current_schema() AND c.table_name = $1 AND c.column_name = $2";

static bool seen(const struct resource *const *done, size_t n, const struct resource *r)
{
	for (size_t i = 0; i < n; i++)
		if (done[i] == r)
			return true;
	return false;
}

/* The resource's table: its listing's, or (accounts, listed by a query of
 * their own) the one its create inserts into. */
static void table_of(const struct resource *r, char *out, size_t len)
{
	if (r->listing) {
		snprintf(out, len, "%s", r->listing->table);
		return;
	}
	assert_non_null(r->create);
	const char *into = strstr(r->create->insert_sql, "INSERT INTO ");
	assert_non_null(into);
	assert_int_equal(sscanf(into, "INSERT INTO %63[a-z_]", out), 1);
	(void)len;
}

static void test_descriptor_limits_equal_the_checks(void **state)
{
	(void)state;
	PGconn *conn = PQconnectdb(srv.db_url);
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	const struct resource *done[64];
	size_t resources = 0;
	int compared = 0, disagree = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *route = &routes_table[i];
		if (route->handler != resource_create && route->handler != resource_replace &&
		    route->handler != resource_patch && route->handler != resource_destroy)
			continue;
		const struct resource *r = route->data;
		if (seen(done, resources, r))
			continue;
		assert_true(resources < sizeof(done) / sizeof(done[0]));
		done[resources++] = r;
		char table[64];
		table_of(r, table, sizeof(table));
		for (const struct field_spec *f = r->fields; f->name; f++) {
			if ((f->type != FIELD_TYPE_STRING && f->type != FIELD_TYPE_CUSTOM) || f->max <= 0)
				continue;
			const char *params[] = {table, f->name};
			PGresult *res = PQexecParams(conn, column_sql, 2, NULL, params, NULL, NULL, 0);
			assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
			long long want = -1;
			if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "bigint") == 0)
				want = ID_MAX_LEN;
			else if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 1))
				want = atoll(PQgetvalue(res, 0, 1));
			if (want >= 0) {
				compared++;
				if (want != f->max) {
					disagree++;
					fprintf(stderr,
						"%s.%s: the field table says %lld characters, the column %lld\n", table,
						f->name, f->max, want);
				}
			}
			PQclear(res);
		}
	}
	PQfinish(conn);
	fprintf(stderr, "field limits: %zu resources, %d fields compared, %d disagree\n", resources, compared,
		disagree);
	/* 11 resources: every one the route table writes through a descriptor. */
	assert_true(resources >= 11);
	assert_true(compared >= 20);
	assert_int_equal(disagree, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor_limits_equal_the_checks),
	};
	return cmocka_run_group_tests_name("field limits (integration)", tests, setup, teardown);
}
