/*
 * Integration tests of /member-joining-rules: allow and deny rules on the
 * member's private VLANs, filters and pagination, updates (capacities, the
 * type that cannot change, PUT), hard delete, refusals (duplicates, the
 * wrong kind of service, another tenant's service, unknown accounts), and
 * who sees what: the named account reads but cannot write, a third tenant
 * sees nothing and changes nothing.
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
/* named: an account the member's rules name; third: an unrelated tenant. */
static char named[16], third[16];
static char *named_token, *third_token;

/* A new account (made by the operator) with a member API key; its token.
 * Discoverable: others' rules may name it. */
static char *new_tenant(const char *name, char *id_out)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"name\": \"%s\", \"discoverable\": true, \"address\": {\"country\": \"NL\","
		 " \"locality\": \"Amsterdam\", \"postal_code\": \"1012\", \"street_address\": \"Dam 1\"}}",
		 name);
	return itest_new_tenant(operator_token, body, id_out);
}

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &operator_token, &member_token) != 0)
		return -1;
	named_token = new_tenant("Named Networks", named);
	third_token = new_tenant("Third Party", third);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(named_token);
	free(third_token);
	return itest_finish_tokens(&srv, operator_token, member_token);
}

/* A network service of `type` owned by `owner`, straight into the database. */
static void new_service(const char *type, const char *owner, bool is_public, char *id_out)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO network_services (type, state, managing_account, consuming_account, billing_account,"
		 " name, public, joining_member_account)"
		 " VALUES ('%s', 'production', %s, %s, %s, 'vlan-x', %s, %s) RETURNING id",
		 type, owner, owner, owner, is_public ? "true" : "false", strcmp(type, "p2p_vc") == 0 ? owner : "NULL");
	itest_sql_value(sql, id_out, 16);
	assert_true(id_out[0] != '\0');
}

/* Copies tmpl into out with @S@ replaced by service and @A@ by account. */
static void fill(const char *tmpl, const char *service, const char *account, char *out, size_t len)
{
	size_t n = 0;
	for (const char *p = tmpl; *p && n + 1 < len;) {
		if (strncmp(p, "@S@", 3) == 0 || strncmp(p, "@A@", 3) == 0) {
			n += (size_t)snprintf(out + n, len - n, "%s", p[1] == 'S' ? service : account);
			p += 3;
		} else
			out[n++] = *p++;
	}
	out[n < len ? n : len - 1] = '\0';
}

static json_t *create_rule(const char *token, const char *tmpl, const char *service, const char *account)
{
	char body[512];
	fill(tmpl, service, account, body, sizeof(body));
	return call("POST", "/member-joining-rules", token, body, 201);
}

static void rule_path(json_t *j_rule, char *out, size_t len)
{
	snprintf(out, len, "/member-joining-rules/%s", json_string_value(json_object_get(j_rule, "id")));
}

