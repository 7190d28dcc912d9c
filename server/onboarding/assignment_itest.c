/*
 * The onboarding's port assignment and billing start (issue 12, steps 4-6),
 * against a real ixapid with workers, a real PostgreSQL and the
 * controllable switch adapter (tests/harness/adapter). The application
 * state the earlier steps make (m1: the application, m2: the signed
 * agreement) is built with SQL here (a tenant and its connection ordered
 * through the API, the application, its technical contact and its
 * agreement rows); then: an operator names the ports (reservations
 * allocated with the switch jobs of the operator's allocation path, the LOA
 * stored, the mail to the technical contact with the LOA, the port details
 * and the LAN addresses); the refusals change nothing; two auto-assignments
 * at once never share a port, and with one port too few one is refused and
 * writes nothing; an assignment skips ports another transaction holds; the
 * `onboarding.assign` job (no free port: status entry and retry; then the
 * ports); production through the quarantine gate starts billing and ends
 * the onboarding; the day-30 job starts billing when production has not.
 */
#include "harness.h"
#include "adapter_ctl.h"

#include <libpq-fe.h>
#include <pthread.h>
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

#define PROBE_MAC "02:1a:70:00:00:99"

static struct test_adapter adapter;
static struct itest_server server;
static char *operator_token;

/* An applicant as the earlier steps leave it: its account (a tenant), its
 * connection (2 ports, lag_lacp, ordered through the API), optionally a
 * peering-LAN config on it, a technical contact, the application in step
 * port_assignment at `facility` and its signed agreement. */
struct applicant {
	char account[16], conn[16], nsc[16], app[16], contact[16], email[64];
	char *token;
};

static void new_applicant(struct applicant *a, const char *name, const char *facility, const char *mac, long long asn)
{
	char body[800], q[2400], ra[16];
	a->token = itest_new_named_tenant(operator_token, name, a->account);
	make_connection(a->token, a->account, a->conn, ra);
	a->nsc[0] = '\0';
	if (mac)
		itest_join_lan_over(a->token, a->conn, ra, mac, asn, a->nsc);
	snprintf(a->email, sizeof(a->email), "tech-%s@example.net", a->account);
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"name\": \"Tess Technical\","
		 " \"email\": \"%s\", \"telephone\": \"+31201234568\"}",
		 a->account, a->account, a->email);
	itest_create("/contacts", a->token, body, a->contact);
	snprintf(q, sizeof(q),
		 "INSERT INTO applications (step, type, submitted_by_account, account, legal_name, registration_number,"
		 "    address, facility, colocation_statement, product_offering, port_quantity, review_due_at,"
		 "    colocation_confirmed_at, approved_at, connection)"
		 " SELECT 'port_assignment', 'customer', %s, %s, '%s B.V.', 'NL-KVK-%s', '{\"country\": \"NL\"}',"
		 "        (SELECT id FROM facilities WHERE name = '%s'), 'Rack 1 at %s', k.product_offering, 2,"
		 "        now(), now(), now(), k.id"
		 "   FROM connections k WHERE k.id = %s RETURNING id",
		 a->account, a->account, name, a->account, facility, facility, a->conn);
	sql(q, a->app, sizeof(a->app));
	assert_true(a->app[0]);
	snprintf(q, sizeof(q),
		 "WITH c AS (INSERT INTO application_contacts (application, role, contact) VALUES (%s, 'technical', %s)"
		 "           RETURNING application),"
		 " g AS (INSERT INTO agreements (application, variant, state, envelope_id, document, document_sha256,"
		 "           signer_name, signer_email, signed_at, signature_source, signed_sha256)"
		 "       SELECT application, 'customer', 'signed', 'env-test-' || application,"
		 "              '\\x255044462d312e340a2525454f460a'::bytea, repeat('a', 64), 'Sam Signer',"
		 "              'sam@example.net', now(), 'upload', repeat('b', 64) FROM c RETURNING application)"
		 " SELECT status_set('account', %s, 'onboarding.port_assignment', 5, 'Ports are being assigned.',"
		 "                   jsonb_build_object('application', (SELECT application FROM g)::text))",
		 a->app, a->contact, a->account);
	sql(q, NULL, 0);
}

static void assignment_path(const struct applicant *a, char *path, size_t len)
{
	snprintf(path, len, "/applications/%s/port-assignment", a->app);
}

/* What an assignment writes, as one text: a refusal leaves it as it was.
 * Scoped to the applicant's objects (the workers write jobs of their own). */
