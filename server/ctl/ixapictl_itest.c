/*
 * Integration tests of ixapictl: the real binary (next to IXAPI_BIN)
 * against the real server and a throw-away PostgreSQL, over HTTP with an
 * operator key. What the operator types, what it prints (tables, --json),
 * its exit status (0 done, 1 refused: the problem printed, 2 usage), and
 * what changed in the database (nothing on a refusal).
 */
#include "harness.h"
#include "fixtures.h"
#include "routes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct itest_server srv;
static char *operator_token, *member_token;
static char ctl_path[512];

/* What a run printed: stdout into one buffer large enough for a timeline of
 * thousands of events (--json), stderr apart. */
#define OUT_MAX (8u << 20)
static char out_buf[OUT_MAX];

struct ctl_run {
	int status;
	char *out;
	char err[8192];
};

/* Reads fd to its end into buf (truncated to len - 1). */
static void drain(int fd, char *buf, size_t len)
{
	size_t used = 0;
	char sink[512];
	ssize_t n;
	while ((n = read(fd, used + 1 < len ? buf + used : sink, used + 1 < len ? len - 1 - used : sizeof(sink))) > 0)
		if (used + 1 < len)
			used += (size_t)n;
	buf[used] = '\0';
}

/* Runs ixapictl with args (NULL-terminated) as the seeded operator (its
 * key in IXAPI_API_KEY/_SECRET, the server in IXAPI_URL) unless `env`
 * ("NAME=value" strings, NULL-terminated, or NULL) says otherwise; in the
 * server's work folder. */
