/*
 * API key and refresh token storage (see auth_db.h).
 */
#include "auth/auth_db.h"

#include "core/util.h"
#include "db/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct problem *auth_db_find_key(struct db_pool *pool, const char *api_key, struct api_key_record *out, bool *found)
{
	memset(out, 0, sizeof(*out));
	*found = false;
	const char *params[] = {api_key};
	PGresult *res = NULL;
	struct problem *p = db_query(pool,
				     "SELECT id::text AS id, account_id::text AS account_id, role, secret_hash"
				     "  FROM api_keys WHERE api_key = $1 AND revoked_at IS NULL",
				     1, params, &res);
	if (!p && PQntuples(res) == 1) {
		snprintf(out->key_id, sizeof(out->key_id), "%s", db_get(res, 0, "id"));
		snprintf(out->account_id, sizeof(out->account_id), "%s", db_get(res, 0, "account_id"));
		out->secret_hash = xstrdup(db_get(res, 0, "secret_hash"));
		*found = token_role_parse(db_get(res, 0, "role"), &out->role);
	}
	PQclear(res);
	return p;
}

struct store_ctx {
	const char *key_id, *account_id, *jti, *request_id;
	char expires[24];
};

static struct problem *store_tx(PGconn *conn, void *arg)
{
	struct store_ctx *c = arg;
	const char *params[] = {c->jti, c->key_id, c->account_id, c->expires};
	struct problem *p = db_exec(conn,
				    "INSERT INTO refresh_tokens (jti, api_key_id, account_id, expires_at)"
				    " VALUES ($1, $2::bigint, $3::bigint, to_timestamp($4::bigint))",
				    4, params, NULL);
	if (!p)
		p = db_exec(conn, "UPDATE api_keys SET last_used_at = now() WHERE id = $1::bigint", 1, params + 1,
			    NULL);
	struct actor actor = {.key_id = c->key_id, .request_id = c->request_id};
	snprintf(actor.account, sizeof(actor.account), "%s", c->account_id);
	if (!p)
		p = events_record(conn, &actor, "login", "api_key", c->key_id, NULL, NULL);
	return p;
}

struct problem *auth_db_store_refresh(struct db_pool *pool, const char *key_id, const char *account_id, const char *jti,
				      long long expires_at, const char *request_id)
{
	struct store_ctx c = {.key_id = key_id, .account_id = account_id, .jti = jti, .request_id = request_id};
	snprintf(c.expires, sizeof(c.expires), "%lld", expires_at);
	return db_transaction(pool, store_tx, &c);
}

struct rotate_ctx {
	const char *old_jti, *account_id, *new_jti;
	char expires[24];
	char key_id[24];
	enum token_role role;
	bool has_role;
};

static struct problem *rotate_tx(PGconn *conn, void *arg)
{
	struct rotate_ctx *c = arg;
	const char *params[] = {c->old_jti, c->account_id, c->new_jti};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn,
				    "UPDATE refresh_tokens t SET revoked_at = now(), replaced_by = $3"
				    "  FROM api_keys k"
				    " WHERE t.jti = $1 AND t.account_id = $2::bigint AND t.revoked_at IS NULL"
				    "   AND t.expires_at > now() AND k.id = t.api_key_id AND k.revoked_at IS NULL"
				    " RETURNING k.id::text AS key_id, k.role",
				    3, params, &res);
	if (p)
		return p;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return problem_new(PROBLEM_AUTHENTICATION, "The refresh token was already used or has been revoked.");
	}
	snprintf(c->key_id, sizeof(c->key_id), "%s", db_get(res, 0, "key_id"));
	c->has_role = token_role_parse(db_get(res, 0, "role"), &c->role);
	PQclear(res);
	const char *ins[] = {c->new_jti, c->key_id, c->account_id, c->expires};
	return db_exec(conn,
		       "INSERT INTO refresh_tokens (jti, api_key_id, account_id, expires_at)"
		       " VALUES ($1, $2::bigint, $3::bigint, to_timestamp($4::bigint))",
		       4, ins, NULL);
}

struct problem *auth_db_rotate_refresh(struct db_pool *pool, const char *old_jti, const char *account_id,
				       const char *new_jti, long long new_expires_at, char *key_id_out,
				       size_t key_id_len, enum token_role *role_out)
{
	struct rotate_ctx c = {.old_jti = old_jti, .account_id = account_id, .new_jti = new_jti};
	snprintf(c.expires, sizeof(c.expires), "%lld", new_expires_at);
	struct problem *p = db_transaction(pool, rotate_tx, &c);
	if (p && problem_kind_of(p) == PROBLEM_AUTHENTICATION) {
		/* A refresh token used twice means it leaked (or the client is
		 * confused): revoke every live refresh token of that API key, so a
		 * thief's fresh token dies with the owner's (RFC 6819, 5.2.2.3). */
		const char *params[] = {old_jti};
		struct problem *q = db_query(pool,
					     "UPDATE refresh_tokens SET revoked_at = now()"
					     " WHERE revoked_at IS NULL AND api_key_id = ("
					     "   SELECT api_key_id FROM refresh_tokens"
					     "    WHERE jti = $1 AND revoked_at IS NOT NULL)",
					     1, params, NULL);
		problem_free(q); /* the answer is 401 either way */
	}
	if (p)
		return p;
	snprintf(key_id_out, key_id_len, "%s", c.key_id);
	if (!c.has_role)
		return problem_new(PROBLEM_AUTHENTICATION, "The API key's role is not known.");
	*role_out = c.role;
	return NULL;
}

struct problem *auth_db_create_key(PGconn *conn, const char *account_id, const char *api_key, const char *secret_hash,
				   enum token_role role, const char *description, char *key_id_out, size_t key_id_len)
{
	const char *params[] = {account_id, api_key, secret_hash, token_role_name(role), description};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn,
				    "INSERT INTO api_keys (account_id, api_key, secret_hash, role, description)"
				    " VALUES ($1::bigint, $2, $3, $4, $5) RETURNING id::text",
				    5, params, &res);
	if (!p)
		snprintf(key_id_out, key_id_len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return p;
}