static void fingerprint(const struct applicant *a, char *out, size_t len)
{
	char q[2400];
	snprintf(
		q, sizeof(q),
		"SELECT concat_ws(' | ',"
		" (SELECT step || coalesce(ports_assigned_at::text, '-') FROM applications WHERE id = %s),"
		" (SELECT state || coalesce(current_billing_start_date::text, '-') FROM connections WHERE id = %s),"
		" (SELECT string_agg(r.id || ':' || r.state || ':' || coalesce(r.port::text, '-') || ':'"
		"                    || coalesce(r.exchange_side_demarc, '-'), ',' ORDER BY r.id)"
		"    FROM port_reservations r WHERE r.connection = %s),"
		" (SELECT count(*) FROM ports WHERE connection = %s),"
		" (SELECT count(*) FROM jobs WHERE payload->>'connection' = '%s' OR payload->>'application' = '%s'"
		"     OR payload->>'port_reservation' IN (SELECT id::text FROM port_reservations WHERE connection = %s)),"
		" (SELECT count(*) FROM events WHERE (object_type = 'application' AND object_id = '%s')"
		"     OR (object_type IN ('connection', 'connection_loa') AND object_id = '%s')"
		"     OR (object_type = 'port_reservation'"
		"         AND object_id IN (SELECT id::text FROM port_reservations WHERE connection = %s))),"
		" (SELECT count(*) FROM mails WHERE object_type = 'application' AND object_id = %s),"
		" (SELECT count(*) FROM connection_loas WHERE connection = %s),"
		" (SELECT string_agg(tag, ',' ORDER BY tag) FROM status_entries"
		"   WHERE object_type = 'account' AND object_id = %s))",
		a->app, a->conn, a->conn, a->conn, a->conn, a->app, a->conn, a->app, a->conn, a->conn, a->app, a->conn,
		a->account);
	sql(q, out, len);
}

/* The request is refused with `status` naming `property` (NULL: none) and
 * nothing of the applicant changes. */
static void expect_refused(const struct applicant *a, const char *token, const char *body, long status,
			   const char *property, const char *detail_part)
{
	char before[2048], after[2048], path[80];
	assignment_path(a, path, sizeof(path));
	fingerprint(a, before, sizeof(before));
	if (property)
		expect_naming("POST", path, token, body, status, property);
	json_t *j = call("POST", path, token, body, status);
	if (detail_part)
		assert_non_null(strstr(str(j, "detail"), detail_part));
	json_decref(j);
	fingerprint(a, after, sizeof(after));
	assert_string_equal(before, after);
}

/* A free 10G port at `facility` (its id), skipping `skip` of them. */
static void free_port(const char *facility, int speed, int skip, char *out, size_t len)
{
	char q[600];
	snprintf(q, sizeof(q),
		 "SELECT p.id FROM ports p JOIN devices d ON d.id = p.device JOIN pops pp ON pp.id = d.pop"
		 "  JOIN facilities f ON f.id = pp.facility"
		 " WHERE f.name = '%s' AND p.speed = %d AND p.connection IS NULL AND p.state = 'production'"
		 " ORDER BY p.id OFFSET %d LIMIT 1",
		 facility, speed, skip);
	sql(q, out, len);
	assert_true(out[0]);
}

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&server, &operator_token, NULL) != 0)
		return -1;
	/* Science Park DC gets 8 more 10G ports; three facilities of their own
	 * for the auto-assign tests: 4 ports (two applications of 2), 3 ports
	 * (one too few for two), 2 ports out of service (no free port yet) */
	if (itest_sql(&server,
		      "INSERT INTO ports (name, device, media_type, speed, managing_account, consuming_account,"
		      "                   billing_account)"
		      " SELECT 'x' || g || '-' || p.id, p.device, p.media_type, p.speed, p.managing_account,"
		      "        p.consuming_account, p.billing_account"
		      "   FROM ports p JOIN devices d ON d.id = p.device JOIN pops pp ON pp.id = d.pop"
		      "   JOIN facilities f ON f.id = pp.facility, generate_series(1, 2) g"
		      "  WHERE p.connection IS NULL AND p.speed = 10000 AND f.name = 'Science Park DC'",
		      NULL, 0) != 0 ||
	    itest_sql(
		    &server,
		    "WITH f AS (INSERT INTO facilities (name, metro_area, address_country, address_locality,"
		    "               postal_code, street_address, organisation_name)"
		    "           SELECT v.n, x.metro_area, 'NL', 'Amsterdam', '1000', v.n || ' 1', v.n || ' B.V.'"
		    "             FROM (SELECT metro_area FROM facilities ORDER BY id LIMIT 1) x,"
		    "                  (VALUES ('Two DC'), ('Three DC'), ('Empty DC')) v(n) RETURNING id, name),"
		    " p AS (INSERT INTO pops (name, facility, metro_area_network)"
		    "       SELECT 'AMS-' || upper(left(f.name, 2)), f.id,"
		    "              (SELECT metro_area_network FROM pops ORDER BY id LIMIT 1) FROM f RETURNING id, name),"
		    " d AS (INSERT INTO devices (name, pop) SELECT lower(p.name) || '-sw1.test', p.id FROM p"
		    "       RETURNING id, pop),"
		    " o AS (SELECT managing_account AS acc FROM ports ORDER BY id LIMIT 1)"
		    " INSERT INTO ports (name, device, media_type, speed, managing_account, consuming_account,"
		    "                    billing_account, state)"
		    " SELECT 'y' || g || '-' || d.id, d.id, '10GBASE-LR', 10000, o.acc, o.acc, o.acc,"
		    "        CASE WHEN p.name = 'AMS-EM' THEN 'decommissioned' ELSE 'production' END"
		    "   FROM d JOIN p ON p.id = d.pop, o,"
		    "        generate_series(1, CASE p.name WHEN 'AMS-TW' THEN 4 WHEN 'AMS-TH' THEN 3 ELSE 2 END) g",
		    NULL, 0) != 0 ||
	    itest_adapter_for_devices(&server, &adapter, NULL) != 0)
		return -1;
	setenv("IXAPI_WORKERS", "2", 1);
	setenv("IXAPI_JOB_LEASE_MS", "3000", 1);
	setenv("IXAPI_JOB_POLL_MS", "300", 1);
	setenv("IXAPI_JOB_MAX_ATTEMPTS", "50", 1);
	setenv("IXAPI_JOB_BACKOFF_BASE_MS", "100", 1);
	setenv("IXAPI_JOB_BACKOFF_CAP_MS", "300", 1);
	setenv("IXAPI_ADAPTER_TIMEOUT_MS", "2000", 1);
	setenv("IXAPI_QUARANTINE_SECONDS", "1", 1);
	setenv("IXAPI_QUARANTINE_PROBE_MAC", PROBE_MAC, 1);
	itest_stop_server(&server);
	return itest_start_server(&server);
}

