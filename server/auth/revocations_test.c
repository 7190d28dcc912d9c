/*
 * Unit tests of the revocation set: membership by kind, growth, payload
 * parsing, forgetting revocations older than the token window, and the
 * per-thread bearer check that statements run.
 */
#include "auth/revocations.h"

#include "core/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

static void test_membership_by_kind(void **state)
{
	(void)state;
	revocations_reset();
	revocations_init(3600);
	long long now = util_now_s();
	assert_false(revocations_contains(7, 42));
	revocations_note(REVOCATION_KEY, 7, now);
	assert_true(revocations_contains(7, 1));
	assert_false(revocations_contains(8, 7)); /* key 7 is not account 7 */
	revocations_note(REVOCATION_ACCOUNT, 42, now);
	assert_true(revocations_contains(99, 42));
	assert_false(revocations_contains(99, 43));
	/* Growth keeps every entry. */
	for (long long id = 1000; id < 3000; id++)
		revocations_note(REVOCATION_KEY, id, now);
	for (long long id = 1000; id < 3000; id++)
		assert_true(revocations_contains(id, 0));
	assert_false(revocations_contains(3000, 0));
	assert_true(revocations_contains(7, 0));
	revocations_reset();
	assert_false(revocations_contains(7, 42));
}

static void test_old_revocations_are_forgotten(void **state)
{
	(void)state;
	revocations_reset();
	revocations_init(3600);
	long long now = util_now_s();
	revocations_note(REVOCATION_KEY, 5, now - 7200); /* every token it concerned has expired */
	assert_false(revocations_contains(5, 0));
	revocations_note(REVOCATION_KEY, 6, now - 60);
	assert_true(revocations_contains(6, 0));
}

static void test_payloads(void **state)
{
	(void)state;
	enum revocation_kind kind;
	long long id = 0;
	assert_true(revocations_parse_payload("key:17", &kind, &id));
	assert_int_equal(kind, REVOCATION_KEY);
	assert_int_equal(id, 17);
	assert_true(revocations_parse_payload("account:4", &kind, &id));
	assert_int_equal(kind, REVOCATION_ACCOUNT);
	assert_int_equal(id, 4);
	const char *bad[] = {
		"", "key:", "key:0", "key:-1", "key:1x", "keys:1", "account", "user:3", "key:99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(revocations_parse_payload(bad[i], &kind, &id));
}

/* A new entry changes the generation (statements recheck their bearer),
 * a known one does not. The statement-side check itself needs a live
 * session: auth_itest covers it. */
static void test_bearer_generation(void **state)
{
	(void)state;
	revocations_reset();
	revocations_init(3600);
	unsigned long g0 = revocations_generation();
	revocations_note(REVOCATION_KEY, 11, util_now_s());
	assert_true(revocations_generation() != g0);
	unsigned long g1 = revocations_generation();
	revocations_note(REVOCATION_KEY, 11, util_now_s()); /* already known: no new generation */
	assert_true(revocations_generation() == g1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_membership_by_kind),
		cmocka_unit_test(test_old_revocations_are_forgotten),
		cmocka_unit_test(test_payloads),
		cmocka_unit_test(test_bearer_generation),
	};
	return cmocka_run_group_tests_name("revocations", tests, NULL, NULL);
}
