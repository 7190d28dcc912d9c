/*
 * IX-API MAC addresses: list, read, create, delete (there is no update:
 * an address is expired through its validity window, per the spec). Reads
 * go through the generic listing handlers.
 */
#ifndef IXAPI_MACS_MACS_H
#define IXAPI_MACS_MACS_H

#include "resource/listing.h"
#include "resource/resource.h"

extern const struct listing macs_listing;
extern const struct filter_spec macs_filters[];

/* The descriptor: POST (201), DELETE (200 with the MAC as it was, see
 * mac_delete). */
extern const struct resource macs_resource;

/* Validates a MAC body into a normalised object (*j_out, caller owns):
 * the address as written once it is a valid MAC, timestamps checked;
 * `required` (NULL-terminated, or NULL) lists what must be present. Pure. */
struct problem *macs_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
