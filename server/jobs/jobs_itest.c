/*
 * The outbox workers against real ixapid processes, a real PostgreSQL and
 * the controllable test adapter (tests/harness/adapter): a config reaches
 * the quarantine LAN and the peering LAN, jobs of one object run in order,
 * two nodes run each job once, an adapter that is down makes jobs wait and
 * complete after it returns, a dead job puts its object in `error` until an
 * operator re-drives it, a node killed while the adapter holds its request
 * loses nothing, run_after in the future is not run early, a decommission
 * takes the port down on its date, an adapter that comes back with a new
 * boot_id gets every port's stored state again (once, whatever the number
 * of nodes; a known boot_id writes nothing), and the adapter's secret is
 * nowhere.
 */
#include "harness.h"
#include "adapter_ctl.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixtures.h"

static struct itest_server server;
static struct itest_server second; /* another node on the same database */
static struct test_adapter adapter;
static char *operator_token;

static struct itest_lan_member alice, bob;

static void config_state_is(const struct itest_lan_member *m, const char *state, int timeout_ms)
{
	char q[160];
	snprintf(q, sizeof(q), "SELECT state FROM network_service_configs WHERE id = %s", m->nsc);
	assert_true(itest_wait_for(q, state, timeout_ms));
}

/* The newest job of an object (its id into out). */
static void newest_job(const char *object, char *out)
{
	char q[400];
	snprintf(q, sizeof(q), "SELECT max(id) FROM jobs WHERE object = '%s'", object);
	sql(q, out, 16);
}

static void job_state_is(const char *job, const char *state, int timeout_ms)
{
	char q[128];
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	assert_true(itest_wait_for(q, state, timeout_ms));
}

/* The PUTs the adapter answered 200 for a key (a job id) on a port. */
static int puts_for(const char *key, const char *port)
{
	json_t *all = test_adapter_requests(&adapter);
	char path[64];
	snprintf(path, sizeof(path), "/v1/ports/%s", port);
	int n = 0;
	size_t i;
	json_t *r;
	json_array_foreach (all, i, r) {
		const char *k = str(r, "key");
		if (k && strcmp(k, key) == 0 && strcmp(str(r, "path"), path) == 0 &&
		    strcmp(str(r, "method"), "PUT") == 0 && json_integer_value(json_object_get(r, "status")) == 200)
			n++;
	}
	json_decref(all);
	return n;
}

static void port_service_is(const char *port, const char *service)
{
	json_t *j = itest_last_port_put(&adapter, port);
	assert_non_null(j);
	json_t *s = json_object_get(j, "service");
	if (!service)
		assert_true(json_is_null(s));
	else
		assert_string_equal(json_string_value(s), service);
	json_decref(j);
}

/* The adapter's current boot_id is recorded and its re-push jobs are
 * done (a restart's switch.port_sync jobs never meet a later test's
 * injected failures). */
static void settle(void)
{
	char boot[160], q[400];
	assert_int_equal(test_adapter_boot_id(&adapter, boot, sizeof(boot)), 0);
	snprintf(q, sizeof(q),
		 "SELECT (SELECT boot_id FROM switch_adapter_boots WHERE adapter = 'test') = '%s'"
		 "   AND NOT EXISTS (SELECT 1 FROM jobs WHERE kind = 'switch.port_sync' AND state <> 'done')",
		 boot);
	assert_true(itest_wait_for(q, "t", 20000));
}

static void fresh(void)
{
	if (adapter.pid <= 0)
		assert_int_equal(test_adapter_restart(&adapter), 0);
	assert_int_equal(test_adapter_control(&adapter, "reset", NULL), 0);
	settle();
}

/* The switch.port_sync jobs written after job id `from`. */
static long long sync_jobs(const char *from)
{
	char q[200];
	snprintf(q, sizeof(q), "SELECT count(*) FROM jobs WHERE kind = 'switch.port_sync' AND id > %s", from);
	return count(q);
}

