/*
 * Storage of API keys and refresh tokens. Secrets are only ever stored as
 * argon2id hashes; refresh tokens are tracked by their jti so that each can
 * be used once (rotation) and revoked.
 */
#ifndef IXAPI_AUTH_AUTH_DB_H
#define IXAPI_AUTH_AUTH_DB_H

#include "auth/jwt_tokens.h"
#include "core/problem.h"
#include "db/db.h"

#include <stdbool.h>

struct api_key_record {
	char key_id[24];
	char account_id[24];
	enum token_role role;
	char *secret_hash; /* owned: free() */
};

/* Looks up an active API key; *found false when unknown or revoked. */
struct problem *auth_db_find_key(struct db_pool *pool, const char *api_key, struct api_key_record *out, bool *found);
/* Records a new refresh token (and the key's last use) in one transaction. */
struct problem *auth_db_store_refresh(struct db_pool *pool, const char *key_id, const char *account_id, const char *jti,
				      long long expires_at, const char *request_id);
/* Atomically revokes refresh token old_jti (which must be active and belong
 * to account_id) and records new_jti in its place. On success fills the
 * key's id and current role; 401 problem when the old token was already
 * used, revoked, expired, or its key is gone. Reusing a spent token also
 * revokes every live refresh token of its API key. */
struct problem *auth_db_rotate_refresh(struct db_pool *pool, const char *old_jti, const char *account_id,
				       const char *new_jti, long long new_expires_at, char *key_id_out,
				       size_t key_id_len, enum token_role *role_out);
/* Creates an API key row for account_id with a role; returns its id in key_id_out. */
struct problem *auth_db_create_key(PGconn *conn, const char *account_id, const char *api_key, const char *secret_hash,
				   enum token_role role, const char *description, char *key_id_out, size_t key_id_len);

#endif