static void ctl_env(struct ctl_run *r, const char *const *env, const char *const *args)
{
	int out[2], err[2];
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(err), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		if (chdir(srv.workdir) != 0)
			_exit(126);
		unsetenv("IXAPI_CREDENTIALS");
		setenv("IXAPI_URL", srv.base_url, 1);
		setenv("IXAPI_API_KEY", srv.operator_creds.api_key, 1);
		setenv("IXAPI_API_SECRET", srv.operator_creds.api_secret, 1);
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		const char *argv[32] = {ctl_path};
		for (size_t i = 0; args[i] && i + 2 < sizeof(argv) / sizeof(argv[0]); i++)
			argv[i + 1] = args[i];
		execv(ctl_path, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	/* the answers are small: stderr after stdout does not block */
	r->out = out_buf;
	drain(out[0], r->out, OUT_MAX);
	drain(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	r->status = WEXITSTATUS(st);
	if (getenv("CTL_ITEST_SHOW"))
		fprintf(stderr, "$ ixapictl %s ...: exit %d\n%s%s", args[0], r->status, r->out, r->err);
}

#define CTL(r, ...)          ctl_env(r, NULL, (const char *const[]){__VA_ARGS__, NULL})
#define CTL_ENV(r, env, ...) ctl_env(r, env, (const char *const[]){__VA_ARGS__, NULL})

/* A job as the workers leave it after their last attempt failed (the
 * outbox is the workers' to write; the API has no way to make one). */
static void dead_job(const char *kind, const char *object, const char *last_error, char *id_out)
{
	char q[1024];
	snprintf(q, sizeof(q),
		 "INSERT INTO jobs (kind, payload, state, attempts, last_error, object, finished_at)"
		 " VALUES ('%s', '{\"id\": \"1\"}', 'dead', 8, '%s', '%s', now()) RETURNING id",
		 kind, last_error, object);
	sql(q, id_out, 16);
	assert_true(*id_out);
}

static int setup(void **state)
{
	(void)state;
	const char *bin = getenv("IXAPI_BIN");
	char copy[512];
	snprintf(copy, sizeof(copy), "%s", bin && *bin ? bin : "build/ixapid");
	snprintf(ctl_path, sizeof(ctl_path), "%s/ixapictl", dirname(copy));
	if (access(ctl_path, X_OK) != 0) {
		fprintf(stderr, "ixapictl_itest: %s is missing (make build)\n", ctl_path);
		return -1;
	}
	return itest_start_with_tokens(&srv, &operator_token, &member_token);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

/* `ixapictl jobs` lists the outbox as a table (columns sized to the
 * content, a long error cut at a character boundary with "…", no escape
 * codes into a pipe) and as the API's JSON with --json; the filters reach
 * the API. */
static void test_jobs_table_and_json(void **state)
{
	(void)state;
	char dead[16], other[16];
	dead_job("mail.send", "kind:ctl-1",
		 "smtp: 550 Zürich mailbox unavailable, the relay said so three times and then gave up on it for good",
		 dead);
	dead_job("webhook.deliver", "kind:ctl-2", "HTTP 503", other); /* dead too: --kind keeps it out */
	char done[16];
	dead_job("mail.send", "kind:ctl-2b", "HTTP 503", done);
	sql("UPDATE jobs SET state = 'done' WHERE object = 'kind:ctl-2b'", NULL, 0); /* --state keeps it out */

	struct ctl_run r;
	CTL(&r, "jobs", "--state", "dead", "--kind", "mail.send");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "ID"));
	assert_non_null(strstr(r.out, "LAST ERROR"));
	assert_null(strchr(r.out, '\x1b'));
	char *line = strstr(r.out, "\n");
	assert_non_null(line);
	assert_memory_equal(line + 1, dead, strlen(dead));
	assert_non_null(strstr(line, "mail.send"));
	assert_non_null(strstr(line, "kind:ctl-1"));
	assert_non_null(strstr(line, "smtp: 550 Zürich mailbox")); /* ü whole */
	assert_non_null(strstr(line, "\xe2\x80\xa6\n"));           /* cut at 60 characters */
	assert_null(strstr(r.out, "gave up on it for good"));
	assert_null(strstr(r.out, "webhook.deliver")); /* the filters went to the API */
	assert_null(strstr(r.out, "kind:ctl-2b"));

	CTL(&r, "--json", "jobs", "--state", "dead");
	assert_int_equal(r.status, 0);
	json_t *j = json_loads(r.out, 0, NULL);
	assert_true(json_is_array(j));
	bool found = false;
	for (size_t i = 0; i < json_array_size(j); i++) {
		json_t *job = json_array_get(j, i);
		assert_string_equal(str(job, "state"), "dead");
		if (strcmp(str(job, "id"), dead) == 0) {
			found = true;
			assert_non_null(strstr(str(job, "last_error"), "gave up on it for good")); /* whole in JSON */
		}
	}
	assert_true(found);
	json_decref(j);
}

/* `ixapictl retry JOB` re-drives a dead job through POST /jobs/{id}/retry
 * as the operator (the audit event names the operator's key); a job that
 * is not dead, or none, is refused: exit 1, the problem printed, nothing
 * changed. */
static void test_retry(void **state)
{
	(void)state;
	char job[16], q[256];
	dead_job("mail.send", "kind:ctl-3", "smtp: timeout", job);
	long long events_before = count("SELECT count(*) FROM events");

	struct ctl_run r;
	CTL(&r, "retry", job);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "pending again"));
	snprintf(q, sizeof(q), "SELECT state || '/' || attempts FROM jobs WHERE id = %s", job);
	char now[32];
	sql(q, now, sizeof(now));
	assert_string_equal(now, "pending/0");
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM events e JOIN api_keys k ON k.id = e.actor_api_key"
		 " WHERE e.object_type = 'job' AND e.object_id = '%s' AND e.action = 'update' AND k.role = 'operator'",
		 job);
	assert_int_equal(count(q), 1);

	/* pending now: nothing to re-drive */
	long long events_mid = count("SELECT count(*) FROM events");
	assert_true(events_mid > events_before);
	CTL(&r, "retry", job);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "error 400: "));
	assert_non_null(strstr(r.err, "only a dead or failed job is re-driven"));
	snprintf(q, sizeof(q), "SELECT state || '/' || attempts FROM jobs WHERE id = %s", job);
	sql(q, now, sizeof(now));
	assert_string_equal(now, "pending/0");
	/* the login of the second run is the only event since */
	assert_int_equal(count("SELECT count(*) FROM events"), events_mid + 1);

	CTL(&r, "retry", "999999999");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 404: "));
	assert_non_null(strstr(r.err, "Job 999999999 does not exist."));

	/* --json: the API's job */
	char job2[16];
	dead_job("mail.send", "kind:ctl-4", "smtp: timeout", job2);
	CTL(&r, "retry", job2, "--json");
	assert_int_equal(r.status, 0);
	json_t *j = json_loads(r.out, 0, NULL);
	assert_non_null(j);
	assert_string_equal(str(j, "id"), job2);
	assert_string_equal(str(j, "state"), "pending");
	json_decref(j);
}

