/*
 * Storage of member joining rules. Every function is scoped by the actor
 * (who sees a rule and who may change it: joining_rules_db.c); results are
 * JSON texts the caller frees.
 */
#ifndef IXAPI_SERVICES_JOINING_RULES_DB_H
#define IXAPI_SERVICES_JOINING_RULES_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

/* Creates a rule from a validated object text whose managing account is set. */
struct problem *joining_rules_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
					char **json_out);
/* Applies a validated partial object text to a rule the actor may change. */
struct problem *joining_rules_db_update(struct db_pool *pool, const struct actor *actor, const char *id,
					const char *patch_json, char **json_out);
/* Deletes a rule the actor may change; returns it as it was. */
struct problem *joining_rules_db_delete(struct db_pool *pool, const struct actor *actor, const char *id,
					char **json_out);

#endif
