/*
 * Storage of IP addresses, scoped by the actor (owner_in_scope); results
 * are JSON texts the caller frees.
 */
#ifndef IXAPI_IPS_IPS_DB_H
#define IXAPI_IPS_IPS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

/* Creates an IP from a validated object text whose accounts are set. */
struct problem *ips_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
			      char **json_out);
/* Applies a validated partial object text to a visible IP. */
struct problem *ips_db_update(struct db_pool *pool, const struct actor *actor, const char *id, const char *patch_json,
			      char **json_out);

#endif
