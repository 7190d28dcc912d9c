/*
 * The adapters' HTTP server (see ad_http.h). libmicrohttpd runs one
 * internal polling thread, so requests are handled one at a time: the
 * replay memory and the adapters' state need no lock.
 */
#include "adapters/common/ad_http.h"

#include "adapters/common/ad_idem.h"
#include "core/log.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct MHD_Daemon *daemon_handle;
static char *bearer_secret;
static const struct ad_api *served_api;

/* Per-request state, freed in completed(). */
struct request {
	struct strbuf body;
	bool is_too_large;
};

/* Constant-time comparison of the presented secret with ours. */
static bool secret_matches(const char *presented)
{
	size_t a = strlen(presented), b = strlen(bearer_secret);
	unsigned char diff = (unsigned char)(a != b);
	for (size_t i = 0; i < a; i++)
		diff |= (unsigned char)(presented[i] ^ bearer_secret[i % (b ? b : 1)]);
	return diff == 0 && b > 0;
}

static bool is_authorised(struct MHD_Connection *conn)
{
	const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	return h && strncmp(h, "Bearer ", 7) == 0 && secret_matches(h + 7);
}

static enum MHD_Result send_text(struct MHD_Connection *conn, int status, const char *content_type, const char *text,
				 bool is_replay)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	if (status == 401)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (is_replay)
		MHD_add_response_header(r, "Idempotent-Replayed", "true");
	enum MHD_Result rc = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	return rc;
}

/* An answer: a JSON body (status 2xx) or a problem (rendered here). */
struct answer {
	int status;
	json_t *j_body;
	struct problem *problem;
};

static char *answer_text(const struct answer *a, const char *path, int *status, const char **content_type)
{
	if (a->problem) {
		json_t *j = problem_to_json(a->problem, path);
		*status = problem_status(a->problem);
		*content_type = "application/problem+json";
		char *text = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		return text;
	}
	*status = a->status;
	*content_type = "application/json";
	return json_dumps(a->j_body, JSON_COMPACT);
}

struct problem *ad_http_body_json(const struct ad_request *req, json_t **j_body)
{
	json_error_t err;
	*j_body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!*j_body)
		return problem_new(PROBLEM_BAD_REQUEST, "the body is not JSON: %s (at %d:%d)", err.text, err.line,
				   err.column);
	return NULL;
}

/* True when path matches r's pattern; the {} segments are then copied into
 * params (the caller frees them). */
static bool route_matches(const struct ad_route *r, const char *path, char **params)
{
	const char *p = r->pattern, *s = path;
	size_t offset[AD_HTTP_PARAMS_MAX], len[AD_HTTP_PARAMS_MAX], n = 0;
	while (*p) {
		if (p[0] == '{' && p[1] == '}') {
			size_t l = strcspn(s, "/");
			if (n == AD_HTTP_PARAMS_MAX || l == 0 || (r->param_max[n] && l > r->param_max[n]))
				return false;
			offset[n] = (size_t)(s - path);
			len[n++] = l;
			s += l;
			p += 2;
		} else if (*p++ != *s++) {
			return false;
		}
	}
	if (*s)
		return false;
	for (size_t i = 0; i < AD_HTTP_PARAMS_MAX; i++) {
		free(params[i]);
		params[i] = i < n ? xasprintf("%.*s", (int)len[i], path + offset[i]) : NULL;
	}
	return true;
}