/* GET /v1/health requests the adapter answered (since its log began). */
static int health_checks(void)
{
	json_t *all = test_adapter_requests(&adapter);
	int n = 0;
	size_t i;
	json_t *r;
	json_array_foreach (all, i, r)
		if (strcmp(str(r, "path"), "/v1/health") == 0 &&
		    json_integer_value(json_object_get(r, "status")) == 200)
			n++;
	json_decref(all);
	return n;
}

static int start_node(struct itest_server *node)
{
	return itest_start_server(node);
}

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&server, &operator_token, NULL) != 0)
		return -1;
	if (itest_adapter_for_devices(&server, &adapter, NULL) != 0)
		return -1;
	setenv("IXAPI_WORKERS", "2", 1);
	setenv("IXAPI_JOB_LEASE_MS", "3000", 1);
	setenv("IXAPI_JOB_POLL_MS", "500", 1);
	setenv("IXAPI_JOB_MAX_ATTEMPTS", "4", 1);
	setenv("IXAPI_JOB_BACKOFF_BASE_MS", "100", 1);
	setenv("IXAPI_JOB_BACKOFF_CAP_MS", "400", 1);
	setenv("IXAPI_ADAPTER_TIMEOUT_MS", "2000", 1);
	setenv("IXAPI_QUARANTINE_SECONDS", "1", 1);
	setenv("IXAPI_ADAPTER_CHECK_MS", "500", 1);
	itest_stop_server(&server);
	if (start_node(&server) != 0)
		return -1;
	second = server;
	second.pid = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (second.pid > 0)
		itest_stop_server(&second);
	test_adapter_stop(&adapter);
	free(alice.token);
	free(bob.token);
	return itest_finish_tokens(&server, operator_token, NULL);
}

/* A new config: its ports go into the quarantine LAN with MAC lock on its
 * MAC, the config to testing with a quarantine.test job and a status entry;
 * the operator's move to production puts them on the peering LAN. */
static void test_quarantine_then_peering(void **state)
{
	(void)state;
	fresh();
	itest_new_lan_member(operator_token, &alice, "Alice Networks", "02:AA:00:00:00:01", 3320);
	config_state_is(&alice, "testing", 10000);
	for (int i = 0; i < 2; i++) {
		port_service_is(alice.port[i], "quarantine");
		json_t *j = itest_last_port_put(&adapter, alice.port[i]);
		assert_true(json_is_true(json_object_get(j, "mac_lock")));
		assert_string_equal(json_string_value(json_array_get(json_object_get(j, "allowed_macs"), 0)),
				    "02:aa:00:00:00:01");
		assert_string_equal(json_string_value(json_object_get(j, "admin_state")), "up");
		json_decref(j);
	}
	char q[200], job[16];
	snprintf(q, sizeof(q), "network_service_config:%s", alice.nsc);
	newest_job(q, job);
	assert_int_equal(puts_for(job, alice.port[0]), 1); /* the job id is the Idempotency-Key */
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'quarantine.test'"
		 " AND payload->>'network_service_config' = '%s'",
		 alice.nsc);
	assert_int_equal(count(q), 1); /* the gate's test (quarantine_itest judges it) */
	char path[64];
	snprintf(path, sizeof(path), "/network-service-configs/%s", alice.nsc);
	json_t *j = call("GET", path, alice.token, NULL, 200);
	json_t *st = itest_tagged(json_object_get(j, "status"), "network");
	assert_non_null(st);
	assert_int_equal(json_integer_value(json_object_get(st, "severity")), 5);
	assert_non_null(str(st, "timestamp"));
	json_decref(j);

	json_decref(call("PATCH", path, operator_token, "{\"state\": \"production\"}", 202));
	snprintf(q, sizeof(q), "network_service_config:%s", alice.nsc);
	newest_job(q, job);
	job_state_is(job, "done", 10000);
	port_service_is(alice.port[0], "peering");
	port_service_is(alice.port[1], "peering");
	j = call("GET", path, alice.token, NULL, 200);
	assert_string_equal(str(j, "state"), "production");
	assert_non_null(strstr(str(itest_tagged(json_object_get(j, "status"), "network"), "message"), "peering LAN"));
	json_decref(j);
}

