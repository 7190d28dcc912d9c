/*
 * Storage of network service configs, scoped by the actor; results are
 * JSON texts the caller frees.
 */
#ifndef IXAPI_SERVICES_SERVICE_CONFIGS_DB_H
#define IXAPI_SERVICES_SERVICE_CONFIGS_DB_H

#include "db/write.h"
#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

/* Creates a config from a validated object text (accounts set): checks the
 * exchange's rules, picks VLANs, allocates the LAN's addresses, queues the
 * switch job. */
struct problem *service_configs_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
					  char **json_out);
struct problem *service_configs_db_update(struct db_pool *pool, const struct actor *actor, const char *id,
					  const char *patch_json, char **json_out);

/* The audited update (db_update_run) PUT and PATCH run; exported for
 * statements_itest, which prepares its statements. */
extern const struct db_update service_config_update;

#endif
