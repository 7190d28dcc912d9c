/*
 * Integration tests of /auth/token and /auth/refresh and of bearer-token
 * checking on protected routes: the happy path and every rejection.
 */
#include "harness.h"

#include "auth/jwt_tokens.h"
#include "core/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;
static struct itest_server node2; /* a second node on the same database, while a test needs it */

static int setup(void **state)
{
	(void)state;
	return itest_start(&srv);
}

static int teardown(void **state)
{
	(void)state;
	if (node2.pid > 0)
		itest_stop_server(&node2);
	return itest_finish(&srv) == 0 ? 0 : -1;
}

static long get_account(const char *token, struct http_result *r)
{
	assert_int_equal(http_call(&srv, "GET", "/account", token, NULL, NULL, r), 0);
	return r->status;
}

/* The server's signer, read from the key file it created. */
static void load_signer(struct token_signer *s)
{
	char path[512], err[256];
	snprintf(path, sizeof(path), "%s/jwt.key", srv.workdir);
	assert_int_equal(token_key_load_or_create(path, s, err, sizeof(err)), 0);
	snprintf(s->issuer, sizeof(s->issuer), "ixapid");
}

static void test_token_happy_path(void **state)
{
	(void)state;
	char body[512];
	snprintf(body, sizeof(body), "{\"api_key\": \"%s\", \"api_secret\": \"%s\", \"extra\": 1}",
		 srv.member_creds.api_key, srv.member_creds.api_secret);
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/auth/token", NULL, body, NULL, &r), 0);
	assert_int_equal(r.status, 201);
	assert_true(json_is_string(json_object_get(r.j, "access_token")));
	assert_true(json_is_string(json_object_get(r.j, "refresh_token")));
	char *access = strdup(json_string_value(json_object_get(r.j, "access_token")));
	http_result_free(&r);

	/* Claims: sub is the account id as a string, iat/exp integers, 1 hour. */
	struct token_signer signer;
	load_signer(&signer);
	struct token_claims c;
	struct problem *p = token_verify(&signer, access, TOKEN_ACCESS, util_now_s(), &c);
	assert_null(p);
	assert_string_equal(c.sub, srv.member_creds.account);
	assert_int_equal(c.role, TOKEN_ROLE_MEMBER);
	assert_int_equal(c.exp - c.iat, 3600);

	assert_int_equal(get_account(access, &r), 200);
	http_result_free(&r);
	free(access);
}