/* Three changes of one config while the adapter holds the first answer:
 * the second and third wait for it (2 workers would otherwise overtake). */
static void test_one_object_in_order(void **state)
{
	(void)state;
	fresh();
	if (!alice.token)
		itest_new_lan_member(operator_token, &alice, "Alice Networks", "02:AA:00:00:00:01", 3320);
	char path[64], q[200], first[16], last[16];
	snprintf(path, sizeof(path), "/network-service-configs/%s", alice.nsc);
	snprintf(q, sizeof(q), "network_service_config:%s", alice.nsc);
	assert_int_equal(test_adapter_control(&adapter, "hang", "{\"count\": 1, \"ms\": 1200}"), 0);
	json_decref(call("PATCH", path, alice.token, "{\"capacity\": 1000}", 202));
	newest_job(q, first);
	json_decref(call("PATCH", path, alice.token, "{\"capacity\": 2000}", 202));
	json_decref(call("PATCH", path, alice.token, "{\"capacity\": 3000}", 202));
	newest_job(q, last);
	job_state_is(last, "done", 15000);
	/* the order the adapter answered them in is the order they were written */
	json_t *all = test_adapter_requests(&adapter);
	long long prev = 0;
	size_t i;
	json_t *r;
	int seen = 0;
	json_array_foreach (all, i, r) {
		const char *k = str(r, "key");
		if (!k || strcmp(str(r, "method"), "PUT") != 0 || atoll(k) < atoll(first) || atoll(k) > atoll(last))
			continue;
		if (strstr(str(r, "path"), alice.port[0]) == NULL)
			continue;
		assert_true(atoll(k) >= prev);
		prev = atoll(k);
		seen++;
	}
	json_decref(all);
	assert_true(seen >= 3);
}

/* Two nodes: 40 jobs over the connections with ports, each run once. */
static void test_two_nodes_each_job_once(void **state)
{
	(void)state;
	fresh();
	if (!bob.token)
		itest_new_lan_member(operator_token, &bob, "Bob Transit", "02:BB:00:00:00:01", 6939);
	config_state_is(&bob, "testing", 10000);
	assert_int_equal(start_node(&second), 0);
	char from[16];
	sql("SELECT coalesce(max(id), 0) FROM jobs", from, sizeof(from));
	sql("INSERT INTO jobs (kind, payload) SELECT 'connection.changed', jsonb_build_object('connection', k::text)"
	    "  FROM (SELECT DISTINCT connection AS k FROM ports WHERE connection IS NOT NULL) c, generate_series(1, 20)",
	    NULL, 0);
	char q[300];
	snprintf(q, sizeof(q), "SELECT count(*) FROM jobs WHERE id > %s AND state <> 'done'", from);
	assert_true(itest_wait_for(q, "0", 30000));
	snprintf(q, sizeof(q), "SELECT count(*) FROM jobs WHERE id > %s AND attempts <> 1", from);
	assert_int_equal(count(q), 0);
	snprintf(q, sizeof(q), "SELECT count(DISTINCT split_part(locked_by, '/', 1)) FROM jobs WHERE id > %s", from);
	long long nodes = count(q);
	assert_true(nodes >= 1 && nodes <= 2);
	/* every job's PUT reached each port once */
	snprintf(q, sizeof(q), "SELECT min(id) FROM jobs WHERE id > %s AND payload->>'connection' = '%s'", from,
		 bob.conn);
	char job[16];
	sql(q, job, sizeof(job));
	assert_int_equal(puts_for(job, bob.port[0]), 1);
	assert_int_equal(puts_for(job, bob.port[1]), 1);
	itest_stop_server(&second);
}

/* The adapter down: the job fails, waits (backoff), and completes once the
 * adapter is back. */
