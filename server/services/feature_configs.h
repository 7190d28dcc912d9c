/*
 * IX-API network feature configs: a member's BGP sessions with the
 * exchange's route servers. The session's ASN must be one of the service
 * config's, its address one of the config's IPs; the route servers take
 * passive sessions only; the filtering mode is one of the route servers'
 * "3+1" modes (IXP-specific flags); without a max-prefix value of its own
 * the member gets the exchange's dynamic per-AS limit. Each change queues
 * a `route_server.session` job for the route-server adapter.
 */
#ifndef IXAPI_SERVICES_FEATURE_CONFIGS_H
#define IXAPI_SERVICES_FEATURE_CONFIGS_H

#include "resource/listing.h"
#include "resource/decommission.h"
#include "resource/resource.h"

extern const struct listing feature_configs_listing;
extern const struct filter_spec feature_configs_filters[];
extern const struct decommission_spec feature_configs_decommission;

/* The descriptor: POST (201), PATCH / PUT (202; network_feature and
 * network_service_config cannot change; state is the operators'), DELETE
 * (decommissioning). */
extern const struct resource feature_configs_resource;

/* Validates a feature config body into a normalised object (*j_out, caller
 * owns): a null max_prefix_v4/v6 stays null (the exchange's dynamic limit),
 * flags get the default filtering mode when they enable none. Pure. */
struct problem *feature_configs_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
