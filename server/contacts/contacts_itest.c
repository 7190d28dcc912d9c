/*
 * Integration tests of roles, contacts and role assignments: CRUD, the
 * roles' required fields, the 409 on deleting an assigned contact, and
 * tenant isolation (404 for other tenants' objects, 403 for naming their
 * accounts, nothing changed in the database).
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

static int setup(void **state)
{
	(void)state;
	return itest_start_with_tokens(&srv, &operator_token, &member_token);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

/* The id of the role called name. */
static void role_id(const char *name, char *out, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/roles?name=%s", name);
	json_t *j = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	snprintf(out, len, "%s", json_string_value(json_object_get(json_array_get(j, 0), "id")));
	json_decref(j);
}

static void test_roles(void **state)
{
	(void)state;
	json_t *j = call("GET", "/roles", member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 6);
	size_t i;
	json_t *j_role;
	json_array_foreach (j, i, j_role) {
		assert_true(json_is_string(json_object_get(j_role, "id")));
		assert_true(json_is_array(json_object_get(j_role, "required_fields")));
		char path[64];
		snprintf(path, sizeof(path), "/roles/%s", json_string_value(json_object_get(j_role, "id")));
		json_t *j_one = call("GET", path, member_token, NULL, 200);
		assert_true(json_equal(j_one, j_role));
		json_decref(j_one);
	}
	json_decref(j);
	j = call("GET", "/roles?name=noc", member_token, NULL, 200);
	json_t *j_fields = json_object_get(json_array_get(j, 0), "required_fields");
	assert_int_equal(json_array_size(j_fields), 2);
	assert_string_equal(json_string_value(json_array_get(j_fields, 0)), "email");
	assert_string_equal(json_string_value(json_array_get(j_fields, 1)), "telephone");
	json_decref(j);
	json_decref(call("GET", "/roles/424242", member_token, NULL, 404));
}

static void test_contact_lifecycle_and_required_fields(void **state)
{
	(void)state;
	char noc[16], path[64], body[256];
	role_id("noc", noc, sizeof(noc));
	json_t *j = call("POST", "/contacts", member_token,
			 "{\"name\": \"NOC desk\", \"email\": \"noc@member.example\", \"external_ref\": \"c1\"}", 201);
	char id[16];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(j, "id")));
	/* Accounts default to the caller's; absent fields are null. */
	assert_string_equal(json_string_value(json_object_get(j, "managing_account")), srv.member_creds.account);
	assert_string_equal(json_string_value(json_object_get(j, "consuming_account")), srv.member_creds.account);
	assert_true(json_is_null(json_object_get(j, "telephone")));
	json_decref(j);

	/* noc needs a telephone the contact lacks: 400 naming it, nothing assigned. */
	snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", noc, id);
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/role-assignments", member_token, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(json_object_get(r.j, "properties"), 0), "name")),
		"telephone");
	http_result_free(&r);
	char count[16];
	itest_sql_value("SELECT count(*) FROM role_assignments", count, sizeof(count));
	assert_string_equal(count, "0");

	/* Add the telephone (PATCH answers 200), then the role can be assigned. */
	snprintf(path, sizeof(path), "/contacts/%s", id);
	j = call("PATCH", path, member_token, "{\"telephone\": \"+31205141717\"}", 200);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "NOC desk");
	json_decref(j);
	j = call("POST", "/role-assignments", member_token, body, 201);
	char assignment[16];
	snprintf(assignment, sizeof(assignment), "%s", json_string_value(json_object_get(j, "id")));
	assert_string_equal(json_string_value(json_object_get(j, "role")), noc);
	assert_string_equal(json_string_value(json_object_get(j, "contact")), id);
	json_decref(j);
	/* Twice is refused, naming the role (the unique constraint's own words,
	 * mapped in db/pool.c). */
	assert_int_equal(http_call(&srv, "POST", "/role-assignments", member_token, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	json_t *j_prop = json_array_get(json_object_get(r.j, "properties"), 0);
	assert_string_equal(json_string_value(json_object_get(j_prop, "name")), "role");
	assert_string_equal(json_string_value(json_object_get(j_prop, "reason")),
			    "The contact already holds this role.");
	http_result_free(&r);

	/* While assigned, the email cannot go. */
	assert_int_equal(http_call(&srv, "PATCH", path, member_token, "{\"email\": null}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_non_null(strstr(r.body, "\"email\""));
	http_result_free(&r);
	char email[64];
	snprintf(body, sizeof(body), "SELECT email FROM contacts WHERE id = %s", id);
	itest_sql_value(body, email, sizeof(email));
	assert_string_equal(email, "noc@member.example");

	/* Filters. */
	snprintf(body, sizeof(body), "/role-assignments?contact=%s", id);
	json_decref(j = call("GET", body, member_token, NULL, 200));
	snprintf(body, sizeof(body), "/roles?contact=%s", id);
	j = call("GET", body, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	j = call("GET", "/contacts?external_ref=c1", member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);

	/* An assigned contact cannot be deleted: 409; after the assignment goes, it can. */
	assert_int_equal(http_call(&srv, "DELETE", path, member_token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 409, NULL));
	http_result_free(&r);
	char apath[64];
	snprintf(apath, sizeof(apath), "/role-assignments/%s", assignment);
	json_decref(call("DELETE", apath, member_token, NULL, 200));
	json_decref(call("GET", apath, member_token, NULL, 404));
	j = call("DELETE", path, member_token, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j, "id")), id);
	json_decref(j);
	json_decref(call("GET", path, member_token, NULL, 404));

	/* Every change was audited. */
	snprintf(body, sizeof(body),
		 "SELECT count(*) FROM events WHERE object_type IN ('contact', 'role_assignment')"
		 " AND (object_id = '%s' OR object_id = '%s')",
		 id, assignment);
	itest_sql_value(body, count, sizeof(count));
	assert_string_equal(count, "5"); /* create, patch, assign, unassign, delete */
}