static void test_token_rejections(void **state)
{
	(void)state;
	struct http_result r;
	char body[512];
	/* Wrong secret, unknown key, key of the wrong length: 401 authentication-error. */
	snprintf(body, sizeof(body), "{\"api_key\": \"%s\", \"api_secret\": \"wrong\"}", srv.member_creds.api_key);
	assert_int_equal(http_call(&srv, "POST", "/auth/token", NULL, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "POST", "/auth/token", NULL,
				   "{\"api_key\": \"AAAAAAAAAAAAAAAA\", \"api_secret\": \"x\"}", NULL, &r),
			 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "POST", "/auth/token", NULL, "{\"api_key\": \"short\", \"api_secret\": \"x\"}",
				   NULL, &r),
			 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	/* Missing fields: 400 naming them. */
	assert_int_equal(http_call(&srv, "POST", "/auth/token", NULL, "{}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_non_null(strstr(r.body, "api_key"));
	assert_non_null(strstr(r.body, "api_secret"));
	http_result_free(&r);
}

static void test_refresh_rotation(void **state)
{
	(void)state;
	char *refresh = NULL;
	char *access = itest_login(&srv, &srv.member_creds, &refresh);
	assert_non_null(access);
	char body[2048];
	snprintf(body, sizeof(body), "{\"refresh_token\": \"%s\"}", refresh);
	/* A client that also sends the refresh token as bearer must not be refused. */
	char auth[2048];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", refresh);
	const char *headers[] = {auth, NULL};
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/auth/refresh", NULL, body, headers, &r), 0);
	assert_int_equal(r.status, 201);
	char *access2 = strdup(json_string_value(json_object_get(r.j, "access_token")));
	char *refresh2 = strdup(json_string_value(json_object_get(r.j, "refresh_token")));
	http_result_free(&r);
	assert_int_equal(get_account(access2, &r), 200);
	http_result_free(&r);

	/* The new one works (once). */
	char body2[2048];
	snprintf(body2, sizeof(body2), "{\"refresh_token\": \"%s\"}", refresh2);
	assert_int_equal(http_call(&srv, "POST", "/auth/refresh", NULL, body2, NULL, &r), 0);
	assert_int_equal(r.status, 201);
	http_result_free(&r);
	/* The used refresh tokens are revoked. */
	assert_int_equal(http_call(&srv, "POST", "/auth/refresh", NULL, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "POST", "/auth/refresh", NULL, body2, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);

	/* An access token is not a refresh token, and vice versa. */
	snprintf(body, sizeof(body), "{\"refresh_token\": \"%s\"}", access);
	assert_int_equal(http_call(&srv, "POST", "/auth/refresh", NULL, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	assert_int_equal(get_account(refresh2, &r), 401);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	free(access);
	free(access2);
	free(refresh);
	free(refresh2);
}

static void test_refresh_reuse_revokes_the_family(void **state)
{
	(void)state;
	char *r1 = NULL;
	char *access = itest_login(&srv, &srv.member_creds, &r1);
	char body[2048];
	snprintf(body, sizeof(body), "{\"refresh_token\": \"%s\"}", r1);
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/auth/refresh", NULL, body, NULL, &r), 0);
	assert_int_equal(r.status, 201);
	char *r2 = strdup(json_string_value(json_object_get(r.j, "refresh_token")));
	http_result_free(&r);
	/* r1 is replayed (stolen?): refused, and r2 dies with it. */
	assert_int_equal(http_call(&srv, "POST", "/auth/refresh", NULL, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	snprintf(body, sizeof(body), "{\"refresh_token\": \"%s\"}", r2);
	assert_int_equal(http_call(&srv, "POST", "/auth/refresh", NULL, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	/* Logging in with the key still works. */
	char *again = itest_login(&srv, &srv.member_creds, NULL);
	assert_non_null(again);
	free(again);
	free(access);
	free(r1);
	free(r2);
}

static void test_bearer_rejections(void **state)
{
	(void)state;
	struct http_result r;
	/* No header: authentication-error (as 2.1.0 lists), with WWW-Authenticate. */
	assert_int_equal(get_account(NULL, &r), 401);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	assert_string_equal(r.www_authenticate, "Bearer");
	http_result_free(&r);
	/* Garbage. */
	assert_int_equal(get_account("garbage", &r), 401);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	const char *basic[] = {"Authorization: Basic dXNlcjpwYXNz", NULL};
	assert_int_equal(http_call(&srv, "GET", "/account", NULL, NULL, basic, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);

	struct token_signer signer;
	load_signer(&signer);
	long long now = util_now_s();
	struct token_claims c = {.kind = TOKEN_ACCESS, .role = TOKEN_ROLE_OPERATOR, .iat = now, .exp = now + 600};
	snprintf(c.sub, sizeof(c.sub), "%s", srv.operator_creds.account);
	snprintf(c.jti, sizeof(c.jti), "testjti");
	snprintf(c.key_id, sizeof(c.key_id), "1");

	/* A token we sign ourselves with the server's key is accepted (control). */
	char *good = token_issue(&signer, &c);
	assert_int_equal(get_account(good, &r), 200);
	http_result_free(&r);

	/* Bad signature: flip the last character of the signature. */
	char *bad = strdup(good);
	size_t len = strlen(bad);
	bad[len - 1] = bad[len - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(get_account(bad, &r), 401);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	free(bad);

	/* alg none: the same payload with an unsigned header. */
	const char *dot = strchr(good, '.');
	const char *dot2 = strchr(dot + 1, '.');
	char *none = NULL;
	assert_true(asprintf(&none, "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.%.*s.", (int)(dot2 - dot - 1), dot + 1) > 0);
	assert_int_equal(get_account(none, &r), 401);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	free(none);

	/* Another key. */
	struct token_signer other = signer;
	other.key[0] ^= 0xff;
	char *foreign = token_issue(&other, &c);
	assert_int_equal(get_account(foreign, &r), 401);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	free(foreign);

	/* Expired: signature-expired. */
	c.iat = now - 7200;
	c.exp = now - 3600;
	char *expired = token_issue(&signer, &c);
	assert_int_equal(get_account(expired, &r), 401);
	assert_true(itest_is_problem(&r, 401, "signature-expired.html"));
	http_result_free(&r);
	free(expired);
	free(good);
}

static void test_key_file_survives_restart(void **state)
{
	(void)state;
	char *access = itest_login(&srv, &srv.operator_creds, NULL);
	assert_non_null(access);
	assert_int_equal(itest_stop_server(&srv), 0);
	assert_int_equal(itest_start_server(&srv), 0);
	struct http_result r;
	assert_int_equal(get_account(access, &r), 200);
	http_result_free(&r);
	free(access);
}

static void test_revoked_key_cannot_log_in(void **state)
{
	(void)state;
	struct itest_credentials creds;
	assert_int_equal(itest_create_key(&srv, srv.member_creds.account, false, &creds), 0);
	char *access = itest_login(&srv, &creds, NULL);
	assert_non_null(access);
	free(access);
	char sql[256];
	snprintf(sql, sizeof(sql), "UPDATE api_keys SET revoked_at = now() WHERE api_key = '%s'", creds.api_key);
	assert_int_equal(itest_sql(&srv, sql, NULL, 0), 0);
	assert_null(itest_login(&srv, &creds, NULL));
}

static long call_status(const struct itest_server *node, const char *method, const char *path, const char *token,
			const char *body)
{
	struct http_result r;
	assert_int_equal(http_call(node, method, path, token, body, NULL, &r), 0);
	long status = r.status;
	if (status == 401)
		assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	return status;
}

static long contacts_count(void)
{
	char n[32];
	assert_int_equal(itest_sql(&srv, "SELECT count(*) FROM contacts", n, sizeof(n)), 0);
	return atol(n);
}

/* A token whose key was revoked or deleted, or whose account was deleted,
 * is refused by the next request on every node, with no delay: a create
 * gets a 401 and creates nothing. Two server processes share the database;
 * both have used the token (so both hold pooled sessions) before the
 * revocation, which each time comes from outside the node being asked. */
static void test_revocation_reaches_every_node_at_once(void **state)
{
	(void)state;
	node2 = srv;
	node2.pid = 0; /* a process of its own */
	assert_int_equal(itest_start_server(&node2), 0);
	const struct itest_server *nodes[] = {&srv, &node2};
	char sql[512], body[512];
	char *operator_token = itest_login(&srv, &srv.operator_creds, NULL);
	assert_non_null(operator_token);
	for (int round = 0; round < 12; round++) {
		int how = round % 3; /* 0: revoked_at set, 1: key deleted, 2: account deleted */
		char account[24];
		snprintf(account, sizeof(account), "%s", srv.member_creds.account);
		if (how == 2) {
			snprintf(
				body, sizeof(body),
				"{\"name\": \"Leaving %d\", \"address\": {\"country\": \"DE\", \"locality\": \"Berlin\","
				" \"postal_code\": \"10115\", \"street_address\": \"A 1\"}}",
				round);
			json_t *j = itest_expect(&srv, "POST", "/accounts", operator_token, body, 201);
			snprintf(account, sizeof(account), "%s", json_string_value(json_object_get(j, "id")));
			json_decref(j);
		}
		struct itest_credentials creds;
		assert_int_equal(itest_create_key(&srv, account, false, &creds), 0);
		char *access = itest_login(&srv, &creds, NULL);
		assert_non_null(access);
		for (int n = 0; n < 2; n++)
			assert_int_equal(call_status(nodes[n], "GET", "/account", access, NULL), 200);
		long contacts_before = contacts_count();
		if (how == 0)
			snprintf(sql, sizeof(sql), "UPDATE api_keys SET revoked_at = now() WHERE api_key = '%s'",
				 creds.api_key);
		else if (how == 1)
			snprintf(sql, sizeof(sql), "DELETE FROM api_keys WHERE api_key = '%s'", creds.api_key);
		if (how < 2) {
			assert_int_equal(itest_sql(&srv, sql, NULL, 0), 0);
		} else {
			/* The operator deletes the account through the other node. */
			char path[64];
			snprintf(path, sizeof(path), "/accounts/%s", account);
			long st = call_status(nodes[(round + 1) % 2], "DELETE", path, operator_token, NULL);
			assert_true(st >= 200 && st < 300);
		}
		/* At once: the very next request, a write, on either node. */
		const struct itest_server *asked = nodes[round % 2];
		snprintf(body, sizeof(body), "{\"name\": \"After revocation %d\"}", round);
		assert_int_equal(call_status(asked, "POST", "/contacts", access, body), 401);
		assert_int_equal(contacts_count(), contacts_before);
		for (int n = 0; n < 2; n++)
			assert_int_equal(call_status(nodes[n], "GET", "/account", access, NULL), 401);
		free(access);
	}
	free(operator_token);
	/* Tokens of other keys are unaffected. */
	char *member = itest_login(&srv, &srv.member_creds, NULL);
	for (int n = 0; n < 2; n++)
		assert_int_equal(call_status(nodes[n], "GET", "/account", member, NULL), 200);
	free(member);
	/* The revocations carry ids only: nothing secret is announced. */
	char leaked[16];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM auth_revocations WHERE kind NOT IN ('key', 'account') OR object_id <= 0");
	assert_int_equal(itest_sql(&srv, sql, leaked, sizeof(leaked)), 0);
	assert_string_equal(leaked, "0");
	assert_int_equal(itest_stop_server(&node2), 0);
}

/* A node that starts after a revocation learns it from the table. */
static void test_revocation_survives_a_restart(void **state)
{
	(void)state;
	struct itest_credentials creds;
	assert_int_equal(itest_create_key(&srv, srv.member_creds.account, false, &creds), 0);
	char *access = itest_login(&srv, &creds, NULL);
	assert_non_null(access);
	assert_int_equal(itest_stop_server(&srv), 0);
	char sql[256];
	snprintf(sql, sizeof(sql), "UPDATE api_keys SET revoked_at = now() WHERE api_key = '%s'", creds.api_key);
	assert_int_equal(itest_sql(&srv, sql, NULL, 0), 0);
	assert_int_equal(itest_start_server(&srv), 0);
	assert_int_equal(call_status(&srv, "POST", "/contacts", access, "{\"name\": \"After restart\"}"), 401);
	assert_int_equal(call_status(&srv, "GET", "/account", access, NULL), 401);
	free(access);
}

/* Hand-made tokens signed with the server's own key: another issuer, an iat
 * or nbf in the future (beyond a minute of clock skew) are refused. */
static void test_bearer_claims(void **state)
{
	(void)state;
	struct token_signer signer;
	load_signer(&signer);
	long long now = util_now_s();
	struct {
		const char *issuer;
		long long iat_offset;
		long status;
	} cases[] = {
		{"ixapid", 0, 200},
		{"ixapid", 30, 200},
		{"someone-else", 0, 401},
		{"ixapid", 600, 401},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct token_signer s = signer;
		snprintf(s.issuer, sizeof(s.issuer), "%s", cases[i].issuer);
		struct token_claims c = {.kind = TOKEN_ACCESS,
					 .role = TOKEN_ROLE_MEMBER,
					 .iat = now + cases[i].iat_offset,
					 .exp = now + 3600};
		snprintf(c.sub, sizeof(c.sub), "%s", srv.member_creds.account);
		snprintf(c.jti, sizeof(c.jti), "hand-made-%zu", i);
		snprintf(c.key_id, sizeof(c.key_id), "1");
		char *t = token_issue(&s, &c);
		assert_non_null(t);
		assert_int_equal(call_status(&srv, "GET", "/account", t, NULL), cases[i].status);
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_happy_path),
		cmocka_unit_test(test_token_rejections),
		cmocka_unit_test(test_refresh_rotation),
		cmocka_unit_test(test_refresh_reuse_revokes_the_family),
		cmocka_unit_test(test_bearer_rejections),
		cmocka_unit_test(test_key_file_survives_restart),
		cmocka_unit_test(test_revoked_key_cannot_log_in),
		cmocka_unit_test(test_revocation_reaches_every_node_at_once),
		cmocka_unit_test(test_revocation_survives_a_restart),
		cmocka_unit_test(test_bearer_claims),
	};
	return cmocka_run_group_tests_name("auth (integration)", tests, setup, teardown);
}
