/*
 * The events extension against a real server, a real PostgreSQL and a real
 * webhook receiver (a small libmicrohttpd server on a loopback port inside
 * this test, recording every request): GET /events pages with its cursor
 * (each event once, in order), a member never sees another tenant's events
 * (by list or by filter), a webhook gets its events signed with its secret
 * (verified here), a receiver that answers 500 once gets the event on the
 * second attempt, one that always fails makes the delivery dead after the
 * jobs' attempts, refusals change nothing, and the secret is nowhere but in
 * the answer that created the webhook.
 */
#include "harness.h"
#include "adapter_ctl.h"

#include <microhttpd.h>
#include <pthread.h>
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixtures.h"

static struct itest_server server;
static struct test_adapter adapter;
static char *operator_token;
static char *alice_token, *bob_token;
static char alice[16], bob[16];

/* ---- the webhook receiver ---- */

static struct MHD_Daemon *receiver;
static int receiver_port;
static pthread_mutex_t received_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *received;   /* [{path, event, signature, content_type, body, status}] */
static int flaky_failures; /* /flaky answers 500 this many times, then 200 */

struct upload {
	char *body;
	size_t len;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *data, size_t *data_size, void **con_cls)
{
	(void)cls, (void)method, (void)version;
	struct upload *u = *con_cls;
	if (!u) {
		u = calloc(1, sizeof(*u));
		*con_cls = u;
		return MHD_YES;
	}
	if (*data_size) {
		u->body = realloc(u->body, u->len + *data_size + 1);
		memcpy(u->body + u->len, data, *data_size);
		u->len += *data_size;
		u->body[u->len] = '\0';
		*data_size = 0;
		return MHD_YES;
	}
	unsigned status = 200;
	pthread_mutex_lock(&received_lock);
	if (strcmp(url, "/dead") == 0)
		status = 500;
	else if (strcmp(url, "/flaky") == 0 && flaky_failures > 0) {
		flaky_failures--;
		status = 500;
	}
	const char *ev = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-IXAPI-Event");
	const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-IXAPI-Signature");
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	json_array_append_new(received,
			      json_pack("{s:s, s:s?, s:s?, s:s?, s:s, s:i}", "path", url, "event", ev, "signature", sig,
					"content_type", ct, "body", u->body ? u->body : "", "status", (int)status));
	pthread_mutex_unlock(&received_lock);
	struct MHD_Response *r = MHD_create_response_from_buffer(2, (void *)"{}", MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	struct upload *u = *con_cls;
	if (u) {
		free(u->body);
		free(u);
	}
	*con_cls = NULL;
}

static int receiver_start(void)
{
	received = json_array();
	receiver = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, NULL,
				    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (!receiver)
		return -1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(receiver, MHD_DAEMON_INFO_BIND_PORT);
	receiver_port = info ? info->port : 0;
	return receiver_port > 0 ? 0 : -1;
}

/* The requests the receiver got on `path` (a new array). */
static json_t *received_on(const char *path)
{
	json_t *out = json_array();
	pthread_mutex_lock(&received_lock);
	size_t i;
	json_t *r;
	json_array_foreach (received, i, r)
		if (strcmp(str(r, "path"), path) == 0)
			json_array_append(out, r);
	pthread_mutex_unlock(&received_lock);
	return out;
}

/* ---- helpers ---- */

/* GET /events as `token` with `query` (after "?"), asserting 200: the
 * array (new reference); the X-Next-After header into next (32 bytes). */
static json_t *events(const char *token, const char *query, char *next)
{
	char path[512];
	snprintf(path, sizeof(path), "/events%s%s", query && *query ? "?" : "", query ? query : "");
	struct http_result r;
	assert_int_equal(http_call(&server, "GET", path, token, NULL, NULL, &r), 0);
	if (r.status != 200)
		fail_msg("GET %s: %ld %s", path, r.status, r.body);
	assert_true(json_is_array(r.j));
	if (next)
		snprintf(next, 32, "%s", r.next_after);
	json_t *j = json_incref(r.j);
	http_result_free(&r);
	return j;
}

/* A new contact of `account` (an audited create). */
static void new_contact(const char *token, const char *account, const char *name, char *id_out)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"name\": \"%s\","
		 " \"email\": \"noc@example.net\", \"telephone\": \"+31201234567\"}",
		 account, account, name);
	itest_create("/contacts", token, body, id_out);
}