static int teardown(void **state)
{
	(void)state;
	test_adapter_stop(&adapter);
	return itest_finish_tokens(&server, operator_token, NULL);
}

/* An operator names the ports: the reservations are allocated through the
 * operator's allocation path (a port_reservation.allocated job each, as a
 * PATCH of `port` writes), the exchange-side demarcs name device and port,
 * the connection is allocated, the LOA naming them is stored as the
 * connection's LOA and mailed to the technical contact with the port
 * details, the LAN addresses and how to activate the port; the application
 * is in quarantine with ports_assigned_at, its account's entry says so, and
 * the day-30 billing job waits. Before that, each refusal changes nothing. */
static void test_operator_names_ports(void **state)
{
	(void)state;
	struct applicant a;
	new_applicant(&a, "Nora Named", "Science Park DC", "02:4e:00:00:00:01", 3320);
	char p1[16], p2[16], hb[16], fast[16], body[200], q[800], path[80];
	free_port("Science Park DC", 10000, 0, p1, sizeof(p1));
	free_port("Science Park DC", 10000, 1, p2, sizeof(p2));
	free_port("Harbour DC", 10000, 0, hb, sizeof(hb));
	free_port("Science Park DC", 100000, 0, fast, sizeof(fast));

	/* members do not assign ports */
	snprintf(body, sizeof(body), "{\"ports\": [\"%s\", \"%s\"]}", p1, p2);
	expect_refused(&a, a.token, body, 403, NULL, NULL);
	/* an unsigned agreement */
	snprintf(q, sizeof(q), "UPDATE agreements SET state = 'sent' WHERE application = %s", a.app);
	sql(q, NULL, 0);
	expect_refused(&a, operator_token, body, 409, NULL, "the connection agreement is not signed");
	snprintf(q, sizeof(q), "UPDATE agreements SET state = 'signed' WHERE application = %s", a.app);
	sql(q, NULL, 0);
	/* another facility, another speed, too few, unknown, a port twice, not a list */
	snprintf(body, sizeof(body), "{\"ports\": [\"%s\", \"%s\"]}", p1, hb);
	expect_refused(&a, operator_token, body, 400, "ports", NULL);
	snprintf(body, sizeof(body), "{\"ports\": [\"%s\", \"%s\"]}", fast, p2);
	expect_refused(&a, operator_token, body, 400, "ports", NULL);
	snprintf(body, sizeof(body), "{\"ports\": [\"%s\"]}", p1);
	expect_refused(&a, operator_token, body, 400, "ports", NULL);
	snprintf(body, sizeof(body), "{\"ports\": [\"%s\", \"999999\"]}", p1);
	expect_refused(&a, operator_token, body, 400, "ports", NULL);
	snprintf(body, sizeof(body), "{\"ports\": [\"%s\", \"%s\"]}", p1, p1);
	expect_refused(&a, operator_token, body, 400, "ports", NULL);
	expect_refused(&a, operator_token, "{\"ports\": \"all\"}", 400, "ports", NULL);
	expect_refused(&a, operator_token, "{\"port\": []}", 400, "port", NULL);

	snprintf(body, sizeof(body), "{\"ports\": [\"%s\", \"%s\"]}", p1, p2);
	assignment_path(&a, path, sizeof(path));
	json_t *j = call("POST", path, operator_token, body, 200);
	assert_string_equal(str(j, "step"), "quarantine");
	assert_string_equal(str(j, "connection"), a.conn);
	json_t *rs = json_object_get(j, "port_reservations");
	assert_int_equal(json_array_size(rs), 2);
	const char *want[] = {p1, p2};
	for (size_t i = 0; i < 2; i++) {
		json_t *r = json_array_get(rs, i);
		assert_string_equal(str(r, "port"), want[i]);
		assert_string_equal(str(r, "state"), "allocated");
		/* the operator's allocation path's switch job, and the demarc */
		snprintf(
			q, sizeof(q),
			"SELECT count(*) FROM jobs WHERE kind = 'port_reservation.allocated'"
			" AND payload = jsonb_build_object('port_reservation', '%s', 'connection', '%s', 'port', '%s')",
			str(r, "id"), a.conn, want[i]);
		assert_int_equal(count(q), 1);
		snprintf(q, sizeof(q),
			 "SELECT count(*) FROM port_reservations r JOIN ports p ON p.id = r.port"
			 "  JOIN devices d ON d.id = p.device"
			 " WHERE r.id = %s AND r.exchange_side_demarc = d.name || ', port ' || p.name"
			 "   AND p.connection = %s AND p.managing_account = %s",
			 str(r, "id"), a.conn, a.account);
		assert_int_equal(count(q), 1);
	}
	char mail[16];
	snprintf(mail, sizeof(mail), "%s", str(j, "mail"));
	json_decref(j);

	/* the connection reads allocated, its LOA is the one mailed */
	snprintf(path, sizeof(path), "/connections/%s", a.conn);
	j = call("GET", path, a.token, NULL, 200);
	assert_string_equal(str(j, "state"), "allocated");
	json_decref(j);
	snprintf(q, sizeof(q),
		 "SELECT (SELECT pdf FROM connection_loas WHERE connection = %s ORDER BY id DESC LIMIT 1)"
		 "       = m.attachment AND m.attachment_name = 'loa.pdf'"
		 "       AND substr(m.attachment, 1, 5) = '\\x255044462d'::bytea AND m.recipient = '%s'"
		 "       AND m.object_type = 'application' AND m.object_id = %s"
		 "  FROM mails m WHERE m.id = %s",
		 a.conn, a.email, a.app, mail);
	char v[4096];
	sql(q, v, sizeof(v));
	assert_string_equal(v, "t");
	snprintf(q, sizeof(q), "SELECT count(*) FROM jobs WHERE kind = 'mail.send' AND payload->>'id' = '%s'", mail);
	assert_int_equal(count(q), 1);
	/* the body: each port (device, name), the member's LAN addresses, how to activate */
	snprintf(q, sizeof(q), "SELECT body FROM mails WHERE id = %s", mail);
	sql(q, v, sizeof(v));
	for (size_t i = 0; i < 2; i++) {
		char port_name[32];
		snprintf(q, sizeof(q),
			 "SELECT d.name || ', port ' || p.name FROM ports p JOIN devices d ON d.id = p.device"
			 " WHERE p.id = %s",
			 want[i]);
		sql(q, port_name, sizeof(port_name));
		assert_non_null(strstr(v, port_name));
	}
	char addr[64];
	for (int version = 4; version <= 6; version += 2) {
		snprintf(q, sizeof(q),
			 "SELECT host(address) FROM ips WHERE network_service_config = %s AND version = %d", a.nsc,
			 version);
		sql(q, addr, sizeof(addr));
		assert_true(addr[0]);
		assert_non_null(strstr(v, addr));
	}
	assert_non_null(strstr(v, "quarantine LAN"));
	assert_non_null(strstr(v, "consumer_side_ready"));
	assert_non_null(strstr(v, "/quarantine-test"));
	assert_non_null(strstr(v, "Science Park DC"));

	/* the application, the account's status, the day-30 job, the events */
	snprintf(
		q, sizeof(q),
		"SELECT count(*) FROM applications a JOIN jobs j ON j.kind = 'onboarding.billing_start'"
		"   AND j.payload->>'application' = a.id::text AND j.run_after = a.ports_assigned_at + interval '30 days'"
		" WHERE a.id = %s AND a.step = 'quarantine'",
		a.app);
	assert_int_equal(count(q), 1);
	snprintf(path, sizeof(path), "/accounts/%s", a.account);
	snprintf(q, sizeof(q),
		 "SELECT string_agg(tag, ',' ORDER BY tag) FROM status_entries WHERE object_type = 'account'"
		 " AND object_id = %s",
		 a.account);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "onboarding.quarantine");
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM events WHERE action = 'update' AND actor_api_key IS NOT NULL"
		 "   AND ((object_type = 'application' AND object_id = '%s'"
		 "         AND new_value->>'step' = 'quarantine')"
		 "     OR (object_type = 'connection' AND object_id = '%s' AND new_value->>'state' = 'allocated')"
		 "     OR (object_type = 'port_reservation' AND new_value->>'state' = 'allocated'"
		 "         AND new_value->>'connection' = '%s'))",
		 a.app, a.conn, a.conn);
	assert_int_equal(count(q), 4);

	/* assigned: a second assignment is refused, and so is a taken port */
	snprintf(body, sizeof(body), "{\"ports\": [\"%s\", \"%s\"]}", p1, p2);
	expect_refused(&a, operator_token, body, 409, NULL, "step quarantine");
	struct applicant b;
	new_applicant(&b, "Otto Other", "Science Park DC", NULL, 0);
	char p3[16];
	free_port("Science Park DC", 10000, 0, p3, sizeof(p3));
	snprintf(body, sizeof(body), "{\"ports\": [\"%s\", \"%s\"]}", p3, p1);
	expect_refused(&b, operator_token, body, 400, "ports", "is not free");
	free(a.token);
	free(b.token);
}

