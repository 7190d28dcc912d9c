/*
 * HTTP side of the route-server adapter (see rs_api.h), the switch
 * adapter's conventions (sw_api.c): bearer secret, RFC 7807 problems,
 * Idempotency-Key replay on (key, method, path), /v1/health.
 * libmicrohttpd runs one internal polling thread, so handlers run one at a
 * time: two route servers are never changed at once.
 */
#include "adapters/rs/rs_api.h"

#include "adapters/rs/rs_servers.h"
#include "adapters/switch/sw_idem.h"
#include "core/log.h"
#include "core/problem.h"
#include "core/util.h"
#include "adapters/rs/rs_state.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct MHD_Daemon *daemon_handle;
static char *bearer_secret;

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

/* Splits /v1/route-servers/{server}[/sessions/{id}[/enable]] into its
 * parts; false when path is not of that shape (a part too long included). */
static bool rs_path(const char *path, char *server, char *session, bool *is_enable)
{
	const char *prefix = "/v1/route-servers/";
	char rest[256];
	if (strncmp(path, prefix, strlen(prefix)) != 0 || strlen(path + strlen(prefix)) >= sizeof(rest))
		return false;
	snprintf(rest, sizeof(rest), "%s", path + strlen(prefix));
	char *save = NULL, *parts[5] = {0};
	int n = 0;
	for (char *t = strtok_r(rest, "/", &save); t && n < 5; t = strtok_r(NULL, "/", &save))
		parts[n++] = t;
	if (n == 0 || n == 2 || n > 4 || strlen(parts[0]) >= 32 || path[strlen(path) - 1] == '/')
		return false;
	snprintf(server, 32, "%s", parts[0]);
	session[0] = '\0';
	*is_enable = false;
	if (n >= 3) {
		if (strcmp(parts[1], "sessions") != 0 || strlen(parts[2]) > RS_SESSION_ID_MAX)
			return false;
		snprintf(session, RS_SESSION_ID_MAX + 1, "%s", parts[2]);
	}
	if (n == 4) {
		if (strcmp(parts[3], "enable") != 0)
			return false;
		*is_enable = true;
	}
	return true;
}

static struct problem *parse_body(const struct request *req, json_t **j_body)
{
	json_error_t err;
	*j_body = json_loadb(req->body.text ? req->body.text : "", req->body.len, JSON_REJECT_DUPLICATES, &err);
	if (!*j_body)
		return problem_new(PROBLEM_BAD_REQUEST, "the body is not JSON: %s (at %d:%d)", err.text, err.line,
				   err.column);
	return NULL;
}

static struct problem *method_not_allowed(const char *method, const char *path)
{
	return problem_new(PROBLEM_METHOD_NOT_ALLOWED, "%s is not allowed on %s", method, path);
}

/* Runs the operation of method + path; writes are given the body. */
static void route(const char *method, const char *path, const struct request *req, struct answer *a)
{
	json_t *j_body = NULL;
	char server[32], session[RS_SESSION_ID_MAX + 1];
	bool is_enable;
	bool is_get = strcmp(method, "GET") == 0;
	a->status = 200;
	if (strcmp(path, "/v1/health") == 0) {
		if (is_get)
			a->j_body = rs_servers_health();
		else
			a->problem = method_not_allowed(method, path);
	} else if (!rs_path(path, server, session, &is_enable)) {
		a->problem = problem_new(PROBLEM_NOT_FOUND, "no resource %s", path);
	} else if (!rs_server_is_managed(server)) {
		a->problem = problem_new(PROBLEM_NOT_FOUND, "the adapter manages no route server %s", server);
	} else if (!session[0]) {
		if (is_get)
			a->problem = rs_server_get(server, &a->j_body);
		else if (strcmp(method, "PUT") != 0)
			a->problem = method_not_allowed(method, path);
		else if (!(a->problem = parse_body(req, &j_body)))
			a->problem = rs_server_put(server, j_body, &a->j_body);
	} else if (!is_enable) {
		if (is_get)
			a->problem = rs_session_get(server, session, &a->j_body);
		else
			a->problem = method_not_allowed(method, path);
	} else {
		if (strcmp(method, "POST") != 0)
			a->problem = method_not_allowed(method, path);
		else if (!(a->problem = parse_body(req, &j_body)))
			a->problem = rs_session_enable(server, session, &a->j_body);
	}
	json_decref(j_body);
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
		if (req->body.len + *upload_data_size > RS_API_BODY_MAX)
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
		a.problem = problem_new(PROBLEM_PAYLOAD_TOO_LARGE, "bodies are limited to %d bytes", RS_API_BODY_MAX);
	} else if (is_write && key && (strlen(key) == 0 || strlen(key) > SW_IDEM_KEY_MAX)) {
		a.problem = problem_new(PROBLEM_BAD_REQUEST, "Idempotency-Key must have 1 to %d characters",
					SW_IDEM_KEY_MAX);
	} else if (is_write && (!ctype || strncmp(ctype, "application/json", 16) != 0)) {
		a.problem = problem_new(PROBLEM_UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
	} else if (is_write && key) {
		int status;
		char *text;
		if (sw_idem_find(key, method, url, &status, &text)) {
			LOG_INFO("%s %s: replayed the answer to Idempotency-Key %s (%d)", method, url, key, status);
			enum MHD_Result rc =
				send_text(conn, status, status >= 400 ? "application/problem+json" : "application/json",
					  text, true);
			free(text);
			return rc;
		}
	}
	if (!a.problem)
		route(method, url, req, &a);
	int status;
	const char *content_type;
	char *text = answer_text(&a, url, &status, &content_type);
	/* Answers of processed writes are remembered; 5xx are not (the next try
	 * may succeed), nor are refusals that never reached the operation. */
	if (is_write && key && is_authorised(conn) && status < 500 && status != 401 && status != 413 && status != 415)
		sw_idem_store(key, method, url, status, text);
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

int rs_api_listen(const char *addr, uint16_t port)
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

int rs_api_start(int listen_fd, const char *addr, uint16_t port, const char *secret)
{
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

void rs_api_stop(void)
{
	if (daemon_handle)
		MHD_stop_daemon(daemon_handle);
	daemon_handle = NULL;
	if (bearer_secret) {
		memset(bearer_secret, 0, strlen(bearer_secret));
		free(bearer_secret);
	}
	bearer_secret = NULL;
}
