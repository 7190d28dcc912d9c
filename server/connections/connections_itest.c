/*
 * Integration tests of connections, port reservations, ports and the
 * cancellation policy: ordering (with every refusal), the reservations it
 * creates, the outbox job, decommissioning on the policy's dates, and what
 * a live connection protects (its role assignments, its accounts).
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
static char offering[16], big_offering[16], impl_ra[16], noc_ra[16];

static void first_id(json_t *j_list, char *out)
{
	assert_true(json_array_size(j_list) > 0);
	snprintf(out, 16, "%s", json_string_value(json_object_get(json_array_get(j_list, 0), "id")));
	json_decref(j_list);
}

/* The member's contacts and role assignments the offerings require. */
static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &operator_token, &member_token) != 0)
		return -1;
	char body[256], role[16], contact[16];
	first_id(call("GET", "/product-offerings?name=AMS-SP-10G", member_token, NULL, 200), offering);
	first_id(call("GET", "/product-offerings?name=AMS-SP-100G", member_token, NULL, 200), big_offering);
	json_t *j =
		call("POST", "/contacts", member_token,
		     "{\"name\": \"Ops\", \"email\": \"ops@member.example\", \"telephone\": \"+31201234567\"}", 201);
	snprintf(contact, sizeof(contact), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	const char *names[] = {"implementation", "noc"};
	char *targets[] = {impl_ra, noc_ra};
	for (int i = 0; i < 2; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/roles?name=%s", names[i]);
		first_id(call("GET", path, member_token, NULL, 200), role);
		snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", role, contact);
		j = call("POST", "/role-assignments", member_token, body, 201);
		snprintf(targets[i], 16, "%s", json_string_value(json_object_get(j, "id")));
		json_decref(j);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

static void order_body(char *out, size_t len, const char *offer, const char *extra)
{
	snprintf(
		out, len,
		"{\"mode\": \"lag_lacp\", \"lacp_timeout\": \"fast\", \"product_offering\": \"%s\", \"port_quantity\": 2,"
		" \"role_assignments\": [\"%s\", \"%s\"], \"subscriber_side_demarcs\": [\"MMR1.PP4.1\"]%s}",
		offer, impl_ra, noc_ra, extra);
}

static void test_order_and_reservations(void **state)
{
	(void)state;
	char body[512], path[96], value[64];
	order_body(body, sizeof(body), offering, ", \"external_ref\": \"order-1\", \"purchase_order\": \"PO-7\"");
	json_t *j = call("POST", "/connections", member_token, body, 201);
	const char *id = json_string_value(json_object_get(j, "id"));
	char name[32];
	snprintf(name, sizeof(name), "IXC-%s", id);
	assert_string_equal(json_string_value(json_object_get(j, "name")), name);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "requested");
	assert_string_equal(json_string_value(json_object_get(j, "billing_account")), srv.member_creds.account);
	assert_int_equal(json_integer_value(json_object_get(j, "speed")), 10000);
	assert_int_equal(json_integer_value(json_object_get(j, "port_quantity")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "port_reservations")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "ports")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "role_assignments")), 2);
	assert_true(json_is_null(json_object_get(j, "decommission_at")));

	/* The reservations: port null until allocated; the demarc given for the first. */
	snprintf(path, sizeof(path), "/port-reservations?connection=%s", id);
	json_t *j_res = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_array_size(j_res), 2);
	json_t *j_first = json_array_get(j_res, 0);
	assert_true(json_is_null(json_object_get(j_first, "port")));
	assert_true(json_is_null(json_object_get(j_first, "exchange_side_demarc")));
	assert_string_equal(json_string_value(json_object_get(j_first, "subscriber_side_demarc")), "MMR1.PP4.1");
	assert_string_equal(json_string_value(json_object_get(j_first, "connection")), id);
	json_decref(j_res);

	/* The provisioning side hears of it through the outbox, same transaction. */
	char query[160];
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM jobs WHERE kind = 'connection.requested' AND payload->>'connection' = '%s'", id);
	sql(query, value, sizeof(value));
	assert_string_equal(value, "1");

	/* A role assignment a connection relies on cannot go; nor the account. */
	snprintf(path, sizeof(path), "/role-assignments/%s", noc_ra);
	json_decref(call("DELETE", path, member_token, NULL, 409));
	snprintf(path, sizeof(path), "/accounts/%s", srv.member_creds.account);
	struct http_result r;
	assert_int_equal(http_call(&srv, "DELETE", path, operator_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "unable-to-fulfill.html"));
	http_result_free(&r);
	json_decref(j);
}

