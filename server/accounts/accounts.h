/*
 * IX-API account handlers: GET /account, and list, create, read, update
 * (PUT and PATCH) and delete on /accounts.
 */
#ifndef IXAPI_ACCOUNTS_ACCOUNTS_H
#define IXAPI_ACCOUNTS_ACCOUNTS_H

#include "http/request.h"

#include "http/filters.h"

/* Accepted query parameters of GET /accounts. */
extern const struct filter_spec accounts_list_query[];

struct problem *accounts_own(struct request *req, struct response *res);
struct problem *accounts_list(struct request *req, struct response *res);
struct problem *accounts_create(struct request *req, struct response *res);
struct problem *accounts_read(struct request *req, struct response *res);
struct problem *accounts_replace(struct request *req, struct response *res);
struct problem *accounts_patch(struct request *req, struct response *res);
struct problem *accounts_destroy(struct request *req, struct response *res);

/* Validates an account body and writes the normalised fields into a new
 * object (*j_out, caller owns). `required` (NULL-terminated, or NULL for
 * PATCH) lists what must be present. Pure: no I/O. */
struct problem *accounts_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
