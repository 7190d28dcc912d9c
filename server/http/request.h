/*
 * What a handler sees of an HTTP request, and what it fills in for the
 * response (the helpers are in request.c). Handlers never touch
 * libmicrohttpd: server.c owns that.
 */
#ifndef IXAPI_HTTP_REQUEST_H
#define IXAPI_HTTP_REQUEST_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/page.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct app;
struct route;

enum http_method { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_METHOD_COUNT };

#define REQUEST_MAX_PARAMS 4
#define REQUEST_MAX_QUERY  64

/* Who is calling, taken from a verified access token. */
struct identity {
	bool is_authenticated;
	bool is_operator;
	bool is_portal; /* a portal key (token role "portal"): PRIV_PORTAL routes only */
	long long account_id;
	char account[24]; /* account_id as a string, "-" when anonymous */
	char key_id[24];
};

struct query_param {
	const char *name;  /* borrowed from the connection, valid during the request */
	const char *value; /* may be "" but never NULL */
};

struct request {
	enum http_method method;
	const char *path;                 /* the path below /api/v2, borrowed */
	const struct route *route;        /* the matched route */
	char *params[REQUEST_MAX_PARAMS]; /* {id} captures in pattern order, owned by the request */
	size_t param_count;
	struct query_param query[REQUEST_MAX_QUERY]; /* only parameters the route accepts */
	size_t query_count;
	json_t *j_body;       /* parsed body (object) or NULL, owned by the request */
	const char *raw_body; /* the body of a route with a raw media type (borrowed) */
	size_t raw_body_len;
	struct identity who;
	char id[20]; /* request id for logs */
	const struct app *app;
	void *transport; /* the HTTP connection, server.c's own (request_header) */
};

#define RESPONSE_MAX_HEADERS 4

struct response {
	int status;
	struct {
		char name[32];
		char value[64];
	} headers[RESPONSE_MAX_HEADERS]; /* extra headers, e.g. pagination totals */
	size_t header_count;
	json_t *j_body; /* owned; rendered compactly; or */
	char *raw_body; /* owned JSON text produced elsewhere (e.g. by PostgreSQL) */
	size_t raw_len;
	const char *content_type; /* static; default application/json */
};

/* A route handler: fill res and return NULL, or return a problem. */
typedef struct problem *(*route_handler)(struct request *req, struct response *res);

/* The value of the request header `name` (case-insensitive), or NULL
 * (borrowed, valid during the request). */
const char *request_header(const struct request *req, const char *name);
/* The first value of an accepted query parameter, or NULL (borrowed). */
const char *request_query(const struct request *req, const char *name);
/* Sets managing_account and consuming_account of a new object's fields to
 * the caller's account where the request left them out. */
void request_default_owner(const struct request *req, json_t *j_fields);
/* The storage-layer actor of the caller (borrows from req). */
struct actor request_actor(const struct request *req);
/* Adds a response header (silently ignored past RESPONSE_MAX_HEADERS, a
 * programming error the tests would show). */
void response_header(struct response *res, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets a JSON body with a status; takes ownership of j_body. */
void response_json(struct response *res, int status, json_t *j_body);
/* A list response taking over the JSON array text: 200 with the whole list,
 * or, when a page was asked for, 206 with X-Total-Count (items in the whole
 * list) and X-Next-Offset (absent on the last page). */
void response_list(struct response *res, char *json, const struct db_page *page, long long total);
/* The usual end of a handler: with no problem, takes over the JSON text
 * from storage as the body with `status`; returns p either way. */
struct problem *response_from(struct response *res, int status, struct problem *p, char *json);
/* Sets an already-rendered JSON text body; takes ownership of text. */
void response_raw(struct response *res, int status, char *text, size_t len);
/* The end of a handler that serves a PDF (an LOA, an agreement): with no
 * problem, takes over pdf as a 200 application/pdf body; returns p either
 * way (pdf is then NULL or freed by the caller's storage call). */
struct problem *response_pdf(struct response *res, struct problem *p, unsigned char *pdf, size_t len);

#endif