struct concurrent {
	const char *path;
	pthread_barrier_t *start;
	long status;
};

static void *assign_thread(void *arg)
{
	struct concurrent *c = arg;
	struct http_result r = {0};
	pthread_barrier_wait(c->start);
	c->status = http_call(&server, "POST", c->path, operator_token, "{}", NULL, &r) == 0 ? r.status : -1;
	http_result_free(&r);
	return NULL;
}

/* Two auto-assignments at once (two concurrent requests); their statuses
 * into status[]. */
static void assign_both(const struct applicant *a, const struct applicant *b, long status[2])
{
	char path[2][80];
	assignment_path(a, path[0], sizeof(path[0]));
	assignment_path(b, path[1], sizeof(path[1]));
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, 2);
	struct concurrent c[2] = {{path[0], &start, 0}, {path[1], &start, 0}};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, assign_thread, &c[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	status[0] = c[0].status;
	status[1] = c[1].status;
}

/* The auto-assign policy ({}), twice at once: with exactly the 4 ports two
 * applications need, both get 2 and none is shared; with 3, one gets 2 and
 * the other is refused (409) with nothing of it written. */
static void test_concurrent_auto_assignments(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		const char *facility = round == 0 ? "Two DC" : "Three DC";
		struct applicant a, b;
		new_applicant(&a, round == 0 ? "Ada Auto" : "Cy Crowd", facility, NULL, 0);
		new_applicant(&b, round == 0 ? "Bo Auto" : "Di Crowd", facility, NULL, 0);
		char before[2][2048], after[2048], q[600];
		fingerprint(&a, before[0], sizeof(before[0]));
		fingerprint(&b, before[1], sizeof(before[1]));
		long status[2];
		assign_both(&a, &b, status);
		snprintf(q, sizeof(q),
			 "SELECT count(DISTINCT r.port) FROM port_reservations r WHERE r.connection IN (%s, %s)"
			 "   AND r.state = 'allocated'",
			 a.conn, b.conn);
		long long distinct_ports = count(q);
		snprintf(q, sizeof(q),
			 "SELECT count(*) FROM port_reservations r JOIN ports p ON p.id = r.port"
			 "  JOIN devices d ON d.id = p.device JOIN pops pp ON pp.id = d.pop"
			 "  JOIN facilities f ON f.id = pp.facility"
			 " WHERE r.connection IN (%s, %s) AND f.name = '%s' AND p.connection = r.connection",
			 a.conn, b.conn, facility);
		long long placed = count(q);
		if (round == 0) {
			assert_int_equal(status[0], 200);
			assert_int_equal(status[1], 200);
			assert_int_equal(distinct_ports, 4);
			assert_int_equal(placed, 4);
		} else {
			assert_true((status[0] == 200 && status[1] == 409) || (status[0] == 409 && status[1] == 200));
			assert_int_equal(distinct_ports, 2);
			assert_int_equal(placed, 2);
			const struct applicant *refused = status[0] == 409 ? &a : &b;
			fingerprint(refused, after, sizeof(after));
			assert_string_equal(after, before[status[0] == 409 ? 0 : 1]);
		}
		free(a.token);
		free(b.token);
	}
}

