/*
 * What the write handlers share besides the descriptors (resource.h): the
 * validator and defaults types a descriptor names, and the date a
 * decommissioning DELETE or a cancellation-policy read asks for.
 */
#ifndef IXAPI_RESOURCE_WRITE_HANDLERS_H
#define IXAPI_RESOURCE_WRITE_HANDLERS_H

#include "db/actor.h"
#include "db/db.h"
#include "http/request.h"

/* Validates j_body (NULL = empty) into a new object (*j_out, caller owns);
 * `required` (NULL-terminated, or NULL) lists what must be present. */
typedef struct problem *(*body_validator)(json_t *j_body, const char *const *required, json_t **j_out);
/* Fills in what a new order takes by default (NULL: nothing). */
typedef void (*create_defaults)(json_t *j_fields);
/* The date a decommissioning DELETE asks for: the body
 * {"decommission_at": "YYYY-MM-DD"}; an empty body, null and {} give
 * *date_out = NULL ("as early as the policy allows"). Borrowed. */
struct problem *request_decommission_date(const struct request *req, const char **date_out);
/* The ?decommission_at=YYYY-MM-DD of a cancellation-policy read, or NULL. */
struct problem *request_policy_date(const struct request *req, const char **date_out);

#endif