/* A new webhook of the caller: its JSON (new reference, with the secret). */
static json_t *new_webhook(const char *token, const char *path, const char *types)
{
	char body[512];
	snprintf(body, sizeof(body), "{\"url\": \"http://127.0.0.1:%d%s\"%s%s}", receiver_port, path,
		 types ? ", \"object_types\": " : "", types ? types : "");
	return call("POST", "/webhooks", token, body, 201);
}

/* The delivery of webhook `hook` for event `event` reaches `state`. */
static bool delivery_state(const char *hook, const char *event, const char *state, int timeout_ms)
{
	char q[256];
	snprintf(q, sizeof(q), "SELECT state FROM webhook_deliveries WHERE webhook = %s AND event = %s", hook, event);
	return itest_wait_for(q, state, timeout_ms);
}

/* The latest event of an object. */
static void last_event(const char *type, const char *id, char *out)
{
	char q[256];
	snprintf(q, sizeof(q), "SELECT max(id) FROM events WHERE object_type = '%s' AND object_id = '%s'", type, id);
	sql(q, out, 24);
}

/* ---- tests ---- */

/* Pages of 2 over the events after a mark: each event once, ascending, the
 * cursor in X-Next-After; an empty page keeps the cursor. */
/* Pages of 2 as `token` over the events after `mark` (and `filter`, a
 * query suffix): asserts each page's cursor and that an empty page ends it;
 * returns the number of pages and the ids seen, comma-separated, in got. */
static int page_through(const char *token, const char *mark, const char *filter, char *got, size_t got_len)
{
	char after[32];
	snprintf(after, sizeof(after), "%s", mark);
	got[0] = '\0';
	int pages = 0;
	bool ended = false;
	while (!ended && pages < 50 && strlen(got) < got_len - 64) {
		char query[256], next[32];
		snprintf(query, sizeof(query), "after=%s&limit=2%s", after, filter);
		json_t *page = events(token, query, next);
		assert_true(json_array_size(page) <= 2);
		pages++;
		size_t i;
		json_t *e;
		json_array_foreach (page, i, e) {
			if (*got)
				strcat(got, ",");
			strcat(got, str(e, "id"));
			assert_true(json_is_string(json_object_get(e, "occurred_at")));
			assert_non_null(str(e, "action"));
		}
		if (json_array_size(page) == 0) {
			assert_string_equal(next, after); /* an empty page keeps the cursor */
			ended = true;
		} else {
			assert_string_equal(next, str(json_array_get(page, json_array_size(page) - 1), "id"));
			snprintf(after, sizeof(after), "%s", next);
		}
		json_decref(page);
	}
	assert_true(ended);
	return pages;
}

/* Pages of 2 over the events after a mark: each event once, ascending, the
 * cursor in X-Next-After; an empty page keeps the cursor. As the operator
 * (every event) and as a member (its own, from other tenants' in between). */
static void test_cursor_pages_each_event_once(void **state)
{
	(void)state;
	char mark[24], c[16];
	sql("SELECT coalesce(max(id), 0) FROM events", mark, sizeof(mark));
	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Paging %d", i);
		new_contact(alice_token, alice, name, c);
		new_contact(bob_token, bob, name, c);
	}
	char want[4096], got[4096], q[256];
	snprintf(q, sizeof(q), "SELECT string_agg(id::text, ',' ORDER BY id) FROM events WHERE id > %s", mark);
	sql(q, want, sizeof(want));
	int pages = page_through(operator_token, mark, "", got, sizeof(got));
	assert_string_equal(got, want);
	assert_true(pages >= 6); /* 10 events or more, 2 a page, and the empty page */
	snprintf(q, sizeof(q),
		 "SELECT string_agg(id::text, ',' ORDER BY id) FROM events WHERE id > %s AND account = %s", mark,
		 alice);
	sql(q, want, sizeof(want));
	pages = page_through(alice_token, mark, "", got, sizeof(got));
	assert_string_equal(got, want);
	assert_true(pages >= 3);
	/* with a filter */
	snprintf(q, sizeof(q),
		 "SELECT string_agg(id::text, ',' ORDER BY id) FROM events WHERE id > %s AND object_type = 'contact'",
		 mark);
	sql(q, want, sizeof(want));
	assert_non_null(strchr(want, ',')); /* several */
	page_through(operator_token, mark, "&object_type=contact", got, sizeof(got));
	assert_string_equal(got, want);
	/* the default page is 100, the largest 1000 */
	json_t *all = events(operator_token, "after=0", NULL);
	assert_true(json_array_size(all) <= 100);
	json_decref(all);
}