/* Who may call: a member key is refused by the API (403, exit 1); a wrong
 * secret fails the login (401, exit 1); usage errors exit 2 before any
 * request; the credentials file's entries (--credentials, --as). */
static void test_keys_and_usage(void **state)
{
	(void)state;
	char job[16];
	dead_job("mail.send", "kind:ctl-5", "smtp: timeout", job);
	long long logins = count("SELECT count(*) FROM events WHERE action = 'login'");
	struct ctl_run r;

	char member_key[80], member_secret[160];
	snprintf(member_key, sizeof(member_key), "IXAPI_API_KEY=%s", srv.member_creds.api_key);
	snprintf(member_secret, sizeof(member_secret), "IXAPI_API_SECRET=%s", srv.member_creds.api_secret);
	const char *as_member[] = {member_key, member_secret, NULL};
	CTL_ENV(&r, as_member, "retry", job);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 403: "));
	const char *wrong[] = {"IXAPI_API_SECRET=not-the-secret", NULL};
	CTL_ENV(&r, wrong, "jobs");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "login failed: error 401: "));
	assert_null(strstr(r.err, "not-the-secret"));

	/* usage errors: exit 2, nothing sent (no login) */
	long long logins_now = count("SELECT count(*) FROM events WHERE action = 'login'");
	CTL(&r, "retry");
	assert_int_equal(r.status, 2);
	CTL(&r, "jobs", "--state", "asleep");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "not one of pending"));
	CTL(&r, "reject", job);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--reason is required"));
	CTL(&r, "retry", "../accounts");
	assert_int_equal(r.status, 2);
	CTL(&r, "frobnicate");
	assert_int_equal(r.status, 2);
	CTL(&r, "--help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "timeline ACCOUNT"));
	CTL(&r, "agreement", "upload", "--help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "--signer-name"));
	assert_int_equal(count("SELECT count(*) FROM events WHERE action = 'login'"), logins_now);
	assert_int_equal(logins_now, logins + 1); /* the member's; the wrong secret never logged in */

	/* a credentials file as make run writes it: .operator by default */
	char path[400], text[600];
	snprintf(path, sizeof(path), "%s/ctl-credentials.json", srv.workdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	snprintf(text, sizeof(text),
		 "{\"operator\": {\"api_key\": \"%s\", \"api_secret\": \"%s\"},"
		 " \"member\": {\"api_key\": \"%s\", \"api_secret\": \"%s\"}}",
		 srv.operator_creds.api_key, srv.operator_creds.api_secret, srv.member_creds.api_key,
		 srv.member_creds.api_secret);
	fputs(text, f);
	fclose(f);
	const char *no_env_key[] = {"IXAPI_API_KEY=", "IXAPI_API_SECRET=", NULL};
	CTL_ENV(&r, no_env_key, "--credentials", path, "jobs", "--kind", "mail.send");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "kind:ctl-5"));
	CTL_ENV(&r, no_env_key, "--credentials", path, "--as", "member", "jobs");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 403: "));
	CTL_ENV(&r, no_env_key, "--credentials", path, "--as", "portal", "jobs");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "no entry \"portal\""));
	CTL_ENV(&r, no_env_key, "jobs");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "no API key"));

	/* a server that is not there: exit 1, said so */
	CTL(&r, "--url", "http://127.0.0.1:1/api/v2", "jobs");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error: "));
}

