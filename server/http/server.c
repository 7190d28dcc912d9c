/*
 * libmicrohttpd glue (see server.h). Per-request state lives in one
 * `struct conn_ctx`, allocated on the first callback of a request and freed
 * in the request-completed callback.
 *
 * Decisions that need no body (unknown path, wrong method, missing or bad
 * token, a declared Content-Length over the ceiling) are answered as soon as
 * the headers are in, so a client is not made to upload a body that will be
 * refused. A chunked body that grows over the ceiling is discarded as it
 * arrives and answered with 413 when the upload ends: never truncated.
 *
 * Against slow clients (http/guard.c): a per-address connection cap, a
 * deadline for each request head, and room kept for new clients. The
 * listening socket defers accept() until a client has sent data, so the
 * first bytes of a connection can be looked at before libmicrohttpd parses
 * them: a head it would answer with its own HTML (or, for a bad
 * Content-Length, with a malformed answer: 0.9.75 writes the status line and
 * headers twice) is answered here with a problem (http/head_check.c).
 */
#include "http/server.h"

#include "auth/revocations.h"
#include "core/json_body.h"
#include "core/log.h"
#include "core/util.h"
#include "http/guard.h"
#include "http/head_check.h"
#include "http/router.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct http_server {
	struct MHD_Daemon *daemon;
	struct guard *guard;
	const struct app *app;
	const struct route *routes;
	size_t route_count;
	atomic_int in_flight;
	atomic_ullong next_id;
	int port;
	int listen_fd; /* libmicrohttpd's (MHD_OPTION_LISTEN_SOCKET) */
};

struct conn_ctx {
	struct request req;
	struct router_match match;
	char *log_path;
	char log_method[12];
	char *body;
	size_t body_len;
	size_t body_cap;
	size_t body_limit;
	bool body_overflow;
	bool responded;
	int status;
	long long key_id;                    /* the bearer's API key, once authenticated */
	unsigned long revocation_generation; /* when the bearer was found not revoked */
	long long started_us;
	struct http_server *srv;
};

#define API_PREFIX   "/api/v2"
#define LOG_PATH_MAX 200

/* Queues a response taking over body; `extra` (may be NULL) adds its headers. */
static enum MHD_Result queue(struct conn_ctx *ctx, struct MHD_Connection *conn, int status, char *body, size_t len,
			     const char *content_type, const char *allow, const struct response *extra)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	MHD_add_response_header(r, "X-Request-Id", ctx->req.id);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	for (size_t i = 0; extra && i < extra->header_count; i++)
		MHD_add_response_header(r, extra->headers[i].name, extra->headers[i].value);
	enum MHD_Result rc = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	ctx->status = status;
	ctx->responded = true;
	return rc;
}

/* Renders and queues a problem; frees p. */
static enum MHD_Result queue_problem(struct conn_ctx *ctx, struct MHD_Connection *conn, struct problem *p)
{
	char allow[64] = "";
	if (problem_kind_of(p) == PROBLEM_METHOD_NOT_ALLOWED)
		router_allow_header(ctx->match.allowed, allow, sizeof(allow));
	/* A 503 says the database is down or busy: the pool logs that once per
	 * change of state, and the request line records the status; a line per
	 * refused request would flood the log during an outage. */
	if (problem_status(p) == 503)
		LOG_DEBUG("req=%s %s", ctx->req.id, problem_detail(p));
	else if (problem_status(p) >= 500)
		LOG_WARN("req=%s %s", ctx->req.id, problem_detail(p));
	struct response extra = {0};
	if (problem_retry_after(p) > 0)
		response_header(&extra, "Retry-After", "%d", problem_retry_after(p));
	json_t *j = problem_to_json(p, ctx->log_path);
	int status = problem_status(p);
	problem_free(p);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return queue(ctx, conn, status, text, strlen(text), "application/problem+json", allow[0] ? allow : NULL,
		     &extra);
}