/* A member sees the events of its own accounts and objects, never another
 * tenant's: not in the list, not by filtering on the other account or
 * object. */
static void test_member_sees_only_its_events(void **state)
{
	(void)state;
	char mark[24], a_contact[16], b_contact[16], q[512];
	sql("SELECT coalesce(max(id), 0) FROM events", mark, sizeof(mark));
	new_contact(alice_token, alice, "Alice NOC", a_contact);
	new_contact(bob_token, bob, "Bob NOC", b_contact);
	snprintf(q, sizeof(q), "after=%s&limit=1000", mark);
	json_t *seen = events(alice_token, q, NULL);
	bool own = false;
	size_t i;
	json_t *e;
	json_array_foreach (seen, i, e) {
		assert_string_equal(str(e, "account"), alice);
		if (strcmp(str(e, "object_type"), "contact") == 0 && strcmp(str(e, "object_id"), a_contact) == 0) {
			own = true;
			assert_string_equal(str(e, "action"), "create");
			assert_string_equal(str(json_object_get(e, "data"), "name"), "Alice NOC");
			assert_true(json_is_null(json_object_get(e, "previous")));
		}
	}
	assert_true(own);
	json_decref(seen);
	/* the operator sees both */
	snprintf(q, sizeof(q), "after=%s&object_type=contact&object_id=%s", mark, b_contact);
	json_t *op = events(operator_token, q, NULL);
	assert_int_equal(json_array_size(op), 1);
	assert_string_equal(str(json_array_get(op, 0), "account"), bob);
	json_decref(op);
	/* filters never reach past the scope */
	json_t *none = events(alice_token, q, NULL);
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);
	snprintf(q, sizeof(q), "account=%s", bob);
	none = events(alice_token, q, NULL);
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);
	/* its own account's events: the operator's create of it included */
	snprintf(q, sizeof(q), "account=%s&object_type=account&object_id=%s", alice, alice);
	json_t *mine = events(alice_token, q, NULL);
	assert_true(json_array_size(mine) >= 1);
	assert_string_equal(str(json_array_get(mine, 0), "action"), "create");
	json_decref(mine);
}

/* Bad cursors and limits are 400s naming the parameter. */
static void test_bad_queries(void **state)
{
	(void)state;
	expect_naming("GET", "/events?limit=0", alice_token, NULL, 400, "limit");
	expect_naming("GET", "/events?limit=1001", alice_token, NULL, 400, "limit");
	expect_naming("GET", "/events?limit=ten", alice_token, NULL, 400, "limit");
	expect_naming("GET", "/events?after=abc", alice_token, NULL, 400, "after");
	expect_naming("GET", "/events?after=-1", alice_token, NULL, 400, "after");
}

/* Verifies "t=<t>,v1=<hex>" over body with secret. */
static void assert_signed(const char *signature, const char *body, const char *secret)
{
	long long t = 0;
	char hex[65] = "";
	assert_int_equal(sscanf(signature, "t=%lld,v1=%64[0-9a-f]", &t, hex), 2);
	assert_true(llabs((long long)time(NULL) - t) < 120);
	char stamp[24];
	snprintf(stamp, sizeof(stamp), "%lld", t);
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)stamp, strlen(stamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	char want[65];
	sodium_bin2hex(want, sizeof(want), mac, sizeof(mac));
	assert_string_equal(hex, want);
	/* and a forged body does not verify */
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)stamp, strlen(stamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".{}", 3);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(want, sizeof(want), mac, sizeof(mac));
	assert_string_not_equal(hex, want);
}

static json_t *secrets; /* every secret a test was shown */

/* A member's webhook gets its own events (of the object types it asked
 * for) signed with its secret, never another tenant's; the secret is shown
 * once. */
