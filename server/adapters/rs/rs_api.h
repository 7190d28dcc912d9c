/*
 * The route-server adapter's HTTP API (protocol v1, openapi/adapter-rs.json):
 * its routes and handlers, served by adapters/common/ad_http.h (bearer
 * authentication, body limits, Idempotency-Key replay, RFC 7807 problems).
 */
#ifndef IXAPI_ADAPTERS_RS_RS_API_H
#define IXAPI_ADAPTERS_RS_RS_API_H

#include "adapters/common/ad_http.h"

#define RS_API_BODY_MAX (128 * 1024 * 1024) /* PUT /v1/roas: a full RPKI table is ~45 MB (700k ROAs) */

/* The routes, for ad_http_start. */
extern const struct ad_api rs_api;

#endif