/* The item of a list with the given id, or NULL (borrowed from j_list). */
static json_t *item_with_id(json_t *j_list, const char *id)
{
	size_t i;
	json_t *j_item;
	json_array_foreach (j_list, i, j_item) {
		if (strcmp(json_string_value(json_object_get(j_item, "id")), id) == 0)
			return j_item;
	}
	return NULL;
}

/* GET /connections: the caller's connections, filtered as asked. */
static void test_list(void **state)
{
	(void)state;
	char body[512], path[96], id[16];
	order_body(body, sizeof(body), offering, ", \"external_ref\": \"list-me\"");
	json_t *j = call("POST", "/connections", member_token, body, 201);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);

	const char *tokens[] = {member_token, operator_token};
	for (size_t t = 0; t < 2; t++) {
		j = call("GET", "/connections", tokens[t], NULL, 200);
		assert_true(json_is_array(j));
		json_t *j_conn = item_with_id(j, id);
		assert_non_null(j_conn);
		assert_string_equal(json_string_value(json_object_get(j_conn, "state")), "requested");
		assert_string_equal(json_string_value(json_object_get(j_conn, "mode")), "lag_lacp");
		assert_string_equal(json_string_value(json_object_get(j_conn, "external_ref")), "list-me");
		assert_string_equal(json_string_value(json_object_get(j_conn, "managing_account")),
				    srv.member_creds.account);
		assert_int_equal(json_array_size(json_object_get(j_conn, "port_reservations")), 2);
		json_decref(j);
	}
	/* Filters select: the one ordered here, none in another state. */
	j = call("GET", "/connections?external_ref=list-me", member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	assert_non_null(item_with_id(j, id));
	json_decref(j);
	snprintf(path, sizeof(path), "/connections?id=%s&state=production", id);
	j = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	json_decref(call("GET", "/connections?mode=bogus", member_token, NULL, 400));
}