/* Verifies the bearer token of a protected route and fills req->who. */
static struct problem *authenticate(struct conn_ctx *ctx, struct MHD_Connection *conn)
{
	const struct route *route = ctx->match.route;
	if (route->privilege == PRIV_PUBLIC)
		return NULL;
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!auth || !*auth)
		/* authentication-error, not not-authenticated: the official 2.1.0
		 * document allows only authentication-error and signature-expired
		 * on protected operations. */
		return problem_new(PROBLEM_AUTHENTICATION, "Authentication credentials were not provided.");
	if (strncasecmp(auth, "Bearer ", 7) != 0)
		return problem_new(PROBLEM_AUTHENTICATION, "Expected an 'Authorization: Bearer <token>' header.");
	const char *token = auth + 7;
	while (*token == ' ')
		token++;
	struct token_claims claims;
	struct problem *p = token_verify(&ctx->srv->app->signer, token, TOKEN_ACCESS, util_now_s(), &claims);
	if (p)
		return p;
	long long account_id = 0, key_id = 0;
	if (!util_parse_ll(claims.sub, 1, INT64_MAX, &account_id) ||
	    !util_parse_ll(claims.key_id, 1, INT64_MAX, &key_id))
		return problem_new(PROBLEM_AUTHENTICATION, "The token names no valid account.");
	ctx->revocation_generation = revocations_generation();
	if (revocations_contains(key_id, account_id))
		return problem_new(PROBLEM_AUTHENTICATION, "The token's API key or account has been revoked.");
	struct identity *who = &ctx->req.who;
	who->is_authenticated = true;
	who->is_operator = claims.role == TOKEN_ROLE_OPERATOR;
	who->is_portal = claims.role == TOKEN_ROLE_PORTAL;
	who->account_id = account_id;
	snprintf(who->account, sizeof(who->account), "%lld", account_id);
	snprintf(who->key_id, sizeof(who->key_id), "%.23s", claims.key_id);
	ctx->key_id = key_id;
	/* A portal key submits applications and reads their progress, nothing else. */
	if (who->is_portal && route->privilege != PRIV_PORTAL)
		return problem_new(PROBLEM_PERMISSION_DENIED, "A portal key may only submit applications and read "
							      "their progress; this operation is not among them.");
	if (route->privilege == PRIV_OPERATOR && !who->is_operator)
		return problem_new(PROBLEM_PERMISSION_DENIED,
				   "This operation is reserved to the exchange's operators.");
	return NULL;
}

/* First callback of a request: match the route, authenticate, check the
 * declared body size. A problem here is answered before any body is read. */
static struct problem *begin_request(struct conn_ctx *ctx, struct MHD_Connection *conn, const char *url,
				     const char *method)
{
	int m = http_method_parse(method);
	size_t prefix_len = strlen(API_PREFIX);
	if (strncmp(url, API_PREFIX, prefix_len) != 0 || (url[prefix_len] != '/' && url[prefix_len] != '\0'))
		return problem_new(PROBLEM_NOT_FOUND, "There is no resource at this path.");
	const char *path = url + prefix_len;
	ctx->req.path = path;
	enum router_result rr =
		router_match(ctx->srv->routes, ctx->srv->route_count, m < 0 ? HTTP_METHOD_COUNT : m, path, &ctx->match);
	if (rr == ROUTER_NO_PATH)
		return problem_new(PROBLEM_NOT_FOUND, "There is no resource at this path.");
	if (rr == ROUTER_WRONG_METHOD)
		return problem_new(PROBLEM_METHOD_NOT_ALLOWED, "Method %s is not allowed here.", method);
	ctx->req.method = (enum http_method)m;
	ctx->req.route = ctx->match.route;
	memcpy(ctx->req.params, ctx->match.params, sizeof(ctx->req.params));
	ctx->req.param_count = ctx->match.param_count;
	ctx->body_limit = ctx->match.route->body_limit ? ctx->match.route->body_limit : ROUTE_BODY_MAX;

	struct problem *p = authenticate(ctx, conn);
	if (p)
		return p;
	const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	long long declared = 0;
	if (length && util_parse_ll(length, 0, INT64_MAX, &declared) && (size_t)declared > ctx->body_limit)
		return problem_new(PROBLEM_PAYLOAD_TOO_LARGE, "The body exceeds %zu bytes.", ctx->body_limit);
	return NULL;
}