static void test_create_read_list(void **state)
{
	(void)state;
	char service[16], path[96], query[160];
	new_service("mp2mp_vc", srv.member_creds.account, false, service);
	json_t *j_allow =
		create_rule(member_token,
			    "{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\","
			    " \"capacity_min\": 1000, \"capacity_max\": 10000, \"external_ref\": \"r-allow\"}",
			    service, named);
	assert_string_equal(json_string_value(json_object_get(j_allow, "type")), "allow");
	assert_string_equal(json_string_value(json_object_get(j_allow, "managing_account")), srv.member_creds.account);
	assert_string_equal(json_string_value(json_object_get(j_allow, "consuming_account")), named);
	assert_string_equal(json_string_value(json_object_get(j_allow, "network_service")), service);
	assert_int_equal(json_integer_value(json_object_get(j_allow, "capacity_min")), 1000);
	assert_int_equal(json_integer_value(json_object_get(j_allow, "capacity_max")), 10000);
	rule_path(j_allow, path, sizeof(path));
	json_t *j_read = call("GET", path, member_token, NULL, 200);
	assert_true(json_equal(j_allow, j_read));
	json_decref(j_read);

	/* A deny rule: no capacities in the object; null ones are accepted. */
	json_t *j_deny =
		create_rule(member_token,
			    "{\"type\": \"deny\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\","
			    " \"capacity_min\": null}",
			    service, third);
	assert_string_equal(json_string_value(json_object_get(j_deny, "type")), "deny");
	assert_null(json_object_get(j_deny, "capacity_min"));
	assert_null(json_object_get(j_deny, "capacity_max"));
	assert_true(json_is_null(json_object_get(j_deny, "external_ref")));

	/* The audit trail has both. */
	char count[16], sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM events WHERE object_type = 'member_joining_rule' AND action = 'create'"
		 " AND object_id IN ('%s', '%s')",
		 json_string_value(json_object_get(j_allow, "id")), json_string_value(json_object_get(j_deny, "id")));
	itest_sql_value(sql, count, sizeof(count));
	assert_string_equal(count, "2");

	/* Filters. */
	static const struct {
		const char *fmt;
		size_t count;
	} filters[] = {
		{"?network_service=@S@", 2},
		{"?network_service=@S@&type=deny", 1},
		{"?network_service=@S@&type=allow&external_ref=r-allow", 1},
		{"?network_service=@S@&external_ref=nothing", 0},
		{"?network_service=@S@&managing_account=1", 0},
	};
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		char q[64];
		fill(filters[i].fmt, service, "", q, sizeof(q));
		snprintf(query, sizeof(query), "/member-joining-rules%s", q);
		json_t *j_list = call("GET", query, member_token, NULL, 200);
		assert_int_equal(json_array_size(j_list), filters[i].count);
		json_decref(j_list);
	}
	snprintf(query, sizeof(query), "/member-joining-rules?consuming_account=%s&managing_account=%s", named,
		 srv.member_creds.account);
	json_t *j_list = call("GET", query, member_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 1);
	assert_true(json_equal(json_array_get(j_list, 0), j_allow));
	json_decref(j_list);
	snprintf(query, sizeof(query), "/member-joining-rules?id=%s,%s",
		 json_string_value(json_object_get(j_allow, "id")), json_string_value(json_object_get(j_deny, "id")));
	j_list = call("GET", query, member_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 2);
	json_decref(j_list);
	json_decref(call("GET", "/member-joining-rules?type=maybe", member_token, NULL, 400));

	/* Pagination: 206 with the whole list's size. */
	struct http_result r;
	snprintf(query, sizeof(query), "/member-joining-rules?network_service=%s&page_limit=1", service);
	assert_int_equal(http_call(&srv, "GET", query, member_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 206);
	assert_string_equal(r.total_count, "2");
	assert_string_equal(r.next_offset, "1");
	assert_int_equal(json_array_size(r.j), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(r.j, 0), "id")),
			    json_string_value(json_object_get(j_allow, "id")));
	http_result_free(&r);
	snprintf(query, sizeof(query), "/member-joining-rules?network_service=%s&page_limit=1&page_offset=1", service);
	assert_int_equal(http_call(&srv, "GET", query, member_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 206);
	assert_string_equal(r.total_count, "2");
	assert_string_equal(r.next_offset, "");
	assert_string_equal(json_string_value(json_object_get(json_array_get(r.j, 0), "id")),
			    json_string_value(json_object_get(j_deny, "id")));
	http_result_free(&r);

	/* The operator sees them too. */
	snprintf(query, sizeof(query), "/member-joining-rules?network_service=%s", service);
	j_list = call("GET", query, operator_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 2);
	json_decref(j_list);
	json_decref(j_allow);
	json_decref(j_deny);
}

