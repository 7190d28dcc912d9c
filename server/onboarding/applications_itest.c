/*
 * Integration tests of the applications extension (issue 12): the portal
 * key's narrow scope, submission by the portal, a reseller and an operator,
 * every refusal (nothing written), the account `requested` with its status
 * entries and the review's due time, colocation confirmation, approval (one
 * for a customer, two distinct operators for a member), rejection with its
 * reason (the ASN released), and the first API key shown once.
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
static char *operator_token, *member_token, *portal_token, *operator2_token;
static struct itest_credentials portal_creds;
static char facility[16], lonely_facility[16], offering[16], vc_offering[16];

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &operator_token, &member_token) != 0)
		return -1;
	/* the seed's portal key (credentials file, `.portal`) */
	char path[320];
	snprintf(path, sizeof(path), "%s/credentials.json", srv.workdir);
	json_t *j = json_load_file(path, 0, NULL);
	json_t *j_portal = json_object_get(j, "portal");
	if (!json_is_object(j_portal)) {
		fprintf(stderr, "no portal key in %s\n", path);
		json_decref(j);
		return -1;
	}
	snprintf(portal_creds.api_key, sizeof(portal_creds.api_key), "%s",
		 json_string_value(json_object_get(j_portal, "api_key")));
	snprintf(portal_creds.api_secret, sizeof(portal_creds.api_secret), "%s",
		 json_string_value(json_object_get(j_portal, "api_secret")));
	snprintf(portal_creds.account, sizeof(portal_creds.account), "%s",
		 json_string_value(json_object_get(j_portal, "account")));
	json_decref(j);
	if (!(portal_token = itest_login(&srv, &portal_creds, NULL)))
		return -1;
	/* a second operator: another key of the operator account */
	struct itest_credentials op2;
	if (itest_create_key(&srv, srv.operator_creds.account, true, &op2) != 0 ||
	    !(operator2_token = itest_login(&srv, &op2, NULL)))
		return -1;
	itest_sql(&srv, "SELECT id FROM facilities WHERE name = 'Science Park DC'", facility, sizeof(facility));
	itest_sql(&srv,
		  "INSERT INTO facilities (name, metro_area, address_country, address_locality, postal_code,"
		  "                        street_address, organisation_name)"
		  " SELECT 'Lonely DC', metro_area, address_country, address_locality, postal_code, street_address,"
		  "        organisation_name FROM facilities ORDER BY id LIMIT 1 RETURNING id",
		  lonely_facility, sizeof(lonely_facility));
	itest_sql(&srv,
		  "SELECT id FROM product_offerings WHERE type = 'connection' AND physical_port_speed = 10000"
		  " ORDER BY id LIMIT 1",
		  offering, sizeof(offering));
	itest_sql(&srv, "SELECT id FROM product_offerings WHERE type = 'p2p_vc' ORDER BY id LIMIT 1", vc_offering,
		  sizeof(vc_offering));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(portal_token);
	free(operator2_token);
	return itest_finish_tokens(&srv, operator_token, member_token);
}

#define CONTACTS_4                                                                                                     \
	"[{\"role\": \"contract_signer\", \"name\": \"Ann Signer\", \"email\": \"ann@example.net\"},"                  \
	" {\"role\": \"technical\", \"name\": \"Ted Tech\", \"email\": \"ted@example.net\","                           \
	"  \"telephone\": \"+31205141700\"},"                                                                          \
	" {\"role\": \"noc\", \"name\": \"NOC\", \"email\": \"noc@example.net\", \"telephone\": \"+31205141701\"},"    \
	" {\"role\": \"billing\", \"name\": \"Bill Ing\", \"email\": \"billing@example.net\"}]"
#define CONTACTS_3                                                                                                     \
	"[{\"role\": \"contract_signer\", \"name\": \"Ann Signer\", \"email\": \"ann@example.net\"},"                  \
	" {\"role\": \"technical\", \"name\": \"Ted Tech\", \"email\": \"ted@example.net\","                           \
	"  \"telephone\": \"+31205141700\"},"                                                                          \
	" {\"role\": \"billing\", \"name\": \"Bill Ing\", \"email\": \"billing@example.net\"}]"

