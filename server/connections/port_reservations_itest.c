/*
 * Integration tests of port reservations: a member adds one to a
 * connection (with every refusal), members and operators update it, an
 * operator allocates inventory ports (and the database follows), the
 * decommissioning with each body form and the cancellation policy, and
 * the per-reservation LOA.
 */
#include "harness.h"
#include "fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;
static char *operator_token, *member_token;
static char offering[16], impl_ra[16], noc_ra[16];

static void id_of(json_t *j, char *out)
{
	assert_non_null(j);
	snprintf(out, 16, "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
}

/* A request that must fail with `status` and a problem of `type_suffix`
 * whose body names `property`. */
static void refused(const char *method, const char *path, const char *token, const char *body, long status,
		    const char *type_suffix, const char *property)
{
	struct http_result r;
	assert_int_equal(http_call(&srv, method, path, token, body, NULL, &r), 0);
	if (r.status != status || !strstr(r.body, property))
		fprintf(stderr, "%s %s %s: %ld %s\n", method, path, body ? body : "", r.status, r.body);
	assert_true(itest_is_problem(&r, status, type_suffix));
	assert_non_null(strstr(r.body, property));
	http_result_free(&r);
}

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &operator_token, &member_token) != 0)
		return -1;
	char body[256], role[16], contact[16];
	json_t *j = call("GET", "/product-offerings?name=AMS-SP-10G", member_token, NULL, 200);
	snprintf(offering, sizeof(offering), "%s", json_string_value(json_object_get(json_array_get(j, 0), "id")));
	json_decref(j);
	id_of(call("POST", "/contacts", member_token,
		   "{\"name\": \"Ops\", \"email\": \"ops@member.example\", \"telephone\": \"+31201234567\"}", 201),
	      contact);
	const char *names[] = {"implementation", "noc"};
	char *targets[] = {impl_ra, noc_ra};
	for (int i = 0; i < 2; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/roles?name=%s", names[i]);
		j = call("GET", path, member_token, NULL, 200);
		snprintf(role, sizeof(role), "%s", json_string_value(json_object_get(json_array_get(j, 0), "id")));
		json_decref(j);
		snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", role, contact);
		id_of(call("POST", "/role-assignments", member_token, body, 201), targets[i]);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

/* The member orders a connection of `quantity` ports in `mode`. */
static void order(const char *mode, int quantity, char *id_out)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"mode\": \"%s\", \"product_offering\": \"%s\", \"port_quantity\": %d,"
		 " \"role_assignments\": [\"%s\", \"%s\"], \"subscriber_side_demarcs\": [\"MMR1.PP4.1\"]}",
		 mode, offering, quantity, impl_ra, noc_ra);
	id_of(call("POST", "/connections", member_token, body, 201), id_out);
}

static void reserve(const char *connection, const char *demarc, char *id_out)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"connection\": \"%s\", \"subscriber_side_demarc\": \"%s\"}", connection,
		 demarc);
	id_of(call("POST", "/port-reservations", member_token, body, 201), id_out);
}

static long long port_quantity(const char *connection)
{
	char query[128], value[16];
	snprintf(query, sizeof(query), "SELECT port_quantity FROM connections WHERE id = %s", connection);
	sql(query, value, sizeof(value));
	return atoll(value);
}

static void test_create_and_read(void **state)
{
	(void)state;
	char connection[16], body[512], path[96], query[256], value[64];
	order("lag_lacp", 1, connection);
	snprintf(body, sizeof(body),
		 "{\"connection\": \"%s\", \"subscriber_side_demarc\": \"MMR1.PP4.2\", \"external_ref\": \"pr-1\","
		 " \"purchase_order\": \"PO-9\", \"contract_ref\": null, \"connecting_party\": \"Carrier B.V.\","
		 " \"port\": \"1\", \"state\": \"production\"}",
		 connection);
	json_t *j = call("POST", "/port-reservations", member_token, body, 201);
	assert_string_equal(json_string_value(json_object_get(j, "connection")), connection);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "requested");
	assert_true(json_is_null(json_object_get(j, "port"))); /* until allocated, whatever the order said */
	assert_true(json_is_null(json_object_get(j, "exchange_side_demarc")));
	assert_string_equal(json_string_value(json_object_get(j, "subscriber_side_demarc")), "MMR1.PP4.2");
	assert_string_equal(json_string_value(json_object_get(j, "external_ref")), "pr-1");
	assert_string_equal(json_string_value(json_object_get(j, "purchase_order")), "PO-9");
	char id[16];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	snprintf(path, sizeof(path), "/port-reservations/%s", id);
	json_decref(call("GET", path, member_token, NULL, 200));
	/* The connection grew by one port and knows the new demarc. */
	snprintf(path, sizeof(path), "/connections/%s", connection);
	j = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "port_quantity")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "port_reservations")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "subscriber_side_demarcs")), 2);
	json_decref(j);
	/* The outbox and the audit trail, in the same transaction. */
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM jobs WHERE kind = 'port_reservation.requested'"
		 "   AND payload->>'port_reservation' = '%s' AND payload->>'connection' = '%s'",
		 id, connection);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "1");
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM events WHERE object_type = 'port_reservation' AND object_id = '%s'", id);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "1");
	/* The list filter by connection. */
	snprintf(path, sizeof(path), "/port-reservations?connection=%s&external_ref=pr-1", connection);
	j = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
}