static void test_webhook_gets_signed_events(void **state)
{
	(void)state;
	json_t *hook = new_webhook(alice_token, "/ok", "[\"contact\"]");
	const char *id = str(hook, "id");
	const char *secret = str(hook, "secret");
	assert_non_null(secret);
	assert_int_equal(strlen(secret), 64);
	json_array_append_new(secrets, json_string(secret));
	assert_string_equal(str(hook, "account"), alice);
	/* reads never show the secret */
	char path[64];
	snprintf(path, sizeof(path), "/webhooks/%s", id);
	json_t *read = call("GET", path, alice_token, NULL, 200);
	assert_null(json_object_get(read, "secret"));
	assert_string_equal(str(read, "url"), str(hook, "url"));
	json_decref(read);
	json_t *list = call("GET", "/webhooks", alice_token, NULL, 200);
	assert_int_equal(json_array_size(list), 1);
	assert_null(json_object_get(json_array_get(list, 0), "secret"));
	json_decref(list);
	/* Bob neither sees it nor gets its events */
	json_decref(call("GET", path, bob_token, NULL, 404));
	list = call("GET", "/webhooks", bob_token, NULL, 200);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);

	char c_bob[16], c_alice[16], ev[24], ev_bob[24];
	new_contact(bob_token, bob, "Bob billing", c_bob);
	new_contact(alice_token, alice, "Alice billing", c_alice);
	last_event("contact", c_alice, ev);
	last_event("contact", c_bob, ev_bob);
	assert_true(delivery_state(id, ev, "delivered", 20000));
	char q[256];
	snprintf(q, sizeof(q), "SELECT count(*) FROM webhook_deliveries WHERE webhook = %s AND event = %s", id, ev_bob);
	assert_int_equal(count(q), 0);
	/* object types it did not ask for: no delivery (the account's own
	 * update event) */
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM webhook_deliveries d JOIN events e ON e.id = d.event"
		 " WHERE d.webhook = %s AND e.object_type <> 'contact'",
		 id);
	assert_int_equal(count(q), 0);

	json_t *got = received_on("/ok");
	json_t *req = NULL;
	size_t i;
	json_t *r;
	json_array_foreach (got, i, r)
		if (strcmp(str(r, "event"), ev) == 0)
			req = r;
	assert_non_null(req);
	assert_string_equal(str(req, "content_type"), "application/json");
	assert_signed(str(req, "signature"), str(req, "body"), secret);
	json_t *body = json_loads(str(req, "body"), 0, NULL);
	assert_non_null(body);
	assert_string_equal(str(body, "id"), ev);
	assert_string_equal(str(body, "object_type"), "contact");
	assert_string_equal(str(body, "object_id"), c_alice);
	assert_string_equal(str(body, "account"), alice);
	assert_string_equal(str(body, "action"), "create");
	assert_string_equal(str(json_object_get(body, "data"), "name"), "Alice billing");
	/* the same JSON GET /events shows */
	snprintf(q, sizeof(q), "object_type=contact&object_id=%s", c_alice);
	json_t *listed = events(alice_token, q, NULL);
	assert_true(json_equal(json_array_get(listed, 0), body));
	json_decref(listed);
	json_decref(body);
	json_decref(got);

	/* its delivery status */
	snprintf(path, sizeof(path), "/webhooks/%s/deliveries", id);
	json_t *ds = call("GET", path, alice_token, NULL, 200);
	assert_int_equal(json_array_size(ds), 1);
	json_t *d = json_array_get(ds, 0);
	assert_string_equal(str(d, "state"), "delivered");
	assert_string_equal(str(d, "event"), ev);
	assert_int_equal(json_integer_value(json_object_get(d, "attempts")), 1);
	assert_int_equal(json_integer_value(json_object_get(d, "last_status")), 200);
	assert_non_null(str(d, "delivered_at"));
	json_decref(ds);
	json_decref(call("GET", path, bob_token, NULL, 404));

	/* deleted: no more deliveries */
	snprintf(path, sizeof(path), "/webhooks/%s", id);
	json_decref(call("DELETE", path, bob_token, NULL, 404));
	assert_int_equal(count("SELECT count(*) FROM webhooks"), 1);
	json_decref(call("DELETE", path, alice_token, NULL, 200));
	json_decref(call("GET", path, alice_token, NULL, 404));
	assert_int_equal(count("SELECT count(*) FROM webhooks"), 0);
	new_contact(alice_token, alice, "After delete", c_alice);
	assert_int_equal(count("SELECT count(*) FROM webhook_deliveries"), 0);
	json_decref(hook);
}

