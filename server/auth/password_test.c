/*
 * Unit tests of API key generation and argon2id secret hashing.
 */
#include "auth/password.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	(void)state;
	return password_init();
}

static void test_hash_and_verify(void **state)
{
	(void)state;
	char secret[PASSWORD_API_SECRET_LEN + 1];
	password_random_string(secret, PASSWORD_API_SECRET_LEN);
	char *h1 = password_hash_new(secret);
	char *h2 = password_hash_new(secret);
	assert_non_null(h1);
	assert_non_null(h2);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_string_not_equal(h1, h2); /* salted */
	assert_null(strstr(h1, secret));
	assert_true(password_verify(h1, secret));
	assert_true(password_verify(h2, secret));
	secret[5] = secret[5] == 'a' ? 'b' : 'a';
	assert_false(password_verify(h1, secret));
	assert_false(password_verify(h1, ""));
	assert_false(password_verify("not a hash", secret));
	password_burn_time(secret); /* must simply return */
	free(h1);
	free(h2);
}

static void test_random_strings(void **state)
{
	(void)state;
	char key[PASSWORD_API_KEY_LEN + 1], other[PASSWORD_API_KEY_LEN + 1];
	password_random_string(key, PASSWORD_API_KEY_LEN);
	password_random_string(other, PASSWORD_API_KEY_LEN);
	assert_int_equal(strlen(key), 16);
	assert_string_not_equal(key, other);
	int seen[256] = {0};
	char buf[10001];
	password_random_string(buf, 10000);
	assert_int_equal(strlen(buf), 10000);
	for (size_t i = 0; i < 10000; i++) {
		assert_true(isalnum((unsigned char)buf[i]));
		seen[(unsigned char)buf[i]]++;
	}
	int distinct = 0;
	for (int c = 0; c < 256; c++)
		if (seen[c]) {
			distinct++;
			/* 10000 / 62 = 161 expected; a fair generator stays far from these bounds. */
			assert_in_range(seen[c], 80, 260);
		}
	assert_int_equal(distinct, 62);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_and_verify),
		cmocka_unit_test(test_random_strings),
	};
	return cmocka_run_group_tests_name("password", tests, setup, NULL);
}