static void test_adapter_down_then_back(void **state)
{
	(void)state;
	fresh();
	if (!bob.token)
		itest_new_lan_member(operator_token, &bob, "Bob Transit", "02:BB:00:00:00:01", 6939);
	config_state_is(&bob, "testing", 10000);
	test_adapter_stop(&adapter);
	char path[64], q[200], job[16], hold[400];
	snprintf(path, sizeof(path), "/network-service-configs/%s", bob.nsc);
	json_decref(call("PATCH", path, bob.token, "{\"capacity\": 1500}", 202));
	snprintf(q, sizeof(q), "network_service_config:%s", bob.nsc);
	newest_job(q, job);
	/* Failed for the adapter being down (and waiting for its backoff):
	 * held there at once, in the same statement that sees it, while the
	 * adapter restarts (a loaded machine may take longer than the 4
	 * attempts' backoff to start it, and a look apart from the hold could
	 * miss the short windows between attempts); then made due, it must
	 * complete against the adapter that is back. */
	snprintf(hold, sizeof(hold),
		 "WITH h AS (UPDATE jobs SET run_after = now() + interval '1 hour'"
		 " WHERE id = %s AND state = 'failed' AND attempts >= 1 AND last_error LIKE 'adapter test:%%'"
		 " RETURNING 1) SELECT count(*) = 1 FROM h",
		 job);
	assert_true(itest_wait_for(hold, "t", 10000));
	assert_int_equal(test_adapter_restart(&adapter), 0);
	snprintf(q, sizeof(q), "UPDATE jobs SET run_after = now() WHERE id = %s AND state = 'failed' RETURNING state",
		 job);
	char st[16];
	sql(q, st, sizeof st);
	assert_string_equal(st, "failed");
	job_state_is(job, "done", 10000);
	assert_int_equal(puts_for(job, bob.port[0]), 1);
	config_state_is(&bob, "testing", 1000);
}

/* Bob's config in testing, every PUT failing: a PATCH to `capacity` makes
 * a job that dies. Its id in job, the config's path in path, its object
 * key in object. */
static void bob_job_dies(const char *capacity, char *path, size_t path_len, char *object, size_t object_len, char *job)
{
	fresh();
	if (!bob.token)
		itest_new_lan_member(operator_token, &bob, "Bob Transit", "02:BB:00:00:00:01", 6939);
	config_state_is(&bob, "testing", 10000);
	assert_int_equal(test_adapter_control(&adapter, "fail", "{\"count\": 1000, \"status\": 503}"), 0);
	char body[64];
	snprintf(path, path_len, "/network-service-configs/%s", bob.nsc);
	snprintf(body, sizeof(body), "{\"capacity\": %s}", capacity);
	json_decref(call("PATCH", path, bob.token, body, 202));
	snprintf(object, object_len, "network_service_config:%s", bob.nsc);
	newest_job(object, job);
	job_state_is(job, "dead", 15000);
}

/* After the attempts allowed the job is dead: the config is in error with a
 * status entry naming what failed; the operator re-drives it and it
 * completes; members never see jobs. */
static void test_dead_then_operator_retry(void **state)
{
	(void)state;
	char path[64], q[200], job[16];
	bob_job_dies("2500", path, sizeof(path), q, sizeof(q), job);
	config_state_is(&bob, "error", 1000);
	json_t *j = call("GET", path, bob.token, NULL, 200);
	json_t *st = json_object_get(j, "status");
	bool found = false;
	for (size_t i = 0; i < json_array_size(st); i++)
		if (strcmp(str(json_array_get(st, i), "tag"), "job_failed") == 0) {
			found = true;
			assert_int_equal(json_integer_value(json_object_get(json_array_get(st, i), "severity")), 3);
			assert_non_null(strstr(str(json_array_get(st, i), "message"), "HTTP 503"));
		}
	assert_true(found);
	json_decref(j);

	json_decref(call("GET", "/jobs", bob.token, NULL, 403));
	snprintf(q, sizeof(q), "/jobs/%s/retry", job);
	json_decref(call("POST", q, bob.token, NULL, 403));
	j = call("GET", "/jobs?state=dead", operator_token, NULL, 200);
	found = false;
	for (size_t i = 0; i < json_array_size(j); i++)
		found = found || strcmp(str(json_array_get(j, i), "id"), job) == 0;
	assert_true(found);
	json_decref(j);

	assert_int_equal(test_adapter_control(&adapter, "reset", NULL), 0);
	j = call("POST", q, operator_token, NULL, 200);
	assert_string_equal(str(j, "state"), "pending");
	json_decref(j);
	json_decref(call("POST", q, operator_token, NULL, 400)); /* not dead any more (or done) */
	job_state_is(job, "done", 10000);
	config_state_is(&bob, "testing", 2000);
	j = call("GET", path, bob.token, NULL, 200);
	st = json_object_get(j, "status");
	for (size_t i = 0; i < json_array_size(st); i++)
		assert_string_not_equal(str(json_array_get(st, i), "tag"), "job_failed");
	json_decref(j);
	json_decref(call("POST", "/jobs/999999999/retry", operator_token, NULL, 404));
}