static void test_update(void **state)
{
	(void)state;
	char service[16], other[16], allow[96], deny[96], body[512];
	new_service("p2mp_vc", srv.member_creds.account, false, service);
	new_service("p2mp_vc", srv.member_creds.account, false, other);
	json_t *j = create_rule(member_token,
				"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\","
				" \"capacity_min\": 1000}",
				service, named);
	assert_true(json_is_null(json_object_get(j, "capacity_max")));
	rule_path(j, allow, sizeof(allow));
	json_decref(j);
	j = create_rule(member_token,
			"{\"type\": \"deny\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}", service,
			third);
	rule_path(j, deny, sizeof(deny));
	json_decref(j);

	/* Capacities of an allow rule: min <= max against the stored values. */
	expect_naming("PATCH", allow, member_token, "{\"capacity_max\": 500}", 400, "capacity_min");
	expect_naming("PATCH", allow, member_token, "{\"capacity_max\": 0}", 400, "capacity_max");
	expect_naming("PATCH", allow, member_token, "{\"capacity_min\": 2000, \"capacity_max\": 1000}", 400,
		      "capacity_min");
	j = call("PATCH", allow, member_token, "{\"capacity_min\": null, \"capacity_max\": 500}", 200);
	assert_true(json_is_null(json_object_get(j, "capacity_min")));
	assert_int_equal(json_integer_value(json_object_get(j, "capacity_max")), 500);
	json_decref(j);
	/* The same type is accepted (Terraform sends it); another is not. */
	j = call("PATCH", allow, member_token, "{\"type\": \"allow\", \"external_ref\": \"tf-1\"}", 200);
	assert_string_equal(json_string_value(json_object_get(j, "external_ref")), "tf-1");
	assert_int_equal(json_integer_value(json_object_get(j, "capacity_max")), 500);
	json_decref(j);
	expect_naming("PATCH", allow, member_token, "{\"type\": \"deny\"}", 400, "type");
	expect_naming("PATCH", deny, member_token, "{\"type\": \"allow\", \"capacity_min\": 10}", 400, "type");
	/* A deny rule takes no capacities, with or without the type in the body. */
	expect_naming("PATCH", deny, member_token, "{\"capacity_min\": 10}", 400, "capacity_min");
	expect_naming("PATCH", deny, member_token, "{\"type\": \"deny\", \"capacity_max\": 10}", 400, "capacity_max");
	j = call("PATCH", deny, member_token, "{\"type\": \"deny\", \"capacity_max\": null, \"external_ref\": \"d\"}",
		 200);
	assert_null(json_object_get(j, "capacity_max"));
	json_decref(j);
	/* The service cannot change; naming the same one is fine. */
	fill("{\"network_service\": \"@S@\"}", other, "", body, sizeof(body));
	expect_naming("PATCH", allow, member_token, body, 400, "network_service");
	fill("{\"network_service\": \"@S@\"}", service, "", body, sizeof(body));
	json_decref(call("PATCH", allow, member_token, body, 200));
	/* Accounts: the named one must exist and be unique on the service;
	 * the managing one must be the caller's to give. */
	expect_naming("PATCH", allow, member_token, "{\"consuming_account\": \"999999\"}", 400, "consuming_account");
	fill("{\"consuming_account\": \"@A@\"}", "", third, body, sizeof(body));
	expect_naming("PATCH", allow, member_token, body, 400, "consuming_account");
	snprintf(body, sizeof(body), "{\"managing_account\": \"%s\"}", third);
	expect_naming("PATCH", allow, member_token, body, 403, "managing_account");

	/* PUT: the update's required fields, then like PATCH. */
	expect_naming("PUT", allow, member_token, "{\"type\": \"allow\"}", 400, "managing_account");
	snprintf(body, sizeof(body),
		 "{\"type\": \"allow\", \"managing_account\": \"%s\", \"consuming_account\": \"%s\","
		 " \"capacity_min\": 100, \"capacity_max\": 200, \"external_ref\": null}",
		 srv.member_creds.account, named);
	j = call("PUT", allow, member_token, body, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "capacity_min")), 100);
	assert_int_equal(json_integer_value(json_object_get(j, "capacity_max")), 200);
	assert_true(json_is_null(json_object_get(j, "external_ref")));
	json_t *j_read = call("GET", allow, member_token, NULL, 200);
	assert_true(json_equal(j, j_read));
	json_decref(j_read);
	json_decref(j);

	char count[16], sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM events WHERE object_type = 'member_joining_rule' AND action = 'update'"
		 " AND object_id = '%s'",
		 allow + strlen("/member-joining-rules/"));
	itest_sql_value(sql, count, sizeof(count));
	assert_string_equal(count, "4"); /* three PATCHes and the PUT */
}

static void test_delete(void **state)
{
	(void)state;
	char service[16], path[96], sql[256], count[16];
	new_service("mp2mp_vc", srv.member_creds.account, false, service);
	json_t *j = create_rule(member_token,
				"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}",
				service, named);
	rule_path(j, path, sizeof(path));
	json_t *j_del = call("DELETE", path, member_token, NULL, 200);
	assert_true(json_equal(j, j_del));
	json_decref(j_del);
	json_decref(call("GET", path, member_token, NULL, 404));
	json_decref(call("DELETE", path, member_token, NULL, 404));
	json_decref(call("PATCH", path, member_token, "{}", 404));
	json_decref(call("DELETE", "/member-joining-rules/nope", member_token, NULL, 404));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM member_joining_rules WHERE network_service = %s", service);
	itest_sql_value(sql, count, sizeof(count));
	assert_string_equal(count, "0");
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM events WHERE object_type = 'member_joining_rule' AND action = 'delete'"
		 " AND object_id = '%s'",
		 json_string_value(json_object_get(j, "id")));
	itest_sql_value(sql, count, sizeof(count));
	assert_string_equal(count, "1");
	/* The account may be named again after the delete. */
	json_decref(create_rule(member_token,
				"{\"type\": \"deny\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}",
				service, named));
	json_decref(j);
}