static void append_body(struct conn_ctx *ctx, const char *data, size_t len)
{
	if (ctx->body_overflow)
		return;
	if (ctx->body_len + len > ctx->body_limit) {
		ctx->body_overflow = true;
		free(ctx->body);
		ctx->body = NULL;
		ctx->body_len = ctx->body_cap = 0;
		return;
	}
	if (ctx->body_len + len + 1 > ctx->body_cap) {
		size_t cap = ctx->body_cap ? ctx->body_cap : 1024;
		while (cap < ctx->body_len + len + 1)
			cap *= 2;
		ctx->body = xrealloc(ctx->body, cap);
		ctx->body_cap = cap;
	}
	memcpy(ctx->body + ctx->body_len, data, len);
	ctx->body_len += len;
	ctx->body[ctx->body_len] = '\0';
}

struct query_collect {
	struct request *req;
	bool too_many;
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct query_collect *qc = cls;
	const struct filter_spec *accepted = qc->req->route->query;
	if (!accepted || !key)
		return MHD_YES;
	for (size_t i = 0; accepted[i].name; i++) {
		if (strcmp(accepted[i].name, key) != 0)
			continue;
		if (qc->req->query_count == REQUEST_MAX_QUERY) {
			qc->too_many = true;
			return MHD_NO;
		}
		qc->req->query[qc->req->query_count].name = accepted[i].name;
		qc->req->query[qc->req->query_count].value = value ? value : "";
		qc->req->query_count++;
		break;
	}
	return MHD_YES; /* unknown parameters are ignored, as the spec asks */
}

static bool is_json_media_type(const char *ct)
{
	while (*ct == ' ')
		ct++;
	size_t len = strcspn(ct, "; ");
	if (len == 16 && strncasecmp(ct, "application/json", 16) == 0)
		return true;
	/* application/<anything>+json (e.g. merge-patch+json) */
	return len > 17 && strncasecmp(ct, "application/", 12) == 0 && strncasecmp(ct + len - 5, "+json", 5) == 0;
}

static struct problem *prepare_body(struct conn_ctx *ctx, struct MHD_Connection *conn)
{
	if (ctx->body_overflow)
		return problem_new(PROBLEM_PAYLOAD_TOO_LARGE, "The body exceeds %zu bytes.", ctx->body_limit);
	if (!ctx->body_len || ctx->req.route->body_limit == 0)
		return NULL; /* bodies on routes that take none are ignored, like GET's Content-Type */
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *raw_type = ctx->req.route->body_media_type;
	if (raw_type) {
		size_t n = strlen(raw_type);
		if (!ct || strncasecmp(ct, raw_type, n) != 0 || (ct[n] && ct[n] != ';' && ct[n] != ' '))
			return problem_new(PROBLEM_UNSUPPORTED_MEDIA_TYPE, "Send the body as %s.", raw_type);
		ctx->req.raw_body = ctx->body;
		ctx->req.raw_body_len = ctx->body_len;
		return NULL;
	}
	if (ct && *ct && !is_json_media_type(ct))
		return problem_new(PROBLEM_UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
	json_t *j = NULL;
	struct problem *p = json_body_parse(ctx->body, ctx->body_len, JSON_BODY_MAX_DEPTH, false, &j);
	if (p)
		return p;
	if (j && json_is_null(j)) {
		json_decref(j);
		j = NULL;
	}
	if (j && !json_is_object(j)) {
		json_decref(j);
		return problem_new(PROBLEM_VALIDATION, "The body must be a JSON object.");
	}
	ctx->req.j_body = j;
	return NULL;
}

const char *request_header(const struct request *req, const char *name)
{
	return req->transport ? MHD_lookup_connection_value(req->transport, MHD_HEADER_KIND, name) : NULL;
}

static enum MHD_Result dispatch(struct conn_ctx *ctx, struct MHD_Connection *conn)
{
	ctx->req.transport = conn;
	struct problem *p = prepare_body(ctx, conn);
	if (p)
		return queue_problem(ctx, conn, p);
	struct query_collect qc = {.req = &ctx->req};
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, &qc);
	if (qc.too_many)
		return queue_problem(
			ctx, conn,
			problem_new(PROBLEM_VALIDATION, "Too many query parameters (at most %d).", REQUEST_MAX_QUERY));
	struct response res = {.status = 200};
	/* The handler's statements refuse a bearer revoked meanwhile (the
	 * database tells with its first answer; see auth/revocations.h). */
	if (ctx->req.who.is_authenticated)
		revocations_bearer_begin(ctx->key_id, ctx->req.who.account_id, ctx->revocation_generation);
	p = ctx->req.route->handler(&ctx->req, &res);
	revocations_bearer_end();
	if (p) {
		json_decref(res.j_body);
		free(res.raw_body);
		return queue_problem(ctx, conn, p);
	}
	char *text = res.raw_body;
	size_t len = res.raw_len;
	if (!text) {
		text = res.j_body ? json_dumps(res.j_body, JSON_COMPACT | JSON_ENCODE_ANY) : xstrdup("{}");
		len = strlen(text);
	}
	json_decref(res.j_body);
	return queue(ctx, conn, res.status, text, len, res.content_type ? res.content_type : "application/json", NULL,
		     &res);
}