/* `ixapictl timeline ACCOUNT`: the account's events from GET /events,
 * following the cursor past a page (1,000), oldest first, one line each
 * with what changed ("name: old → new"), then the account's status
 * entries; --json: one document. An account that is not there: exit 1. */
static void test_timeline(void **state)
{
	(void)state;
	char account[16], path[64], q[512];
	itest_create("/accounts", operator_token,
		     "{\"name\": \"Timeline Networks\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		     " \"postal_code\": \"1098 XG\", \"street_address\": \"Science Park 105\"}}",
		     account);
	snprintf(path, sizeof(path), "/accounts/%s", account);
	json_decref(call("PATCH", path, operator_token, "{\"name\": \"Timeline Networks B.V.\"}", 202));

	struct ctl_run r;
	CTL(&r, "timeline", account);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "TIME"));
	assert_non_null(strstr(r.out, "CHANGE"));
	char *create = strstr(r.out, "create");
	char *update = strstr(r.out, "name Timeline Networks \xe2\x86\x92 Timeline Networks B.V.");
	assert_non_null(create);
	assert_non_null(update);
	assert_true(create < update); /* oldest first */
	char object[48];
	snprintf(object, sizeof(object), "account %s", account);
	assert_non_null(strstr(r.out, object));
	snprintf(object, sizeof(object), "Status of account %s now:", account);
	assert_non_null(strstr(r.out, object));

	/* more events than a page: the cursor is followed (the events are
	 * written as the server writes them, by the account's changes) */
	snprintf(q, sizeof(q),
		 "INSERT INTO events (action, object_type, object_id, old_value, new_value)"
		 " SELECT 'update', 'account', '%s', jsonb_build_object('name', 'n' || g),"
		 " jsonb_build_object('name', 'n' || (g + 1)) FROM generate_series(1, 1100) AS g",
		 account);
	sql(q, NULL, 0);
	snprintf(q, sizeof(q), "SELECT count(*) FROM events WHERE account = %s", account);
	long long n = count(q);
	assert_true(n >= 1102);
	CTL(&r, "--json", "timeline", account);
	assert_int_equal(r.status, 0);
	json_t *j = json_loads(r.out, 0, NULL);
	assert_non_null(j);
	assert_string_equal(str(j, "account"), account);
	json_t *events = json_object_get(j, "events");
	assert_int_equal(json_array_size(events), n);
	for (size_t i = 1; i < json_array_size(events); i++)
		assert_true(atoll(str(json_array_get(events, i - 1), "id")) <
			    atoll(str(json_array_get(events, i), "id")));
	assert_true(json_is_array(json_object_get(j, "status")));
	json_decref(j);

	CTL(&r, "timeline", "999999999");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 4"));
	CTL(&r, "timeline", "999999999", "--json");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
}

/* An application as a portal backend submits it (through the API, as the
 * operator here); the 201 answer's id into id_out and its account's into
 * account_out (16 bytes each). */
static void submit_application(const char *type, long long asn, char *id_out, char *account_out)
{
	char facility[16], offering[16], body[4096];
	sql("SELECT id FROM facilities WHERE name = 'Science Park DC'", facility, sizeof(facility));
	sql("SELECT id FROM product_offerings WHERE type = 'connection' AND physical_port_speed = 10000"
	    " ORDER BY id LIMIT 1",
	    offering, sizeof(offering));
	snprintf(
		body, sizeof(body),
		"{\"type\": \"%s\", \"legal_entity\": {\"name\": \"Zürich Peering AS%lld AG\","
		" \"registration_number\": \"CH-%lld\", \"address\": {\"country\": \"CH\", \"locality\": \"Zürich\","
		" \"postal_code\": \"8005\", \"street_address\": \"Hardturmstrasse 1\"}},"
		" \"asns\": [{\"asn\": %lld, \"registry\": \"ripe_ncc\"}], \"articles_of_association_accepted\": true,"
		" \"facility\": \"%s\", \"colocation_statement\": \"Rack 12.04 at Science Park DC, contract SP-1\","
		" \"contacts\": [{\"role\": \"contract_signer\", \"name\": \"Ann Signer\", \"email\": \"ann@example.net\"},"
		" {\"role\": \"technical\", \"name\": \"Ted Tech\", \"email\": \"ted@example.net\", \"telephone\": \"+41445551700\"},"
		" {\"role\": \"noc\", \"name\": \"NOC\", \"email\": \"noc@example.net\", \"telephone\": \"+41445551701\"},"
		" {\"role\": \"billing\", \"name\": \"Bill Ing\", \"email\": \"billing@example.net\"}],"
		" \"port_order\": {\"product_offering\": \"%s\", \"quantity\": 1}}",
		type, asn, asn, asn, facility, offering);
	json_t *j = call("POST", "/applications", operator_token, body, 201);
	snprintf(id_out, 16, "%s", str(j, "id"));
	snprintf(account_out, 16, "%s", str(j, "account"));
	json_decref(j);
}

