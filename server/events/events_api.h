/*
 * The events extension: GET /events (the audit events the caller may see,
 * a cursor over event ids: `after` and `limit`; the answer is a plain JSON
 * array with the next cursor in the X-Next-After header) and outgoing
 * webhooks (POST/GET /webhooks, GET/DELETE /webhooks/{id},
 * GET /webhooks/{id}/deliveries). Storage: events_db.c; the job that POSTs
 * a delivery: webhook_deliver.c.
 */
#ifndef IXAPI_EVENTS_EVENTS_API_H
#define IXAPI_EVENTS_EVENTS_API_H

#include "http/filters.h"
#include "http/request.h"

extern const struct filter_spec events_query_spec[];

struct problem *events_list(struct request *req, struct response *res);
struct problem *webhooks_create_handler(struct request *req, struct response *res);
struct problem *webhooks_list_handler(struct request *req, struct response *res);
struct problem *webhooks_read_handler(struct request *req, struct response *res);
struct problem *webhooks_delete_handler(struct request *req, struct response *res);
struct problem *webhooks_deliveries_handler(struct request *req, struct response *res);

#endif