static struct guard_conn *guard_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)version;
	struct http_server *srv = cls;
	struct conn_ctx *ctx = *con_cls;
	if (!ctx) {
		struct guard_conn *gc = guard_of(conn);
		if (guard_is_refused(srv->guard, gc))
			return MHD_NO; /* answered already (answer_malformed_head): serve nothing more */
		guard_head_done(srv->guard, gc);
		ctx = xcalloc(1, sizeof(*ctx));
		*con_cls = ctx;
		ctx->srv = srv;
		ctx->started_us = util_now_us();
		ctx->req.app = srv->app;
		snprintf(ctx->req.id, sizeof(ctx->req.id), "%08x%08llx", (unsigned)getpid() & 0xffffffffu,
			 (unsigned long long)atomic_fetch_add(&srv->next_id, 1));
		snprintf(ctx->req.who.account, sizeof(ctx->req.who.account), "-");
		ctx->log_path = xstrdup(url);
		snprintf(ctx->log_method, sizeof(ctx->log_method), "%s", method);
		if (strlen(ctx->log_path) > LOG_PATH_MAX)
			ctx->log_path[LOG_PATH_MAX] = '\0';
		atomic_fetch_add(&srv->in_flight, 1);
		struct problem *p = begin_request(ctx, conn, url, method);
		if (p)
			return queue_problem(ctx, conn, p);
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!ctx->responded)
			append_body(ctx, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->responded)
		return MHD_YES;
	return dispatch(ctx, conn);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct conn_ctx *ctx = *con_cls;
	if (!ctx)
		return;
	guard_request_done(srv->guard, guard_of(conn));
	double ms = (double)(util_now_us() - ctx->started_us) / 1000.0;
	if (log_enabled(LOG_LEVEL_INFO))
		log_write(LOG_LEVEL_INFO, "request", "req=%s %s %s %d %.2fms account=%s%s", ctx->req.id,
			  ctx->log_method, ctx->log_path, ctx->status, ms, ctx->req.who.account,
			  toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	router_match_clear(&ctx->match);
	json_decref(ctx->req.j_body);
	free(ctx->body);
	free(ctx->log_path);
	free(ctx);
	*con_cls = NULL;
	atomic_fetch_sub(&srv->in_flight, 1);
}

/* Answers a malformed first request head with a problem, on the socket
 * itself: the head is peeked (left in place), the answer sent, the sending
 * side shut and the connection marked, so that whatever libmicrohttpd makes
 * of the bytes afterwards (its own error answer, or a request) never
 * reaches the client. Runs before libmicrohttpd reads the socket. */