/* A receiver that answers 500 once: retried, delivered on attempt 2. */
static void test_failed_then_delivered(void **state)
{
	(void)state;
	pthread_mutex_lock(&received_lock);
	flaky_failures = 1;
	pthread_mutex_unlock(&received_lock);
	json_t *hook = new_webhook(operator_token, "/flaky", "[\"contact\"]");
	json_array_append_new(secrets, json_string(str(hook, "secret")));
	char c[16], ev[24];
	new_contact(alice_token, alice, "Flaky", c);
	last_event("contact", c, ev);
	assert_true(delivery_state(str(hook, "id"), ev, "delivered", 30000));
	char q[256];
	snprintf(q, sizeof(q),
		 "SELECT attempts || ' ' || last_status || ' ' || (last_error IS NULL) FROM webhook_deliveries"
		 " WHERE webhook = %s AND event = %s",
		 str(hook, "id"), ev);
	char got[64];
	sql(q, got, sizeof(got));
	assert_string_equal(got, "2 200 true");
	/* the receiver saw it twice, the same event */
	json_t *reqs = received_on("/flaky");
	int n = 0;
	size_t i;
	json_t *r;
	json_array_foreach (reqs, i, r)
		if (strcmp(str(r, "event"), ev) == 0)
			n++;
	assert_int_equal(n, 2);
	json_decref(reqs);
	char path[64];
	snprintf(path, sizeof(path), "/webhooks/%s", str(hook, "id"));
	json_decref(call("DELETE", path, operator_token, NULL, 200));
	json_decref(hook);
}

/* A receiver that always fails: the delivery is dead after the jobs'
 * attempts (IXAPI_JOB_MAX_ATTEMPTS=3), with its last status and error. */
static void test_dead_after_max_attempts(void **state)
{
	(void)state;
	json_t *hook = new_webhook(alice_token, "/dead", "[\"contact\"]");
	json_array_append_new(secrets, json_string(str(hook, "secret")));
	char c[16], ev[24];
	new_contact(alice_token, alice, "Dead", c);
	last_event("contact", c, ev);
	assert_true(delivery_state(str(hook, "id"), ev, "dead", 30000));
	char path[64];
	snprintf(path, sizeof(path), "/webhooks/%s/deliveries", str(hook, "id"));
	json_t *ds = call("GET", path, alice_token, NULL, 200);
	json_t *d = json_array_get(ds, 0);
	assert_string_equal(str(d, "state"), "dead");
	assert_int_equal(json_integer_value(json_object_get(d, "attempts")), 3);
	assert_int_equal(json_integer_value(json_object_get(d, "last_status")), 500);
	assert_non_null(strstr(str(d, "last_error"), "500"));
	assert_true(json_is_null(json_object_get(d, "delivered_at")));
	json_decref(ds);
	char q[256];
	snprintf(q, sizeof(q),
		 "SELECT j.state FROM jobs j JOIN webhook_deliveries d ON j.object = 'webhook.deliver:' || d.id"
		 " WHERE d.webhook = %s AND d.event = %s",
		 str(hook, "id"), ev);
	char st[16];
	sql(q, st, sizeof(st));
	assert_string_equal(st, "dead");
	snprintf(path, sizeof(path), "/webhooks/%s", str(hook, "id"));
	json_decref(call("DELETE", path, alice_token, NULL, 200));
	json_decref(hook);

	/* no receiver at all (nothing listens on port 1): dead, no status */
	hook = call("POST", "/webhooks", alice_token,
		    "{\"url\": \"http://127.0.0.1:1/gone\", \"object_types\": [\"contact\"]}", 201);
	json_array_append_new(secrets, json_string(str(hook, "secret")));
	new_contact(alice_token, alice, "Nobody listens", c);
	last_event("contact", c, ev);
	assert_true(delivery_state(str(hook, "id"), ev, "dead", 30000));
	snprintf(q, sizeof(q),
		 "SELECT attempts || ' ' || coalesce(last_status::text, 'none') || ' ' || (last_error <> '')"
		 "  FROM webhook_deliveries WHERE webhook = %s AND event = %s",
		 str(hook, "id"), ev);
	sql(q, st, sizeof(st));
	assert_string_equal(st, "3 none true");
	snprintf(path, sizeof(path), "/webhooks/%s", str(hook, "id"));
	json_decref(call("DELETE", path, alice_token, NULL, 200));
	json_decref(hook);
}

/* The account that submitted an application (a portal's, a reseller's)
 * sees the applicant account's events and the application's, by list and
 * webhook; another tenant does not. */
