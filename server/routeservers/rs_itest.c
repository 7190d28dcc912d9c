/*
 * Route-server sessions ordered through the API reach the route servers: a
 * real ixapid (workers on), a real PostgreSQL and the test adapter as the
 * route-server adapter (tests/harness/adapter, openapi/adapter-rs.json).
 * Ordering a session PUTs the route server's whole desired state with the
 * session and its MD5 password, while jobs, events, status entries and the
 * server's log (debug) never hold the password; the config goes to
 * production; a refusal (BIRD's file:line message) dead-letters the job and
 * puts the config in error until an operator re-drives it; the poll writes
 * the sessions' state as status entries, keeps the observed count per AS
 * and refreshes a route server whose dynamic limit changed; a limit hit
 * shows, and an operator re-enables the session; IRR and ROA loads refresh
 * every route server, and bad loads are problems that change nothing;
 * decommissioning removes the session; while one route server is down the
 * other's jobs complete and the down one's wait (never dead) and complete
 * after it returns; an adapter that restarted gets its route servers'
 * whole desired state again.
 */
#include "harness.h"
#include "adapter_ctl.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixtures.h"

#define RS1 "rs1.demo-ix.net" /* the seeded route servers; rs2's adapter name is "rs2" */

static struct itest_server server;
static struct test_adapter adapter;
static char *operator_token, *member_token;
/* 80 characters (the most a TCP-MD5 key holds), the printable ASCII
 * specials the route servers take (all but " \\ and ', which leaks()'s SQL
 * quotes): it reaches the adapter as it was ordered. */
static const char password[] = "Pw-rs-4d1c9e07aa !#$%&()*+,-./:;<=>?@[]^_`{|}~ 0123456789abcdefghijklmnopqrstuvw";
_Static_assert(sizeof(password) - 1 == 80, "the longest password the route servers take");

/* The member's config on the LAN, its IPv4 address, and its session. */
static char nsc[16], ip4[16], nfc[16], rs1[16], rs2[16];

/* The body of the last PUT the adapter answered 200 for a route server
 * (new ref), and its Idempotency-Key into key (may be NULL). */
/* How many ROA tables the adapter was given (PUT /v1/roas answered 200). */
static int roa_loads(void)
{
	json_t *all = test_adapter_requests(&adapter);
	int n = 0;
	size_t i;
	json_t *r;
	json_array_foreach (all, i, r)
		n += strcmp(str(r, "path"), "/v1/roas") == 0 && json_integer_value(json_object_get(r, "status")) == 200;
	json_decref(all);
	return n;
}

static json_t *last_put(const char *server_name, char *key, size_t key_len)
{
	char path[128];
	snprintf(path, sizeof(path), "/v1/route-servers/%s", server_name);
	return itest_last_put(&adapter, path, key, key_len);
}

static int puts_to(const char *server_name)
{
	json_t *all = test_adapter_requests(&adapter);
	char path[128];
	snprintf(path, sizeof(path), "/v1/route-servers/%s", server_name);
	int n = 0;
	size_t i;
	json_t *r;
	json_array_foreach (all, i, r)
		if (strcmp(str(r, "path"), path) == 0 && strcmp(str(r, "method"), "PUT") == 0)
			n++;
	json_decref(all);
	return n;
}

/* The session of that id in a desired state (borrowed), or NULL. */
static json_t *session_in(json_t *desired, const char *id)
{
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(desired, "sessions"), i, s)
		if (strcmp(str(s, "id"), id) == 0)
			return s;
	return NULL;
}

/* The server's warnings and errors, when a wait gives up. */
static void dump_log(void)
{
	char path[512], line[4096];
	snprintf(path, sizeof(path), "%s/server.log", server.workdir);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "WARN") || strstr(line, "ERROR") || strstr(line, "warn") || strstr(line, "error"))
			fprintf(stderr, "server.log: %s", line);
	if (f)
		fclose(f);
}

/* Waits until the last PUT to the route server has the session with
 * max_prefix_v4 == limit (limit < 0: without the session). */
static bool wait_for_session(const char *server_name, const char *id, long long limit, int timeout_ms)
{
	long long until = itest_now_ms() + timeout_ms;
	while (itest_now_ms() < until) {
		json_t *d = last_put(server_name, NULL, 0);
		json_t *s = session_in(d, id);
		bool ok = limit < 0 ? d && !s : s && json_integer_value(json_object_get(s, "max_prefix_v4")) == limit;
		json_decref(d);
		if (ok)
			return true;
		usleep(100000);
	}
	fprintf(stderr, "wait_for_session: %s session %s limit %lld not seen\n", server_name, id, limit);
	dump_log();
	return false;
}

static void nfc_state_is(const char *id, const char *state, int timeout_ms)
{
	char q[128];
	snprintf(q, sizeof(q), "SELECT state FROM network_feature_configs WHERE id = %s", id);
	assert_true(itest_wait_for(q, state, timeout_ms));
}