/* The operator's command line re-drives a dead job like POST
 * /jobs/{id}/retry (the same code): `ixapid jobs --state dead` lists it,
 * `ixapid jobs retry ID` puts it back, an audit event names the command
 * line; refusals exit non-zero and change nothing. */
static void test_cli_lists_and_retries(void **state)
{
	(void)state;
	char path[64], q[200], job[16], out[8192];
	bob_job_dies("5000", path, sizeof(path), q, sizeof(q), job);

	const char *list_dead[] = {"jobs", "--state", "dead", "--json", NULL};
	assert_int_equal(itest_cli(&server, list_dead, out, sizeof(out)), 0);
	json_t *j = json_loads(out, 0, NULL);
	assert_non_null(j);
	bool found = false;
	for (size_t i = 0; i < json_array_size(j); i++) {
		found = found || strcmp(str(json_array_get(j, i), "id"), job) == 0;
		assert_string_equal(str(json_array_get(j, i), "state"), "dead");
	}
	assert_true(found);
	json_decref(j);
	const char *table[] = {"jobs", "list", "--object", q, NULL};
	assert_int_equal(itest_cli(&server, table, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "LAST_ERROR"));
	assert_non_null(strstr(out, "HTTP 503"));

	const char *bad_state[] = {"jobs", "--state", "asleep", NULL};
	assert_int_equal(itest_cli(&server, bad_state, out, sizeof(out)), 2);
	const char *bad_option[] = {"jobs", "--color", NULL};
	assert_int_equal(itest_cli(&server, bad_option, out, sizeof(out)), 2);
	const char *unknown[] = {"jobs", "retry", "999999999", NULL};
	assert_int_equal(itest_cli(&server, unknown, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "does not exist"));

	assert_int_equal(test_adapter_control(&adapter, "reset", NULL), 0);
	const char *retry[] = {"jobs", "retry", job, NULL};
	assert_int_equal(itest_cli(&server, retry, out, sizeof(out)), 0);
	j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_string_equal(str(j, "id"), job);
	json_decref(j);
	job_state_is(job, "done", 10000);
	assert_int_equal(itest_cli(&server, retry, out, sizeof(out)), 1); /* done: nothing to re-drive */
	assert_non_null(strstr(out, "only a dead or failed job"));
	config_state_is(&bob, "testing", 2000);
	char n[16];
	snprintf(
		q, sizeof(q),
		"SELECT count(*) FROM events WHERE object_type = 'job' AND object_id = '%s' AND request_id LIKE 'cli:%%'"
		" AND actor_account IS NULL",
		job);
	assert_int_equal(itest_sql(&server, q, n, sizeof(n)), 0);
	assert_string_equal(n, "1");
}

/* A node SIGKILLed while the adapter holds its PUT: after the lease another
 * node claims the job, the port ends as it should and the job is done
 * once. */
