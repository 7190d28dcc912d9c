/*
 * Storage of network feature configs (route-server sessions), scoped by the actor; results are
 * JSON texts the caller frees.
 */
#ifndef IXAPI_SERVICES_FEATURE_CONFIGS_DB_H
#define IXAPI_SERVICES_FEATURE_CONFIGS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"
#include "db/write.h"

/* For the resource descriptor (feature_configs_resource): the create
 * (db_create_run: checks the session against its service config and
 * route server, queues the route-server job) and the audited update PUT
 * and PATCH run (the job again). */
extern const struct db_create feature_config_create;
extern const struct db_update feature_config_update;

#endif
