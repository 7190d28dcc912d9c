/*
 * Unit tests of the e-signature callback's signature check
 * (agreements_signature_ok): RFC 4231's HMAC-SHA256 test case 2 as
 * DocuSign Connect sends it (base64), and what must not pass.
 */
#include "onboarding/agreements.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#define KEY  "Jefe"
#define BODY "what do ya want for nothing?"
#define SIG  "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=" /* 5bdcc146...b964ec3843 */

static void test_rfc4231_vector(void **state)
{
	(void)state;
	assert_true(agreements_signature_ok(KEY, BODY, strlen(BODY), SIG));
}

static void test_refusals(void **state)
{
	(void)state;
	/* another body, key or signature */
	assert_false(agreements_signature_ok(KEY, BODY " ", strlen(BODY) + 1, SIG));
	assert_false(agreements_signature_ok(KEY, BODY, strlen(BODY) - 1, SIG));
	assert_false(agreements_signature_ok("jefe", BODY, strlen(BODY), SIG));
	assert_false(agreements_signature_ok(KEY, BODY, strlen(BODY), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEN="));
	/* no key, no header, not base64, a truncated or longer MAC, hex instead of base64 */
	assert_false(agreements_signature_ok("", BODY, strlen(BODY), SIG));
	assert_false(agreements_signature_ok(NULL, BODY, strlen(BODY), SIG));
	assert_false(agreements_signature_ok(KEY, BODY, strlen(BODY), NULL));
	assert_false(agreements_signature_ok(KEY, BODY, strlen(BODY), ""));
	assert_false(agreements_signature_ok(KEY, BODY, strlen(BODY), "!!!not base64!!!"));
	assert_false(agreements_signature_ok(KEY, BODY, strlen(BODY), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTs"));
	assert_false(agreements_signature_ok(KEY, BODY, strlen(BODY), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEMA"));
	assert_false(agreements_signature_ok(KEY, BODY, strlen(BODY),
					     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4231_vector),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("agreements", tests, NULL, NULL);
}
