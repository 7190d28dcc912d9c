/*
 * Storage of network services and their change requests, scoped by the
 * actor; results are JSON texts the caller frees.
 */
#ifndef IXAPI_SERVICES_NETWORK_SERVICES_DB_H
#define IXAPI_SERVICES_NETWORK_SERVICES_DB_H

#include "db/write.h"
#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

/* The change request of a p2p_vc the actor owns: read (request_json NULL,
 * !destroy), create (request_json: a validated {product_offering,
 * capacity} text) or withdraw (destroy). */
struct problem *network_services_db_change_request(struct db_pool *pool, const struct actor *actor, const char *id,
						   const char *request_json, bool destroy, char **json_out);

/* For the resource descriptor (network_services_resource): the order
 * (db_create_run) and the audited update PUT and PATCH run. */
extern const struct db_create network_service_create;
extern const struct db_update network_service_update;

#endif