static void test_order_refusals(void **state)
{
	(void)state;
	char body[512];
	const char *bad[] = {
		/* no role assignments: the offering needs implementation and noc */
		"{\"mode\": \"standalone\", \"product_offering\": \"@OFFER@\", \"port_quantity\": 1,"
		" \"subscriber_side_demarcs\": [\"X\"]}",
		/* standalone means one port */
		"{\"mode\": \"standalone\", \"product_offering\": \"@OFFER@\", \"port_quantity\": 2}",
		/* lacp timeout on a static LAG */
		"{\"mode\": \"lag_static\", \"lacp_timeout\": \"fast\", \"product_offering\": \"@OFFER@\", \"port_quantity\": 1}",
		/* more ports than the offering allows (8) */
		"{\"mode\": \"lag_lacp\", \"product_offering\": \"@OFFER@\", \"port_quantity\": 9,"
		" \"subscriber_side_demarcs\": [\"X\"], \"role_assignments\": [\"@IMPL@\", \"@NOC@\"]}",
		/* the exchange patches: demarcs are needed */
		"{\"mode\": \"lag_lacp\", \"product_offering\": \"@OFFER@\", \"port_quantity\": 1,"
		" \"role_assignments\": [\"@IMPL@\", \"@NOC@\"]}",
		/* not a connection offering / unknown */
		"{\"mode\": \"lag_lacp\", \"product_offering\": \"999\", \"port_quantity\": 1}",
		/* malformed */
		"{\"mode\": \"ring\", \"product_offering\": 7, \"port_quantity\": 0}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* fill the placeholders */
		size_t n = 0;
		for (const char *p = bad[i]; *p && n + 20 < sizeof(body);) {
			const char *with = NULL;
			size_t skip = 0;
			if (strncmp(p, "@OFFER@", 7) == 0)
				with = offering, skip = 7;
			else if (strncmp(p, "@IMPL@", 6) == 0)
				with = impl_ra, skip = 6;
			else if (strncmp(p, "@NOC@", 5) == 0)
				with = noc_ra, skip = 5;
			if (with) {
				n += (size_t)snprintf(body + n, sizeof(body) - n, "%s", with);
				p += skip;
			} else
				body[n++] = *p++;
		}
		body[n] = '\0';
		json_decref(call("POST", "/connections", member_token, body, 400));
	}
	/* A billing account needs billing information. */
	json_t *j = call("POST", "/accounts", member_token,
			 "{\"name\": \"No Billing\", \"address\": {\"country\": \"NL\", \"locality\": \"A\","
			 " \"postal_code\": \"1\", \"street_address\": \"S\"}}",
			 201);
	char extra[96];
	snprintf(extra, sizeof(extra), ", \"billing_account\": \"%s\"", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	order_body(body, sizeof(body), offering, extra);
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/connections", member_token, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_non_null(strstr(r.body, "billing_account"));
	http_result_free(&r);
	/* Nothing of it was written. */
	char value[16];
	sql("SELECT count(*) FROM connections WHERE port_quantity <> 2 OR billing_account <> managing_account", value,
	    sizeof(value));
	assert_string_equal(value, "0");
}

static void test_cancellation_policy_and_decommission(void **state)
{
	(void)state;
	char body[512], path[96], expected[64], query[200];
	order_body(body, sizeof(body), big_offering, "");
	json_t *j = call("POST", "/connections", member_token, body, 201);
	char id[16];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);

	/* Offering: one year initially, one month notice, monthly renewals. */
	snprintf(path, sizeof(path), "/connections/%s/cancellation-policy", id);
	j = call("GET", path, member_token, NULL, 200);
	sql("SELECT to_char(current_date + interval 'P1M', 'YYYY-MM-DD')", expected, sizeof(expected));
	assert_string_equal(json_string_value(json_object_get(j, "decommission_at")), expected);
	sql("SELECT to_char(current_date + interval 'P1Y', 'YYYY-MM-DD')", expected, sizeof(expected));
	assert_string_equal(json_string_value(json_object_get(j, "charged_until")), expected);
	json_decref(j);
	/* Two years and a day on: inside a renewal month, charged to its end. */
	char later[16];
	sql("SELECT to_char(current_date + interval 'P2Y1D', 'YYYY-MM-DD')", later, sizeof(later));
	snprintf(path, sizeof(path), "/connections/%s/cancellation-policy?decommission_at=%s", id, later);
	j = call("GET", path, member_token, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j, "decommission_at")), later);
	snprintf(query, sizeof(query), "SELECT to_char(current_date + interval 'P2Y1M', 'YYYY-MM-DD')");
	sql(query, expected, sizeof(expected));
	assert_string_equal(json_string_value(json_object_get(j, "charged_until")), expected);
	json_decref(j);
	snprintf(path, sizeof(path), "/connections/%s/cancellation-policy?decommission_at=soon", id);
	json_decref(call("GET", path, member_token, NULL, 400));

	/* Too early for the notice period: refused with the policy's problem. */
	snprintf(path, sizeof(path), "/connections/%s", id);
	struct http_result r;
	assert_int_equal(
		http_call(&srv, "DELETE", path, member_token, "{\"decommission_at\": \"2000-01-01\"}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "cancellation-policy-error.html"));
	http_result_free(&r);
	/* `null` as the body: as early as allowed. 202 with the object. */
	j = call("DELETE", path, member_token, "null", 202);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "decommission_requested");
	sql("SELECT to_char(current_date + interval 'P1M', 'YYYY-MM-DD')", expected, sizeof(expected));
	assert_string_equal(json_string_value(json_object_get(j, "decommission_at")), expected);
	json_decref(j);
	/* Its reservations follow; a job is queued for the date. */
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM port_reservations WHERE connection = %s AND state = 'decommission_requested'",
		 id);
	sql(query, expected, sizeof(expected));
	assert_string_equal(expected, "2");
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM jobs WHERE kind = 'connection.decommission' AND payload->>'connection' = '%s'",
		 id);
	sql(query, expected, sizeof(expected));
	assert_string_equal(expected, "1");
	/* Twice: unable to fulfill. */
	assert_int_equal(http_call(&srv, "DELETE", path, member_token, "{}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "unable-to-fulfill.html"));
	http_result_free(&r);
}

static void test_update(void **state)
{
	(void)state;
	char body[512], path[64], value[16], query[160];
	order_body(body, sizeof(body), offering, "");
	json_t *j = call("POST", "/connections", member_token, body, 201);
	snprintf(path, sizeof(path), "/connections/%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	/* PATCH answers 202 with the object; only what was sent changes. */
	j = call("PATCH", path, member_token, "{\"external_ref\": \"crm-42\", \"lacp_timeout\": \"slow\"}", 202);
	assert_string_equal(json_string_value(json_object_get(j, "external_ref")), "crm-42");
	assert_string_equal(json_string_value(json_object_get(j, "lacp_timeout")), "slow");
	assert_string_equal(json_string_value(json_object_get(j, "mode")), "lag_lacp");
	/* The LACP timeout is the switch's business: queued. */
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM jobs WHERE kind = 'connection.changed' AND payload->>'connection' = '%s'",
		 json_string_value(json_object_get(j, "id")));
	json_decref(j);
	assert_int_equal(itest_sql(&srv, query, value, sizeof(value)), 0);
	assert_string_equal(value, "1");
	/* What cannot change, and who may change the state. */
	json_decref(call("PATCH", path, member_token, "{\"mode\": \"lag_static\"}", 400));
	json_decref(call("PATCH", path, member_token, "{\"port_quantity\": 3}", 400));
	/* Each fundamental is named when it would change; repeating it is no change. */
	expect_naming("PATCH", path, member_token, "{\"port_quantity\": 3}", 400, "port_quantity");
	expect_naming("PATCH", path, member_token, "{\"product_offering\": \"999999\"}", 400, "product_offering");
	expect_naming("PATCH", path, member_token, "{\"mode\": \"lag_static\"}", 400, "mode");
	json_decref(call("PATCH", path, member_token, "{\"mode\": \"lag_lacp\"}", 202));
	expect_naming("PATCH", path, member_token, "{\"state\": \"production\"}", 403, "state");
	json_decref(call("PATCH", path, member_token, "{\"role_assignments\": []}", 400));
	json_decref(call("PATCH", path, member_token, "{\"state\": \"production\"}", 403));
	j = call("PATCH", path, operator_token, "{\"state\": \"production\"}", 202);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "production");
	json_decref(j);
	/* PUT (deprecated) needs the order's fields. */
	json_decref(call("PUT", path, member_token, "{\"external_ref\": \"x\"}", 400));
}