static void answer_malformed_head(struct http_server *srv, struct guard_conn *gc, int fd)
{
	char head[16384];
	ssize_t n = recv(fd, head, sizeof(head), MSG_PEEK | MSG_DONTWAIT);
	if (n <= 0)
		return;
	struct problem *p = http_head_check(head, (size_t)n);
	if (!p)
		return;
	int status = problem_status(p);
	LOG_INFO("refused a malformed request head: %d %s", status, problem_detail(p));
	json_t *j = problem_to_json(p, NULL);
	problem_free(p);
	char *body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	char reply[2048];
	int len = snprintf(
		reply, sizeof(reply),
		"HTTP/1.1 %d %s\r\nContent-Type: application/problem+json\r\nContent-Length: %zu\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n%s",
		status, MHD_get_reason_phrase_for((unsigned)status), strlen(body), body);
	free(body);
	if (len > 0 && (size_t)len < sizeof(reply) && send(fd, reply, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		LOG_DEBUG("cannot answer a malformed head: %d", errno);
	shutdown(fd, SHUT_WR);
	guard_refuse(srv->guard, gc);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		guard_closed(srv->guard, *socket_context);
		*socket_context = NULL;
		return;
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return;
	struct guard_conn *gc = guard_started(srv->guard, ci->connect_fd);
	*socket_context = gc;
	answer_malformed_head(srv, gc, ci->connect_fd);
}

/* The listening socket, bound; accept() returns only once a client has
 * sent something (TCP_DEFER_ACCEPT), which also keeps connections that
 * never send a byte out of libmicrohttpd's slots. */
static int listen_socket(const struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	int defer_s = 5;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_s, sizeof(defer_s));
	if (bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) != 0 || listen(fd, SOMAXCONN) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

struct http_server *http_server_start(const struct app *app, const struct route *routes, size_t route_count)
{
	const struct config *cfg = app->cfg;
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	srv->app = app;
	srv->routes = routes;
	srv->route_count = route_count;
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->listen_addr, &addr.sin_addr) != 1) {
		LOG_ERROR("IXAPI_LISTEN: '%s' is not an IPv4 address", cfg->listen_addr);
		free(srv);
		return NULL;
	}
	int listen_fd = listen_socket(&addr);
	if (listen_fd < 0) {
		LOG_ERROR("cannot listen on %s:%d: %s", cfg->listen_addr, cfg->port, strerror(errno));
		free(srv);
		return NULL;
	}
	srv->guard = guard_new(cfg->request_head_timeout_s, cfg->max_connections);
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	srv->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_LISTEN_SOCKET, listen_fd, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout_s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)cfg->max_connections_per_ip, MHD_OPTION_END);
	if (!srv->daemon) {
		LOG_ERROR("cannot serve on %s:%d", cfg->listen_addr, cfg->port);
		close(listen_fd);
		guard_free(srv->guard);
		free(srv);
		return NULL;
	}
	srv->listen_fd = listen_fd;
	struct sockaddr_in bound;
	socklen_t bound_len = sizeof(bound);
	srv->port =
		getsockname(listen_fd, (struct sockaddr *)&bound, &bound_len) == 0 ? ntohs(bound.sin_port) : cfg->port;
	return srv;
}

int http_server_port(const struct http_server *srv)
{
	return srv->port;
}

void http_server_stop(struct http_server *srv, int grace_s)
{
	if (!srv)
		return;
	/* Stop accepting, and close the listening socket at once: new clients
	 * fail fast (and go to another node) instead of waiting in the kernel's
	 * backlog for a server that is leaving. Not with MHD_quiesce_daemon:
	 * in 0.9.75 it races the pool workers for the socket's place in their
	 * epoll sets and panics when a worker removed it first ("Failed to
	 * remove listen FD from epoll set"), killing a server that was
	 * stopping cleanly. Instead the socket's descriptor is pointed at an
	 * empty pipe (dup2): the socket is closed, which takes it out of every
	 * epoll set, and the number libmicrohttpd keeps names something that
	 * never becomes readable until MHD_stop_daemon closes it. */
	int never[2];
	if (pipe2(never, O_CLOEXEC) == 0) {
		if (dup2(never[0], srv->listen_fd) < 0)
			LOG_WARN("cannot close the listening socket: %s", strerror(errno));
		close(never[0]);
	} else {
		never[1] = -1;
		LOG_WARN("cannot close the listening socket: %s", strerror(errno));
	}
	long long deadline = util_now_us() + (long long)grace_s * 1000000LL;
	while (atomic_load(&srv->in_flight) > 0 && util_now_us() < deadline)
		usleep(20000);
	if (atomic_load(&srv->in_flight) > 0)
		LOG_WARN("%d request(s) still running after %d s; stopping anyway", atomic_load(&srv->in_flight),
			 grace_s);
	MHD_stop_daemon(srv->daemon); /* closes listen_fd (the pipe's read end) */
	if (never[1] >= 0)
		close(never[1]);
	guard_free(srv->guard);
	free(srv);
}