/* A port another transaction holds (an assignment in progress) is skipped,
 * not waited for and not taken: the auto-assignment takes the next free
 * ones at once. */
static void test_auto_skips_locked_ports(void **state)
{
	(void)state;
	struct applicant a;
	new_applicant(&a, "Lou Locked", "Science Park DC", NULL, 0);
	char held[16], q[400], path[80];
	free_port("Science Park DC", 10000, 0, held, sizeof(held));
	PGconn *other = PQconnectdb(server.db_url);
	assert_int_equal(PQstatus(other), CONNECTION_OK);
	PQclear(PQexec(other, "BEGIN"));
	snprintf(q, sizeof(q), "SELECT id FROM ports WHERE id = %s FOR UPDATE", held);
	PGresult *res = PQexec(other, q);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	PQclear(res);
	assignment_path(&a, path, sizeof(path));
	long long t0 = itest_now_ms();
	json_t *j = call("POST", path, operator_token, "{}", 200);
	assert_true(itest_now_ms() - t0 < 5000); /* no wait for the held port */
	json_t *rs = json_object_get(j, "port_reservations");
	assert_int_equal(json_array_size(rs), 2);
	for (size_t i = 0; i < 2; i++)
		assert_string_not_equal(str(json_array_get(rs, i), "port"), held);
	json_decref(j);
	PQclear(PQexec(other, "ROLLBACK"));
	PQfinish(other);
	free(a.token);
}

