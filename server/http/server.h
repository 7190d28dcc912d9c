/*
 * The HTTP server: libmicrohttpd with its internal epoll thread pool. It
 * turns connections into `struct request`s, enforces the body ceiling and
 * authentication from the route table, calls the handler and renders its
 * response or problem. One log line per request.
 */
#ifndef IXAPI_HTTP_SERVER_H
#define IXAPI_HTTP_SERVER_H

#include "app.h"

#include <stddef.h>

struct route;

struct http_server;

/* Starts serving the route table `routes` (borrowed, checked by the caller
 * with router_check) on cfg's address/port. NULL (logged) on failure. Caller owns. */
struct http_server *http_server_start(const struct app *app, const struct route *routes, size_t route_count);
/* The port actually bound (useful with IXAPI_PORT=0). */
int http_server_port(const struct http_server *srv);
/* Stops accepting, lets in-flight requests finish for up to grace_s seconds,
 * then stops the daemon and frees srv. */
void http_server_stop(struct http_server *srv, int grace_s);

#endif
