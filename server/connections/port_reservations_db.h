/*
 * Storage of port reservations, scoped by the actor through their
 * connection; results are JSON texts (or PDF bytes) the caller frees.
 */
#ifndef IXAPI_CONNECTIONS_PORT_RESERVATIONS_DB_H
#define IXAPI_CONNECTIONS_PORT_RESERVATIONS_DB_H

#include "db/write.h"
#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

#include <stddef.h>

/* The LOA of a visible reservation: the member's latest upload, else one the
 * exchange renders. *pdf_out is malloc'd (caller frees). */
struct problem *port_reservations_db_loa(struct db_pool *pool, const struct actor *actor, const char *id,
					 unsigned char **pdf_out, size_t *len_out);
/* Stores a member's LOA (already checked to be a PDF); *json_out describes it. */
struct problem *port_reservations_db_loa_store(struct db_pool *pool, const struct actor *actor, const char *id,
					       const unsigned char *data, size_t len, char **json_out);

/* For the resource descriptor (port_reservations_resource): the create
 * (db_create_run: a reservation joins the visible connection the input
 * names, 404 otherwise, which must be live, not standalone and below its
 * offering's maximum_port_quantity; raises its port_quantity; queues a
 * job) and the audited update PUT and PATCH run (an operator's `port`
 * allocates that inventory port to the connection and releases the one
 * it replaces, queued for the network). */
extern const struct db_create port_reservation_create;
extern const struct db_update port_reservation_update;

#endif