/* The status entry of a tag on a feature config (new ref), or NULL. */
static json_t *nfc_status(const char *id, const char *tag)
{
	char path[64];
	snprintf(path, sizeof(path), "/network-feature-configs/%s", id);
	json_t *j = call("GET", path, operator_token, NULL, 200), *found = NULL;
	size_t i;
	json_t *e;
	json_array_foreach (json_object_get(j, "status"), i, e)
		if (strcmp(str(e, "tag"), tag) == 0)
			found = json_incref(e);
	json_decref(j);
	return found;
}

static bool wait_for_status(const char *id, const char *tag, bool present, int timeout_ms)
{
	long long until = itest_now_ms() + timeout_ms;
	while (itest_now_ms() < until) {
		json_t *e = nfc_status(id, tag);
		bool there = e != NULL;
		json_decref(e);
		if (there == present)
			return true;
		usleep(100000);
	}
	fprintf(stderr, "wait_for_status: %s %s never %s\n", id, tag, present ? "appeared" : "went");
	return false;
}

/* Rows of jobs, events and status entries, and lines of the server's log,
 * holding the password. */
static long long leaks(void)
{
	char q[1024];
	snprintf(q, sizeof(q),
		 "SELECT (SELECT count(*) FROM events WHERE strpos(coalesce(old_value::text, '') ||"
		 "                                               coalesce(new_value::text, ''), '%s') > 0)"
		 "     + (SELECT count(*) FROM jobs WHERE strpos(payload::text || coalesce(last_error, ''), '%s') > 0)"
		 "     + (SELECT count(*) FROM status_entries WHERE strpos(message || attrs::text, '%s') > 0)",
		 password, password, password);
	long long n = count(q);
	char path[512], line[16384];
	snprintf(path, sizeof(path), "%s/server.log", server.workdir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, password)) {
			fprintf(stderr, "server.log: %s", line);
			n++;
		}
	fclose(f);
	return n;
}

static void wait_jobs_done(const char *kind, int timeout_ms)
{
	char q[256];
	snprintf(q, sizeof(q), "SELECT count(*) FROM jobs WHERE kind = '%s' AND state <> 'done'", kind);
	assert_true(itest_wait_for(q, "0", timeout_ms));
}

static int setup(void **state)
{
	(void)state;
	setenv("IXAPI_LOG_LEVEL", "debug", 1); /* the most the server ever logs */
	if (itest_start_with_tokens(&server, &operator_token, &member_token) != 0)
		return -1;
	if (itest_adapter_for_devices(&server, &adapter,
				      "[\"" RS1
				      "\", {\"network_feature\": \"rs2.demo-ix.net\", \"server\": \"rs2\"}]") != 0 ||
	    itest_sql(&server, "SELECT id FROM network_features WHERE name = '" RS1 "'", rs1, sizeof(rs1)) != 0 ||
	    itest_sql(&server, "SELECT id FROM network_features WHERE name = 'rs2.demo-ix.net'", rs2, sizeof(rs2)) != 0)
		return -1;
	setenv("IXAPI_WORKERS", "2", 1);
	setenv("IXAPI_JOB_LEASE_MS", "5000", 1);
	setenv("IXAPI_JOB_POLL_MS", "200", 1);
	setenv("IXAPI_JOB_MAX_ATTEMPTS", "3", 1);
	setenv("IXAPI_JOB_BACKOFF_BASE_MS", "50", 1);
	setenv("IXAPI_JOB_BACKOFF_CAP_MS", "200", 1);
	setenv("IXAPI_ADAPTER_TIMEOUT_MS", "2000", 1);
	setenv("IXAPI_RS_POLL_MS", "300", 1);
	setenv("IXAPI_ADAPTER_CHECK_MS", "300", 1);
	itest_stop_server(&server);
	return itest_start_server(&server);
}

static int teardown(void **state)
{
	(void)state;
	test_adapter_stop(&adapter);
	return itest_finish_tokens(&server, operator_token, member_token);
}

/* A member orders a session with rs1: the whole desired state of rs1 is
 * PUT with it (its address, ASN, filtering mode, AS-SET key, the default
 * limit of 100, the password), keyed by the job; the config follows to
 * production with a status entry; the password is only in the PUT. */
