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

/* The LOA of a visible connection: the member's latest upload, else one the
 * exchange renders. *pdf_out is malloc'd (caller frees). */
struct problem *connections_db_loa(struct db_pool *pool, const struct actor *actor, const char *id,
				   unsigned char **pdf_out, size_t *len_out);
/* Stores a member's LOA (already checked to be a PDF); *json_out describes it. */
struct problem *connections_db_loa_store(struct db_pool *pool, const struct actor *actor, const char *id,
					 const unsigned char *data, size_t len, char **json_out);

/* The order (db_create_run: checks the accounts, the offering, the role
 * assignments it requires; reserves port_quantity ports; queues a job)
 * and the audited update PUT and PATCH run (db_update_run), for the
 * resource descriptor (connections_resource). */
extern const struct db_create connection_create;
extern const struct db_update connection_update;

/* Inside a transaction: the exchange's LOA of connection `id` as it is now
 * (its demarcation points: each reservation's exchange-side demarc), as
 * GET /connections/{id}/loa renders it. *pdf_out is malloc'd (caller frees). */
struct problem *connections_db_loa_render(PGconn *conn, const char *id, unsigned char **pdf_out, size_t *len_out);

#endif