static void test_submitter_sees_its_applications(void **state)
{
	(void)state;
	char applicant[16], app[24], q[1400], ev[24];
	itest_create("/accounts", operator_token,
		     "{\"name\": \"Applicant B.V.\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		     " \"postal_code\": \"1098 XG\", \"street_address\": \"Science Park 105\"}}",
		     applicant);
	json_t *hook = new_webhook(alice_token, "/ok", "[\"application\"]");
	json_array_append_new(secrets, json_string(str(hook, "secret")));
	/* the application as the onboarding part writes it (its own code: m1) */
	snprintf(
		q, sizeof(q),
		"INSERT INTO applications (type, submitted_by_account, account, legal_name, registration_number, address,"
		" facility, colocation_statement, product_offering, port_quantity, review_due_at)"
		" SELECT 'customer', %s, %s, 'Applicant B.V.', 'NL-KVK-1', '{}', (SELECT min(id) FROM facilities),"
		" 'Rack 1', (SELECT min(id) FROM product_offerings WHERE type = 'connection'), 1, now() RETURNING id",
		alice, applicant);
	sql(q, app, sizeof(app));
	snprintf(q, sizeof(q),
		 "INSERT INTO events (action, object_type, object_id, new_value)"
		 " VALUES ('create', 'application', '%s', '{\"step\": \"review\"}') RETURNING id",
		 app);
	sql(q, ev, sizeof(ev));
	snprintf(q, sizeof(q), "SELECT account FROM events WHERE id = %s", ev);
	char acc[24];
	sql(q, acc, sizeof(acc));
	assert_string_equal(acc, applicant);
	/* Alice lists them: the applicant account's create and the application's */
	snprintf(q, sizeof(q), "account=%s", applicant);
	json_t *seen = events(alice_token, q, NULL);
	assert_true(json_array_size(seen) >= 2);
	assert_string_equal(str(json_array_get(seen, 0), "object_type"), "account");
	assert_string_equal(str(json_array_get(seen, json_array_size(seen) - 1), "id"), ev);
	json_decref(seen);
	json_t *none = events(bob_token, q, NULL);
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);
	/* and her webhook gets the application's event */
	assert_true(delivery_state(str(hook, "id"), ev, "delivered", 20000));
	char path[64];
	snprintf(path, sizeof(path), "/webhooks/%s", str(hook, "id"));
	json_decref(call("DELETE", path, alice_token, NULL, 200));
	json_decref(hook);
}

/* Refused webhooks: a 400 naming the property, nothing written. */
static void test_refused_webhooks(void **state)
{
	(void)state;
	long long hooks = count("SELECT count(*) FROM webhooks");
	long long evs = count("SELECT count(*) FROM events");
	expect_naming("POST", "/webhooks", alice_token, "{\"url\": \"ftp://127.0.0.1/x\"}", 400, "url");
	expect_naming("POST", "/webhooks", alice_token, "{\"url\": \"http://user:pw@127.0.0.1/x\"}", 400, "url");
	expect_naming("POST", "/webhooks", alice_token, "{\"url\": \"http://\"}", 400, "url");
	expect_naming("POST", "/webhooks", alice_token, "{\"url\": \"javascript:alert(1)\"}", 400, "url");
	expect_naming("POST", "/webhooks", alice_token, "{}", 400, "url");
	expect_naming("POST", "/webhooks", alice_token, "{\"url\": 5}", 400, "url");
	char body[2200];
	snprintf(body, sizeof(body), "{\"url\": \"http://127.0.0.1/%02000d\"}", 1);
	expect_naming("POST", "/webhooks", alice_token, body, 400, "url");
	expect_naming("POST", "/webhooks", alice_token,
		      "{\"url\": \"http://127.0.0.1/x\", \"object_types\": [\"Bad Type\"]}", 400, "object_types");
	expect_naming("POST", "/webhooks", alice_token,
		      "{\"url\": \"http://127.0.0.1/x\", \"object_types\": \"contact\"}", 400, "object_types");
	expect_naming("POST", "/webhooks", alice_token, "{\"url\": \"http://127.0.0.1/x\", \"secret\": \"mine\"}", 400,
		      "secret");
	json_decref(call("GET", "/webhooks/999999", alice_token, NULL, 404));
	json_decref(call("GET", "/webhooks/nope", alice_token, NULL, 404));
	json_decref(call("DELETE", "/webhooks/999999", alice_token, NULL, 404));
	json_decref(call("GET", "/events", NULL, NULL, 401));
	json_decref(call("GET", "/webhooks", NULL, NULL, 401));
	assert_int_equal(count("SELECT count(*) FROM webhooks"), hooks);
	assert_int_equal(count("SELECT count(*) FROM events"), evs);
}