static void test_session_reaches_route_server(void **state)
{
	(void)state;
	char q[256], body[1024];
	itest_join_lan(member_token, server.member_creds.account, "02:11:22:33:77:01", 206238, nsc);
	snprintf(q, sizeof(q), "SELECT id FROM ips WHERE network_service_config = %s AND version = 4", nsc);
	sql(q, ip4, sizeof(ip4));
	snprintf(body, sizeof(body),
		 "{\"type\": \"route_server\", \"network_feature\": \"%s\", \"network_service_config\": \"%s\","
		 " \"asn\": 206238, \"ip\": \"%s\", \"as_set_v4\": \"AS-DEMO@RIPE\", \"password\": \"%s\","
		 " \"flags\": [{\"name\": \"tagging\", \"enabled\": true}]}",
		 rs1, nsc, ip4, password);
	json_t *j = call("POST", "/network-feature-configs", member_token, body, 201);
	snprintf(nfc, sizeof(nfc), "%s", str(j, "id"));
	json_decref(j);
	nfc_state_is(nfc, "production", 15000);

	char key[128], job[16], address[64];
	json_t *d = last_put(RS1, key, sizeof(key));
	assert_non_null(d);
	snprintf(q, sizeof(q), "SELECT max(id) FROM jobs WHERE object = 'network_feature_config:%s'", nfc);
	sql(q, job, sizeof(job));
	assert_true(strncmp(key, job, strlen(job)) == 0 && key[strlen(job)] == '-'); /* the job id keys it */
	assert_int_equal(json_integer_value(json_object_get(d, "asn")), 64496);
	assert_string_equal(str(d, "ipv4"), "192.0.2.1");
	assert_non_null(str(d, "lan_v4"));
	json_t *s = session_in(d, nfc);
	assert_non_null(s);
	snprintf(q, sizeof(q), "SELECT host(address) FROM ips WHERE id = %s", ip4);
	sql(q, address, sizeof(address));
	assert_string_equal(str(s, "ipv4"), address);
	assert_null(json_object_get(s, "ipv6"));
	assert_int_equal(json_integer_value(json_object_get(s, "peer_asn")), 206238);
	assert_string_equal(str(s, "password"), password);
	assert_string_equal(str(s, "filtering"), "tagging");
	assert_string_equal(str(s, "as_set_v4"), "AS-DEMO.RIPE");
	assert_int_equal(json_integer_value(json_object_get(s, "max_prefix_v4")), 100); /* unknown: 100 */
	json_decref(d);
	/* the other route server has no session of it */
	d = last_put("rs2", NULL, 0);
	assert_null(session_in(d, nfc));
	json_decref(d);

	json_t *e = nfc_status(nfc, "network");
	assert_non_null(e);
	assert_int_equal(json_integer_value(json_object_get(e, "severity")), 6);
	assert_non_null(strstr(str(e, "message"), RS1));
	json_decref(e);
	assert_int_equal(leaks(), 0);
}

/* BIRD refuses rs1's configuration: the job fails with BIRD's message,
 * dies after its attempts, the config is in error with a job_failed entry;
 * the operator re-drives it (the member's later change is in what it
 * renders), and the config comes back to production. */
static void test_refusal_dead_letters(void **state)
{
	(void)state;
	const char *bird = "bird.conf.new:42:7 syntax error, unexpected CF_SYM_UNDEFINED";
	char body[256], path[64], q[256], job[16];
	/* an adapter that quotes the password back: it is scrubbed from the error */
	snprintf(body, sizeof(body), "{\"count\": 100, \"detail\": \"%s near '%s'\"}", bird, password);
	assert_int_equal(test_adapter_control(&adapter, "rs_refuse", body), 0);
	snprintf(path, sizeof(path), "/network-feature-configs/%s", nfc);
	json_decref(call("PATCH", path, member_token, "{\"as_set_v4\": \"AS-OTHER@RIPE\"}", 202));
	nfc_state_is(nfc, "error", 15000);
	snprintf(q, sizeof(q), "SELECT max(id) FROM jobs WHERE object = 'network_feature_config:%s' AND state = 'dead'",
		 nfc);
	sql(q, job, sizeof(job));
	assert_true(job[0]);
	snprintf(q, sizeof(q), "SELECT last_error FROM jobs WHERE id = %s", job);
	char last_error[1024];
	sql(q, last_error, sizeof(last_error));
	assert_non_null(strstr(last_error, bird));
	assert_non_null(strstr(last_error, "/v1/route-servers/" RS1));
	json_t *e = nfc_status(nfc, "job_failed");
	assert_non_null(e);
	assert_int_equal(json_integer_value(json_object_get(e, "severity")), 3);
	assert_non_null(strstr(str(e, "message"), bird));
	json_decref(e);
	json_t *d = last_put(RS1, NULL, 0);
	assert_string_equal(str(session_in(d, nfc), "as_set_v4"), "AS-DEMO.RIPE"); /* never applied */
	json_decref(d);

	assert_int_equal(test_adapter_control(&adapter, "reset", NULL), 0);
	json_decref(call("PATCH", path, member_token, "{\"as_set_v6\": \"AS-OTHER@RIPE\"}", 202));
	snprintf(q, sizeof(q), "/jobs/%s/retry", job);
	json_decref(call("POST", q, operator_token, NULL, 200));
	nfc_state_is(nfc, "production", 15000);
	wait_jobs_done("route_server.session", 15000);
	d = last_put(RS1, NULL, 0);
	assert_string_equal(str(session_in(d, nfc), "as_set_v4"), "AS-OTHER.RIPE");
	assert_string_equal(str(session_in(d, nfc), "as_set_v6"), "AS-OTHER.RIPE");
	json_decref(d);
	assert_true(wait_for_status(nfc, "job_failed", false, 5000));
	assert_int_equal(leaks(), 0);
}

