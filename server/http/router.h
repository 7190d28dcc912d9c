/*
 * The route matcher. The application's table lives in server/routes.c: one line per
 * operation saying method, path, handler, who may call it, the query
 * parameters it reads and the largest body it takes. It is checked once at
 * start-up and is the source of /implementation's supported_operations.
 */
#ifndef IXAPI_HTTP_ROUTER_H
#define IXAPI_HTTP_ROUTER_H

#include "http/filters.h"
#include "http/request.h"

#include <stdbool.h>
#include <stddef.h>

enum privilege {
	PRIV_PUBLIC,   /* no token */
	PRIV_MEMBER,   /* any valid access token; data is scoped in storage */
	PRIV_OPERATOR, /* IXP staff only */
	PRIV_PORTAL,   /* members, operators AND portal keys (the member-portal backend); a portal
			* key gets 403 on every other protected route */
};

#define ROUTE_BODY_MAX ((size_t)1 << 20) /* 1 MiB: the ceiling of every body */

struct route {
	enum http_method method;
	const char *pattern; /* "/accounts/{id}": literal segments and {name} captures */
	route_handler handler;
	enum privilege privilege;
	const struct filter_spec *query; /* accepted query parameters (NULL name ends), or NULL */
	size_t body_limit;               /* 0: the route takes no body */
	const char *operation_id;        /* IX-API operationId, e.g. accounts_list */
	bool is_extension;               /* ours, not an IX-API operation (kept out of /implementation) */
	const void *data;                /* handed to a generic handler (e.g. which catalog resource) */
	const char *body_media_type;     /* NULL: JSON bodies; else the one raw media type taken (application/pdf) */
};

enum router_result { ROUTER_FOUND, ROUTER_NO_PATH, ROUTER_WRONG_METHOD };

struct router_match {
	const struct route *route;
	char *params[REQUEST_MAX_PARAMS]; /* owned by the caller when FOUND (free each) */
	size_t param_count;
	unsigned allowed; /* bit (1 << method) for each method the path has */
};

/* Checks a table: patterns well formed, no duplicate method+pattern, body
 * limits within ROUTE_BODY_MAX, handlers set. 0 ok, -1 with err filled. */
int router_check(const struct route *routes, size_t n, char *err, size_t err_len);
/* Matches method+path (path below /api/v2). Captures are at most 80
 * characters and never contain '/'. */
enum router_result router_match(const struct route *routes, size_t n, enum http_method method, const char *path,
				struct router_match *out);
/* Frees the captures of a match. */
void router_match_clear(struct router_match *m);
/* "GET", "POST", ... */
const char *http_method_name(enum http_method m);
/* Parses a method name; HEAD maps to GET. -1 when unknown. */
int http_method_parse(const char *s);
/* Writes "GET, POST" for the allowed bit set. */
void router_allow_header(unsigned allowed, char *out, size_t out_len);

#endif