/* No secret in events, jobs or the server's log; a "secret" key written
 * into an event is taken out like a password. */
static void test_secret_nowhere(void **state)
{
	(void)state;
	assert_true(json_array_size(secrets) >= 3);
	size_t i;
	json_t *s;
	json_array_foreach (secrets, i, s) {
		const char *secret = json_string_value(s);
		char q[512];
		snprintf(q, sizeof(q),
			 "SELECT count(*) FROM events WHERE strpos(coalesce(old_value::text, '') ||"
			 " coalesce(new_value::text, '') || coalesce(request_id, ''), '%s') > 0",
			 secret);
		assert_int_equal(count(q), 0);
		snprintf(q, sizeof(q),
			 "SELECT count(*) FROM jobs WHERE strpos(payload::text || coalesce(last_error, ''), '%s') > 0",
			 secret);
		assert_int_equal(count(q), 0);
		snprintf(q, sizeof(q),
			 "SELECT count(*) FROM webhook_deliveries WHERE strpos(coalesce(last_error, ''), '%s') > 0",
			 secret);
		assert_int_equal(count(q), 0);
		char cmd[1024];
		snprintf(cmd, sizeof(cmd), "grep -rqF '%s' '%s'/server.log", secret, server.workdir);
		assert_int_not_equal(system(cmd), 0);
	}
	/* the webhooks' events were written, without the key */
	assert_true(count("SELECT count(*) FROM events WHERE object_type = 'webhook' AND action = 'create'") >= 3);
	assert_int_equal(count("SELECT count(*) FROM events WHERE object_type = 'webhook'"
			       " AND (new_value ? 'secret' OR old_value ? 'secret')"),
			 0);
	char v[256];
	sql("INSERT INTO events (action, object_type, object_id, new_value)"
	    " VALUES ('update', 'webhook', '0', '{\"url\": \"http://x\", \"n\": {\"secret\": \"abc\"}}')"
	    " RETURNING new_value::text",
	    v, sizeof(v));
	assert_string_equal(v, "{\"n\": {\"has_secret\": true}, \"url\": \"http://x\"}");
	sql("DELETE FROM events WHERE object_type = 'webhook' AND object_id = '0'", NULL, 0);
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || receiver_start() != 0)
		return -1;
	secrets = json_array();
	if (itest_start_with_tokens(&server, &operator_token, NULL) != 0)
		return -1;
	/* the workers run only with an adapter configured */
	if (itest_adapter_for_devices(&server, &adapter, NULL) != 0)
		return -1;
	setenv("IXAPI_WORKERS", "2", 1);
	setenv("IXAPI_JOB_POLL_MS", "300", 1);
	setenv("IXAPI_JOB_MAX_ATTEMPTS", "3", 1);
	setenv("IXAPI_JOB_BACKOFF_BASE_MS", "100", 1);
	setenv("IXAPI_JOB_BACKOFF_CAP_MS", "300", 1);
	itest_stop_server(&server);
	if (itest_start_server(&server) != 0)
		return -1;
	const char *addr = "\"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\", \"postal_code\": \"1012\","
			   " \"street_address\": \"Dam 1\"}";
	char body[512];
	snprintf(body, sizeof(body), "{\"name\": \"Events Alice\", %s}", addr);
	alice_token = itest_new_tenant(operator_token, body, alice);
	snprintf(body, sizeof(body), "{\"name\": \"Events Bob\", %s}", addr);
	bob_token = itest_new_tenant(operator_token, body, bob);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_adapter_stop(&adapter);
	if (receiver)
		MHD_stop_daemon(receiver);
	json_decref(received);
	json_decref(secrets);
	free(alice_token);
	free(bob_token);
	return itest_finish_tokens(&server, operator_token, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_pages_each_event_once),
		cmocka_unit_test(test_member_sees_only_its_events),
		cmocka_unit_test(test_bad_queries),
		cmocka_unit_test(test_webhook_gets_signed_events),
		cmocka_unit_test(test_failed_then_delivered),
		cmocka_unit_test(test_dead_after_max_attempts),
		cmocka_unit_test(test_refused_webhooks),
		cmocka_unit_test(test_submitter_sees_its_applications),
		cmocka_unit_test(test_secret_nowhere),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