/* Finds the route of method + path and runs it. */
static void dispatch(struct ad_request *req, struct answer *a)
{
	const struct ad_api *api = served_api;
	const struct ad_route *route = NULL;
	char *params[AD_HTTP_PARAMS_MAX] = {NULL};
	bool is_path_known = false;
	for (size_t i = 0; i < api->n_routes && !route; i++) {
		if (!route_matches(&api->routes[i], req->path, params))
			continue;
		is_path_known = true;
		if (strcmp(api->routes[i].method, req->method) == 0)
			route = &api->routes[i];
	}
	for (size_t i = 0; i < AD_HTTP_PARAMS_MAX; i++)
		req->params[i] = params[i];
	if (!is_path_known)
		a->problem = problem_new(PROBLEM_NOT_FOUND, "no resource %s", req->path);
	else if (api->check_params)
		a->problem = api->check_params(req);
	if (a->problem)
		goto out;
	if (!route) {
		a->problem = problem_new(PROBLEM_METHOD_NOT_ALLOWED, "%s is not allowed on %s", req->method, req->path);
		goto out;
	}
	a->status = route->status ? route->status : 200;
	a->problem = route->handler(req, &a->j_body);
	if (a->problem) {
		json_decref(a->j_body);
		a->j_body = NULL;
	}
out:
	for (size_t i = 0; i < AD_HTTP_PARAMS_MAX; i++)
		free(params[i]);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			      const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)version;
	struct request *req = *con_cls;
	if (!req) {
		*con_cls = xcalloc(1, sizeof(*req));
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (req->body.len + *upload_data_size > served_api->body_max)
			req->is_too_large = true;
		else
			strbuf_put(&req->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}

	struct answer a = {0};
	bool is_write = strcmp(method, "PUT") == 0 || strcmp(method, "POST") == 0;
	const char *key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Idempotency-Key");
	const char *ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!is_authorised(conn)) {
		a.problem = problem_new(PROBLEM_AUTHENTICATION, "a valid Authorization: Bearer <secret> is required");
	} else if (req->is_too_large) {
		a.problem =
			problem_new(PROBLEM_PAYLOAD_TOO_LARGE, "bodies are limited to %zu bytes", served_api->body_max);
	} else if (is_write && key && (strlen(key) == 0 || strlen(key) > AD_IDEM_KEY_MAX)) {
		a.problem = problem_new(PROBLEM_BAD_REQUEST, "Idempotency-Key must have 1 to %d characters",
					AD_IDEM_KEY_MAX);
	} else if (is_write && (!ctype || strncmp(ctype, "application/json", 16) != 0)) {
		a.problem = problem_new(PROBLEM_UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
	} else if (is_write && key) {
		int status;
		char *text;
		if (ad_idem_find(key, method, url, &status, &text)) {
			LOG_INFO("%s %s: replayed the answer to Idempotency-Key %s (%d)", method, url, key, status);
			enum MHD_Result rc =
				send_text(conn, status, status >= 400 ? "application/problem+json" : "application/json",
					  text, true);
			free(text);
			return rc;
		}
	}
	if (!a.problem) {
		struct ad_request r = {.method = method,
				       .path = url,
				       .body = req->body.text ? req->body.text : "",
				       .body_len = req->body.len};
		dispatch(&r, &a);
	}
	int status;
	const char *content_type;
	char *text = answer_text(&a, url, &status, &content_type);
	/* Answers of processed writes are remembered; 5xx are not (the next try
	 * may succeed), nor are refusals that never reached the operation. */
	if (is_write && key && is_authorised(conn) && status < 500 && status != 401 && status != 413 && status != 415)
		ad_idem_store(key, method, url, status, text);
	if (status >= 500)
		LOG_WARN("%s %s: %d %s", method, url, status, problem_detail(a.problem));
	else
		LOG_DEBUG("%s %s: %d", method, url, status);
	enum MHD_Result rc = send_text(conn, status, content_type, text, false);
	free(text);
	json_decref(a.j_body);
	problem_free(a.problem);
	return rc;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct request *req = *con_cls;
	if (!req)
		return;
	free(req->body.text);
	free(req);
	*con_cls = NULL;
}

int ad_http_listen(const char *addr, uint16_t port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		LOG_ERROR("listen address %s is not an IPv4 address", addr);
		return -1;
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int on = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 64) != 0) {
		LOG_ERROR("cannot listen on %s:%u: %s", addr, (unsigned)port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int ad_http_start(int listen_fd, const char *addr, uint16_t port, const char *secret, const struct ad_api *api)
{
	served_api = api;
	bearer_secret = xstrdup(secret);
	daemon_handle = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, port, NULL, NULL, handle,
					 NULL, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
					 MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
					 (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_END);
	if (!daemon_handle) {
		LOG_ERROR("cannot listen on %s:%u", addr, (unsigned)port);
		close(listen_fd);
		free(bearer_secret);
		bearer_secret = NULL;
		return -1;
	}
	LOG_INFO("listening on http://%s:%u/v1", addr, (unsigned)port);
	return 0;
}

void ad_http_stop(void)
{
	if (daemon_handle)
		MHD_stop_daemon(daemon_handle);
	daemon_handle = NULL;
	if (bearer_secret) {
		memset(bearer_secret, 0, strlen(bearer_secret));
		free(bearer_secret);
	}
	bearer_secret = NULL;
	ad_idem_clear();
}