/* Everything a review action writes, in one text (not the logins: each
 * run of ixapictl logs in). */
static void fingerprint(char *out, size_t len)
{
	sql("SELECT concat_ws('/', (SELECT count(*) FROM events WHERE action <> 'login'),"
	    " (SELECT count(*) FROM status_entries),"
	    " (SELECT count(*) FROM jobs), (SELECT count(*) FROM connections), (SELECT count(*) FROM account_asns),"
	    " (SELECT md5(string_agg(a::text, ',' ORDER BY a.id)) FROM applications a),"
	    " (SELECT md5(string_agg(c::text, ',' ORDER BY c.id)) FROM accounts c))",
	    out, len);
}

/* The review from the command line: the list by step (table and JSON),
 * one application with its account's status entries, the colocation
 * confirmation, the approval refused before it (409, nothing changed), a
 * member's two approvals by two distinct operator keys (the same key
 * twice: 409, nothing changed), a rejection with its reason (and nothing
 * more after it), and the account's timeline of it all. */
static void test_review(void **state)
{
	(void)state;
	char member_app[16], member_acc[16], customer_app[16], customer_acc[16], q[512], before[256], after[256];
	submit_application("member", 196701, member_app, member_acc);
	submit_application("customer", 196702, customer_app, customer_acc);

	struct ctl_run r;
	CTL(&r, "applications", "--step", "review");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "LEGAL NAME"));
	char row[128];
	snprintf(row, sizeof(row), "\n%s ", member_app);
	char *line = strstr(r.out, row);
	assert_non_null(line);
	char *end = strchr(line + 1, '\n');
	assert_non_null(end);
	*end = '\0';
	assert_non_null(strstr(line, "review"));
	assert_non_null(strstr(line, "member"));
	assert_non_null(strstr(line, "Zürich Peering AS196701 AG"));
	assert_non_null(strstr(line, "AS196701"));
	assert_non_null(strstr(line, "Science Park DC")); /* the facility's name, not its id */
	CTL(&r, "--json", "applications", "--step", "agreement");
	assert_int_equal(r.status, 0);
	json_t *j = json_loads(r.out, 0, NULL);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 0); /* the filter reached the API */
	json_decref(j);

	CTL(&r, "application", member_app);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "legal_entity.name:"));
	assert_non_null(strstr(r.out, "legal_entity.address:"));
	assert_non_null(strstr(r.out, "review_due_at:"));
	snprintf(q, sizeof(q), "Status of account %s:", member_acc);
	assert_non_null(strstr(r.out, q));
	assert_non_null(strstr(r.out, "onboarding.review"));
	assert_non_null(strstr(r.out, "onboarding.colocation"));

	/* no approval before the colocation provider's confirmation */
	fingerprint(before, sizeof(before));
	CTL(&r, "approve", member_app);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 409: "));
	assert_non_null(strstr(r.err, "colocation"));
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(count("SELECT count(*) FROM applications WHERE colocation_confirmed_at IS NOT NULL"
			       " OR approved_at IS NOT NULL"),
			 0);

	CTL(&r, "confirm-colocation", member_app, "--confirmation",
	    "Science Park DC confirmed rack 12.04 (ticket 1234)");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "colocation confirmation recorded"));
	snprintf(q, sizeof(q), "SELECT colocation_confirmation FROM applications WHERE id = %s", member_app);
	char text[256];
	sql(q, text, sizeof(text));
	assert_string_equal(text, "Science Park DC confirmed rack 12.04 (ticket 1234)");

	CTL(&r, "approve", member_app);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "(step review)"));
	assert_non_null(strstr(r.out, "a second operator"));
	/* the same key again: refused, nothing changed */
	fingerprint(before, sizeof(before));
	CTL(&r, "approve", member_app);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "error 409: "));
	assert_non_null(strstr(r.err, "second operator"));
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	snprintf(q, sizeof(q), "SELECT step || '/' || (management_approved_at IS NULL) FROM applications WHERE id = %s",
		 member_app);
	sql(q, text, sizeof(text));
	assert_string_equal(text, "review/true");
	/* the second operator: its own key on the command line */
	struct itest_credentials op2;
	assert_int_equal(itest_create_key(&srv, srv.operator_creds.account, true, &op2), 0);
	CTL(&r, "--key", op2.api_key, "--secret", op2.api_secret, "approve", member_app);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "(step agreement)"));
	sql(q, text, sizeof(text));
	assert_string_equal(text, "agreement/false");
	snprintf(q, sizeof(q), "SELECT state FROM accounts WHERE id = %s", member_acc);
	sql(q, text, sizeof(text));
	assert_string_equal(text, "production");

	/* rejection: the reason recorded; after it, nothing more (409) */
	CTL(&r, "reject", customer_app, "--reason", "No colocation contract at Science Park DC");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "rejected (step rejected)"));
	snprintf(q, sizeof(q), "SELECT step || '/' || rejection_reason FROM applications WHERE id = %s", customer_app);
	sql(q, text, sizeof(text));
	assert_string_equal(text, "rejected/No colocation contract at Science Park DC");
	fingerprint(before, sizeof(before));
	CTL(&r, "confirm-colocation", customer_app, "--confirmation", "late");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 409: "));
	CTL(&r, "--json", "reject", customer_app, "--reason", "again");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	snprintf(q, sizeof(q), "SELECT step || '/' || rejection_reason FROM applications WHERE id = %s", customer_app);
	sql(q, text, sizeof(text));
	assert_string_equal(text, "rejected/No colocation contract at Science Park DC");
	CTL(&r, "application", "999999999");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 404: "));

	/* the member's timeline: submitted, confirmed, approved twice */
	CTL(&r, "timeline", member_acc);
	assert_int_equal(r.status, 0);
	snprintf(q, sizeof(q), "application %s", member_app);
	char *created = strstr(r.out, q);
	assert_non_null(created);
	assert_non_null(strstr(r.out, "step review \xe2\x86\x92 agreement"));
	assert_true(created < strstr(r.out, "step review \xe2\x86\x92 agreement"));
	assert_non_null(strstr(r.out, "state requested \xe2\x86\x92 production"));
	assert_non_null(strstr(r.out, "status -onboarding.colocation")); /* the confirmation cleared it */
	assert_non_null(strstr(r.out, "status +onboarding.agreement_unsigned"));
	assert_non_null(strstr(r.out, "onboarding.agreement_unsigned"));
	assert_null(strstr(r.out, "onboarding.review "));
}