static void test_create_refusals(void **state)
{
	(void)state;
	char connection[16], standalone[16], foreign[16], leaving[16], body[512], query[512];
	order("lag_static", 1, connection);
	order("standalone", 1, standalone);
	order("lag_lacp", 1, leaving);
	/* Another tenant's connection (the exchange's own account). */
	snprintf(query, sizeof(query),
		 "INSERT INTO connections (managing_account, consuming_account, billing_account, mode,"
		 " product_offering, port_quantity) VALUES (%s, %s, %s, 'lag_lacp', %s, 1) RETURNING id",
		 srv.operator_creds.account, srv.operator_creds.account, srv.operator_creds.account, offering);
	sql(query, foreign, sizeof(foreign));

	refused("POST", "/port-reservations", member_token, "{\"subscriber_side_demarc\": \"X\"}", 400,
		"validation-error.html", "connection");
	refused("POST", "/port-reservations", member_token, "{\"connection\": 7, \"external_ref\": []}", 400,
		"validation-error.html", "external_ref");
	snprintf(body, sizeof(body), "{\"connection\": \"%s\", \"subscriber_side_demarc\": \"X\"}", foreign);
	refused("POST", "/port-reservations", member_token, body, 404, "not-found.html", foreign);
	refused("POST", "/port-reservations", member_token,
		"{\"connection\": \"999999\", \"subscriber_side_demarc\": \"X\"}", 404, "not-found.html", "999999");
	snprintf(body, sizeof(body), "{\"connection\": \"%s\", \"subscriber_side_demarc\": \"X\"}", standalone);
	refused("POST", "/port-reservations", member_token, body, 400, "validation-error.html", "connection");
	/* The exchange patches: the new port needs a demarc. */
	snprintf(body, sizeof(body), "{\"connection\": \"%s\"}", connection);
	refused("POST", "/port-reservations", member_token, body, 400, "validation-error.html",
		"subscriber_side_demarc");
	/* The offering's maximum (8 ports). */
	snprintf(query, sizeof(query), "UPDATE connections SET port_quantity = 8 WHERE id = %s RETURNING id",
		 connection);
	sql(query, body, sizeof(body));
	snprintf(body, sizeof(body), "{\"connection\": \"%s\", \"subscriber_side_demarc\": \"X\"}", connection);
	refused("POST", "/port-reservations", member_token, body, 400, "validation-error.html", "connection");
	/* A connection on its way out takes no new ports. */
	char path[64];
	snprintf(path, sizeof(path), "/connections/%s", leaving);
	json_decref(call("DELETE", path, member_token, NULL, 202));
	snprintf(body, sizeof(body), "{\"connection\": \"%s\", \"subscriber_side_demarc\": \"X\"}", leaving);
	refused("POST", "/port-reservations", member_token, body, 400, "validation-error.html", "connection");
	/* None of it was written. */
	snprintf(query, sizeof(query), "SELECT count(*) FROM port_reservations WHERE connection IN (%s, %s, %s, %s)",
		 connection, standalone, foreign, leaving);
	char value[16];
	sql(query, value, sizeof(value));
	assert_string_equal(value, "3"); /* the ones the orders made */
	assert_int_equal(port_quantity(standalone), 1);
	assert_int_equal(port_quantity(foreign), 1);
}

