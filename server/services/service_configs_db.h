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

/* For the resource descriptor (service_configs_resource): the create
 * (db_create_run: checks the exchange's rules, picks VLANs, allocates the
 * LAN's addresses, queues the switch job) and the audited update PUT and
 * PATCH run. */
extern const struct db_create service_config_create;
extern const struct db_update service_config_update;

#endif
