/*
 * The shape every write handler shares: validate the body into a
 * normalised object, (for a create) default the owner accounts to the
 * caller's, hand the object's JSON text to storage, answer with what
 * storage returns. Resources with a descriptor use resource/resource.h;
 * the rest (IPs, joining rules, accounts) pass their validator and
 * storage function here.
 */
#ifndef IXAPI_RESOURCE_WRITE_HANDLERS_H
#define IXAPI_RESOURCE_WRITE_HANDLERS_H

#include "db/actor.h"
#include "db/db.h"
#include "http/request.h"

/* Validates j_body (NULL = empty) into a new object (*j_out, caller owns);
 * `required` (NULL-terminated, or NULL) lists what must be present. */
typedef struct problem *(*body_validator)(json_t *j_body, const char *const *required, json_t **j_out);
typedef struct problem *(*store_create)(struct db_pool *pool, const struct actor *actor, const char *fields_json,
					char **json_out);
typedef struct problem *(*store_update)(struct db_pool *pool, const struct actor *actor, const char *id,
					const char *fields_json, char **json_out);

/* POST of an object owned through managing/consuming accounts: 201. */
struct problem *write_create_owned(struct request *req, struct response *res, body_validator validate,
				   const char *const *required, store_create store);
/* Fills in what a new order takes by default (NULL: nothing). */
typedef void (*create_defaults)(json_t *j_fields);
/* The date a decommissioning DELETE asks for: the body
 * {"decommission_at": "YYYY-MM-DD"}; an empty body, null and {} give
 * *date_out = NULL ("as early as the policy allows"). Borrowed. */
struct problem *request_decommission_date(const struct request *req, const char **date_out);
/* The ?decommission_at=YYYY-MM-DD of a cancellation-policy read, or NULL. */
struct problem *request_policy_date(const struct request *req, const char **date_out);
/* PUT or PATCH of the route's {id}: answers `status` (200 or 202 per spec). */
struct problem *write_update(struct request *req, struct response *res, body_validator validate,
			     const char *const *required, store_update store, int status);

#endif
