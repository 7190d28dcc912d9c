/*
 * IX-API connections and ports (port reservations: port_reservations.h).
 * A member orders a connection (POST), reads it, asks what a
 * cancellation would cost (cancellation-policy) and requests its
 * decommissioning (DELETE, 202). Reads go through the generic listing
 * handlers; ports are the exchange's inventory, visible to the tenant of
 * the connection they are assigned to.
 */
#ifndef IXAPI_CONNECTIONS_CONNECTIONS_H
#define IXAPI_CONNECTIONS_CONNECTIONS_H

#include "resource/decommission.h"
#include "resource/listing.h"
#include "resource/resource.h"

extern const struct listing connections_listing, ports_listing;
extern const struct filter_spec connections_filters[], ports_filters[];
/* DELETE (202, the reservations follow) and cancellation-policy: the
 * generic decommission handlers (resource/decommission.h). */
extern const struct decommission_spec connections_decommission;

/* The descriptor: POST (201), PATCH (and PUT, which 2.7.1 deprecates;
 * 202 with the connection), DELETE (decommissioning, 202) through the
 * generic handlers of resource/resource.h. Mode, product offering and
 * port quantity cannot change (order anew); state is the operators'. */
extern const struct resource connections_resource;
/* GET: the LOA PDF (the member's upload, else the exchange's rendering). */
struct problem *connections_loa_read(struct request *req, struct response *res);
/* POST application/pdf (at most 1 MiB): the member's LOA. */
struct problem *connections_loa_upload(struct request *req, struct response *res);

/* Validates a connection order or update into a normalised object (*j_out,
 * caller owns); `required` (NULL-terminated, or NULL) lists what must be
 * present. Pure: no I/O. */
struct problem *connections_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
