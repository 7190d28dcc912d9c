/*
 * The route-server adapter's HTTP API (protocol v1, openapi/adapter-rs.json):
 * its routes and handlers, served by adapters/common/ad_http.h (bearer
 * authentication, body limits, Idempotency-Key replay, RFC 7807 problems).
 */
#ifndef IXAPI_ADAPTERS_RS_RS_API_H
#define IXAPI_ADAPTERS_RS_RS_API_H

#include "adapters/common/ad_http.h"

#define RS_API_BODY_MAX (16 * 1024 * 1024) /* 1,000s of sessions, IRR and ROA data */

/* The routes, for ad_http_start. */
extern const struct ad_api rs_api;

#endif
