/*
 * Integration tests of the db layer against the throw-away PostgreSQL
 * (DATABASE_URL, tests/with-temp-pg.sh), without a server: a transaction
 * that meets a real serialization failure runs again; errors raised by SQL
 * reach the caller as problems carrying their SQLSTATE (the rule failure
 * convention, SQLSTATE IX400; a unique violation); results are read by
 * column name, and a name the result lacks (or holds twice) aborts.
 */
#include "db/db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct db_pool *pool;

static int setup(void **state)
{
	(void)state;
	const char *url = getenv("DATABASE_URL");
	if (!url)
		return -1;
	pool = db_pool_new(url, 1, 5000); /* one connection: each attempt runs on the same session */
	struct problem *p = db_query(pool,
				     "CREATE TABLE pool_itest (id int PRIMARY KEY, n int NOT NULL,"
				     " name text CONSTRAINT pool_itest_name_key UNIQUE)",
				     0, NULL, NULL);
	if (!p)
		p = db_query(pool, "INSERT INTO pool_itest (id, n) VALUES (1, 0)", 0, NULL, NULL);
	problem_free(p);
	return p ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	problem_free(db_query(pool, "DROP TABLE pool_itest", 0, NULL, NULL));
	db_pool_free(pool);
	return 0;
}

struct attempts {
	int count;
	int conflicts; /* attempts that meet a concurrent update */
};

/* Reads the row under REPEATABLE READ; while conflicts last, another
 * session updates it meanwhile, so the update below fails with a genuine
 * serialization failure (40001). */
static struct problem *increment_tx(PGconn *conn, void *arg)
{
	struct attempts *a = arg;
	a->count++;
	struct problem *p = db_exec(conn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", 0, NULL, NULL);
	if (!p)
		p = db_exec(conn, "SELECT n FROM pool_itest WHERE id = 1", 0, NULL, NULL);
	if (!p && a->count <= a->conflicts) {
		PGconn *other = PQconnectdb(getenv("DATABASE_URL"));
		PGresult *res = PQexec(other, "UPDATE pool_itest SET n = n + 100 WHERE id = 1");
		assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
		PQclear(res);
		PQfinish(other);
	}
	if (!p)
		p = db_exec(conn, "UPDATE pool_itest SET n = n + 1 WHERE id = 1", 0, NULL, NULL);
	return p;
}

static long long counter(void)
{
	PGresult *res = NULL;
	struct problem *p = db_query(pool, "SELECT n FROM pool_itest WHERE id = 1", 0, NULL, &res);
	assert_null(p);
	long long n = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

static void test_serialization_failure_is_retried(void **state)
{
	(void)state;
	long long before = counter();
	struct attempts a = {.conflicts = 2};
	struct problem *p = db_transaction(pool, increment_tx, &a);
	assert_null(p);
	assert_int_equal(a.count, 3); /* two conflicts, then through */
	assert_int_equal(counter(), before + 2 * 100 + 1);

	/* Conflicting every time: three attempts, then the 503. */
	before = counter();
	a = (struct attempts){.conflicts = 10};
	p = db_transaction(pool, increment_tx, &a);
	assert_non_null(p);
	assert_int_equal(a.count, 3);
	assert_int_equal(problem_status(p), 503);
	assert_string_equal(problem_sqlstate(p), "40001");
	assert_true(db_problem_is_retryable(p));
	problem_free(p);
	assert_int_equal(counter(), before + 3 * 100); /* none of ours committed */
}

static struct problem *rule_tx(PGconn *conn, void *arg)
{
	(*(int *)arg)++;
	return db_exec(conn,
		       "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'asns',"
		       " MESSAGE = 'AS64500 is used by another account.'; END $$",
		       0, NULL, NULL);
}

static void test_rule_failure_raised_by_sql(void **state)
{
	(void)state;
	int attempts = 0;
	struct problem *p = db_transaction(pool, rule_tx, &attempts);
	assert_non_null(p);
	assert_int_equal(attempts, 1); /* not retried */
	assert_int_equal(problem_status(p), 400);
	assert_string_equal(problem_sqlstate(p), DB_SQLSTATE_RULE);
	assert_false(db_problem_is_retryable(p));
	json_t *j = problem_to_json(p, NULL);
	json_t *j_prop = json_array_get(json_object_get(j, "properties"), 0);
	assert_string_equal(json_string_value(json_object_get(j_prop, "name")), "asns");
	assert_string_equal(json_string_value(json_object_get(j_prop, "reason")),
			    "AS64500 is used by another account.");
	json_decref(j);
	problem_free(p);
}

static void test_unique_violation(void **state)
{
	(void)state;
	struct problem *p = db_query(pool, "INSERT INTO pool_itest (id, n, name) VALUES (2, 0, 'x')", 0, NULL, NULL);
	assert_null(p);
	p = db_query(pool, "INSERT INTO pool_itest (id, n, name) VALUES (3, 0, 'x')", 0, NULL, NULL);
	assert_non_null(p);
	assert_int_equal(problem_status(p), 400);
	assert_string_equal(problem_sqlstate(p), "23505");
	json_t *j = problem_to_json(p, NULL);
	json_t *j_prop = json_array_get(json_object_get(j, "properties"), 0);
	assert_string_equal(json_string_value(json_object_get(j_prop, "name")), "name");
	json_decref(j);
	problem_free(p);
	problem_free(db_query(pool, "DELETE FROM pool_itest WHERE id <> 1", 0, NULL, NULL));
}

/* Whether reading `column` of res in a child process aborts it. */
static bool read_aborts(const PGresult *res, const char *column)
{
	pid_t pid = fork();
	if (pid == 0) {
		(void)db_get(res, 0, column);
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void test_read_by_column_name(void **state)
{
	(void)state;
	PGresult *res = NULL;
	struct problem *p = db_query(
		pool, "SELECT 'a' AS first, NULL::text AS missing, true AS yes, false AS no, 2 AS dup, 3 AS dup", 0,
		NULL, &res);
	assert_null(p);
	assert_string_equal(db_get(res, 0, "first"), "a");
	assert_null(db_get(res, 0, "missing"));
	assert_true(db_get_bool(res, 0, "yes"));
	assert_false(db_get_bool(res, 0, "no"));
	assert_false(db_get_bool(res, 0, "missing"));
	assert_true(read_aborts(res, "frist")); /* a typo is caught by the first test that reads it */
	assert_true(read_aborts(res, "dup"));   /* two columns of one name: which one? */
	assert_false(read_aborts(res, "first"));
	PQclear(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serialization_failure_is_retried),
		cmocka_unit_test(test_rule_failure_raised_by_sql),
		cmocka_unit_test(test_unique_violation),
		cmocka_unit_test(test_read_by_column_name),
	};
	return cmocka_run_group_tests_name("db pool (integration)", tests, setup, teardown);
}