/* The poll: an established session's state and counts as a status entry;
 * the AS's accepted count observed; 60 accepted prefixes raise the dynamic
 * limit from 100 to 500 (bgp_max_prefix_limit), so rs1 is refreshed with
 * it; a limit hit shows as bgp.max_prefix; the operator (not the member)
 * re-enables the session and the entry goes. */
static void test_poll_limits_and_enable(void **state)
{
	(void)state;
	char body[512], q[256], path[96];
	snprintf(body, sizeof(body),
		 "{\"server\": \"" RS1 "\", \"id\": \"%s\", \"state\": {\"state\": \"up\", \"bgp_state\": "
		 "\"Established\", \"since\": \"2026-01-02T03:04:05Z\", \"received\": 61, \"accepted\": 60,"
		 " \"filtered\": 1, \"exported\": 7}}",
		 nfc);
	assert_int_equal(test_adapter_control(&adapter, "rs_session", body), 0);
	assert_true(itest_wait_for("SELECT peak FROM rs_prefix_observations WHERE asn = 206238 AND family = 4", "60",
				   10000));
	assert_true(wait_for_session(RS1, nfc, 500, 10000));
	/* the API shows the limit in force (the member set none) */
	snprintf(q, sizeof(q), "SELECT applied_max_prefix_v4 FROM network_feature_configs WHERE id = %s", nfc);
	assert_true(itest_wait_for(q, "500", 5000));
	snprintf(path, sizeof(path), "/network-feature-configs/%s", nfc);
	json_t *shown = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_integer_value(json_object_get(shown, "max_prefix_v4")), 500);
	json_decref(shown);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'route_server.refresh'"
		 " AND payload->>'network_feature' = '%s'",
		 rs1);
	assert_true(count(q) >= 1);
	json_t *e = nfc_status(nfc, "bgp.session");
	assert_non_null(e);
	assert_int_equal(json_integer_value(json_object_get(e, "severity")), 6);
	json_t *attrs = json_object_get(e, "attrs");
	assert_int_equal(json_integer_value(json_object_get(attrs, "accepted")), 60);
	assert_int_equal(json_integer_value(json_object_get(attrs, "filtered")), 1);
	assert_string_equal(str(attrs, "since"), "2026-01-02T03:04:05Z");
	assert_non_null(strstr(str(e, "message"), "established"));
	json_decref(e);
	/* one poll round waits or runs at a time */
	assert_true(count("SELECT count(*) FROM jobs WHERE kind = 'route_server.poll'"
			  " AND state IN ('pending', 'running', 'failed')") <= 1);

	snprintf(body, sizeof(body),
		 "{\"server\": \"" RS1 "\", \"id\": \"%s\", \"state\": {\"state\": \"down\", \"bgp_state\": \"Idle\","
		 " \"info\": \"Receive limit exceeded\", \"limit_hit\": true, \"received\": 501, \"accepted\": 0}}",
		 nfc);
	assert_int_equal(test_adapter_control(&adapter, "rs_session", body), 0);
	assert_true(wait_for_status(nfc, "bgp.max_prefix", true, 10000));
	e = nfc_status(nfc, "bgp.max_prefix");
	assert_int_equal(json_integer_value(json_object_get(e, "severity")), 3);
	assert_non_null(strstr(str(e, "message"), "500"));
	json_decref(e);
	e = nfc_status(nfc, "bgp.session");
	assert_int_equal(json_integer_value(json_object_get(e, "severity")), 4);
	assert_non_null(strstr(str(e, "message"), "down"));
	json_decref(e);
	/* a disabled session observes nothing: the peak and the limit stay */
	usleep(800000);
	assert_int_equal(count("SELECT peak FROM rs_prefix_observations WHERE asn = 206238 AND family = 4"), 60);

	snprintf(path, sizeof(path), "/network-feature-configs/%s/enable-session", nfc);
	json_decref(call("POST", path, member_token, NULL, 403));
	json_decref(call("POST", "/network-feature-configs/999999999/enable-session", operator_token, NULL, 404));
	json_t *j = call("POST", path, operator_token, NULL, 202);
	char job[16];
	snprintf(job, sizeof(job), "%s", str(j, "job"));
	assert_string_equal(str(j, "network_feature_config"), nfc);
	json_decref(j);
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	assert_true(itest_wait_for(q, "done", 10000));
	json_t *all = test_adapter_requests(&adapter);
	snprintf(path, sizeof(path), "/v1/route-servers/" RS1 "/sessions/%s/enable", nfc);
	int enables = 0;
	size_t i;
	json_t *r;
	json_array_foreach (all, i, r)
		if (strcmp(str(r, "path"), path) == 0 && strcmp(str(r, "method"), "POST") == 0 &&
		    strcmp(str(r, "key"), job) == 0)
			enables++;
	json_decref(all);
	assert_int_equal(enables, 1);
	assert_true(wait_for_status(nfc, "bgp.max_prefix", false, 5000));
	usleep(800000); /* later polls do not bring it back */
	e = nfc_status(nfc, "bgp.max_prefix");
	assert_null(e);
	snprintf(q, sizeof(q), "SELECT count(*) FROM events WHERE object_type = 'job' AND object_id = '%s'", job);
	assert_int_equal(count(q), 1);
	assert_int_equal(leaks(), 0);
}