/* What a submission names; body() writes it as JSON. */
struct app_input {
	const char *type;
	long long asn;
	const char *registry;
	const char *facility; /* NULL: the served one */
	const char *offering; /* NULL: a 10G connection offering */
	int quantity;
	const char *articles; /* "true", "false" */
	const char *contacts; /* NULL: CONTACTS_4 */
	const char *extra;    /* more members of the object, or NULL */
};

static void body(const struct app_input *in, char *out, size_t len)
{
	snprintf(
		out, len,
		"{\"type\": \"%s\", \"legal_entity\": {\"name\": \"Example Networks AS%lld B.V.\","
		" \"registration_number\": \"NL-KVK-%lld\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		" \"postal_code\": \"1098 XG\", \"street_address\": \"Science Park 105\"}},"
		" \"asns\": [{\"asn\": %lld, \"registry\": \"%s\"}], \"articles_of_association_accepted\": %s,"
		" \"facility\": \"%s\", \"colocation_statement\": \"Rack 12.04 at Science Park DC, contract SP-1\","
		" \"contacts\": %s, \"envisioned_assignment_date\": \"2026-12-10\","
		" \"port_order\": {\"product_offering\": \"%s\", \"quantity\": %d}%s%s}",
		in->type ? in->type : "customer", in->asn, in->asn, in->asn, in->registry ? in->registry : "ripe_ncc",
		in->articles ? in->articles : "true", in->facility ? in->facility : facility,
		in->contacts ? in->contacts : CONTACTS_4, in->offering ? in->offering : offering,
		in->quantity ? in->quantity : 1, in->extra ? ", " : "", in->extra ? in->extra : "");
}

/* Submits; the 201 application (caller decrefs). */
static json_t *submit(const char *token, const struct app_input *in)
{
	char b[4096];
	body(in, b, sizeof(b));
	return call("POST", "/applications", token, b, 201);
}

/* Everything a submission or a review action writes, in one text. */
static void fingerprint(char *out, size_t len)
{
	sql("SELECT concat_ws('/', (SELECT count(*) FROM applications), (SELECT count(*) FROM accounts),"
	    " (SELECT count(*) FROM contacts), (SELECT count(*) FROM role_assignments),"
	    " (SELECT count(*) FROM account_asns), (SELECT count(*) FROM application_asns),"
	    " (SELECT count(*) FROM events), (SELECT count(*) FROM status_entries), (SELECT count(*) FROM jobs),"
	    " (SELECT count(*) FROM connections), (SELECT count(*) FROM api_keys),"
	    " (SELECT md5(string_agg(a::text, ',' ORDER BY a.id)) FROM applications a),"
	    " (SELECT md5(string_agg(c::text, ',' ORDER BY c.id)) FROM accounts c))",
	    out, len);
}

/* A call that must be refused with status and (for 400s) name property;
 * nothing may change. */
static void expect_refused(const char *method, const char *path, const char *token, const char *b, long status,
			   const char *property)
{
	char before[512], after[512];
	fingerprint(before, sizeof(before));
	struct http_result r;
	assert_int_equal(http_call(&srv, method, path, token, b, NULL, &r), 0);
	assert_true(itest_is_problem(&r, status, NULL));
	if (property) {
		bool named = false;
		size_t i;
		json_t *j_prop;
		json_array_foreach (json_object_get(r.j, "properties"), i, j_prop)
			if (strcmp(json_string_value(json_object_get(j_prop, "name")), property) == 0)
				named = true;
		if (!named)
			fprintf(stderr, "expected property %s: %s\n", property, r.body);
		assert_true(named);
	}
	http_result_free(&r);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
}

static void path_of(char *out, size_t len, const char *id, const char *action)
{
	snprintf(out, len, "/applications/%s%s%s", id, action ? "/" : "", action ? action : "");
}

static json_t *act(const char *token, const char *id, const char *action, const char *b, long status)
{
	char path[96];
	path_of(path, sizeof(path), id, action);
	return call("POST", path, token, b, status);
}