static void test_node_killed_mid_job(void **state)
{
	(void)state;
	fresh();
	if (!alice.token)
		itest_new_lan_member(operator_token, &alice, "Alice Networks", "02:AA:00:00:00:01", 3320);
	config_state_is(&alice, "production", 10000);
	assert_int_equal(start_node(&second), 0);
	assert_int_equal(test_adapter_control(&adapter, "hang", "{\"count\": 1, \"ms\": 8000}"), 0);
	char path[64], q[200], job[16], holder[128];
	snprintf(path, sizeof(path), "/network-service-configs/%s", alice.nsc);
	json_decref(call("PATCH", path, alice.token, "{\"capacity\": 4000}", 202));
	snprintf(q, sizeof(q), "network_service_config:%s", alice.nsc);
	newest_job(q, job);
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	assert_true(itest_wait_for(q, "running", 5000));
	/* Killed while the adapter holds its PUT: not at once after the claim
	 * (its PUT may not have left yet, and the next node's would be the one
	 * held), and before its adapter timeout (2000 ms) gives up on it. */
	snprintf(
		q, sizeof(q),
		"SELECT state = 'running' AND now() >= locked_at + interval '300 milliseconds' FROM jobs WHERE id = %s",
		job);
	assert_true(itest_wait_for(q, "t", 5000));
	snprintf(q, sizeof(q), "SELECT split_part(split_part(locked_by, '/', 1), ':', 2) FROM jobs WHERE id = %s", job);
	sql(q, holder, sizeof(holder));
	struct itest_server *victim = atoi(holder) == server.pid ? &server : &second;
	assert_int_equal(atoi(holder), victim->pid);
	char first_claim[64];
	snprintf(q, sizeof(q), "SELECT locked_at::text FROM jobs WHERE id = %s", job);
	sql(q, first_claim, sizeof(first_claim));
	kill(victim->pid, SIGKILL);
	waitpid(victim->pid, NULL, 0);
	victim->pid = 0;
	job_state_is(job, "done", 15000);
	/* not taken again before the lease (3000 ms) of the first claim ran
	 * out: the row keeps the second claim's time (by the database's clock,
	 * whatever the test's own pace was) */
	char v[8];
	snprintf(q, sizeof(q),
		 "SELECT locked_at >= '%s'::timestamptz + interval '3000 milliseconds' FROM jobs WHERE id = %s",
		 first_claim, job);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "t");
	snprintf(q, sizeof(q), "SELECT attempts FROM jobs WHERE id = %s", job);
	assert_int_equal(count(q), 2);
	port_service_is(alice.port[0], "peering");
	snprintf(q, sizeof(q), "SELECT count(*) FROM events WHERE request_id = 'job:%s'", job);
	assert_true(count(q) <= 1);
	if (victim == &server)
		assert_int_equal(start_node(&server), 0);
	else
		itest_stop_server(&second);
	if (second.pid > 0)
		itest_stop_server(&second);
}

/* A job due later is not run before its time, then runs. */
static void test_run_after_not_early(void **state)
{
	(void)state;
	fresh();
	if (!bob.token)
		itest_new_lan_member(operator_token, &bob, "Bob Transit", "02:BB:00:00:00:01", 6939);
	char q[300], job[16];
	snprintf(q, sizeof(q),
		 "INSERT INTO jobs (kind, payload, run_after) VALUES ('connection.changed',"
		 " jsonb_build_object('connection', '%s'), now() + interval '6 seconds') RETURNING id",
		 bob.conn);
	sql(q, job, sizeof(job));
	usleep(1500000); /* the workers poll every 200 ms: many chances to run it early */
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	char st[16];
	sql(q, st, sizeof(st));
	assert_string_equal(st, "pending");
	assert_int_equal(puts_for(job, bob.port[0]), 0);
	job_state_is(job, "done", 20000);
	snprintf(q, sizeof(q), "SELECT finished_at >= run_after FROM jobs WHERE id = %s", job);
	sql(q, st, sizeof(st));
	assert_string_equal(st, "t");
}

/* Decommissioned (today): the ports go down and out of every service, the
 * config is decommissioned, its archive job waits for its date. */
