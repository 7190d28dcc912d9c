/*
 * Service endpoints: /health, /implementation, /extensions and the served
 * OpenAPI document.
 */
#ifndef IXAPI_META_META_H
#define IXAPI_META_META_H

#include "http/request.h"

struct problem *meta_health(struct request *req, struct response *res);
struct problem *meta_implementation(struct request *req, struct response *res);
struct problem *meta_extensions(struct request *req, struct response *res);
struct problem *meta_openapi(struct request *req, struct response *res);

/* The supported_operations list: every IX-API operationId of the route
 * table, in table order, without duplicates. New reference. */
json_t *meta_supported_operations(void);

#endif
