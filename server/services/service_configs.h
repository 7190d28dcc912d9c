/*
 * IX-API network service configs: a member's access to a network service
 * over one of its connections. On the peering LAN (exchange_lan) a config
 * carries the member's ASNs and router MACs and is given one IPv4 and one
 * IPv6 address from the LAN's subnets; the exchange's rules (public ASNs,
 * one MAC per port, unique VLANs per connection, capacity left on the
 * connection, joining rules of private VLANs) are checked on every write.
 * Each change queues a `switch.port_vlan` job for the switch adapter.
 */
#ifndef IXAPI_SERVICES_SERVICE_CONFIGS_H
#define IXAPI_SERVICES_SERVICE_CONFIGS_H

#include "resource/listing.h"
#include "resource/decommission.h"
#include "resource/resource.h"

extern const struct listing service_configs_listing;
extern const struct filter_spec service_configs_filters[];
extern const struct decommission_spec service_configs_decommission;

/* The descriptor: POST (201), PATCH / PUT (202; type, network_service and
 * connection cannot change; state is the operators': production needs a
 * MAC and a feature config for every required feature), DELETE
 * (decommissioning). */
extern const struct resource service_configs_resource;

/* Validates a config body into a normalised object (*j_out, caller owns):
 * vlan_config flattened to {vlan_type, vlan, ...} with null ids for "the
 * exchange picks", ASNs checked against the reserved ranges. Pure. */
struct problem *service_configs_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
