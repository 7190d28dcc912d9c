/*
 * Storage of connections and port reservations, scoped by the actor;
 * results are JSON texts the caller frees.
 */
#ifndef IXAPI_CONNECTIONS_CONNECTIONS_DB_H
#define IXAPI_CONNECTIONS_CONNECTIONS_DB_H

#include "db/write.h"
#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

/* Orders a connection from a validated object text (accounts set): checks
 * the offering, the billing account, the role assignments the offering
 * requires; reserves port_quantity ports; queues a job. */
struct problem *connections_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
				      char **json_out);
/* Applies a validated partial object text to a visible connection (see
 * connections_patch for what may change). */
struct problem *connections_db_update(struct db_pool *pool, const struct actor *actor, const char *id,
				      const char *patch_json, char **json_out);

/* The LOA of a visible connection: the member's latest upload, else one the
 * exchange renders. *pdf_out is malloc'd (caller frees). */
struct problem *connections_db_loa(struct db_pool *pool, const struct actor *actor, const char *id,
				   unsigned char **pdf_out, size_t *len_out);
/* Stores a member's LOA (already checked to be a PDF); *json_out describes it. */
struct problem *connections_db_loa_store(struct db_pool *pool, const struct actor *actor, const char *id,
					 const unsigned char *data, size_t len, char **json_out);

/* The audited update (db_update_run) PUT and PATCH run; exported for
 * statements_itest, which prepares its statements. */
extern const struct db_update connection_update;

#endif