/* IRR and ROA loads: stored, audited, every route server refreshed with
 * them (rs1 and rs2); bad input is a problem naming the property and
 * changes nothing; members may not load. */
static void test_irr_and_roa_loads(void **state)
{
	(void)state;
	wait_jobs_done("route_server.refresh", 10000);
	long long refreshes = count("SELECT count(*) FROM jobs WHERE kind = 'route_server.refresh'");
	int rs2_puts = puts_to("rs2");
	const char *set = "{\"prefixes_v4\": {\"NN\": [{\"prefix\": \"203.0.113.0/24\", \"exact\": true},"
			  " {\"prefix\": \"198.51.100.0/22\", \"exact\": false, \"greater-equal\": 23,"
			  " \"less-equal\": 24}]}, \"prefixes_v6\": [], \"origins\": {\"NN\": [206238, 64500]}}";
	json_decref(call("PUT", "/route-server-data/as-sets/AS-OTHER@RIPE", member_token, set, 403));
	json_t *j = call("PUT", "/route-server-data/as-sets/as-other@ripe", operator_token, set, 200);
	assert_string_equal(str(j, "as_set"), "AS-OTHER@RIPE");
	assert_int_equal(json_integer_value(json_object_get(j, "prefixes_v4")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "origins")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "refresh_jobs")), 2);
	json_decref(j);
	assert_int_equal(count("SELECT count(*) FROM jobs WHERE kind = 'route_server.refresh'"), refreshes + 2);
	wait_jobs_done("route_server.refresh", 10000);
	json_t *d = last_put(RS1, NULL, 0);
	json_t *x = json_object_get(json_object_get(d, "as_sets"), "AS-OTHER.RIPE");
	assert_non_null(x);
	assert_string_equal(str(json_array_get(json_object_get(x, "prefixes_v4"), 1), "prefix"), "198.51.100.0/22");
	assert_int_equal(
		json_integer_value(json_object_get(json_array_get(json_object_get(x, "prefixes_v4"), 1), "less-equal")),
		24);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(x, "origins"), 0)), 206238);
	json_decref(d);
	assert_true(puts_to("rs2") > rs2_puts);
	assert_int_equal(count("SELECT count(*) FROM events WHERE object_type = 'route_server_as_set'"
			       " AND object_id = 'AS-OTHER@RIPE' AND action = 'create'"),
			 1);

	/* bad input: a problem naming the property; nothing stored, nothing queued */
	refreshes = count("SELECT count(*) FROM jobs WHERE kind = 'route_server.refresh'");
	expect_naming("PUT", "/route-server-data/as-sets/AS-OTHER@RIPE", operator_token,
		      "{\"prefixes_v4\": [{\"prefix\": \"203.0.113.1/24\", \"exact\": true}]}", 400, "prefixes_v4");
	expect_naming("PUT", "/route-server-data/as-sets/AS-OTHER@RIPE", operator_token,
		      "{\"prefixes_v6\": [{\"prefix\": \"203.0.113.0/24\"}]}", 400, "prefixes_v6");
	expect_naming("PUT", "/route-server-data/as-sets/AS-OTHER@RIPE", operator_token, "{\"origins\": [0]}", 400,
		      "origins");
	expect_naming("PUT", "/route-server-data/as-sets/AS-OTHER@RIPE", operator_token, "{\"members\": []}", 400,
		      "members");
	expect_naming("PUT", "/route-server-data/as-sets/NOT-A-SET", operator_token, set, 400, "as_set");
	assert_int_equal(count("SELECT jsonb_array_length(prefixes_v4) FROM rs_as_sets WHERE name = 'AS-OTHER@RIPE'"),
			 2);
	assert_int_equal(count("SELECT count(*) FROM rs_as_sets"), 1);

	const char *roas =
		"{\"metadata\": {\"generated\": 1}, \"roas\": [{\"prefix\": \"203.0.113.0/24\","
		" \"maxLength\": 24, \"asn\": \"AS206238\", \"ta\": \"ripe\"}, {\"prefix\": \"2001:db8::/32\","
		" \"maxLength\": 48, \"asn\": 64500, \"ta\": \"arin\"}, {\"prefix\": \"192.0.2.0/24\","
		" \"maxLength\": 24, \"asn\": \"AS0\", \"ta\": \"apnic\"}]}";
	json_decref(call("PUT", "/route-server-data/roas", member_token, roas, 403));
	j = call("PUT", "/route-server-data/roas", operator_token, roas, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "roas")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "roas_v6")), 1);
	char version[64], key[128];
	snprintf(version, sizeof(version), "%s", str(j, "version"));
	assert_int_equal(strncmp(version, "roas-", 5), 0);
	json_decref(j);
	wait_jobs_done("route_server.refresh", 10000);
	/* the desired state names the table's version; the table went to the
	 * adapter once, on its own (PUT /v1/roas), after the adapter said 409 */
	d = last_put(RS1, NULL, 0);
	assert_null(json_object_get(d, "roas"));
	assert_string_equal(str(d, "roas_version"), version);
	json_decref(d);
	json_t *table = itest_last_put(&adapter, "/v1/roas", key, sizeof(key));
	assert_non_null(table);
	assert_string_equal(str(table, "version"), version);
	assert_string_equal(key, version); /* the version is its Idempotency-Key */
	json_t *roa = json_array_get(json_object_get(table, "roas"), 0);
	assert_int_equal(json_array_size(json_object_get(table, "roas")), 3);
	assert_non_null(str(roa, "prefix"));
	assert_true(json_is_integer(json_object_get(roa, "asn")));
	json_decref(table);
	int loads = roa_loads();
	/* the same table again (another order): the same version, nothing sent again */
	const char *reordered =
		"{\"roas\": [{\"prefix\": \"192.0.2.0/24\", \"maxLength\": 24, \"asn\": 0}, {\"prefix\": \"2001:db8::/32\","
		" \"maxLength\": 48, \"asn\": 64500}, {\"prefix\": \"203.0.113.0/24\", \"asn\": 206238}]}";
	j = call("PUT", "/route-server-data/roas", operator_token, reordered, 200);
	assert_string_equal(str(j, "version"), version);
	wait_jobs_done("route_server.refresh", 10000);
	json_decref(j);
	assert_int_equal(roa_loads(), loads);
	expect_naming("PUT", "/route-server-data/roas", operator_token,
		      "{\"roas\": [{\"prefix\": \"203.0.113.0/24\", \"maxLength\": 33, \"asn\": 1}]}", 400, "roas");
	expect_naming("PUT", "/route-server-data/roas", operator_token,
		      "{\"roas\": [{\"prefix\": \"203.0.113.0/24\", \"maxLength\": 24, \"asn\": \"ASX\"}]}", 400,
		      "roas");
	expect_naming("PUT", "/route-server-data/roas", operator_token, "{\"roa\": []}", 400, "roas");
	assert_int_equal(count("SELECT count(*) FROM rs_roas"), 3);
	assert_int_equal(count("SELECT count(*) FROM jobs WHERE kind = 'route_server.refresh'"), refreshes + 4);
	json_t *ext = call("GET", "/extensions", member_token, NULL, 200);
	bool announced = false;
	size_t i;
	json_t *x2;
	json_array_foreach (ext, i, x2)
		announced = announced || strcmp(str(x2, "name"), "route_servers") == 0;
	json_decref(ext);
	assert_true(announced);
}