static void refuse_act(const char *token, const char *id, const char *action, const char *b, long status)
{
	char path[96];
	path_of(path, sizeof(path), id, action);
	expect_refused("POST", path, token, b, status, NULL);
}

/* The account as the operator reads it (caller decrefs). */
static json_t *account_of(json_t *j_app)
{
	char path[64];
	snprintf(path, sizeof(path), "/accounts/%s", str(j_app, "account"));
	return call("GET", path, operator_token, NULL, 200);
}

static void test_portal_key_scope(void **state)
{
	(void)state;
	/* A portal key reaches the applications only. */
	struct http_result r;
	const char *forbidden[] = {"/accounts", "/connections", "/contacts", "/network-service-configs", "/jobs"};
	for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
		assert_int_equal(http_call(&srv, "GET", forbidden[i], portal_token, NULL, NULL, &r), 0);
		assert_true(itest_is_problem(&r, 403, "permission-denied.html"));
		assert_non_null(strstr(json_string_value(json_object_get(r.j, "detail")), "portal key"));
		http_result_free(&r);
	}
	char before[512], after[512];
	fingerprint(before, sizeof(before));
	assert_int_equal(http_call(&srv, "POST", "/contacts", portal_token, "{\"name\": \"x\"}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 403, NULL));
	http_result_free(&r);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);

	struct app_input in = {.asn = 196610};
	json_t *j = submit(portal_token, &in);
	char id[16];
	snprintf(id, sizeof(id), "%s", str(j, "id"));
	assert_string_equal(str(j, "step"), "review");
	assert_string_equal(str(j, "submitted_by_account"), portal_creds.account);
	json_decref(j);
	/* the portal reads its own applications, a member that has nothing to do with it does not */
	char path[64];
	path_of(path, sizeof(path), id, NULL);
	json_decref(call("GET", path, portal_token, NULL, 200));
	json_decref(call("GET", path, member_token, NULL, 404));
	j = call("GET", "/applications", portal_token, NULL, 200);
	size_t i;
	json_t *j_app;
	assert_true(json_array_size(j) >= 1);
	json_array_foreach (j, i, j_app)
		assert_string_equal(str(j_app, "submitted_by_account"), portal_creds.account);
	json_decref(j);
	/* nor does it review */
	refuse_act(portal_token, id, "colocation-confirmation", "{\"confirmation\": \"x\"}", 403);
	refuse_act(portal_token, id, "approve", NULL, 403);
	refuse_act(portal_token, id, "reject", "{\"reason\": \"x\"}", 403);

	/* A refreshed token keeps the role and its limits. */
	char *refresh = NULL;
	char *token = itest_login(&srv, &portal_creds, &refresh);
	char b[1024];
	snprintf(b, sizeof(b), "{\"refresh_token\": \"%s\"}", refresh);
	j = call("POST", "/auth/refresh", NULL, b, 201);
	const char *fresh = str(j, "access_token");
	assert_int_equal(http_call(&srv, "GET", "/accounts", fresh, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	json_decref(call("GET", "/applications", fresh, NULL, 200));
	json_decref(j);
	free(token);
	free(refresh);
	/* A key whose role changed (portal -> member) must log in again. */
	token = itest_login(&srv, &portal_creds, &refresh);
	char q[256];
	snprintf(q, sizeof(q), "UPDATE api_keys SET role = 'member' WHERE api_key = '%s'", portal_creds.api_key);
	itest_sql(&srv, q, NULL, 0);
	snprintf(b, sizeof(b), "{\"refresh_token\": \"%s\"}", refresh);
	json_decref(call("POST", "/auth/refresh", NULL, b, 401));
	snprintf(q, sizeof(q), "UPDATE api_keys SET role = 'portal' WHERE api_key = '%s'", portal_creds.api_key);
	itest_sql(&srv, q, NULL, 0);
	free(token);
	free(refresh);
}

static void test_submission_account_requested(void **state)
{
	(void)state;
	struct app_input in = {.type = "member", .asn = 196611, .registry = "arin"};
	json_t *j = submit(portal_token, &in);
	char id[16];
	snprintf(id, sizeof(id), "%s", str(j, "id"));
	assert_string_equal(str(j, "type"), "member");
	assert_string_equal(str(json_object_get(j, "legal_entity"), "registration_number"), "NL-KVK-196611");
	json_t *j_asn = json_array_get(json_object_get(j, "asns"), 0);
	assert_int_equal(json_integer_value(json_object_get(j_asn, "asn")), 196611);
	assert_string_equal(str(j_asn, "registry"), "arin");
	assert_true(json_is_null(json_object_get(j, "colocation_confirmation")));
	assert_int_equal(json_array_size(json_object_get(j, "approvals")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "contacts")), 4);
	assert_true(json_is_null(json_object_get(j, "connection")));
	assert_true(json_is_false(json_object_get(j, "credentials_issued")));
	assert_string_equal(str(j, "envisioned_assignment_date"), "2026-12-10");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "port_order"), "quantity")), 1);

	/* The review is due 2 working days later at 17:00 UTC. */
	char q[512], v[128];
	snprintf(q, sizeof(q),
		 "SELECT rfc3339(working_days_after(created_at, 2)) = '%s' FROM applications WHERE id = %s",
		 str(j, "review_due_at"), id);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "t");
	sql("SELECT rfc3339(working_days_after('2026-12-04 10:00:00+00', 2))", v, sizeof(v)); /* a Friday */
	assert_string_equal(v, "2026-12-08T17:00:00Z");
	sql("SELECT rfc3339(working_days_after('2026-12-07 23:30:00+00', 2))", v, sizeof(v)); /* a Monday */
	assert_string_equal(v, "2026-12-09T17:00:00Z");
	sql("SELECT rfc3339(working_days_after('2026-12-05 12:00:00+00', 1))", v, sizeof(v)); /* a Saturday */
	assert_string_equal(v, "2026-12-07T17:00:00Z");

	/* The portal reads the progress in the application: the account's state and status. */
	assert_string_equal(str(j, "account_state"), "requested");
	assert_int_equal(json_array_size(json_object_get(j, "status")), 3);
	assert_non_null(itest_tagged(json_object_get(j, "status"), "onboarding.review"));
	/* The account: requested, the legal name, its ASN, its open conditions. */
	json_t *j_acc = account_of(j);
	assert_string_equal(str(j_acc, "state"), "requested");
	assert_string_equal(str(j_acc, "legal_name"), "Example Networks AS196611 B.V.");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(j_acc, "asns"), 0)), 196611);
	json_t *j_status = json_object_get(j_acc, "status");
	assert_int_equal(json_array_size(j_status), 3);
	json_t *j_review = itest_tagged(j_status, "onboarding.review");
	assert_non_null(j_review);
	assert_int_equal(json_integer_value(json_object_get(j_review, "severity")), 5);
	assert_string_equal(str(json_object_get(j_review, "attrs"), "due_at"), str(j, "review_due_at"));
	assert_string_equal(str(json_object_get(j_review, "attrs"), "application"), id);
	assert_non_null(itest_tagged(j_status, "onboarding.colocation"));
	assert_non_null(itest_tagged(j_status, "onboarding.management_approval"));
	json_decref(j_acc);
	/* The list renders the same status as the read. */
	snprintf(q, sizeof(q), "/accounts?id=%s", str(j, "account"));
	json_t *j_list = call("GET", q, operator_token, NULL, 200);
	assert_int_equal(json_array_size(json_object_get(json_array_get(j_list, 0), "status")), 3);
	json_decref(j_list);

	/* Contacts with role assignments; audit events. */
	snprintf(q, sizeof(q),
		 "SELECT string_agg(ac.role || ':' || r.name, ',' ORDER BY ac.role) FROM application_contacts ac"
		 " JOIN role_assignments ra ON ra.contact = ac.contact JOIN roles r ON r.id = ra.role"
		 " WHERE ac.application = %s",
		 id);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "billing:billing,contract_signer:legal,noc:noc,technical:implementation");
	snprintf(
		q, sizeof(q),
		"SELECT count(*) FROM events WHERE action = 'create' AND ((object_type = 'application' AND object_id = "
		"'%s') OR (object_type = 'account' AND object_id = '%s') OR (object_type = 'contact' AND object_id IN"
		" (SELECT contact::text FROM application_contacts WHERE application = %s)))",
		id, str(j, "account"), id);
	assert_int_equal(count(q), 6);
	/* filters */
	snprintf(q, sizeof(q), "/applications?account=%s", str(j, "account"));
	j_list = call("GET", q, operator_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 1);
	json_decref(j_list);
	j_list = call("GET", "/applications?step=rejected&account=1", operator_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 0);
	json_decref(j_list);
	json_decref(j);
}

