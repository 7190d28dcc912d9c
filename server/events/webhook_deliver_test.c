/*
 * Unit tests of the webhooks' signature header: HMAC-SHA256 over
 * "<t>.<body>" keyed with the secret's text, as a receiver computes it
 * (the expected values come from `openssl dgst -sha256 -hmac`).
 */
#include "events/webhook_deliver.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

static void test_signature_matches_openssl(void **state)
{
	(void)state;
	char out[160];
	/* printf '1700000000.{"id":"1"}' | openssl dgst -sha256 -hmac 0011...eeff */
	webhook_signature("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1700000000LL,
			  "{\"id\":\"1\"}", out, sizeof(out));
	assert_string_equal(out, "t=1700000000,v1=bb493c38923d9a6be235e31773132c098eb0c68ba85af9955ba9a4f7437558e9");
}

static void test_signature_depends_on_time_body_and_key(void **state)
{
	(void)state;
	const char *key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	char a[160], b[160];
	webhook_signature(key, 1700000000LL, "{\"id\":\"1\"}", a, sizeof(a));
	webhook_signature(key, 1700000001LL, "{\"id\":\"1\"}", b, sizeof(b));
	assert_string_not_equal(strchr(a, ','), strchr(b, ','));
	webhook_signature(key, 1700000000LL, "{\"id\":\"2\"}", b, sizeof(b));
	assert_string_not_equal(a, b);
	webhook_signature("ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1700000000LL,
			  "{\"id\":\"1\"}", b, sizeof(b));
	assert_string_not_equal(a, b);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_matches_openssl),
		cmocka_unit_test(test_signature_depends_on_time_body_and_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