/* Whether the server answers `pattern` (the agreements are another part of
 * issue 12, merged apart from this one). */
static bool has_route(const char *pattern)
{
	for (size_t i = 0; i < routes_count; i++)
		if (strcmp(routes_table[i].pattern, pattern) == 0)
			return true;
	return false;
}

/* `ixapictl agreement ID` and `agreement upload`: the agreement's state,
 * then the operator's signed copy recorded (signer, time, SHA-256 of the
 * exact bytes; the application on to port assignment); a second upload,
 * a file that is not there: exit 1, nothing changed. Skipped (said so)
 * where the agreements extension is not in the server yet. */
static void test_agreement(void **state)
{
	(void)state;
	if (!has_route("/agreements/{id}/signed-copy")) {
		fprintf(stderr,
			"ixapictl_itest: no /agreements/{id}/signed-copy in this server: test_agreement skipped\n");
		skip();
	}
	char app[16], account[16], agreement[16], q[1024], text[256], before[256], after[256];
	submit_application("customer", 196703, app, account);
	struct ctl_run r;
	CTL(&r, "confirm-colocation", app, "--confirmation", "confirmed");
	assert_int_equal(r.status, 0);
	CTL(&r, "approve", app);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "(step agreement)"));
	/* the agreement as the agreement.issue job stores it (no workers here) */
	snprintf(q, sizeof(q),
		 "INSERT INTO agreements (application, variant, envelope_id, document, document_sha256)"
		 " SELECT %s, 'customer', 'env-ctl-0001', d, encode(sha256(d), 'hex')"
		 "   FROM (SELECT convert_to('%%PDF-1.4 agreement', 'UTF8') AS d) x RETURNING id",
		 app);
	sql(q, agreement, sizeof(agreement));

	CTL(&r, "agreement", agreement);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "state:"));
	assert_non_null(strstr(r.out, "sent"));
	assert_non_null(strstr(r.out, "env-ctl-0001"));

	char pdf[400];
	snprintf(pdf, sizeof(pdf), "%s/signed.pdf", srv.workdir);
	FILE *f = fopen(pdf, "w");
	assert_non_null(f);
	static const char copy[] = "%PDF-1.4\n1 0 obj << /Signed (Jane Doe) >> endobj\ntrailer << >>\n%%EOF\n";
	fputs(copy, f);
	fclose(f);
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)copy, strlen(copy));
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	CTL(&r, "agreement", "upload", agreement, pdf, "--signer-name", "Jane Doe", "--signer-email",
	    "jane@example.net", "--signed-at", "2026-12-01T10:00:00Z");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "signed copy recorded"));
	snprintf(q, sizeof(q),
		 "SELECT concat_ws('/', g.state, g.signer_name, g.signer_email, g.signature_source,"
		 " g.signed_sha256 = '%s', p.step,"
		 " g.signed_at = '2026-12-01T10:00:00Z')"
		 " FROM agreements g JOIN applications p ON p.id = g.application WHERE g.id = %s",
		 hex, agreement);
	sql(q, text, sizeof(text));
	assert_string_equal(text, "signed/Jane Doe/jane@example.net/upload/t/port_assignment/t");

	fingerprint(before, sizeof(before));
	CTL(&r, "agreement", "upload", agreement, pdf, "--signer-name", "Jane Doe", "--signer-email",
	    "jane@example.net");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 409: "));
	CTL(&r, "agreement", "upload", agreement, "/nonexistent/signed.pdf", "--signer-name", "J", "--signer-email",
	    "j@example.net");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "/nonexistent/signed.pdf"));
	CTL(&r, "agreement", "999999999");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 404: "));
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
}