static void test_loa(void **state)
{
	(void)state;
	char body[512], path[96];
	order_body(body, sizeof(body), offering, "");
	json_t *j = call("POST", "/connections", member_token, body, 201);
	snprintf(path, sizeof(path), "/connections/%s/loa", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	/* The exchange's LOA: a real PDF document. */
	struct http_result r;
	itest_expect_exchange_loa(path, member_token);
	/* Uploads: a PDF only, sent as one. */
	const char *pdf_type[] = {"Content-Type: application/pdf", NULL};
	const char *text_type[] = {"Content-Type: text/plain", NULL};
	const char *doc = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
	assert_int_equal(http_call(&srv, "POST", path, member_token, doc, text_type, &r), 0);
	assert_true(itest_is_problem(&r, 415, NULL));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "POST", path, member_token, "GIF89a not a pdf at all", pdf_type, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "POST", path, member_token, doc, pdf_type, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.j, "size")), (json_int_t)strlen(doc));
	http_result_free(&r);
	/* Now GET serves the member's document, byte for byte. */
	itest_expect_document(path, member_token, doc);
}

static void test_ports_are_inventory(void **state)
{
	(void)state;
	/* Unassigned ports are the exchange's: the operator sees them, a member does not. */
	json_t *j = call("GET", "/ports?speed=100000", operator_token, NULL, 200);
	assert_int_equal(json_array_size(j), 4);
	json_t *j_port = json_array_get(j, 0);
	assert_true(json_is_null(json_object_get(j_port, "connection")));
	assert_true(json_is_string(json_object_get(j_port, "pop")));
	char path[64];
	snprintf(path, sizeof(path), "/ports/%s", json_string_value(json_object_get(j_port, "id")));
	json_decref(call("GET", path, member_token, NULL, 404));
	json_decref(j);
	j = call("GET", "/ports", member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_reservations),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_order_refusals),
		cmocka_unit_test(test_cancellation_policy_and_decommission),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_loa),
		cmocka_unit_test(test_ports_are_inventory),
	};
	return cmocka_run_group_tests_name("connections (integration)", tests, setup, teardown);
}