static void test_refusals_change_nothing(void **state)
{
	(void)state;
	char b[4096];
	struct {
		struct app_input in;
		long status;
		const char *property;
	} cases[] = {
		{{.asn = 64512}, 400, "asns[0].asn"},        /* private (RFC 6996) */
		{{.asn = 64500}, 400, "asns[0].asn"},        /* documentation (RFC 5398) */
		{{.asn = 4200000001LL}, 400, "asns[0].asn"}, /* private, 32 bits */
		{{.asn = 23456}, 400, "asns[0].asn"},        /* AS_TRANS */
		{{.asn = 206238}, 400, "asns"},              /* held by the demo member */
		{{.asn = 196620, .registry = "iana"}, 400, "asns[0].registry"},
		{{.asn = 196621, .facility = lonely_facility}, 400, "facility"},
		{{.asn = 196622, .facility = "424242"}, 400, "facility"},
		{{.asn = 196623, .contacts = CONTACTS_3}, 400, "contacts"},
		{{.asn = 196624, .type = "member", .articles = "false"}, 400, "articles_of_association_accepted"},
		{{.asn = 196625, .offering = vc_offering}, 400, "port_order.product_offering"},
		{{.asn = 196626, .quantity = 17}, 400, "port_order.quantity"},
		{{.asn = 196627, .quantity = 9}, 400, "port_order.quantity"}, /* the 10G offering's maximum is 8 */
		{{.asn = 196628, .type = "peer"}, 400, "type"},
		/* the noc role needs a telephone */
		{{.asn = 196629,
		  .contacts = "[{\"role\": \"contract_signer\", \"name\": \"A\", \"email\": \"a@example.net\"},"
			      " {\"role\": \"technical\", \"name\": \"T\", \"email\": \"t@example.net\","
			      "  \"telephone\": \"+31205141700\"},"
			      " {\"role\": \"noc\", \"email\": \"n@example.net\"},"
			      " {\"role\": \"billing\", \"name\": \"B\", \"email\": \"b@example.net\"}]"},
		 400,
		 "contacts"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		body(&cases[i].in, b, sizeof(b));
		expect_refused("POST", "/applications", portal_token, b, cases[i].status, cases[i].property);
	}
	/* a portal key names no managing account; a member only one it manages */
	struct app_input in = {.asn = 196630, .extra = "\"managing_account\": \"1\""};
	body(&in, b, sizeof(b));
	expect_refused("POST", "/applications", portal_token, b, 403, NULL);
	char extra[64];
	snprintf(extra, sizeof(extra), "\"managing_account\": \"%s\"", srv.operator_creds.account);
	in.extra = extra;
	body(&in, b, sizeof(b));
	expect_refused("POST", "/applications", member_token, b, 403, NULL);
	expect_refused("POST", "/applications", portal_token, "{}", 400, "legal_entity");
}

static void test_reseller_submits_for_customer(void **state)
{
	(void)state;
	struct app_input in = {.asn = 196640};
	json_t *j = submit(member_token, &in);
	assert_string_equal(str(j, "submitted_by_account"), srv.member_creds.account);
	/* the new account is the reseller's customer: its tenant scope shows it */
	char path[64];
	snprintf(path, sizeof(path), "/accounts/%s", str(j, "account"));
	json_t *j_acc = call("GET", path, member_token, NULL, 200);
	assert_string_equal(str(j_acc, "managing_account"), srv.member_creds.account);
	assert_string_equal(str(j_acc, "state"), "requested");
	assert_true(json_array_size(json_object_get(j_acc, "status")) == 2);
	json_decref(j_acc);
	path_of(path, sizeof(path), str(j, "id"), NULL);
	json_decref(call("GET", path, member_token, NULL, 200));
	json_decref(call("GET", path, portal_token, NULL, 404));
	json_decref(j);
	/* an operator submits for nobody in particular */
	in.asn = 196641;
	j = submit(operator_token, &in);
	j_acc = account_of(j);
	assert_true(json_is_null(json_object_get(j_acc, "managing_account")));
	json_decref(j_acc);
	json_decref(j);
}

static void test_customer_approval(void **state)
{
	(void)state;
	struct app_input in = {.asn = 196650, .quantity = 2};
	json_t *j = submit(portal_token, &in);
	char id[16], account[16];
	snprintf(id, sizeof(id), "%s", str(j, "id"));
	snprintf(account, sizeof(account), "%s", str(j, "account"));
	json_decref(j);
	/* no approval before the colocation provider confirmed */
	refuse_act(operator_token, id, "approve", NULL, 409);
	refuse_act(operator_token, id, "colocation-confirmation", "{}", 400);
	j = act(operator_token, id, "colocation-confirmation",
		"{\"confirmation\": \"Science Park DC confirmed rack 12.04 (ticket 1234)\"}", 200);
	json_t *j_conf = json_object_get(j, "colocation_confirmation");
	assert_string_equal(str(j_conf, "confirmation"), "Science Park DC confirmed rack 12.04 (ticket 1234)");
	assert_true(json_is_string(json_object_get(j_conf, "confirmed_at")));
	json_t *j_acc = account_of(j);
	assert_null(itest_tagged(json_object_get(j_acc, "status"), "onboarding.colocation"));
	assert_non_null(itest_tagged(json_object_get(j_acc, "status"), "onboarding.review"));
	json_decref(j_acc);
	json_decref(j);

	/* a customer: one approval finishes the review */
	j = act(operator_token, id, "approve", NULL, 200);
	assert_string_equal(str(j, "step"), "agreement");
	assert_int_equal(json_array_size(json_object_get(j, "approvals")), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "approvals"), 0), "kind"), "review");
	assert_true(json_is_string(json_object_get(j, "connection")));
	char connection[16];
	snprintf(connection, sizeof(connection), "%s", str(j, "connection"));
	j_acc = account_of(j);
	assert_string_equal(str(j_acc, "state"), "production");
	json_t *j_status = json_object_get(j_acc, "status");
	assert_int_equal(json_array_size(j_status), 1);
	assert_int_equal(json_integer_value(
				 json_object_get(itest_tagged(j_status, "onboarding.agreement_unsigned"), "severity")),
			 4);
	json_decref(j_acc);
	json_decref(j);
	/* the connection as POST /connections orders it: requested, two reservations, lag */
	char path[64];
	snprintf(path, sizeof(path), "/connections/%s", connection);
	json_t *j_conn = call("GET", path, operator_token, NULL, 200);
	assert_string_equal(str(j_conn, "state"), "requested");
	assert_string_equal(str(j_conn, "mode"), "lag_lacp");
	assert_string_equal(str(j_conn, "managing_account"), account);
	assert_string_equal(str(j_conn, "billing_account"), account);
	assert_string_equal(str(j_conn, "product_offering"), offering);
	assert_non_null(itest_tagged(json_object_get(j_conn, "status"), "onboarding.agreement_unsigned"));
	json_decref(j_conn);
	char q[512];
	snprintf(q, sizeof(q), "SELECT count(*) FROM port_reservations WHERE connection = %s", connection);
	assert_int_equal(count(q), 2);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM connection_role_assignments cra JOIN role_assignments ra ON ra.id ="
		 " cra.role_assignment JOIN application_contacts ac ON ac.contact = ra.contact"
		 " WHERE cra.connection = %s AND ac.role = 'technical'",
		 connection);
	assert_int_equal(count(q), 1);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'agreement.issue' AND payload->>'application' = '%s'", id);
	assert_int_equal(count(q), 1);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'connection.requested' AND payload->>'connection' = '%s'",
		 connection);
	assert_int_equal(count(q), 1);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM events WHERE (object_type = 'connection' AND object_id = '%s' AND action = "
		 "'create') OR (object_type = 'application' AND object_id = '%s' AND action = 'update')",
		 connection, id);
	assert_int_equal(count(q), 3); /* the connection; colocation and approval */
	/* past the review: every review action is a 409 and changes nothing */
	refuse_act(operator_token, id, "approve", NULL, 409);
	refuse_act(operator2_token, id, "approve", NULL, 409);
	refuse_act(operator_token, id, "reject", "{\"reason\": \"late\"}", 409);
	refuse_act(operator_token, id, "colocation-confirmation", "{\"confirmation\": \"again\"}", 409);
	refuse_act(operator_token, "424242", "approve", NULL, 404);
}

