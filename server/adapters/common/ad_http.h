/*
 * The HTTP side every adapter shares (the adapter protocols v1,
 * openapi/adapter-switch.json and openapi/adapter-rs.json) on
 * libmicrohttpd: bearer authentication (constant time), body ceilings,
 * Idempotency-Key replay (ad_idem.h), RFC 7807 problems and a table of
 * routes. An adapter brings its table and its handlers, nothing else.
 * One server per process; its one polling thread runs the handlers one at
 * a time.
 */
#ifndef IXAPI_ADAPTERS_COMMON_AD_HTTP_H
#define IXAPI_ADAPTERS_COMMON_AD_HTTP_H

#include "core/problem.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define AD_HTTP_PARAMS_MAX 2 /* {} segments in one pattern */

/* A request as a handler sees it: everything borrowed for the call. */
struct ad_request {
	const char *method, *path;
	/* The {} segments of the route's pattern, in order (NUL-terminated). */
	const char *params[AD_HTTP_PARAMS_MAX];
	const char *body; /* never NULL; "" without a body */
	size_t body_len;
};

/* A handler: NULL and a new JSON body in *j_out, or a problem (then *j_out
 * is ignored and released). */
typedef struct problem *ad_http_handler(const struct ad_request *req, json_t **j_out);

/* One route: method + pattern. A pattern's "{}" matches one path segment
 * of 1 to param_max[i] characters (0: any length). A path no pattern
 * matches is a 404; a matched path without a route of its method a 405. */
struct ad_route {
	const char *method;
	const char *pattern;
	ad_http_handler *handler;
	int status; /* of a success; 0 is 200 */
	size_t param_max[AD_HTTP_PARAMS_MAX];
};

struct ad_api {
	const struct ad_route *routes;
	size_t n_routes;
	size_t body_max; /* larger bodies are a 413 */
	/* Optional: checked once a path matched, before its method: a problem
	 * (a 404) when its parameters name nothing the adapter manages. */
	struct problem *(*check_params)(const struct ad_request *req);
};

/* A listening TCP socket on addr:port (IPv4) in the calling thread's
 * network namespace. Returns the descriptor, or -1 (logged). */
int ad_http_listen(const char *addr, uint16_t port);
/* Starts serving api (borrowed: static) on listen_fd (from ad_http_listen;
 * the server owns it from now on, closes it even on failure; addr and port
 * name it in the log) with the bearer secret (copied, never logged).
 * Returns 0, or -1 (logged). */
int ad_http_start(int listen_fd, const char *addr, uint16_t port, const char *secret, const struct ad_api *api);
/* Stops the server (waits for requests in flight), wipes its copy of the
 * secret and forgets the remembered answers. */
void ad_http_stop(void);

/* Parses the request's body as JSON (duplicate keys refused) into *j_body
 * (new reference); a 400 problem when it is not JSON. */
struct problem *ad_http_body_json(const struct ad_request *req, json_t **j_body);

#endif