/* The `onboarding.assign` job (IXAPI_PORT_ASSIGNMENT=auto): no free port at
 * the facility yet: the account says so (onboarding.no_free_port) and the
 * job is retried; once ports are in service the retry assigns them, the
 * entry goes and the application is in quarantine. */
static void test_assign_job_waits_for_free_ports(void **state)
{
	(void)state;
	struct applicant a;
	new_applicant(&a, "Jo Jobless", "Empty DC", NULL, 0);
	char q[600];
	snprintf(
		q, sizeof(q),
		"INSERT INTO jobs (kind, payload) VALUES ('onboarding.assign', jsonb_build_object('application', '%s'))",
		a.app);
	sql(q, NULL, 0);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM status_entries WHERE object_type = 'account' AND object_id = %s"
		 " AND tag = 'onboarding.no_free_port' AND severity = 4 AND attrs->>'application' = '%s'",
		 a.account, a.app);
	assert_true(itest_wait_for(q, "1", 15000));
	snprintf(q, sizeof(q),
		 "SELECT j.state IN ('failed', 'running') AND j.attempts >= 1 AND a.step = 'port_assignment'"
		 "  FROM jobs j, applications a WHERE j.kind = 'onboarding.assign'"
		 "   AND j.payload->>'application' = '%s' AND a.id = %s",
		 a.app, a.app);
	char v[64];
	sql(q, v, sizeof(v));
	assert_string_equal(v, "t");
	snprintf(q, sizeof(q), "SELECT count(*) FROM port_reservations WHERE connection = %s AND port IS NOT NULL",
		 a.conn);
	assert_int_equal(count(q), 0);

	sql("UPDATE ports p SET state = 'production' FROM devices d JOIN pops pp ON pp.id = d.pop"
	    " WHERE d.id = p.device AND pp.name = 'AMS-EM'",
	    NULL, 0);
	snprintf(q, sizeof(q), "SELECT step FROM applications WHERE id = %s", a.app);
	assert_true(itest_wait_for(q, "quarantine", 15000));
	snprintf(q, sizeof(q),
		 "SELECT string_agg(tag, ',' ORDER BY tag) FROM status_entries WHERE object_type = 'account'"
		 " AND object_id = %s",
		 a.account);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "onboarding.quarantine");
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM port_reservations r JOIN ports p ON p.id = r.port"
		 "  JOIN devices d ON d.id = p.device JOIN pops pp ON pp.id = d.pop"
		 " WHERE r.connection = %s AND r.state = 'allocated' AND pp.name = 'AMS-EM'",
		 a.conn);
	assert_int_equal(count(q), 2);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM mails m JOIN applications a ON a.id = m.object_id"
		 " WHERE m.object_type = 'application' AND a.id = %s AND m.recipient = '%s'"
		 "   AND m.body LIKE '%%have not ordered a peering-LAN config yet%%'",
		 a.app, a.email);
	assert_int_equal(count(q), 1);
	/* the job's events carry its request id */
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM events WHERE object_type = 'application' AND object_id = '%s'"
		 "   AND request_id LIKE 'job:%%' AND actor_api_key IS NULL",
		 a.app);
	assert_int_equal(count(q), 1);
	free(a.token);
}

/* A clean report: the registered MAC only. */
static void set_clean_report(const char *mac)
{
	char body[2000];
	snprintf(
		body, sizeof(body),
		"{\"running_ms\": -1, \"report\": {\"frames\": 5, \"probe_answers\": [], \"classes\": ["
		"{\"src_mac\": \"%s\", \"dst_mac\": \"ff:ff:ff:ff:ff:ff\", \"framing\": \"ethernet2\","
		" \"ethertype\": \"0x0806\", \"llc_dsap\": null, \"vlan\": null, \"ip_proto\": null,"
		" \"icmp6_type\": null, \"udp_dport\": null, \"arp_op\": 1, \"count\": 3, \"example\": \"ffffffffffff\"},"
		"{\"src_mac\": \"%s\", \"dst_mac\": \"33:33:ff:00:00:fa\", \"framing\": \"ethernet2\","
		" \"ethertype\": \"0x86dd\", \"llc_dsap\": null, \"vlan\": null, \"ip_proto\": 58,"
		" \"icmp6_type\": 135, \"udp_dport\": null, \"arp_op\": null, \"count\": 2, \"example\": \"3333ff0000fa\"}"
		"]}}",
		mac, mac);
	assert_int_equal(test_adapter_control(&adapter, "capture", body), 0);
}