static void test_member_needs_two_operators(void **state)
{
	(void)state;
	struct app_input in = {.type = "member", .asn = 196660};
	json_t *j = submit(portal_token, &in);
	char id[16];
	snprintf(id, sizeof(id), "%s", str(j, "id"));
	json_decref(j);
	json_decref(act(operator_token, id, "colocation-confirmation", "{\"confirmation\": \"ok (ticket 9)\"}", 200));
	j = act(operator_token, id, "approve", NULL, 200);
	assert_string_equal(str(j, "step"), "review");
	assert_int_equal(json_array_size(json_object_get(j, "approvals")), 1);
	json_t *j_acc = account_of(j);
	assert_string_equal(str(j_acc, "state"), "requested");
	assert_null(itest_tagged(json_object_get(j_acc, "status"), "onboarding.review"));
	assert_non_null(itest_tagged(json_object_get(j_acc, "status"), "onboarding.management_approval"));
	json_decref(j_acc);
	json_decref(j);
	/* the same operator key twice: 409, nothing changed */
	char path[96];
	path_of(path, sizeof(path), id, "approve");
	char before[512], after[512];
	fingerprint(before, sizeof(before));
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", path, operator_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 409, NULL));
	assert_non_null(strstr(json_string_value(json_object_get(r.j, "detail")), "second operator"));
	http_result_free(&r);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	/* a second operator: the management approval, the review done */
	j = act(operator2_token, id, "approve", NULL, 200);
	assert_string_equal(str(j, "step"), "agreement");
	json_t *j_approvals = json_object_get(j, "approvals");
	assert_int_equal(json_array_size(j_approvals), 2);
	assert_string_equal(str(json_array_get(j_approvals, 1), "kind"), "management");
	assert_null(json_object_get(json_array_get(j_approvals, 0), "key"));
	j_acc = account_of(j);
	assert_string_equal(str(j_acc, "state"), "production");
	assert_int_equal(json_array_size(json_object_get(j_acc, "status")), 1);
	json_decref(j_acc);
	json_decref(j);
}

