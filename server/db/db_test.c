/*
 * Unit tests of the db layer's pure parts: naming the property of a
 * constraint violation, and the one mapping of SQL errors to problems
 * (rule failures raised by SQL, constraint violations, retryable ones).
 */
#include "db/db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static void test_property_of_error(void **state)
{
	(void)state;
	char out[64];
	db_property_of_error("contacts", "contacts_email_check", NULL, out, sizeof(out));
	assert_string_equal(out, "email");
	db_property_of_error("macs", "macs_managing_account_fkey", NULL, out, sizeof(out));
	assert_string_equal(out, "managing_account");
	db_property_of_error("api_keys", "api_keys_api_key_key", NULL, out, sizeof(out));
	assert_string_equal(out, "api_key");
	db_property_of_error("accounts", "accounts_check", NULL, out, sizeof(out));
	assert_string_equal(out, "non_field_errors"); /* a table-wide check names no property */
	db_property_of_error("macs", "macs_address_check", "address", out, sizeof(out));
	assert_string_equal(out, "address");
	db_property_of_error(NULL, NULL, NULL, out, sizeof(out));
	assert_string_equal(out, "non_field_errors");
	db_property_of_error(NULL, "role_assignments_contact_role_key", NULL, out, sizeof(out));
	assert_string_equal(out, "role_assignments_contact_role");
}

/* Maps e and checks the problem: status, the one property named and its
 * reason (NULL: no property), the SQLSTATE it carries, retryable or not. */
static void expect_mapping(const struct db_error_fields *e, int status, const char *property, const char *reason,
			   bool retryable)
{
	struct problem *p = db_problem_of_error(e);
	assert_int_equal(problem_status(p), status);
	assert_string_equal(problem_sqlstate(p), e->sqlstate ? e->sqlstate : "");
	assert_int_equal(db_problem_is_retryable(p), retryable);
	json_t *j = problem_to_json(p, NULL);
	json_t *j_props = json_object_get(j, "properties");
	if (property) {
		assert_int_equal(json_array_size(j_props), 1);
		assert_string_equal(json_string_value(json_object_get(json_array_get(j_props, 0), "name")), property);
		assert_string_equal(json_string_value(json_object_get(json_array_get(j_props, 0), "reason")), reason);
	} else
		assert_int_equal(json_array_size(j_props), 0);
	json_decref(j);
	problem_free(p);
}

static void test_rule_failure_raised_by_sql(void **state)
{
	(void)state;
	/* The one convention: SQLSTATE IX400, COLUMN names the property,
	 * MESSAGE is the reason, whatever table or constraint is named. */
	assert_string_equal(DB_SQLSTATE_RULE, "IX400");
	struct db_error_fields e = {.sqlstate = "IX400",
				    .table = "ips",
				    .column = "address",
				    .message = "192.0.2.1 is the address of route server rs1."};
	expect_mapping(&e, 400, "address", "192.0.2.1 is the address of route server rs1.", false);
	e = (struct db_error_fields){.sqlstate = "IX400", .constraint = "ips_address_check", .message = "No."};
	expect_mapping(&e, 400, "non_field_errors", "No.", false);
	e = (struct db_error_fields){.sqlstate = "IX400", .column = "prefix_length"};
	expect_mapping(&e, 400, "prefix_length", "Invalid value.", false);
	/* Any other raised exception is a bug of ours: 500, no property. */
	e = (struct db_error_fields){.sqlstate = "P0001", .column = "address", .message = "boom"};
	expect_mapping(&e, 500, NULL, NULL, false);
}

static void test_constraint_violations(void **state)
{
	(void)state;
	struct db_error_fields e = {.sqlstate = "23505", .table = "api_keys", .constraint = "api_keys_api_key_key"};
	expect_mapping(&e, 400, "api_key", "An object with this value already exists.", false);
	e = (struct db_error_fields){.sqlstate = "23503", .table = "macs", .constraint = "macs_managing_account_fkey"};
	expect_mapping(&e, 400, "managing_account", "Refers to an object that does not exist or is still in use.",
		       false);
	e = (struct db_error_fields){.sqlstate = "23514", .table = "contacts", .constraint = "contacts_email_check"};
	expect_mapping(&e, 400, "email", "Invalid value.", false);
	e = (struct db_error_fields){.sqlstate = "22P02"};
	expect_mapping(&e, 400, "non_field_errors", "Invalid value.", false);
	/* Unique constraints with their own words, from the one table. */
	e = (struct db_error_fields){
		.sqlstate = "23505", .table = "role_assignments", .constraint = "role_assignments_contact_role_key"};
	expect_mapping(&e, 400, "role", "The contact already holds this role.", false);
	e = (struct db_error_fields){.sqlstate = "23505", .table = "ips", .constraint = "ips_address_key"};
	expect_mapping(&e, 400, "address", "The address is held by another config on this LAN.", false);
}

static void test_unavailable_and_retryable(void **state)
{
	(void)state;
	struct db_error_fields e = {.sqlstate = "40001"};
	expect_mapping(&e, 503, NULL, NULL, true); /* serialization failure: the transaction runs again */
	e = (struct db_error_fields){.sqlstate = "40P01"};
	expect_mapping(&e, 503, NULL, NULL, true); /* deadlock */
	e = (struct db_error_fields){.sqlstate = "57014"};
	expect_mapping(&e, 503, NULL, NULL, false); /* statement timeout: the client comes back */
	e = (struct db_error_fields){.sqlstate = "55P03"};
	expect_mapping(&e, 503, NULL, NULL, false);
	e = (struct db_error_fields){.sqlstate = "08006"};
	expect_mapping(&e, 503, NULL, NULL, false);
	e = (struct db_error_fields){.sqlstate = NULL};
	expect_mapping(&e, 503, NULL, NULL, false);
	e = (struct db_error_fields){.sqlstate = "XX000", .message = "internal"};
	expect_mapping(&e, 500, NULL, NULL, false);
	assert_false(db_problem_is_retryable(NULL));
	struct problem *p = problem_new(PROBLEM_UNAVAILABLE, "not from the database");
	assert_false(db_problem_is_retryable(p));
	assert_string_equal(problem_sqlstate(p), "");
	problem_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_property_of_error),
		cmocka_unit_test(test_rule_failure_raised_by_sql),
		cmocka_unit_test(test_constraint_violations),
		cmocka_unit_test(test_unavailable_and_retryable),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
