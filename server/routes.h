/*
 * The route table of ixapid (routes.c): every operation the server answers,
 * handed to the HTTP server (http/server.h) at start-up. The matcher and the
 * shape of a route are the framework's (http/router.h).
 */
#ifndef IXAPI_ROUTES_H
#define IXAPI_ROUTES_H

#include "http/router.h"

#include <stddef.h>

/* The route table and its length. */
extern const struct route routes_table[];
extern const size_t routes_count;

#endif