/* Production through the quarantine gate: the ports go to the quarantine
 * LAN, the test passes, the member sets consumer_side_ready, the config
 * reaches production: in that transaction billing starts today on the
 * connection, its reservations and the config, the application reaches
 * production and the account's onboarding entry goes. The day-30 job
 * later changes nothing. */
static void test_production_starts_billing(void **state)
{
	(void)state;
	assert_int_equal(test_adapter_control(&adapter, "reset", NULL), 0);
	set_clean_report("02:50:00:00:00:01");
	struct applicant a;
	new_applicant(&a, "Pia Production", "Science Park DC", "02:50:00:00:00:01", 196610);
	char p1[16], p2[16], body[200], path[80], q[800], v[64];
	free_port("Science Park DC", 10000, 0, p1, sizeof(p1));
	free_port("Science Park DC", 10000, 1, p2, sizeof(p2));
	snprintf(body, sizeof(body), "{\"ports\": [\"%s\", \"%s\"]}", p1, p2);
	assignment_path(&a, path, sizeof(path));
	json_decref(call("POST", path, operator_token, body, 200));

	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM status_entries WHERE object_type = 'network_service_config'"
		 " AND object_id = %s AND tag = 'quarantine.passed'",
		 a.nsc);
	assert_true(itest_wait_for(q, "1", 20000));
	snprintf(q, sizeof(q), "SELECT step FROM applications WHERE id = %s", a.app);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "quarantine"); /* passed, not ready: no production yet */
	snprintf(path, sizeof(path), "/network-service-configs/%s", a.nsc);
	json_decref(call("PATCH", path, a.token, "{\"consumer_side_ready\": true}", 202));
	snprintf(q, sizeof(q), "SELECT state FROM network_service_configs WHERE id = %s", a.nsc);
	assert_true(itest_wait_for(q, "production", 15000));

	snprintf(q, sizeof(q),
		 "SELECT a.step = 'production' AND a.production_at IS NOT NULL"
		 "   AND k.current_billing_start_date = current_date"
		 "   AND c.current_billing_start_date = current_date"
		 "   AND (SELECT bool_and(r.current_billing_start_date = current_date) FROM port_reservations r"
		 "         WHERE r.connection = k.id)"
		 "   AND NOT EXISTS (SELECT 1 FROM status_entries s WHERE s.object_type = 'account'"
		 "                    AND s.object_id = a.account AND s.tag LIKE 'onboarding.%%')"
		 "  FROM applications a JOIN connections k ON k.id = a.connection"
		 "  JOIN network_service_configs c ON c.connection = k.id"
		 " WHERE a.id = %s AND c.id = %s",
		 a.app, a.nsc);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "t");
	/* as IX-API clients read it */
	snprintf(path, sizeof(path), "/connections/%s", a.conn);
	json_t *j = call("GET", path, a.token, NULL, 200);
	char today[16];
	sql("SELECT to_char(current_date, 'YYYY-MM-DD')", today, sizeof(today));
	assert_string_equal(str(j, "current_billing_start_date"), today);
	assert_string_equal(str(j, "state"), "production"); /* live: the connection too */
	json_decref(j);
	snprintf(q, sizeof(q), "SELECT bool_and(state = 'production') FROM port_reservations WHERE connection = %s",
		 a.conn);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "t");
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM events WHERE object_type = 'application' AND object_id = '%s'"
		 "   AND new_value->>'step' = 'production'",
		 a.app);
	assert_int_equal(count(q), 1);

	/* day 30 comes: billing already started, nothing changes */
	snprintf(q, sizeof(q),
		 "UPDATE jobs SET run_after = now() WHERE kind = 'onboarding.billing_start'"
		 "   AND payload->>'application' = '%s' RETURNING id",
		 a.app);
	char job[16];
	sql(q, job, sizeof(job));
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	assert_true(itest_wait_for(q, "done", 15000));
	snprintf(q, sizeof(q), "SELECT current_billing_start_date = current_date FROM connections WHERE id = %s",
		 a.conn);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "t");
	free(a.token);
}

/* Day 30 without production: the job sets the billing start to the
 * assignment date + 30 days (here: ports assigned 31 days ago), on the
 * connection and its reservations; run again, it changes nothing. */
