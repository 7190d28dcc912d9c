/*
 * Token handlers (see auth.h). The slow secret check runs without holding a
 * database connection, so a burst of logins cannot starve the pool.
 */
#include "auth/auth.h"

#include "app.h"
#include "auth/auth_db.h"
#include "auth/jwt_tokens.h"
#include "auth/password.h"
#include "core/json_body.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Issues an access and a refresh token for one account; *refresh_jti gets the
 * refresh token's id. The response body takes both tokens. */
static struct problem *issue_pair(const struct request *req, const char *account_id, const char *key_id,
				  enum token_role role, char *refresh_jti, long long *refresh_exp, json_t **j_out)
{
	const struct app *app = req->app;
	long long now = util_now_s();
	struct token_claims claims = {
		.kind = TOKEN_ACCESS, .role = role, .iat = now, .exp = now + app->cfg->access_token_ttl_s};
	snprintf(claims.sub, sizeof(claims.sub), "%s", account_id);
	snprintf(claims.key_id, sizeof(claims.key_id), "%s", key_id);
	password_random_string(claims.jti, 32);
	char *access = token_issue(&app->signer, &claims);
	claims.kind = TOKEN_REFRESH;
	claims.exp = now + app->cfg->refresh_token_ttl_s;
	password_random_string(claims.jti, 32);
	char *refresh = token_issue(&app->signer, &claims);
	struct problem *p = NULL;
	if (!access || !refresh) {
		p = problem_new(PROBLEM_INTERNAL, "Could not sign the tokens.");
		goto out;
	}
	memcpy(refresh_jti, claims.jti, 33);
	*refresh_exp = claims.exp;
	*j_out = json_pack("{s:s, s:s}", "access_token", access, "refresh_token", refresh);
out:
	free(access);
	free(refresh);
	return p;
}

struct problem *auth_token_create(struct request *req, struct response *res)
{
	struct validation v = {0};
	const char *api_key = validation_string(&v, req->j_body, "api_key", "api_key", FIELD_REQUIRED, 0);
	const char *api_secret = validation_string(&v, req->j_body, "api_secret", "api_secret", FIELD_REQUIRED, 0);
	if (v.problem)
		return v.problem;

	struct api_key_record key;
	bool found = false;
	struct problem *p = NULL;
	json_t *j_tokens = NULL;
	/* Keys of the wrong length cannot exist: skip the lookup, not the hash. */
	if (strlen(api_key) == PASSWORD_API_KEY_LEN) {
		p = auth_db_find_key(req->app->pool, api_key, &key, &found);
		if (p)
			return p;
	}
	if (!found) {
		password_burn_time(api_secret);
		return problem_new(PROBLEM_AUTHENTICATION, "The API key or secret is not valid.");
	}
	snprintf(req->who.account, sizeof(req->who.account), "%s", key.account_id); /* for the log line */
	if (!password_verify(key.secret_hash, api_secret)) {
		p = problem_new(PROBLEM_AUTHENTICATION, "The API key or secret is not valid.");
		goto out;
	}
	char jti[33];
	long long exp = 0;
	p = issue_pair(req, key.account_id, key.key_id, key.role, jti, &exp, &j_tokens);
	if (!p)
		p = auth_db_store_refresh(req->app->pool, key.key_id, key.account_id, jti, exp, req->id);
	if (!p) {
		response_json(res, 201, j_tokens);
		j_tokens = NULL;
	}
out:
	json_decref(j_tokens);
	free(key.secret_hash);
	return p;
}

struct problem *auth_token_refresh(struct request *req, struct response *res)
{
	struct validation v = {0};
	const char *token = validation_string(&v, req->j_body, "refresh_token", "refresh_token", FIELD_REQUIRED, 0);
	if (v.problem)
		return v.problem;
	struct token_claims old;
	struct problem *p = token_verify(&req->app->signer, token, TOKEN_REFRESH, util_now_s(), &old);
	if (p)
		return p;
	snprintf(req->who.account, sizeof(req->who.account), "%.23s", old.sub);

	/* Sign first (cheap), then swap the old jti for the new one atomically. */
	char jti[33];
	long long exp = 0;
	json_t *j_tokens = NULL;
	p = issue_pair(req, old.sub, old.key_id, old.role, jti, &exp, &j_tokens);
	if (p)
		return p;
	char key_id[24];
	enum token_role role_now = old.role;
	p = auth_db_rotate_refresh(req->app->pool, old.jti, old.sub, jti, exp, key_id, sizeof(key_id), &role_now);
	/* Never carry an old role forward: a key whose role changed since the
	 * old token must log in again (the old refresh token is spent). */
	if (!p && role_now != old.role)
		p = problem_new(PROBLEM_AUTHENTICATION, "The API key's role changed; request a new token.");
	if (!p) {
		response_json(res, 201, j_tokens);
		j_tokens = NULL;
	}
	json_decref(j_tokens);
	return p;
}
