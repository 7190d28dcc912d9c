/*
 * IX-API account handlers: GET /account, and list and read on /accounts;
 * create, update (PUT and PATCH) and delete through the descriptor.
 */
#ifndef IXAPI_ACCOUNTS_ACCOUNTS_H
#define IXAPI_ACCOUNTS_ACCOUNTS_H

#include "http/filters.h"
#include "http/request.h"
#include "resource/resource.h"

/* Accepted query parameters of GET /accounts. */
extern const struct filter_spec accounts_list_query[];

struct problem *accounts_own(struct request *req, struct response *res);
struct problem *accounts_list(struct request *req, struct response *res);
struct problem *accounts_read(struct request *req, struct response *res);

/* The descriptor: POST (201), PUT and PATCH (202), DELETE (200). */
extern const struct resource accounts_resource;

/* Validates an account body and writes the normalised fields into a new
 * object (*j_out, caller owns). `required` (NULL-terminated, or NULL for
 * PATCH) lists what must be present. Pure: no I/O. */
struct problem *accounts_validate(json_t *j_body, const char *const *required, json_t **j_out);
/* Validates an IX-API Address object at j_parent[key] (failures named
 * "<prefix>.<property>"); a normalised copy with every property present
 * (optional ones as null), or NULL. */
json_t *accounts_validate_address(struct validation *v, json_t *j_parent, const char *key, const char *prefix,
				  int flags);

#endif