static void test_decommission_takes_the_port_down(void **state)
{
	(void)state;
	fresh();
	if (!bob.token)
		itest_new_lan_member(operator_token, &bob, "Bob Transit", "02:BB:00:00:00:01", 6939);
	config_state_is(&bob, "testing", 10000);
	char path[64], q[300];
	snprintf(path, sizeof(path), "/network-service-configs/%s", bob.nsc);
	json_decref(call("DELETE", path, bob.token, NULL, 202));
	/* the remove job waits for the date the cancellation policy gave */
	char job[16], st[16];
	snprintf(q, sizeof(q), "network_service_config:%s", bob.nsc);
	newest_job(q, job);
	snprintf(q, sizeof(q),
		 "SELECT j.state = 'pending' AND j.run_after = c.decommission_at::timestamptz"
		 "  FROM jobs j, network_service_configs c WHERE j.id = %s AND c.id = %s",
		 job, bob.nsc);
	sql(q, st, sizeof(st));
	assert_string_equal(st, "t");
	/* the date comes (moved to today rather than waited for) */
	snprintf(q, sizeof(q),
		 "UPDATE network_service_configs SET decommission_at = current_date WHERE id = %s;"
		 " UPDATE jobs SET run_after = current_date WHERE id = %s",
		 bob.nsc, job);
	sql(q, NULL, 0);
	config_state_is(&bob, "decommissioned", 10000);
	job_state_is(job, "done", 1000);
	port_service_is(bob.port[0], NULL);
	json_t *j = itest_last_port_put(&adapter, bob.port[1]);
	assert_string_equal(str(j, "admin_state"), "down");
	json_decref(j);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'archive' AND state = 'pending' AND run_after > now()"
		 "   AND object = 'network_service_config:%s'",
		 bob.nsc);
	assert_int_equal(count(q), 1);
}

/* The adapter restarts (a new process: its ports' state is gone, a new
 * boot_id): within the check interval every port of its devices gets a
 * switch.port_sync job, once, and the stored desired state is PUT again —
 * alice's ports on the peering LAN with the MAC lock, a free port down and
 * in no service. */
static void test_restart_repushes_stored_state(void **state)
{
	(void)state;
	fresh();
	if (!alice.token)
		itest_new_lan_member(operator_token, &alice, "Alice Networks", "02:AA:00:00:00:01", 3320);
	config_state_is(&alice, "production", 10000);
	settle();
	char from[16], free_port[24], q[400];
	sql("SELECT coalesce(max(id), 0) FROM jobs", from, sizeof(from));
	sql("SELECT 'p' || min(id) FROM ports WHERE connection IS NULL", free_port, sizeof(free_port));
	test_adapter_stop(&adapter);
	assert_int_equal(test_adapter_restart(&adapter), 0);
	long long ports = count("SELECT count(*) FROM ports");
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'switch.port_sync' AND id > %s AND state = 'done'", from);
	char want[24];
	snprintf(want, sizeof(want), "%lld", ports);
	assert_true(itest_wait_for(q, want, 20000));
	assert_int_equal(sync_jobs(from), ports); /* one per port, no more */
	for (int i = 0; i < 2; i++) {
		char job[16];
		snprintf(q, sizeof(q),
			 "SELECT id FROM jobs WHERE kind = 'switch.port_sync' AND id > %s AND payload->>'port' = '%s'",
			 from, alice.port[i] + 1);
		sql(q, job, sizeof(job));
		assert_int_equal(puts_for(job, alice.port[i]), 1); /* the sync job's PUT, its id as the key */
		json_t *j = itest_last_port_put(&adapter, alice.port[i]);
		assert_string_equal(str(j, "service"), "peering");
		assert_string_equal(str(j, "admin_state"), "up");
		assert_true(json_is_true(json_object_get(j, "mac_lock")));
		assert_string_equal(json_string_value(json_array_get(json_object_get(j, "allowed_macs"), 0)),
				    "02:aa:00:00:00:01");
		json_decref(j);
	}
	json_t *j = itest_last_port_put(&adapter, free_port);
	assert_non_null(j);
	assert_string_equal(str(j, "admin_state"), "down");
	assert_true(json_is_null(json_object_get(j, "service")));
	json_decref(j);
	/* nothing of the sync reached the jobs but ids (no secret, no state) */
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'switch.port_sync' AND id > %s"
		 "   AND (payload - 'port' - 'adapter') <> '{}'::jsonb",
		 from);
	assert_int_equal(count(q), 0);
}

/* A boot_id ixapid knows writes nothing: a node restarting against the
 * same adapter process checks it (and checks it again every interval). */