/* Writes text to a new temporary file; its path into path. */
static void temp_file(const char *text, char *path, size_t len)
{
	snprintf(path, len, "/tmp/rs-itest-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* `ixapid rs-data roas FILE`: the API's load without its body limit (a full
 * RPKI table), audited as cli:<user>; the adapters get the new table. Bad
 * data changes nothing; a wrong command line is exit 2. */
static void test_cli_loads_roas(void **state)
{
	(void)state;
	char file[64], bad[64], out[4096];
	temp_file("{\"roas\": [{\"prefix\": \"198.51.100.0/24\", \"maxLength\": 24, \"asn\": \"AS206238\"},"
		  " {\"prefix\": \"203.0.113.0/24\", \"maxLength\": 24, \"asn\": 206238},"
		  " {\"prefix\": \"2001:db8:1::/48\", \"maxLength\": 48, \"asn\": 206238},"
		  " {\"prefix\": \"192.0.2.0/24\", \"maxLength\": 24, \"asn\": 0}]}",
		  file, sizeof(file));
	temp_file("{\"roas\": [{\"prefix\": \"198.51.100.0/24\", \"maxLength\": 40, \"asn\": 1}]}", bad, sizeof(bad));
	long long events = count("SELECT count(*) FROM events WHERE object_type = 'route_server_roas'");
	const char *load[] = {"rs-data", "roas", file, NULL};
	assert_int_equal(itest_cli(&server, load, out, sizeof(out)), 0);
	json_t *j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "roas")), 4);
	assert_int_equal(json_integer_value(json_object_get(j, "refresh_jobs")), 2);
	char version[64], q[200];
	snprintf(version, sizeof(version), "%s", str(j, "version"));
	json_decref(j);
	assert_int_equal(count("SELECT count(*) FROM rs_roas"), 4);
	assert_int_equal(count("SELECT count(*) FROM events WHERE object_type = 'route_server_roas'"
			       " AND request_id LIKE 'cli:%'"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM events WHERE object_type = 'route_server_roas'"), events + 1);
	snprintf(q, sizeof(q), "SELECT count(*) FROM rs_roa_version WHERE version = '%s' AND roas = 4", version);
	assert_int_equal(count(q), 1);
	wait_jobs_done("route_server.refresh", 10000);
	char key[128];
	json_t *table = itest_last_put(&adapter, "/v1/roas", key, sizeof(key));
	assert_string_equal(str(table, "version"), version);
	assert_int_equal(json_array_size(json_object_get(table, "roas")), 4);
	json_decref(table);

	const char *refused[] = {"rs-data", "roas", bad, NULL};
	assert_int_equal(itest_cli(&server, refused, out, sizeof(out)), 1);
	const char *missing[] = {"rs-data", "roas", "/nonexistent/roas.json", NULL};
	assert_int_equal(itest_cli(&server, missing, out, sizeof(out)), 1);
	const char *usage[] = {"rs-data", "roas", NULL};
	assert_int_equal(itest_cli(&server, usage, out, sizeof(out)), 2);
	assert_int_equal(count("SELECT count(*) FROM rs_roas"), 4);
	assert_int_equal(count(q), 1);
	unlink(file);
	unlink(bad);
}

/* Decommissioning the session takes it off rs1 on its date (today): the
 * config is decommissioned, with its archive job. */
static void test_decommission_removes_session(void **state)
{
	(void)state;
	char path[64], q[256];
	snprintf(path, sizeof(path), "/network-feature-configs/%s", nfc);
	json_decref(call("DELETE", path, member_token, NULL, 202));
	nfc_state_is(nfc, "decommissioned", 15000);
	assert_true(wait_for_session(RS1, nfc, -1, 5000));
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'archive' AND object = 'network_feature_config:%s'", nfc);
	assert_int_equal(count(q), 1);
	json_t *e = nfc_status(nfc, "network");
	assert_non_null(strstr(str(e, "message"), "Removed"));
	json_decref(e);
	assert_null(nfc_status(nfc, "bgp.session"));
	/* the poll leaves a session that is gone alone */
	usleep(800000);
	assert_null(nfc_status(nfc, "bgp.session"));
	assert_int_equal(leaks(), 0);
}

/* The count of route_server.refresh jobs of a route server. */
static long long refreshes_of(const char *feature)
{
	char q[256];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'route_server.refresh' AND payload->>'network_feature' = '%s'",
		 feature);
	return count(q);
}