static void test_rejection_releases_asn(void **state)
{
	(void)state;
	struct app_input in = {.asn = 196670};
	json_t *j = submit(portal_token, &in);
	char id[16];
	snprintf(id, sizeof(id), "%s", str(j, "id"));
	json_decref(j);
	/* the ASN is held while the application is open */
	char b[4096];
	body(&in, b, sizeof(b));
	expect_refused("POST", "/applications", member_token, b, 400, "asns");
	refuse_act(operator_token, id, "reject", "{}", 400);
	refuse_act(operator_token, id, "reject", "{\"reason\": \"\"}", 400);
	j = act(operator_token, id, "reject", "{\"reason\": \"The registration number does not match the registry.\"}",
		200);
	assert_string_equal(str(j, "step"), "rejected");
	json_decref(j);
	/* the applicant reads the reason */
	char path[64];
	path_of(path, sizeof(path), id, NULL);
	j = call("GET", path, portal_token, NULL, 200);
	assert_string_equal(str(j, "rejection_reason"), "The registration number does not match the registry.");
	assert_string_equal(str(j, "account_state"), "archived");
	assert_non_null(itest_tagged(json_object_get(j, "status"), "onboarding.rejected"));
	json_t *j_acc = account_of(j);
	assert_string_equal(str(j_acc, "state"), "archived");
	assert_int_equal(json_array_size(json_object_get(j_acc, "asns")), 0);
	json_t *j_status = json_object_get(j_acc, "status");
	assert_int_equal(json_array_size(j_status), 1);
	json_t *j_rejected = itest_tagged(j_status, "onboarding.rejected");
	assert_int_equal(json_integer_value(json_object_get(j_rejected, "severity")), 3);
	assert_non_null(strstr(str(j_rejected, "message"), "does not match"));
	json_decref(j_acc);
	json_decref(j);
	/* anything on a rejected application: 409 */
	refuse_act(operator_token, id, "approve", NULL, 409);
	refuse_act(operator_token, id, "reject", "{\"reason\": \"again\"}", 409);
	refuse_act(operator_token, id, "colocation-confirmation", "{\"confirmation\": \"x\"}", 409);
	refuse_act(portal_token, id, "credentials", NULL, 409);
	/* the ASN is free again */
	json_decref(submit(member_token, &in));
}

