/*
 * The switch adapter's HTTP API (protocol v1, openapi/adapter-switch.json):
 * its routes and handlers, served by adapters/common/ad_http.h (bearer
 * authentication, body limits, Idempotency-Key replay, RFC 7807 problems).
 */
#ifndef IXAPI_ADAPTERS_SWITCH_SW_API_H
#define IXAPI_ADAPTERS_SWITCH_SW_API_H

#include "adapters/common/ad_http.h"

#define SW_API_BODY_MAX (64 * 1024)

/* The routes, for ad_http_start. */
extern const struct ad_api sw_api;

#endif
