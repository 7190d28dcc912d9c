/*
 * IX-API port reservations: one port of a connection, ordered by the
 * member (POST adds one to a connection), allocated by the exchange (an
 * operator's PATCH names the inventory port, the exchange-side demarc and
 * the cross-connect), decommissioned on the cancellation policy's dates
 * (DELETE, 202), each with its own LOA. Reads go through the generic
 * listing handlers.
 */
#ifndef IXAPI_CONNECTIONS_PORT_RESERVATIONS_H
#define IXAPI_CONNECTIONS_PORT_RESERVATIONS_H

#include "resource/decommission.h"
#include "resource/listing.h"
#include "resource/resource.h"

extern const struct listing port_reservations_listing;
extern const struct filter_spec port_reservations_filters[];
/* DELETE (202; the connection's port_quantity shrinks by one) and
 * cancellation-policy: the generic decommission handlers. */
extern const struct decommission_spec port_reservations_decommission;

/* The descriptor: POST (201; the connection's port_quantity grows by
 * one), PATCH (and PUT, which 2.7.1 deprecates; nothing is required): 202
 * with the reservation; port, exchange_side_demarc and state are the
 * operators'; cross_connect_id is anyone's (2.7.1: the member may set it). */
extern const struct resource port_reservations_resource;
/* GET: the reservation's LOA PDF (the member's upload, else the exchange's rendering). */
struct problem *port_reservations_loa_read(struct request *req, struct response *res);
/* POST application/pdf (at most 1 MiB): the member's LOA for the reservation. */
struct problem *port_reservations_loa_upload(struct request *req, struct response *res);

/* Validates a reservation order or update into a normalised object (*j_out,
 * caller owns); `required` (NULL-terminated, or NULL) lists what must be
 * present. Pure: no I/O. */
struct problem *port_reservations_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
