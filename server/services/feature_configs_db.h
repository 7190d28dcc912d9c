/*
 * Storage of network feature configs (route-server sessions), scoped by the actor; results are
 * JSON texts the caller frees.
 */
#ifndef IXAPI_SERVICES_FEATURE_CONFIGS_DB_H
#define IXAPI_SERVICES_FEATURE_CONFIGS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

/* Creates a session from a validated object text (accounts set): checks
 * it against its service config and route server, queues the route-server
 * job. */
struct problem *feature_configs_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
					  char **json_out);
struct problem *feature_configs_db_update(struct db_pool *pool, const struct actor *actor, const char *id,
					  const char *patch_json, char **json_out);

#endif
