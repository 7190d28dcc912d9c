/*
 * IX-API IP addresses: list, read, create, update (PUT and PATCH; the spec
 * has no DELETE: an address ends through its validity window). Reads go
 * through the generic listing handlers.
 */
#ifndef IXAPI_IPS_IPS_H
#define IXAPI_IPS_IPS_H

#include "resource/listing.h"
#include "resource/resource.h"

extern const struct listing ips_listing;
extern const struct filter_spec ips_filters[];

/* The descriptor: POST (201), PUT and PATCH (200). */
extern const struct resource ips_resource;

/* Validates an IP body into a normalised object (*j_out, caller owns): the
 * address in canonical text, version and prefix length consistent with it
 * when given together. `required` (NULL-terminated, or NULL) lists what
 * must be present. Pure: no I/O. */
struct problem *ips_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