static void test_update_member_and_operator(void **state)
{
	(void)state;
	char connection[16], id[16], path[64];
	order("lag_lacp", 1, connection);
	reserve(connection, "MMR2.PP1.1", id);
	snprintf(path, sizeof(path), "/port-reservations/%s", id);
	json_t *j = call(
		"PATCH", path, member_token,
		"{\"external_ref\": \"crm-7\", \"connecting_party\": null, \"subscriber_side_demarc\": \"MMR2.PP1.2\"}",
		202);
	assert_string_equal(json_string_value(json_object_get(j, "external_ref")), "crm-7");
	assert_string_equal(json_string_value(json_object_get(j, "subscriber_side_demarc")), "MMR2.PP1.2");
	assert_string_equal(json_string_value(json_object_get(j, "state")), "requested");
	json_decref(j);
	/* PUT is the deprecated alias: nothing is required. */
	j = call("PUT", path, member_token, "{\"contract_ref\": \"C-1\"}", 202);
	assert_string_equal(json_string_value(json_object_get(j, "contract_ref")), "C-1");
	assert_string_equal(json_string_value(json_object_get(j, "external_ref")), "crm-7");
	json_decref(j);
	/* What the members may not set. */
	refused("PATCH", path, member_token, "{\"state\": \"production\"}", 403, "permission-denied.html", "state");
	refused("PATCH", path, member_token, "{\"port\": \"1\"}", 403, "permission-denied.html", "port");
	refused("PATCH", path, member_token, "{\"exchange_side_demarc\": \"X\"}", 403, "permission-denied.html",
		"exchange_side_demarc");
	refused("PATCH", path, member_token, "{\"state\": \"sleeping\"}", 400, "validation-error.html", "state");
	refused("PATCH", "/port-reservations/999999", member_token, "{}", 404, "not-found.html", "999999");
	/* A reservation stays on its connection (naming the one it has is no
	 * change). */
	char same[160];
	snprintf(same, sizeof(same), "{\"connection\": \"%s\"}", connection);
	json_decref(call("PATCH", path, member_token, same, 202));
	refused("PATCH", path, member_token, "{\"connection\": \"999999\"}", 400, "validation-error.html",
		"connection");
	/* 2.7.1 lists cross_connect_id among what the member sets ("An optional
	 * identifier of a cross connect"), whoever patches; the Terraform
	 * provider sends it on create and update. */
	j = call("PATCH", path, member_token, "{\"cross_connect_id\": \"XC-1\"}", 202);
	assert_string_equal(json_string_value(json_object_get(j, "cross_connect_id")), "XC-1");
	json_decref(j);
	char body[256], other[16];
	snprintf(body, sizeof(body),
		 "{\"connection\": \"%s\", \"subscriber_side_demarc\": \"MMR2.PP1.3\", \"cross_connect_id\": \"XC-2\"}",
		 connection);
	j = call("POST", "/port-reservations", member_token, body, 201);
	assert_string_equal(json_string_value(json_object_get(j, "cross_connect_id")), "XC-2");
	id_of(j, other);
	snprintf(body, sizeof(body), "/port-reservations/%s", other);
	j = call("GET", body, member_token, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j, "cross_connect_id")), "XC-2");
	json_decref(j);
	/* The operator moves the state. */
	j = call("PATCH", path, operator_token, "{\"state\": \"testing\"}", 202);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "testing");
	json_decref(j);
}

static void free_port(const char *pop, int speed, char *out)
{
	char query[320];
	snprintf(query, sizeof(query),
		 "SELECT min(p.id) FROM ports p JOIN devices d ON d.id = p.device JOIN pops pp ON pp.id = d.pop"
		 " WHERE pp.name = '%s' AND p.speed = %d AND p.connection IS NULL",
		 pop, speed);
	sql(query, out, 16);
}