static void test_credentials_once(void **state)
{
	(void)state;
	struct app_input in = {.asn = 196680};
	json_t *j = submit(portal_token, &in);
	char id[16], account[16];
	snprintf(id, sizeof(id), "%s", str(j, "id"));
	snprintf(account, sizeof(account), "%s", str(j, "account"));
	json_decref(j);
	refuse_act(portal_token, id, "credentials", NULL, 409); /* not approved yet */
	json_decref(act(operator_token, id, "colocation-confirmation", "{\"confirmation\": \"ok\"}", 200));
	json_decref(act(operator_token, id, "approve", NULL, 200));
	refuse_act(member_token, id, "credentials", NULL, 404); /* not the submitter */
	j = act(portal_token, id, "credentials", NULL, 201);
	struct itest_credentials creds;
	snprintf(creds.api_key, sizeof(creds.api_key), "%s", str(j, "api_key"));
	snprintf(creds.api_secret, sizeof(creds.api_secret), "%s", str(j, "api_secret"));
	snprintf(creds.account, sizeof(creds.account), "%s", account);
	assert_string_equal(str(j, "account"), account);
	assert_int_equal(strlen(creds.api_key), 16);
	assert_int_equal(strlen(creds.api_secret), 86);
	json_decref(j);
	/* shown once */
	refuse_act(portal_token, id, "credentials", NULL, 409);
	refuse_act(operator_token, id, "credentials", NULL, 409);
	/* the key is the new account's member key */
	char *token = itest_login(&srv, &creds, NULL);
	assert_non_null(token);
	j = call("GET", "/account", token, NULL, 200);
	assert_string_equal(str(j, "id"), account);
	json_decref(j);
	free(token);
	char path[64];
	path_of(path, sizeof(path), id, NULL);
	j = call("GET", path, portal_token, NULL, 200);
	assert_true(json_is_true(json_object_get(j, "credentials_issued")));
	json_decref(j);
	/* only the hash is stored; the secret is nowhere else */
	char q[512];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM api_keys WHERE api_key = '%s' AND role = 'member' AND account_id = %s"
		 " AND secret_hash LIKE '$argon2id$%%' AND secret_hash NOT LIKE '%%%s%%'",
		 creds.api_key, account, creds.api_secret);
	assert_int_equal(count(q), 1);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM events WHERE concat(old_value::text, new_value::text) LIKE '%%%s%%'",
		 creds.api_secret);
	assert_int_equal(count(q), 0);
	snprintf(q, sizeof(q), "SELECT count(*) FROM jobs WHERE payload::text LIKE '%%%s%%'", creds.api_secret);
	assert_int_equal(count(q), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_portal_key_scope),        cmocka_unit_test(test_submission_account_requested),
		cmocka_unit_test(test_refusals_change_nothing), cmocka_unit_test(test_reseller_submits_for_customer),
		cmocka_unit_test(test_customer_approval),       cmocka_unit_test(test_member_needs_two_operators),
		cmocka_unit_test(test_rejection_releases_asn),  cmocka_unit_test(test_credentials_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
