/*
 * IX-API MAC addresses: list, read, create, delete (there is no update:
 * an address is expired through its validity window, per the spec). Reads
 * go through the generic listing handlers.
 */
#ifndef IXAPI_MACS_MACS_H
#define IXAPI_MACS_MACS_H

#include "resource/listing.h"

extern const struct listing macs_listing;
extern const struct filter_spec macs_filters[];

struct problem *macs_create(struct request *req, struct response *res);
struct problem *macs_destroy(struct request *req, struct response *res);

/* Validates a MAC body into a normalised object (*j_out, caller owns):
 * the address in canonical form, timestamps checked. `required` is unused
 * (the address is always required: MACs are never updated). Pure. */
struct problem *macs_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