static void test_allocate_port(void **state)
{
	(void)state;
	char connection[16], id[16], other[16], path[64], body[256], query[320], value[64], port[16];
	order("lag_lacp", 1, connection);
	reserve(connection, "MMR3.PP1.1", id);
	reserve(connection, "MMR3.PP1.2", other);
	free_port("AMS-SP", 10000, port);
	snprintf(path, sizeof(path), "/port-reservations/%s", id);
	snprintf(body, sizeof(body),
		 "{\"port\": \"%s\", \"exchange_side_demarc\": \"AMS-SP MMR PP7:12\", \"cross_connect_id\": \"XC-1\"}",
		 port);
	json_t *j = call("PATCH", path, operator_token, body, 202);
	assert_string_equal(json_string_value(json_object_get(j, "port")), port);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "allocated");
	assert_string_equal(json_string_value(json_object_get(j, "exchange_side_demarc")), "AMS-SP MMR PP7:12");
	assert_string_equal(json_string_value(json_object_get(j, "cross_connect_id")), "XC-1");
	json_decref(j);
	/* The port now serves the connection and belongs to its accounts. */
	snprintf(query, sizeof(query),
		 "SELECT connection || '/' || managing_account || '/' || consuming_account || '/' || billing_account"
		 "  FROM ports WHERE id = %s",
		 port);
	sql(query, value, sizeof(value));
	char expected[96];
	snprintf(expected, sizeof(expected), "%s/%s/%s/%s", connection, srv.member_creds.account,
		 srv.member_creds.account, srv.member_creds.account);
	assert_string_equal(value, expected);
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM jobs WHERE kind = 'port_reservation.allocated' AND payload->>'port' = '%s'"
		 "   AND payload->>'connection' = '%s'",
		 port, connection);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "1");
	char port_path[64];
	snprintf(port_path, sizeof(port_path), "/ports/%s", port);
	json_decref(call("GET", port_path, member_token, NULL, 200)); /* the member sees its port */
	/* Once patched, the member no longer moves the demarc. */
	refused("PATCH", path, member_token, "{\"subscriber_side_demarc\": \"elsewhere\"}", 400,
		"validation-error.html", "subscriber_side_demarc");

	/* Refusals: taken, wrong speed, wrong PoP, no such port. */
	snprintf(path, sizeof(path), "/port-reservations/%s", other);
	snprintf(body, sizeof(body), "{\"port\": \"%s\"}", port);
	refused("PATCH", path, operator_token, body, 400, "validation-error.html", "port");
	char wrong[16];
	free_port("AMS-SP", 100000, wrong);
	snprintf(body, sizeof(body), "{\"port\": \"%s\"}", wrong);
	refused("PATCH", path, operator_token, body, 400, "validation-error.html", "port");
	free_port("AMS-HB", 10000, wrong);
	snprintf(body, sizeof(body), "{\"port\": \"%s\"}", wrong);
	refused("PATCH", path, operator_token, body, 400, "validation-error.html", "port");
	refused("PATCH", path, operator_token, "{\"port\": \"999999\"}", 400, "validation-error.html", "port");
	refused("PATCH", path, operator_token, "{\"port\": \"eth0\"}", 400, "validation-error.html", "port");
	snprintf(query, sizeof(query), "SELECT count(*) FROM ports WHERE connection = %s", connection);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "1");

	/* Releasing: the port goes back to the exchange. */
	snprintf(path, sizeof(path), "/port-reservations/%s", id);
	j = call("PATCH", path, operator_token, "{\"port\": null}", 202);
	assert_true(json_is_null(json_object_get(j, "port")));
	json_decref(j);
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM ports WHERE id = %s AND connection IS NULL"
		 " AND managing_account = %s",
		 port, srv.operator_creds.account);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "1");
	json_decref(call("GET", port_path, member_token, NULL, 404));
}

