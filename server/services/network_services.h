/*
 * IX-API network services and network features. The exchange's operators
 * run the peering LAN (exchange_lan) and its route servers (network
 * features); members order private VLANs between each other (p2p_vc,
 * p2mp_vc, mp2mp_vc, cloud_vc), change a p2p_vc's capacity through one
 * change request at a time, and request decommissioning (cascading to the
 * configs on the service and their feature configs). Reads go through the
 * generic listing handlers; who sees a service is network_service_visible()
 * (migrations/013_network_services.sql).
 */
#ifndef IXAPI_SERVICES_NETWORK_SERVICES_H
#define IXAPI_SERVICES_NETWORK_SERVICES_H

#include "resource/listing.h"
#include "resource/decommission.h"
#include "resource/resource.h"

extern const struct listing network_services_listing, network_features_listing;
extern const struct filter_spec network_services_filters[], network_features_filters[];
extern const struct decommission_spec network_services_decommission;

/* The descriptor: POST (exchange_lan by operators only; the virtual
 * circuits by members), PATCH / PUT (202; type cannot change; state and
 * the LAN's settings are the operators'), DELETE (decommissioning). */
extern const struct resource network_services_resource;
/* GET/POST/DELETE .../change-request (202 each): a p2p_vc's pending
 * capacity or offering change. */
struct problem *network_services_change_request_read(struct request *req, struct response *res);
struct problem *network_services_change_request_create(struct request *req, struct response *res);
struct problem *network_services_change_request_destroy(struct request *req, struct response *res);

/* Validates a network service body into a normalised object (*j_out,
 * caller owns). Pure. */
struct problem *network_services_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
