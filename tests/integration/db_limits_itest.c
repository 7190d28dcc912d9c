/*
 * Integration tests of the database limits: a table locked by another
 * session makes requests that need it fail fast with a 503 problem and
 * Retry-After (lock_timeout per pooled connection) instead of waiting for
 * the lock, and /health answers within a second (reporting "warn") while
 * every pooled connection is stuck.
 */
#include "harness.h"
#include "fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct itest_server srv;
static char *member_token;

static int setup(void **state)
{
	(void)state;
	/* One pooled connection for four HTTP threads: a request stuck on the
	 * lock holds every connection, which /health must notice, not wait for. */
	setenv("IXAPI_THREADS", "4", 1);
	setenv("IXAPI_DB_POOL_SIZE", "1", 1);
	setenv("IXAPI_DB_LOCK_TIMEOUT_MS", "1000", 1);
	return itest_start_with_tokens(&srv, NULL, &member_token);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, NULL, member_token);
}

struct timed_call {
	pthread_t thread;
	const char *path;
	long status;
	char retry_after[32];
	bool is_problem;
	long long elapsed_ms;
};

static void *call_thread(void *arg)
{
	struct timed_call *c = arg;
	long long started = itest_now_ms();
	struct http_result r;
	if (http_call(&srv, "GET", c->path, member_token, NULL, NULL, &r) == 0) {
		c->status = r.status;
		snprintf(c->retry_after, sizeof(c->retry_after), "%s", r.retry_after);
		c->is_problem = r.status == 503 && itest_is_problem(&r, 503, NULL);
	}
	c->elapsed_ms = itest_now_ms() - started;
	http_result_free(&r);
	return NULL;
}

/* Like `LOCK TABLE network_service_configs IN ACCESS EXCLUSIVE MODE` held
 * in psql: /account reads the configs of the account's ASNs. */
static void test_locked_table_gives_503_with_retry_after(void **state)
{
	(void)state;
	PGconn *locker = PQconnectdb(srv.db_url);
	assert_int_equal(PQstatus(locker), CONNECTION_OK);
	PGresult *res = PQexec(locker, "BEGIN; LOCK TABLE network_service_configs IN ACCESS EXCLUSIVE MODE");
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	long long locked_at = itest_now_ms();

	struct timed_call calls[2];
	for (size_t i = 0; i < 2; i++) {
		calls[i] = (struct timed_call){.path = "/account"};
		assert_int_equal(pthread_create(&calls[i].thread, NULL, call_thread, &calls[i]), 0);
	}
	/* Wait until the pooled connection waits for the lock (asked on a
	 * connection of its own: a transaction sees one snapshot of the stats). */
	for (int i = 0; i < 60; i++) {
		char waiting[16] = "";
		itest_sql(&srv,
			  "SELECT count(*) FROM pg_stat_activity"
			  " WHERE wait_event_type = 'Lock' AND datname = current_database()",
			  waiting, sizeof(waiting));
		if (atoi(waiting) >= 1)
			break;
		usleep(50000);
	}
	long long started = itest_now_ms();
	struct http_result r;
	int rc = http_call(&srv, "GET", "/health", NULL, NULL, NULL, &r);
	long long health_ms = itest_now_ms() - started;
	long health_status = r.status;
	const char *status = json_string_value(json_object_get(r.j, "status"));
	json_t *j_check = json_array_get(json_object_get(json_object_get(r.j, "checks"), "postgresql:connection"), 0);
	const char *check = json_string_value(json_object_get(j_check, "status"));
	bool health_ok = rc == 0 && health_ms < 1000 && health_status == 200 && status && strcmp(status, "warn") == 0 &&
			 check && strcmp(check, "warn") == 0;
	if (!health_ok) {
		fprintf(stderr, "/health: %ld after %lld ms: %s\n", health_status, health_ms, r.body);
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "tail -n 20 '%s/server.log' >&2", srv.workdir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot show the server log\n");
	}
	http_result_free(&r);

	/* Hold the lock for 5 s at most whatever happens, so that the test
	 * fails (rather than hangs) on a server that waits for it. */
	long long left = 5000 - (itest_now_ms() - locked_at);
	for (int i = 0; i < 2 && left > 0; i++) {
		struct timespec deadline;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += left / 1000 + 1;
		if (pthread_timedjoin_np(calls[i].thread, NULL, &deadline) == 0)
			calls[i].thread = 0;
		left = 5000 - (itest_now_ms() - locked_at);
	}
	res = PQexec(locker, "ROLLBACK");
	PQclear(res);
	PQfinish(locker);
	assert_true(health_ok);
	for (size_t i = 0; i < 2; i++) {
		if (calls[i].thread)
			pthread_join(calls[i].thread, NULL);
		if (calls[i].status != 503 || calls[i].elapsed_ms >= 4000)
			fprintf(stderr, "/account while locked: %ld after %lld ms\n", calls[i].status,
				calls[i].elapsed_ms);
		assert_int_equal(calls[i].status, 503);
		assert_true(calls[i].is_problem);
		assert_true(calls[i].elapsed_ms < 4000);
		assert_true(atoi(calls[i].retry_after) >= 1);
	}

	/* The lock is gone: the same connections serve again. */
	json_t *j = itest_expect(&srv, "GET", "/account", member_token, NULL, 200);
	json_decref(j);
	assert_int_equal(http_call(&srv, "GET", "/health", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "status")), "pass");
	http_result_free(&r);
}

/* A write waiting for a row lock another session holds: 503 with
 * Retry-After once lock_timeout fires, and the connection keeps serving. */
static void test_row_lock_on_write_gives_503(void **state)
{
	(void)state;
	char account[32];
	snprintf(account, sizeof(account), "%s", srv.member_creds.account);
	PGconn *locker = PQconnectdb(srv.db_url);
	assert_int_equal(PQstatus(locker), CONNECTION_OK);
	char sql[256];
	snprintf(sql, sizeof(sql), "BEGIN; SELECT 1 FROM accounts WHERE id = %s FOR UPDATE", account);
	PGresult *res = PQexec(locker, sql);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	PQclear(res);
	/* Reading is not blocked by a row lock. */
	json_t *j = itest_expect(&srv, "GET", "/account", member_token, NULL, 200);
	json_decref(j);
	/* Writing is: the update waits for the row lock, lock_timeout fires. */
	long long started = itest_now_ms();
	struct http_result r;
	char path[64];
	snprintf(path, sizeof(path), "/accounts/%s", account);
	assert_int_equal(http_call(&srv, "PATCH", path, member_token, "{\"name\": \"Locked Out\"}", NULL, &r), 0);
	long long took = itest_now_ms() - started;
	res = PQexec(locker, "ROLLBACK");
	PQclear(res);
	PQfinish(locker);
	assert_true(itest_is_problem(&r, 503, NULL));
	assert_true(atoi(r.retry_after) >= 1);
	assert_true(took < 4000);
	http_result_free(&r);
	j = itest_expect(&srv, "PATCH", path, member_token, "{\"name\": \"Unlocked\"}", 202);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locked_table_gives_503_with_retry_after),
		cmocka_unit_test(test_row_lock_on_write_gives_503),
	};
	return cmocka_run_group_tests_name("database limits (integration)", tests, setup, teardown);
}