static void test_decommission_and_policy(void **state)
{
	(void)state;
	char connection[16], ids[5][16], path[160], expected[16], charged[16], body[128];
	order("lag_lacp", 5, connection);
	snprintf(path, sizeof(path), "/port-reservations?connection=%s", connection);
	json_t *j = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 5);
	for (size_t i = 0; i < 5; i++)
		snprintf(ids[i], 16, "%s", json_string_value(json_object_get(json_array_get(j, i), "id")));
	json_decref(j);

	/* The policy of the connection's offering: a year, one month notice. */
	sql("SELECT to_char(current_date + interval 'P1M', 'YYYY-MM-DD')", expected, sizeof(expected));
	sql("SELECT to_char(current_date + interval 'P1Y', 'YYYY-MM-DD')", charged, sizeof(charged));
	snprintf(path, sizeof(path), "/port-reservations/%s/cancellation-policy", ids[0]);
	j = call("GET", path, member_token, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j, "decommission_at")), expected);
	assert_string_equal(json_string_value(json_object_get(j, "charged_until")), charged);
	json_decref(j);
	snprintf(path, sizeof(path), "/port-reservations/%s/cancellation-policy?decommission_at=2000-01-01", ids[0]);
	j = call("GET", path, member_token, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j, "decommission_at")), expected);
	json_decref(j);
	snprintf(path, sizeof(path), "/port-reservations/%s/cancellation-policy?decommission_at=tomorrow", ids[0]);
	refused("GET", path, member_token, NULL, 400, "validation-error.html", "decommission_at");
	json_decref(call("GET", "/port-reservations/999999/cancellation-policy", member_token, NULL, 404));

	/* Too early for the notice period; a malformed date. */
	snprintf(path, sizeof(path), "/port-reservations/%s", ids[0]);
	refused("DELETE", path, member_token, "{\"decommission_at\": \"2000-01-01\"}", 400,
		"cancellation-policy-error.html", expected);
	refused("DELETE", path, member_token, "{\"decommission_at\": \"01/01/2000\"}", 400, "validation-error.html",
		"decommission_at");
	/* Each body form: none, null, {}, a date the policy allows. */
	snprintf(body, sizeof(body), "{\"decommission_at\": \"%s\"}", expected);
	const char *bodies[] = {NULL, "null", "{}", body};
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/port-reservations/%s", ids[i]);
		j = call("DELETE", path, member_token, bodies[i], 202);
		assert_string_equal(json_string_value(json_object_get(j, "state")), "decommission_requested");
		assert_string_equal(json_string_value(json_object_get(j, "decommission_at")), expected);
		assert_string_equal(json_string_value(json_object_get(j, "charged_until")), charged);
		json_decref(j);
		assert_int_equal(port_quantity(connection), (long long)(4 - i));
	}
	/* Twice: unable to fulfill. The last live port: decommission the connection. */
	snprintf(path, sizeof(path), "/port-reservations/%s", ids[0]);
	refused("DELETE", path, member_token, "{}", 400, "unable-to-fulfill.html", "already");
	snprintf(path, sizeof(path), "/port-reservations/%s", ids[4]);
	refused("DELETE", path, member_token, NULL, 400, "unable-to-fulfill.html", "decommission the connection");
	char query[256], value[16];
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM jobs WHERE kind = 'port_reservation.decommission'"
		 "   AND payload->>'connection' = '%s' AND run_after::date = '%s'",
		 connection, expected);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "4");
	/* The connection's own DELETE takes the last one with it; the ones
	 * already leaving keep their own dates. */
	snprintf(query, sizeof(query),
		 "UPDATE port_reservations SET charged_until = '2099-01-01' WHERE id = %s RETURNING id", ids[0]);
	sql(query, value, sizeof(value));
	snprintf(path, sizeof(path), "/connections/%s", connection);
	json_decref(call("DELETE", path, member_token, NULL, 202));
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM port_reservations WHERE connection = %s AND state = 'decommission_requested'",
		 connection);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "5");
	snprintf(query, sizeof(query),
		 "SELECT to_char(charged_until, 'YYYY-MM-DD') FROM port_reservations WHERE id = %s", ids[0]);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "2099-01-01");
}

static void test_loa(void **state)
{
	(void)state;
	char connection[16], id[16], path[96];
	order("lag_lacp", 1, connection);
	reserve(connection, "MMR4.PP2.3", id);
	snprintf(path, sizeof(path), "/port-reservations/%s/loa", id);
	struct http_result r;
	itest_expect_exchange_loa(path, member_token);
	const char *pdf_type[] = {"Content-Type: application/pdf", NULL};
	const char *doc = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
	assert_int_equal(http_call(&srv, "POST", path, member_token, "not a pdf", pdf_type, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "POST", path, member_token, doc, pdf_type, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "port_reservation")), id);
	assert_int_equal(json_integer_value(json_object_get(r.j, "size")), (json_int_t)strlen(doc));
	http_result_free(&r);
	itest_expect_document(path, member_token, doc);
	/* The upload is this reservation's: the connection's LOA is still the exchange's. */
	snprintf(path, sizeof(path), "/connections/%s/loa", connection);
	assert_int_equal(http_call(&srv, "GET", path, member_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.body_len != strlen(doc));
	http_result_free(&r);
	json_decref(call("GET", "/port-reservations/999999/loa", member_token, NULL, 404));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_read),
		cmocka_unit_test(test_create_refusals),
		cmocka_unit_test(test_update_member_and_operator),
		cmocka_unit_test(test_allocate_port),
		cmocka_unit_test(test_decommission_and_policy),
		cmocka_unit_test(test_loa),
	};
	return cmocka_run_group_tests_name("port reservations (integration)", tests, setup, teardown);
}