/* `ixapictl assign-ports ID [--port P]...`: a port that is not free is
 * refused (exit 1, nothing changed); none named: the auto-assign policy
 * picks free ports, the reservations are allocated, the application moves
 * to quarantine; a second assignment is refused. Skipped (said so) where
 * the server has no port assignment yet (m5, merged apart). */
static void test_assign_ports(void **state)
{
	(void)state;
	if (!has_route("/applications/{id}/port-assignment")) {
		fprintf(stderr,
			"ixapictl_itest: no /applications/{id}/port-assignment in this server: test_assign_ports "
			"skipped\n");
		skip();
	}
	char app[16], account[16], conn[16], q[1024], text[256], before[256], after[256];
	submit_application("customer", 196705, app, account);
	struct ctl_run r;
	CTL(&r, "confirm-colocation", app, "--confirmation", "confirmed");
	assert_int_equal(r.status, 0);
	CTL(&r, "approve", app);
	assert_int_equal(r.status, 0);
	/* the agreement signed, as the callback or the signed copy leaves it */
	snprintf(
		q, sizeof(q),
		"WITH g AS (INSERT INTO agreements (application, variant, state, envelope_id, document, document_sha256,"
		"    signer_name, signer_email, signed_at, signature_source, signed_sha256)"
		"  SELECT %s, 'customer', 'signed', 'env-ctl-0002', convert_to('%%PDF-1.4 a', 'UTF8'), repeat('a', 64),"
		"    'Ann Signer', 'ann@example.net', now(), 'upload', repeat('b', 64) RETURNING application)"
		" UPDATE applications SET step = 'port_assignment' WHERE id = (SELECT application FROM g)"
		" RETURNING connection",
		app);
	sql(q, conn, sizeof(conn));
	assert_true(*conn);

	fingerprint(before, sizeof(before));
	CTL(&r, "assign-ports", app, "--port", "999999999");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 4"));
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);

	CTL(&r, "assign-ports", app);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "auto-assign policy"));
	assert_non_null(strstr(r.out, "(step quarantine)"));
	snprintf(q, sizeof(q),
		 "SELECT concat_ws('/', p.step, p.ports_assigned_at IS NOT NULL,"
		 " (SELECT string_agg(r.state || ':' || (r.port IS NOT NULL), ',') FROM port_reservations r"
		 "   WHERE r.connection = p.connection))"
		 " FROM applications p WHERE p.id = %s",
		 app);
	sql(q, text, sizeof(text));
	assert_string_equal(text, "quarantine/t/allocated:true");

	fingerprint(before, sizeof(before));
	CTL(&r, "assign-ports", app);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "error 409: "));
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
}