static void test_known_boot_writes_nothing(void **state)
{
	(void)state;
	fresh();
	char from[16];
	sql("SELECT coalesce(max(id), 0) FROM jobs", from, sizeof(from));
	int checks = health_checks();
	itest_stop_server(&server);
	assert_int_equal(start_node(&server), 0);
	/* the check at start and a few periodic ones (every 300 ms or so) */
	for (long long until = itest_now_ms() + 20000; health_checks() < checks + 3 && itest_now_ms() < until;)
		usleep(100000);
	assert_true(health_checks() >= checks + 3);
	assert_int_equal(sync_jobs(from), 0);
}

/* Two nodes see the same new boot_id at the same moment (the adapter holds
 * their health checks and answers both at once): one set of jobs. */
static void test_two_nodes_one_set(void **state)
{
	(void)state;
	fresh();
	assert_int_equal(start_node(&second), 0);
	settle();
	char from[16], q[300];
	sql("SELECT coalesce(max(id), 0) FROM jobs", from, sizeof(from));
	int checks = health_checks();
	char body[128];
	snprintf(body, sizeof(body), "{\"boot_id\": \"two-nodes-%lld\", \"hold_ms\": 1500}", itest_now_ms());
	assert_int_equal(test_adapter_control(&adapter, "boot", body), 0);
	/* both nodes asked and were answered (the adapter holds each answer
	 * 1.5 s and records it when it answers) */
	for (long long until = itest_now_ms() + 20000; health_checks() < checks + 2 && itest_now_ms() < until;)
		usleep(100000);
	assert_true(health_checks() >= checks + 2);
	long long ports = count("SELECT count(*) FROM ports");
	snprintf(q, sizeof(q),
		 "SELECT count(DISTINCT payload->>'port') = count(*) FROM jobs"
		 " WHERE kind = 'switch.port_sync' AND id > %s",
		 from);
	settle();
	assert_int_equal(sync_jobs(from), ports);
	char distinct[8];
	sql(q, distinct, sizeof(distinct));
	assert_string_equal(distinct, "t");
	itest_stop_server(&second);
}

/* The adapter's secret: in no log line, job, event or error text. */
static void test_secret_nowhere(void **state)
{
	(void)state;
	fresh();
	char q[1024];
	snprintf(
		q, sizeof(q),
		"SELECT (SELECT count(*) FROM jobs WHERE payload::text LIKE '%%%s%%' OR last_error LIKE '%%%s%%')"
		"     + (SELECT count(*) FROM events WHERE coalesce(old_value::text, '') || new_value::text LIKE '%%%s%%')"
		"     + (SELECT count(*) FROM status_entries WHERE message LIKE '%%%s%%')",
		adapter.secret, adapter.secret, adapter.secret, adapter.secret);
	assert_int_equal(count(q), 0);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "grep -rqF '%s' '%s'/server.log", adapter.secret, server.workdir);
	assert_int_not_equal(system(cmd), 0);
	/* the adapter did get it, and every request carried it */
	json_t *all = test_adapter_requests(&adapter);
	assert_true(json_array_size(all) > 0);
	size_t i;
	json_t *r;
	json_array_foreach (all, i, r) {
		if (strncmp(str(r, "path"), "/control", 8) != 0)
			assert_true(json_is_true(json_object_get(r, "auth_ok")));
	}
	json_decref(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quarantine_then_peering),
		cmocka_unit_test(test_one_object_in_order),
		cmocka_unit_test(test_two_nodes_each_job_once),
		cmocka_unit_test(test_adapter_down_then_back),
		cmocka_unit_test(test_dead_then_operator_retry),
		cmocka_unit_test(test_cli_lists_and_retries),
		cmocka_unit_test(test_node_killed_mid_job),
		cmocka_unit_test(test_run_after_not_early),
		cmocka_unit_test(test_restart_repushes_stored_state),
		cmocka_unit_test(test_known_boot_writes_nothing),
		cmocka_unit_test(test_two_nodes_one_set),
		cmocka_unit_test(test_decommission_takes_the_port_down),
		cmocka_unit_test(test_secret_nowhere),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