static void test_refusals(void **state)
{
	(void)state;
	char service[16], lan[16], p2p[16], theirs[16], theirs_public[16], body[512];
	new_service("mp2mp_vc", srv.member_creds.account, false, service);
	new_service("p2p_vc", srv.member_creds.account, false, p2p);
	new_service("mp2mp_vc", third, false, theirs);
	new_service("p2mp_vc", third, true, theirs_public);
	itest_sql_value("SELECT id FROM network_services WHERE type = 'exchange_lan' ORDER BY id LIMIT 1", lan,
			sizeof(lan));
	assert_true(lan[0] != '\0');
	json_decref(create_rule(member_token,
				"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}",
				service, named));
	char before[16];
	itest_sql_value("SELECT count(*) FROM member_joining_rules", before, sizeof(before));

	static const struct {
		const char *fmt; /* @S@ the service, @A@ the named account */
		long status;
		const char *property;
	} cases[] = {
		/* one rule per service and account, whatever its type */
		{"{\"type\": \"deny\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}", 400,
		 "consuming_account"},
		{"{\"type\": \"allow\", \"network_service\": \"@S@\"}", 400, "consuming_account"},
		{"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"\"}", 400,
		 "consuming_account"},
		{"{\"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}", 400, "type"},
		{"{\"type\": \"maybe\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}", 400, "type"},
		{"{\"type\": \"deny\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\", \"capacity_min\": 10}",
		 400, "capacity_min"},
		{"{\"type\": \"deny\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\", \"capacity_max\": 10}",
		 400, "capacity_max"},
		{"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\", \"capacity_min\": 0}",
		 400, "capacity_min"},
		{"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\", \"capacity_max\": 1.5}",
		 400, "capacity_max"},
		{"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\", \"capacity_min\": 20,"
		 " \"capacity_max\": 10}",
		 400, "capacity_min"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* Named accounts: `third` is not yet named on the service (the
		 * first case re-names `named`, the duplicate). */
		fill(cases[i].fmt, service, i == 0 ? named : third, body, sizeof(body));
		expect_naming("POST", "/member-joining-rules", member_token, body, cases[i].status, cases[i].property);
	}
	/* The service: of the right kind, visible, owned. */
	static const char rule[] =
		"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}";
	const char *not_services[] = {lan, p2p, theirs, "999999", "x"};
	for (size_t i = 0; i < sizeof(not_services) / sizeof(not_services[0]); i++) {
		fill(rule, not_services[i], third, body, sizeof(body));
		expect_naming("POST", "/member-joining-rules", member_token, body, 400, "network_service");
	}
	fill(rule, theirs_public, named, body, sizeof(body));
	expect_naming("POST", "/member-joining-rules", member_token, body, 403, "network_service");
	/* The named account must exist; the managing one must be the caller's. */
	fill(rule, service, "999999", body, sizeof(body));
	expect_naming("POST", "/member-joining-rules", member_token, body, 400, "consuming_account");
	fill("{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\","
	     " \"managing_account\": \"@A@\"}",
	     service, third, body, sizeof(body));
	expect_naming("POST", "/member-joining-rules", member_token, body, 403, "managing_account");

	char after[16];
	itest_sql_value("SELECT count(*) FROM member_joining_rules", after, sizeof(after));
	assert_string_equal(before, after);
	/* The owner of the public service may, and so may the operator on an
	 * exchange_lan's neighbour types. */
	fill(rule, theirs_public, named, body, sizeof(body));
	json_decref(call("POST", "/member-joining-rules", third_token, body, 201));
	fill(rule, theirs, srv.member_creds.account, body, sizeof(body));
	json_decref(call("POST", "/member-joining-rules", operator_token, body, 201));
	fill(rule, lan, named, body, sizeof(body));
	expect_naming("POST", "/member-joining-rules", operator_token, body, 400, "network_service");
}

static void test_who_sees_what(void **state)
{
	(void)state;
	char service[16], path[96], body[512], query[128];
	new_service("mp2mp_vc", srv.member_creds.account, false, service);
	json_t *j = create_rule(member_token,
				"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\","
				" \"capacity_max\": 1000}",
				service, named);
	rule_path(j, path, sizeof(path));
	char sql[256], before[512], after[512], count_before[16], count_after[16];
	snprintf(sql, sizeof(sql), "SELECT member_joining_rule_json(r)::text FROM member_joining_rules r WHERE id = %s",
		 json_string_value(json_object_get(j, "id")));
	itest_sql_value(sql, before, sizeof(before));
	itest_sql_value("SELECT count(*) FROM member_joining_rules", count_before, sizeof(count_before));

	/* The named account reads it, in the list too, but cannot change it. */
	json_t *j_read = call("GET", path, named_token, NULL, 200);
	assert_true(json_equal(j, j_read));
	json_decref(j_read);
	snprintf(query, sizeof(query), "/member-joining-rules?network_service=%s", service);
	json_t *j_list = call("GET", query, named_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 1);
	json_decref(j_list);
	snprintf(body, sizeof(body),
		 "{\"type\": \"allow\", \"managing_account\": \"%s\", \"consuming_account\": \"%s\"}", named, named);
	json_decref(call("PATCH", path, named_token, "{\"capacity_max\": 100000}", 403));
	json_decref(call("PUT", path, named_token, body, 403));
	json_decref(call("DELETE", path, named_token, NULL, 403));
	/* It cannot make rules on the service either (the service is not its
	 * own: visible through the allow rule, so 403). */
	fill("{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}", service, third,
	     body, sizeof(body));
	expect_naming("POST", "/member-joining-rules", named_token, body, 403, "network_service");

	/* A third tenant sees nothing: 404 on every operation, an empty list,
	 * and a service it cannot see does not exist for it. */
	json_decref(call("GET", path, third_token, NULL, 404));
	json_decref(call("PATCH", path, third_token, "{\"capacity_max\": 1}", 404));
	snprintf(body, sizeof(body),
		 "{\"type\": \"allow\", \"managing_account\": \"%s\", \"consuming_account\": \"%s\"}", third, third);
	json_decref(call("PUT", path, third_token, body, 404));
	json_decref(call("DELETE", path, third_token, NULL, 404));
	j_list = call("GET", query, third_token, NULL, 200);
	assert_int_equal(json_array_size(j_list), 0);
	json_decref(j_list);
	fill("{\"type\": \"deny\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}", service, third, body,
	     sizeof(body));
	expect_naming("POST", "/member-joining-rules", third_token, body, 400, "network_service");

	itest_sql_value(sql, after, sizeof(after));
	assert_string_equal(before, after);
	itest_sql_value("SELECT count(*) FROM member_joining_rules", count_after, sizeof(count_after));
	assert_string_equal(count_before, count_after);

	/* The operator may change it. */
	json_t *j_op = call("PATCH", path, operator_token, "{\"capacity_max\": 2000}", 200);
	assert_int_equal(json_integer_value(json_object_get(j_op, "capacity_max")), 2000);
	json_decref(j_op);
	json_decref(j);
}

/* Issue 8, item 5: a write naming an account the caller cannot see
 * answers the same problem (status, type, title, detail, property)
 * whether that account exists or not, and writes nothing; once the
 * account is discoverable, rules and p2p_vcs may name it. */
static void test_no_account_existence_oracle(void **state)
{
	(void)state;
	char hidden[16], service[16], offering[16], p2p_path[64], rule[96], body[1024], count_before[64],
		count_after[64];
	json_t *j =
		call("POST", "/accounts", operator_token,
		     "{\"name\": \"Hidden Networks\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		     " \"postal_code\": \"1012\", \"street_address\": \"Dam 9\"}}",
		     201);
	snprintf(hidden, sizeof(hidden), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	new_service("mp2mp_vc", srv.member_creds.account, false, service);
	j = create_rule(member_token,
			"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}", service,
			named);
	rule_path(j, rule, sizeof(rule));
	json_decref(j);
	itest_sql_value(
		"INSERT INTO product_offerings (type, name, display_name, resource_type, handover_metro_area_network,"
		" handover_metro_area, service_provider, provider_vlans, bandwidth_min, bandwidth_max)"
		" SELECT 'p2p_vc', 'P2P oracle', 'Point to point', 'network_service', n.id, n.metro_area, 'Demo IX',"
		"        'single', 100, 1000 FROM metro_area_networks n ORDER BY n.id LIMIT 1 RETURNING id",
		offering, sizeof(offering));
	static const char p2p_tmpl[] =
		"{\"type\": \"p2p_vc\", \"product_offering\": \"@S@\", \"joining_member_account\":"
		" \"@A@\", \"capacity\": 500}";
	fill(p2p_tmpl, offering, named, body, sizeof(body));
	j = call("POST", "/network-services", member_token, body, 201);
	snprintf(p2p_path, sizeof(p2p_path), "/network-services/%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);

	const struct {
		const char *method, *path, *tmpl; /* @S@ the service or offering, @A@ the account */
		const char *service;
		long status;
	} writes[] = {
		{"POST", "/member-joining-rules",
		 "{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}", service, 400},
		{"PATCH", rule, "{\"consuming_account\": \"@A@\"}", service, 400},
		{"POST", "/member-joining-rules",
		 "{\"type\": \"deny\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\","
		 " \"managing_account\": \"@A@\"}",
		 service, 403},
		{"POST", "/network-services", p2p_tmpl, offering, 400},
		{"PATCH", p2p_path, "{\"joining_member_account\": \"@A@\"}", service, 400},
		{"POST", "/macs", "{\"address\": \"02:00:00:00:0e:01\", \"managing_account\": \"@A@\"}", service, 403},
		{"POST", "/contacts",
		 "{\"consuming_account\": \"@A@\", \"managing_account\": \"@A@\", \"email\": \"x@example.net\"}",
		 service, 403},
		{"POST", "/ips",
		 "{\"version\": 4, \"address\": \"198.51.100.9\", \"prefix_length\": 24, \"consuming_account\":"
		 " \"@A@\"}",
		 service, 403},
		{"POST", "/accounts",
		 "{\"name\": \"Sub\", \"managing_account\": \"@A@\", \"address\": {\"country\": \"NL\", \"locality\":"
		 " \"Amsterdam\", \"postal_code\": \"1012\", \"street_address\": \"Dam 1\"}}",
		 service, 400},
	};
	static const char counts[] =
		"SELECT (SELECT count(*) FROM member_joining_rules) || '/' ||"
		" (SELECT count(*) FROM network_services) || '/' || (SELECT count(*) FROM macs)"
		" || '/' || (SELECT count(*) FROM contacts) || '/' || (SELECT count(*) FROM ips)"
		" || '/' || (SELECT count(*) FROM accounts) || '/' || (SELECT count(*) FROM events)";
	itest_sql_value(counts, count_before, sizeof(count_before));
	for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		json_t *j_answer[2];
		const char *accounts[] = {"999999", hidden}; /* absent, foreign */
		for (size_t k = 0; k < 2; k++) {
			fill(writes[i].tmpl, writes[i].service, accounts[k], body, sizeof(body));
			j_answer[k] = call(writes[i].method, writes[i].path, member_token, body, writes[i].status);
		}
		if (!json_equal(j_answer[0], j_answer[1])) {
			char *a = json_dumps(j_answer[0], 0), *b = json_dumps(j_answer[1], 0);
			fprintf(stderr, "%s %s: absent %s, foreign %s\n", writes[i].method, writes[i].path, a, b);
			free(a);
			free(b);
		}
		assert_true(json_equal(j_answer[0], j_answer[1]));
		json_decref(j_answer[0]);
		json_decref(j_answer[1]);
	}
	itest_sql_value(counts, count_after, sizeof(count_after));
	assert_string_equal(count_before, count_after);

	/* Discoverable: listed for every member, so it may be named. */
	json_decref(call("PATCH", "/accounts/999999", operator_token, "{\"discoverable\": true}", 404));
	snprintf(body, sizeof(body), "/accounts/%s", hidden);
	json_decref(call("PATCH", body, operator_token, "{\"discoverable\": true}", 202));
	json_decref(create_rule(member_token,
				"{\"type\": \"allow\", \"network_service\": \"@S@\", \"consuming_account\": \"@A@\"}",
				service, hidden));
	fill(p2p_tmpl, offering, hidden, body, sizeof(body));
	json_decref(call("POST", "/network-services", member_token, body, 201));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_read_list), cmocka_unit_test(test_update),
		cmocka_unit_test(test_delete),           cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_who_sees_what),    cmocka_unit_test(test_no_account_existence_oracle),
	};
	return cmocka_run_group_tests_name("member joining rules (integration)", tests, setup, teardown);
}