static void test_day_30_starts_billing(void **state)
{
	(void)state;
	struct applicant a;
	new_applicant(&a, "Tim Tardy", "Science Park DC", NULL, 0);
	char path[80], q[800], v[64], job[16];
	assignment_path(&a, path, sizeof(path));
	json_decref(call("POST", path, operator_token, "{}", 200));
	snprintf(q, sizeof(q), "UPDATE applications SET ports_assigned_at = now() - interval '31 days' WHERE id = %s",
		 a.app);
	sql(q, NULL, 0);
	snprintf(q, sizeof(q), "SELECT current_billing_start_date IS NULL FROM connections WHERE id = %s", a.conn);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "t");
	snprintf(q, sizeof(q),
		 "UPDATE jobs SET run_after = now() WHERE kind = 'onboarding.billing_start'"
		 "   AND payload->>'application' = '%s' RETURNING id",
		 a.app);
	sql(q, job, sizeof(job));
	assert_true(job[0]);
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	assert_true(itest_wait_for(q, "done", 15000));
	char want[16];
	sql("SELECT to_char(current_date - 1, 'YYYY-MM-DD')", want, sizeof(want));
	snprintf(q, sizeof(q),
		 "SELECT to_char(k.current_billing_start_date, 'YYYY-MM-DD') FROM connections k WHERE k.id = %s"
		 "   AND (SELECT bool_and(r.current_billing_start_date = k.current_billing_start_date)"
		 "          FROM port_reservations r WHERE r.connection = k.id)",
		 a.conn);
	sql(q, v, sizeof(v));
	assert_string_equal(v, want);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM events WHERE object_type = 'connection' AND object_id = '%s'"
		 "   AND request_id = 'job:%s' AND new_value->>'current_billing_start_date' = '%s'",
		 a.conn, job, want);
	assert_int_equal(count(q), 1);
	snprintf(path, sizeof(path), "/connections/%s", a.conn);
	json_t *j = call("GET", path, a.token, NULL, 200);
	assert_string_equal(str(j, "current_billing_start_date"), want);
	json_decref(j);

	/* idempotent: run again (a later assignment date would move nothing) */
	snprintf(q, sizeof(q), "UPDATE applications SET ports_assigned_at = now() WHERE id = %s", a.app);
	sql(q, NULL, 0);
	snprintf(q, sizeof(q), "UPDATE jobs SET state = 'pending', run_after = now(), finished_at = NULL WHERE id = %s",
		 job);
	sql(q, NULL, 0);
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	assert_true(itest_wait_for(q, "done", 15000));
	snprintf(q, sizeof(q),
		 "SELECT to_char(current_billing_start_date, 'YYYY-MM-DD') FROM connections WHERE id = %s", a.conn);
	sql(q, v, sizeof(v));
	assert_string_equal(v, want);
	free(a.token);
}

/* IXAPI_PORT_ASSIGNMENT=operator (the server restarted with it): the
 * `onboarding.assign` job does nothing and the application waits in
 * port_assignment for an operator; a rejected application gets no ports;
 * the operator's {} applies the auto-assign policy. */
static void test_operator_policy_waits(void **state)
{
	(void)state;
	itest_stop_server(&server);
	setenv("IXAPI_PORT_ASSIGNMENT", "operator", 1);
	int started = itest_start_server(&server);
	unsetenv("IXAPI_PORT_ASSIGNMENT");
	assert_int_equal(started, 0);
	struct applicant a;
	new_applicant(&a, "Olga Operator", "Science Park DC", NULL, 0);
	char q[600], job[16], before[2048], after[2048];
	fingerprint(&a, before, sizeof(before));
	snprintf(
		q, sizeof(q),
		"INSERT INTO jobs (kind, payload) VALUES ('onboarding.assign', jsonb_build_object('application', '%s'))"
		" RETURNING id",
		a.app);
	sql(q, job, sizeof(job));
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	assert_true(itest_wait_for(q, "done", 15000));
	fingerprint(&a, after, sizeof(after));
	/* the job itself is the only new thing */
	snprintf(q, sizeof(q), "SELECT count(*) FROM jobs WHERE payload->>'application' = '%s'", a.app);
	assert_int_equal(count(q), 1);
	assert_non_null(strstr(before, "port_assignment-"));
	assert_non_null(strstr(after, "port_assignment-"));
	assert_non_null(strstr(after, "onboarding.port_assignment"));

	snprintf(q, sizeof(q), "UPDATE applications SET step = 'rejected' WHERE id = %s", a.app);
	sql(q, NULL, 0);
	expect_refused(&a, operator_token, "{}", 409, NULL, "rejected");
	snprintf(q, sizeof(q), "UPDATE applications SET step = 'port_assignment' WHERE id = %s", a.app);
	sql(q, NULL, 0);
	char path[80];
	assignment_path(&a, path, sizeof(path));
	json_t *j = call("POST", path, operator_token, NULL, 200);
	assert_string_equal(str(j, "step"), "quarantine");
	assert_int_equal(json_array_size(json_object_get(j, "port_reservations")), 2);
	json_decref(j);
	free(a.token);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_operator_names_ports),
		cmocka_unit_test(test_concurrent_auto_assignments),
		cmocka_unit_test(test_auto_skips_locked_ports),
		cmocka_unit_test(test_assign_job_waits_for_free_ports),
		cmocka_unit_test(test_production_starts_billing),
		cmocka_unit_test(test_day_30_starts_billing),
		cmocka_unit_test(test_operator_policy_waits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
