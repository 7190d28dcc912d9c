/*
 * Unit tests of token signing and verification, and of the key file.
 */
#include "auth/jwt_tokens.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jwt.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct token_signer signer;
static char key_path[256];

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	char dir[] = "/tmp/ixapi-jwt-XXXXXX";
	if (!mkdtemp(dir))
		return -1;
	snprintf(key_path, sizeof(key_path), "%s/keys/jwt.key", dir);
	char err[256];
	return token_key_load_or_create(key_path, &signer, err, sizeof(err));
}

static int teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'", (int)(strstr(key_path, "/keys") - key_path), key_path);
	return system(cmd) == 0 ? 0 : -1;
}

static struct token_claims claims(enum token_kind kind, long long iat, long long exp)
{
	struct token_claims c = {.kind = kind, .role = TOKEN_ROLE_OPERATOR, .iat = iat, .exp = exp};
	snprintf(c.sub, sizeof(c.sub), "42");
	snprintf(c.jti, sizeof(c.jti), "abcdefghijklmnopqrstuvwxyz012345");
	snprintf(c.key_id, sizeof(c.key_id), "7");
	return c;
}

static void expect_problem(const char *token, enum token_kind kind, long long now, enum problem_kind expected)
{
	struct token_claims out;
	struct problem *p = token_verify(&signer, token, kind, now, &out);
	assert_non_null(p);
	assert_int_equal(problem_kind_of(p), expected);
	if (token && strlen(token) > 20)
		assert_null(strstr(problem_detail(p), token)); /* never echo a token */
	assert_string_equal(out.sub, "");
	problem_free(p);
}