/* An access token about to expire is renewed before a request, through
 * /auth/refresh (the refresh token rotates: one new row per renewal), not
 * by a new login: the server restarted with access tokens of 20 s (inside
 * ixapictl's 30 s margin), `ixapictl application ID` (three requests: the
 * application, the facilities, the account) logs in once and renews twice.
 * Runs last: it restarts the server. */
static void test_token_renewed_before_it_expires(void **state)
{
	(void)state;
	char app[16], account[16], q[512];
	submit_application("customer", 196704, app, account);
	setenv("IXAPI_ACCESS_TOKEN_TTL", "20", 1);
	assert_int_equal(itest_stop_server(&srv), 0);
	assert_int_equal(itest_start_server(&srv), 0);
	unsetenv("IXAPI_ACCESS_TOKEN_TTL");
	snprintf(q, sizeof(q),
		 "SELECT concat_ws('/', count(*), count(*) FILTER (WHERE t.replaced_by IS NOT NULL))"
		 " FROM refresh_tokens t JOIN api_keys k ON k.id = t.api_key_id WHERE k.api_key = '%s'",
		 srv.operator_creds.api_key);
	char before[32], after[32];
	sql(q, before, sizeof(before));
	long long logins = count("SELECT count(*) FROM events WHERE action = 'login'");
	struct ctl_run r;
	CTL(&r, "application", app);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Science Park DC"));   /* the second request */
	assert_non_null(strstr(r.out, "onboarding.review")); /* the third */
	assert_int_equal(count("SELECT count(*) FROM events WHERE action = 'login'"), logins + 1);
	sql(q, after, sizeof(after));
	long long n0 = atoll(before), n1 = atoll(after);
	assert_int_equal(n1 - n0, 3); /* the login's refresh token and two rotations */
	assert_int_equal(atoll(strchr(after, '/') + 1) - atoll(strchr(before, '/') + 1), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobs_table_and_json),
		cmocka_unit_test(test_retry),
		cmocka_unit_test(test_keys_and_usage),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_review),
		cmocka_unit_test(test_agreement),
		cmocka_unit_test(test_assign_ports),
		cmocka_unit_test(test_token_renewed_before_it_expires),
	};
	return cmocka_run_group_tests_name("ixapictl (integration)", tests, setup, teardown);
}