static void test_contact_validation(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/contacts", member_token,
				   "{\"telephone\": \"0205141717\", \"email\": \"nope\", \"name\": 7}", NULL, &r),
			 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_int_equal(json_array_size(json_object_get(r.j, "properties")), 3);
	http_result_free(&r);
	/* PUT needs both accounts. */
	json_t *j = call("POST", "/contacts", member_token, "{\"name\": \"Put\"}", 201);
	char path[64];
	snprintf(path, sizeof(path), "/contacts/%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	assert_int_equal(http_call(&srv, "PUT", path, member_token, "{\"name\": \"X\"}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	http_result_free(&r);
	json_decref(call("DELETE", path, member_token, NULL, 200));
}

static void test_tenant_isolation(void **state)
{
	(void)state;
	char other[16], contact[16], path[64], body[256], abuse[16];
	role_id("abuse", abuse, sizeof(abuse));
	/* Another tenant with a contact and an assignment, made by the operator. */
	json_t *j = call("POST", "/accounts", operator_token,
			 "{\"name\": \"Other Tenant\", \"address\": {\"country\": \"DE\", \"locality\": \"Berlin\","
			 " \"postal_code\": \"10115\", \"street_address\": \"Str. 1\"}}",
			 201);
	snprintf(other, sizeof(other), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"email\": \"abuse@other.example\"}",
		 other, other);
	j = call("POST", "/contacts", operator_token, body, 201);
	snprintf(contact, sizeof(contact), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", abuse, contact);
	j = call("POST", "/role-assignments", operator_token, body, 201);
	char assignment[16];
	snprintf(assignment, sizeof(assignment), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);

	/* The member sees none of it. */
	snprintf(path, sizeof(path), "/contacts/%s", contact);
	json_decref(call("GET", path, member_token, NULL, 404));
	json_decref(call("PATCH", path, member_token, "{\"name\": \"pwned\"}", 404));
	json_decref(
		call("PUT", path, member_token, "{\"managing_account\": \"1\", \"consuming_account\": \"1\"}", 404));
	json_decref(call("DELETE", path, member_token, NULL, 404));
	snprintf(path, sizeof(path), "/role-assignments/%s", assignment);
	json_decref(call("GET", path, member_token, NULL, 404));
	json_decref(call("DELETE", path, member_token, NULL, 404));
	j = call("GET", "/contacts", member_token, NULL, 200);
	char *dump = json_dumps(j, 0);
	assert_null(strstr(dump, "abuse@other.example"));
	free(dump);
	json_decref(j);
	snprintf(path, sizeof(path), "/roles?contact=%s", contact);
	j = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	j = call("GET", "/role-assignments", member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	/* Assigning a role to it: its contact does not exist for the member. */
	snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", abuse, contact);
	json_decref(call("POST", "/role-assignments", member_token, body, 400));
	/* Naming the other tenant's account: 403. */
	snprintf(body, sizeof(body), "{\"managing_account\": \"%s\"}", other);
	json_decref(call("POST", "/contacts", member_token, body, 403));
	snprintf(body, sizeof(body), "{\"consuming_account\": \"%s\"}", other);
	json_decref(call("POST", "/contacts", member_token, body, 403));

	/* Nothing changed. */
	char value[64], sql[160];
	snprintf(sql, sizeof(sql),
		 "SELECT coalesce(name, '-') || (SELECT count(*) FROM role_assignments) FROM contacts WHERE id = %s",
		 contact);
	itest_sql_value(sql, value, sizeof(value));
	assert_string_equal(value, "-1");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contacts WHERE managing_account = %s", other);
	itest_sql_value(sql, value, sizeof(value));
	assert_string_equal(value, "1");

	/* Deleting the account takes its contacts and their assignments along. */
	snprintf(path, sizeof(path), "/accounts/%s", other);
	json_decref(call("DELETE", path, operator_token, NULL, 200));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM contacts WHERE id = %s", contact);
	itest_sql_value(sql, value, sizeof(value));
	assert_string_equal(value, "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_contact_lifecycle_and_required_fields),
		cmocka_unit_test(test_contact_validation),
		cmocka_unit_test(test_tenant_isolation),
	};
	return cmocka_run_group_tests_name("contacts (integration)", tests, setup, teardown);
}
