/*
 * Application storage (see applications.h): every write is one transaction,
 * audited, with the application's JSON (rendered by application_json())
 * afterwards. A caller who does not see the application gets a 404.
 */
#ifndef IXAPI_ONBOARDING_APPLICATIONS_DB_H
#define IXAPI_ONBOARDING_APPLICATIONS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

#include <stdbool.h>

/* Submits the validated application input_json (JSON text); `managing` the
 * new account's managing account (already checked by the caller's kind) or
 * NULL. *json_out: the application (caller frees). */
struct problem *applications_db_submit(struct db_pool *pool, const struct actor *actor, const char *input_json,
				       const char *managing, char **json_out);
/* Records the colocation provider's confirmation of application id. */
struct problem *applications_db_confirm_colocation(struct db_pool *pool, const struct actor *actor, const char *id,
						   const char *confirmation, char **json_out);
/* Approves application id (the review approval, or for a member the second,
 * management approval of another operator key); the final approval orders
 * the connection and moves the application to the agreement step. */
struct problem *applications_db_approve(struct db_pool *pool, const struct actor *actor, const char *id,
					char **json_out);
/* Rejects application id under review with a reason. */
struct problem *applications_db_reject(struct db_pool *pool, const struct actor *actor, const char *id,
				       const char *reason, char **json_out);
/* Stores the approved application's first API key (api_key and the
 * argon2id hash of its secret) for its account, once; *account_out gets
 * the account's id. */
struct problem *applications_db_issue_key(struct db_pool *pool, const struct actor *actor, const char *id,
					  const char *api_key, const char *secret_hash, char *account_out,
					  size_t account_len);

#endif