/* POSTs a session of the member's config with a route server; its id into id. */
static void order_session(const char *feature, char *id, size_t id_len)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"type\": \"route_server\", \"network_feature\": \"%s\", \"network_service_config\": \"%s\","
		 " \"asn\": 206238, \"ip\": \"%s\"}",
		 feature, nsc, ip4);
	json_t *j = call("POST", "/network-feature-configs", member_token, body, 201);
	snprintf(id, id_len, "%s", str(j, "id"));
	json_decref(j);
}

/* rs2 is down (the adapter answers 503 for it, as ixapi-rsd does when
 * rs2's BIRD cannot be reached; its health says rs2 is not running) while
 * the member orders a session with each route server: rs1's job completes
 * and its config reaches production; rs2's job waits: its tries are
 * counted as waits, not attempts, more of them than IXAPI_JOB_MAX_ATTEMPTS
 * (3) without it going dead or its config to error, visible in GET /jobs.
 * rs2 back: the waiting job is due at once (the adapter's health says rs2
 * runs again; the node's backoff is minutes by then) and completes, rs2
 * gets the session, the config is in production. Then the adapter restarts (a new boot_id): each route
 * server it serves gets one refresh, which PUTs its whole desired state. */
static void test_route_server_down_jobs_wait(void **state)
{
	(void)state;
	char a[16], b[16], q[512], path[128];
	assert_int_equal(test_adapter_control(&adapter, "rs_down", "{\"server\": \"rs2\", \"status\": 503}"), 0);
	order_session(rs1, a, sizeof(a));
	order_session(rs2, b, sizeof(b));
	nfc_state_is(a, "production", 15000);
	json_t *d = last_put(RS1, NULL, 0);
	assert_non_null(session_in(d, a));
	json_decref(d);

	snprintf(q, sizeof(q),
		 "SELECT bool_and(state = 'failed' AND attempts = 0 AND waits >= 5) FROM jobs"
		 " WHERE object = 'network_feature_config:%s' AND kind = 'route_server.session'",
		 b);
	assert_true(itest_wait_for(q, "t", 15000));
	snprintf(path, sizeof(path), "/jobs?object=network_feature_config:%s", b);
	json_t *jobs = call("GET", path, operator_token, NULL, 200);
	assert_int_equal(json_array_size(jobs), 1);
	json_t *job = json_array_get(jobs, 0);
	/* failed between tries, running while it tries again (it keeps trying) */
	assert_true(strcmp(str(job, "state"), "failed") == 0 || strcmp(str(job, "state"), "running") == 0);
	assert_int_equal(json_integer_value(json_object_get(job, "attempts")), 0);
	assert_true(json_integer_value(json_object_get(job, "waits")) >= 5);
	assert_non_null(strstr(str(job, "last_error"), "waiting for the route server"));
	assert_non_null(strstr(str(job, "last_error"), "/v1/route-servers/rs2: HTTP 503"));
	json_decref(jobs);
	snprintf(q, sizeof(q), "SELECT state FROM network_feature_configs WHERE id = %s", b);
	char st[32];
	sql(q, st, sizeof(st));
	assert_string_not_equal(st, "error");
	assert_string_not_equal(st, "production");
	assert_null(nfc_status(b, "job_failed"));
	assert_int_equal(count("SELECT count(*) FROM jobs WHERE state = 'dead'"), 0);

	/* The node restarts with a backoff of up to 10 minutes: its next try
	 * of the job is far off, so only the adapter's health answering with
	 * rs2 running again makes it due soon (a 1 in 60 chance it was near
	 * anyway). */
	snprintf(q, sizeof(q),
		 "SELECT waits FROM jobs WHERE object = 'network_feature_config:%s' AND kind = 'route_server.session'",
		 b);
	long long waits = count(q);
	itest_stop_server(&server);
	setenv("IXAPI_JOB_BACKOFF_BASE_MS", "600000", 1);
	setenv("IXAPI_JOB_BACKOFF_CAP_MS", "600000", 1);
	assert_int_equal(itest_start_server(&server), 0);
	long long until = itest_now_ms() + 10000;
	while (count(q) <= waits && itest_now_ms() < until)
		usleep(100000);
	assert_true(count(q) > waits);
	snprintf(q, sizeof(q),
		 "SELECT (extract(epoch FROM run_after - now()) * 1000)::bigint FROM jobs"
		 " WHERE object = 'network_feature_config:%s' AND kind = 'route_server.session'",
		 b);
	fprintf(stderr, "rs2 still down: the job's next try in %lld ms\n", count(q));

	long long t0 = itest_now_ms();
	assert_int_equal(test_adapter_control(&adapter, "rs_down", "{\"server\": \"rs2\", \"status\": 0}"), 0);
	nfc_state_is(b, "production", 15000);
	fprintf(stderr, "rs2 back -> its waiting session in production: %lld ms\n", itest_now_ms() - t0);
	snprintf(q, sizeof(q),
		 "SELECT bool_and(state = 'done' AND attempts = 1 AND waits >= 5) FROM jobs"
		 " WHERE object = 'network_feature_config:%s' AND kind = 'route_server.session'",
		 b);
	assert_true(itest_wait_for(q, "t", 5000));
	d = last_put("rs2", NULL, 0);
	assert_non_null(session_in(d, b));
	json_decref(d);

	/* the adapter restarted: one refresh per route server, which PUTs */
	wait_jobs_done("route_server.refresh", 10000);
	long long r1 = refreshes_of(rs1), r2 = refreshes_of(rs2);
	int puts1 = puts_to(RS1), puts2 = puts_to("rs2");
	assert_int_equal(test_adapter_control(&adapter, "boot", "{}"), 0);
	snprintf(
		q, sizeof(q),
		"SELECT count(*) FROM jobs WHERE kind = 'route_server.refresh' AND payload->>'network_feature' IN ('%s', '%s')",
		rs1, rs2);
	char want[32];
	snprintf(want, sizeof(want), "%lld", r1 + r2 + 2);
	assert_true(itest_wait_for(q, want, 10000));
	wait_jobs_done("route_server.refresh", 10000);
	assert_true(puts_to(RS1) > puts1);
	assert_true(puts_to("rs2") > puts2);
	usleep(1000000); /* later checks see the same boot_id: nothing more */
	assert_int_equal(refreshes_of(rs1), r1 + 1);
	assert_int_equal(refreshes_of(rs2), r2 + 1);
	d = last_put("rs2", NULL, 0);
	assert_non_null(session_in(d, b));
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_reaches_route_server),
		cmocka_unit_test(test_refusal_dead_letters),
		cmocka_unit_test(test_poll_limits_and_enable),
		cmocka_unit_test(test_irr_and_roa_loads),
		cmocka_unit_test(test_cli_loads_roas),
		cmocka_unit_test(test_decommission_removes_session),
		cmocka_unit_test(test_route_server_down_jobs_wait),
	};
	return cmocka_run_group_tests_name("route_servers", tests, setup, teardown);
}
