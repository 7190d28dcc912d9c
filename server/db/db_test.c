/*
 * Unit tests of the db layer's pure parts: naming the property of a
 * constraint violation.
 */
#include "db/db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_property_of_error),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