/* Base64url of a JSON text, for hand-made tokens. */
static void b64(const char *json, char *out, size_t len)
{
	sodium_bin2base64(out, len, (const unsigned char *)json, strlen(json),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void test_round_trip(void **state)
{
	(void)state;
	for (int kind = TOKEN_ACCESS; kind <= TOKEN_REFRESH; kind++) {
		struct token_claims c = claims((enum token_kind)kind, 1000, 5000);
		c.role = kind == TOKEN_ACCESS ? TOKEN_ROLE_MEMBER : TOKEN_ROLE_OPERATOR;
		char *t = token_issue(&signer, &c);
		assert_non_null(t);
		struct token_claims out;
		assert_null(token_verify(&signer, t, (enum token_kind)kind, 4999, &out));
		assert_string_equal(out.sub, "42");
		assert_string_equal(out.jti, c.jti);
		assert_string_equal(out.key_id, "7");
		assert_int_equal(out.iat, 1000);
		assert_int_equal(out.exp, 5000);
		assert_int_equal(out.kind, kind);
		assert_int_equal(out.role, c.role);
		free(t);
	}
}

static void test_integer_claims(void **state)
{
	(void)state;
	struct token_claims c = claims(TOKEN_ACCESS, 1700000000, 1700003600);
	char *t = token_issue(&signer, &c);
	const char *p1 = strchr(t, '.') + 1;
	size_t len = (size_t)(strchr(p1, '.') - p1);
	unsigned char payload[1024];
	size_t n = 0;
	assert_int_equal(sodium_base642bin(payload, sizeof(payload), p1, len, NULL, &n, NULL,
					   sodium_base64_VARIANT_URLSAFE_NO_PADDING),
			 0);
	json_t *j = json_loadb((const char *)payload, n, 0, NULL);
	assert_true(json_is_integer(json_object_get(j, "iat")));
	assert_true(json_is_integer(json_object_get(j, "exp")));
	assert_true(json_is_string(json_object_get(j, "sub")));
	assert_string_equal(json_string_value(json_object_get(j, "iss")), "ixapid");
	assert_string_equal(json_string_value(json_object_get(j, "typ")), "access");
	assert_string_equal(json_string_value(json_object_get(j, "role")), "operator");
	json_decref(j);
	free(t);
}

static void test_tampering(void **state)
{
	(void)state;
	struct token_claims c = claims(TOKEN_ACCESS, 1000, 5000);
	char *t = token_issue(&signer, &c);
	/* Signature flipped. */
	char *bad = strdup(t);
	bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
	expect_problem(bad, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	free(bad);
	/* Payload swapped for one claiming another account, old signature kept. */
	char payload[256], forged[1024];
	b64("{\"iss\":\"ixapid\",\"sub\":\"1\",\"iat\":1000,\"exp\":5000,\"typ\":\"access\",\"role\":\"operator\",\"jti\":\"x\",\"key\":\"7\"}",
	    payload, sizeof(payload));
	const char *dot1 = strchr(t, '.');
	const char *dot2 = strchr(dot1 + 1, '.');
	snprintf(forged, sizeof(forged), "%.*s.%s%s", (int)(dot1 - t), t, payload, dot2);
	expect_problem(forged, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	/* Signed with another key. */
	struct token_signer other = signer;
	other.key[3] ^= 0x55;
	char *foreign = token_issue(&other, &c);
	expect_problem(foreign, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	free(foreign);
	/* Another issuer. */
	struct token_signer iss = signer;
	snprintf(iss.issuer, sizeof(iss.issuer), "someone-else");
	char *wrong_iss = token_issue(&iss, &c);
	expect_problem(wrong_iss, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	free(wrong_iss);
	free(t);
}

static void test_algorithms(void **state)
{
	(void)state;
	char header[128], payload[256], token[1024];
	b64("{\"iss\":\"ixapid\",\"sub\":\"42\",\"iat\":1000,\"exp\":5000,\"typ\":\"access\",\"role\":\"operator\",\"jti\":\"x\",\"key\":\"7\"}",
	    payload, sizeof(payload));
	/* alg none, with and without a signature part. */
	b64("{\"alg\":\"none\",\"typ\":\"JWT\"}", header, sizeof(header));
	snprintf(token, sizeof(token), "%s.%s.", header, payload);
	expect_problem(token, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	snprintf(token, sizeof(token), "%s.%s.c2lnbmF0dXJl", header, payload);
	expect_problem(token, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	b64("{\"alg\":\"NONE\"}", header, sizeof(header));
	snprintf(token, sizeof(token), "%s.%s.", header, payload);
	expect_problem(token, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	/* HS512 signed with the right key: still refused (only HS256). */
	jwt_t *jwt = NULL;
	assert_int_equal(jwt_new(&jwt), 0);
	jwt_add_grant(jwt, "iss", "ixapid");
	jwt_add_grant(jwt, "sub", "42");
	jwt_add_grant_int(jwt, "iat", 1000);
	jwt_add_grant_int(jwt, "exp", 5000);
	jwt_add_grant(jwt, "typ", "access");
	jwt_add_grant(jwt, "role", "operator");
	jwt_add_grant(jwt, "jti", "x");
	jwt_add_grant(jwt, "key", "7");
	jwt_set_alg(jwt, JWT_ALG_HS512, signer.key, (int)signer.key_len);
	char *hs512 = jwt_encode_str(jwt);
	jwt_free(jwt);
	expect_problem(hs512, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	free(hs512);
	/* No alg at all. */
	b64("{\"typ\":\"JWT\"}", header, sizeof(header));
	snprintf(token, sizeof(token), "%s.%s.abc", header, payload);
	expect_problem(token, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
}

/* A token signed with the right key and chosen times; nbf_json is the raw
 * JSON of an nbf claim, or NULL for none. */
static char *timed_token(long long iat, long long exp, const char *nbf_json)
{
	jwt_t *jwt = NULL;
	assert_int_equal(jwt_new(&jwt), 0);
	char grants[512];
	snprintf(
		grants, sizeof(grants),
		"{\"iss\":\"ixapid\",\"sub\":\"42\",\"iat\":%lld,\"exp\":%lld,\"typ\":\"access\",\"role\":\"member\",\"jti\":\"x\",\"key\":\"7\"%s%s}",
		iat, exp, nbf_json ? ",\"nbf\":" : "", nbf_json ? nbf_json : "");
	assert_int_equal(jwt_add_grants_json(jwt, grants), 0);
	assert_int_equal(jwt_set_alg(jwt, JWT_ALG_HS256, signer.key, (int)signer.key_len), 0);
	char *t = jwt_encode_str(jwt);
	jwt_free(jwt);
	assert_non_null(t);
	return t;
}

static void expect_accepted(const char *token, long long now)
{
	struct token_claims out;
	struct problem *p = token_verify(&signer, token, TOKEN_ACCESS, now, &out);
	if (p)
		fail_msg("refused: %s", problem_detail(p));
	assert_string_equal(out.sub, "42");
}

/* iat and nbf in the future beyond the leeway, exp not after iat: refused;
 * within the leeway (clock skew between nodes): accepted. */
static void test_times(void **state)
{
	(void)state;
	const long long now = 100000;
	struct {
		long long iat, exp;
		const char *nbf;
		bool accepted;
	} cases[] = {
		{now, now + 3600, NULL, true},
		{now + TOKEN_LEEWAY_S, now + 3600, NULL, true},
		{now + TOKEN_LEEWAY_S + 1, now + 3600, NULL, false},
		{now + 86400, now + 90000, NULL, false},
		{now, now + 3600, "100000", true},
		{now, now + 3600, "100060", true},
		{now, now + 3600, "100061", false},
		{now, now + 3600, "999999999", false},
		{now, now + 3600, "\"100000\"", false},
		{now, now + 3600, "100000.5", false},
		{now, now, NULL, false},
		{now, now - 10, NULL, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = timed_token(cases[i].iat, cases[i].exp, cases[i].nbf);
		if (cases[i].accepted)
			expect_accepted(t, now);
		else
			expect_problem(t, TOKEN_ACCESS, now, PROBLEM_AUTHENTICATION);
		free(t);
	}
}

static void test_kinds_and_expiry(void **state)
{
	(void)state;
	struct token_claims c = claims(TOKEN_REFRESH, 1000, 5000);
	char *refresh = token_issue(&signer, &c);
	expect_problem(refresh, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	c.kind = TOKEN_ACCESS;
	char *access = token_issue(&signer, &c);
	expect_problem(access, TOKEN_REFRESH, 2000, PROBLEM_AUTHENTICATION);
	expect_problem(access, TOKEN_ACCESS, 5000, PROBLEM_SIGNATURE_EXPIRED);
	expect_problem(access, TOKEN_ACCESS, 9000, PROBLEM_SIGNATURE_EXPIRED);
	free(refresh);
	free(access);
}

static void test_garbage(void **state)
{
	(void)state;
	const char *garbage[] = {NULL, "", "a", "a.b", "a.b.c", "...", "..", "a.b.c.d", "eyJ.eyJ.x", "Bearer x.y.z"};
	for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++)
		expect_problem(garbage[i], TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	char *huge = malloc(TOKEN_MAX_LEN + 10);
	memset(huge, 'a', TOKEN_MAX_LEN + 9);
	huge[10] = '.';
	huge[20] = '.';
	huge[TOKEN_MAX_LEN + 9] = '\0';
	expect_problem(huge, TOKEN_ACCESS, 2000, PROBLEM_AUTHENTICATION);
	free(huge);
}

static void test_key_file(void **state)
{
	(void)state;
	struct stat st;
	assert_int_equal(stat(key_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 64);
	struct token_signer again;
	char err[256];
	assert_int_equal(token_key_load_or_create(key_path, &again, err, sizeof(err)), 0);
	assert_memory_equal(again.key, signer.key, 64);
	/* Readable by others: refused. */
	assert_int_equal(chmod(key_path, 0644), 0);
	assert_int_equal(token_key_load_or_create(key_path, &again, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "chmod 600"));
	assert_int_equal(chmod(key_path, 0600), 0);
	/* Wrong size: refused. */
	char short_path[300];
	snprintf(short_path, sizeof(short_path), "%s.short", key_path);
	FILE *f = fopen(short_path, "w");
	fputs("tiny", f);
	fclose(f);
	chmod(short_path, 0600);
	assert_int_equal(token_key_load_or_create(short_path, &again, err, sizeof(err)), -1);
	unlink(short_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),       cmocka_unit_test(test_integer_claims),
		cmocka_unit_test(test_tampering),        cmocka_unit_test(test_algorithms),
		cmocka_unit_test(test_kinds_and_expiry), cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_key_file),         cmocka_unit_test(test_times),
	};
	return cmocka_run_group_tests_name("jwt_tokens", tests, setup, teardown);
}
