/*
 * Integration-test harness (see harness.h).
 */
#include "harness.h"

#include "auth/password.h"
#include "http/router.h"
#include "routes.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static const char *binary(void)
{
	const char *b = getenv("IXAPI_BIN");
	return b && *b ? b : "build/ixapid";
}

int itest_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int admin_sql(const char *sql)
{
	const char *url = getenv("DATABASE_URL");
	PGconn *c = PQconnectdb(url ? url : "");
	int rc = -1;
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = PQexec(c, sql);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
		if (rc)
			fprintf(stderr, "harness: %s: %s", sql, PQerrorMessage(c));
		PQclear(r);
	} else
		fprintf(stderr, "harness: cannot connect: %s", PQerrorMessage(c));
	PQfinish(c);
	return rc;
}

int itest_cli(const struct itest_server *s, const char *const *args, char *out, size_t len)
{
	int fds[2];
	if (len == 0 || pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		setenv("DATABASE_URL", s->db_url, 1);
		const char *argv[16] = {binary()};
		for (size_t i = 0; args[i] && i + 2 < sizeof(argv) / sizeof(argv[0]); i++)
			argv[i + 1] = args[i];
		execv(binary(), (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	size_t used = 0;
	ssize_t n;
	char sink[256];
	while ((n = read(fds[0], used + 1 < len ? out + used : sink, used + 1 < len ? len - 1 - used : sizeof(sink))) >
	       0)
		if (used + 1 < len)
			used += (size_t)n;
	out[used] = '\0';
	close(fds[0]);
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* One connection per test program, to the database of the server it was
 * last asked about: a new connection costs a backend's start (tens of ms
 * of CPU on these machines), and the tests ask thousands of questions.
 * Opened again when the database differs or the connection broke (a test
 * restarted PostgreSQL); closed before the database is dropped. */
static pthread_mutex_t sql_lock = PTHREAD_MUTEX_INITIALIZER;
static PGconn *sql_conn;
static char sql_conn_url[sizeof(((struct itest_server *)0)->db_url)];

static PGconn *sql_connection(const char *url) /* the caller holds sql_lock */
{
	if (sql_conn && (strcmp(sql_conn_url, url) != 0 || PQstatus(sql_conn) != CONNECTION_OK)) {
		PQfinish(sql_conn);
		sql_conn = NULL;
	}
	if (!sql_conn) {
		sql_conn = PQconnectdb(url);
		snprintf(sql_conn_url, sizeof(sql_conn_url), "%s", url);
	}
	return sql_conn;
}

static void sql_close(void)
{
	pthread_mutex_lock(&sql_lock);
	PQfinish(sql_conn);
	sql_conn = NULL;
	pthread_mutex_unlock(&sql_lock);
}

int itest_sql(const struct itest_server *s, const char *sql, char *first_value, size_t len)
{
	pthread_mutex_lock(&sql_lock);
	int rc = -1;
	for (int attempt = 0; attempt < 2; attempt++) {
		PGconn *c = sql_connection(s->db_url);
		if (PQstatus(c) != CONNECTION_OK) {
			fprintf(stderr, "harness: %s: %s", sql, PQerrorMessage(c));
			break;
		}
		PGresult *r = PQexec(c, sql);
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_FATAL_ERROR && PQstatus(c) == CONNECTION_BAD && attempt == 0) {
			PQclear(r); /* it had broken (PostgreSQL restarted): once more on a new one */
			continue;
		}
		rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : -1;
		if (rc)
			fprintf(stderr, "harness: %s: %s", sql, PQerrorMessage(c));
		if (!rc && first_value && len) {
			first_value[0] = '\0';
			if (PQntuples(r) > 0)
				snprintf(first_value, len, "%s", PQgetvalue(r, 0, 0));
		}
		PQclear(r);
		break;
	}
	pthread_mutex_unlock(&sql_lock);
	return rc;
}

/* Runs `ixapid ARGS` with the test environment; returns its exit status. */
static int run_tool(const struct itest_server *s, const char *const *args)
{
	pid_t pid = fork();
	if (pid == 0) {
		char log[512];
		snprintf(log, sizeof(log), "%s/tool.log", s->workdir);
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 2);
			dup2(fd, 1);
		}
		setenv("DATABASE_URL", s->db_url, 1);
		char *argv[8] = {(char *)binary()};
		for (int i = 0; args[i] && i < 6; i++)
			argv[i + 1] = (char *)args[i];
		execv(binary(), argv);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int load_creds(const struct itest_server *s, const char *role, struct itest_credentials *c)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/credentials.json", s->workdir);
	json_t *j = json_load_file(path, 0, NULL);
	json_t *j_role = json_object_get(j, role);
	int rc = -1;
	if (json_is_object(j_role)) {
		snprintf(c->api_key, sizeof(c->api_key), "%s", json_string_value(json_object_get(j_role, "api_key")));
		snprintf(c->api_secret, sizeof(c->api_secret), "%s",
			 json_string_value(json_object_get(j_role, "api_secret")));
		snprintf(c->account, sizeof(c->account), "%s", json_string_value(json_object_get(j_role, "account")));
		rc = 0;
	}
	json_decref(j);
	return rc;
}

bool itest_file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	static char buf[1 << 22];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

static int start_server_once(struct itest_server *s);

/* The port is one the kernel had free a moment ago; test programs run side
 * by side, so another may take it first: the server then cannot listen and
 * exits, and it is started again on another port (3 tries). */
int itest_start_server(struct itest_server *s)
{
	/* Started again while it runs (a failed test skipped its stop): the
	 * running process is stopped first, never left behind. */
	if (s->pid > 0)
		itest_stop_server(s);
	int rc = -1;
	for (int attempt = 0; attempt < 3; attempt++) {
		rc = start_server_once(s);
		char log[512];
		snprintf(log, sizeof(log), "%s/server.log", s->workdir);
		if (rc == 0 || s->pid != 0 || !itest_file_contains(log, "cannot listen on"))
			break;
		fprintf(stderr, "harness: port %d was taken; trying another\n", s->port);
	}
	return rc;
}

static int start_server_once(struct itest_server *s)
{
	s->port = itest_free_port();
	snprintf(s->base_url, sizeof(s->base_url), "http://127.0.0.1:%d/api/v2", s->port);
	pid_t pid = fork();
	if (pid == 0) {
		char log[512], port[16], key[512];
		snprintf(log, sizeof(log), "%s/server.log", s->workdir);
		snprintf(port, sizeof(port), "%d", s->port);
		snprintf(key, sizeof(key), "%s/jwt.key", s->workdir);
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0)
			dup2(fd, 2);
		setenv("DATABASE_URL", s->db_url, 1);
		setenv("IXAPI_PORT", port, 1);
		setenv("IXAPI_LISTEN", "127.0.0.1", 1);
		setenv("IXAPI_JWT_KEY_FILE", key, 1);
		if (!getenv("IXAPI_THREADS"))
			setenv("IXAPI_THREADS", "4", 1);
		setenv("IXAPI_DB_ACQUIRE_TIMEOUT_MS", "2000", 1);
		setenv("IXAPI_MIGRATE_ON_START", "1", 1); /* already migrated: must be a no-op */
		execl(binary(), binary(), "serve", (char *)NULL);
		_exit(127);
	}
	s->pid = pid;
	/* Healthy, and said so in its own log: a server of another test
	 * program that took the port first answers /health too. */
	char log[512], serving[96];
	snprintf(log, sizeof(log), "%s/server.log", s->workdir);
	snprintf(serving, sizeof(serving), " on http://127.0.0.1:%d/api/v2 ", s->port);
	for (int i = 0; i < 200; i++) { /* up to 20 s: sanitizer builds start slowly */
		struct http_result r = {0};
		if (itest_file_contains(log, serving) && http_call(s, "GET", "/health", NULL, NULL, NULL, &r) == 0 &&
		    r.status == 200) {
			http_result_free(&r);
			return 0;
		}
		http_result_free(&r);
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "harness: the server exited during start-up; see %s/server.log\n", s->workdir);
			s->pid = 0;
			return -1;
		}
		usleep(100000);
	}
	fprintf(stderr, "harness: the server did not become healthy\n");
	return -1;
}

int itest_stop_server(struct itest_server *s)
{
	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	int status = 0;
	for (int i = 0; i < 300; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		usleep(50000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
	return -1;
}

static const struct itest_server *current;

/* Copies the file from to the new file to (mode 0600). 0, or -1. */
static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc = out < 0 ? -1 : 0;
	char buf[4096];
	ssize_t n;
	while (rc == 0 && (n = read(in, buf, sizeof(buf))) != 0)
		if (n < 0 || write(out, buf, (size_t)n) != n)
			rc = -1;
	close(in);
	if (out >= 0 && close(out) != 0)
		rc = -1;
	return rc;
}

const struct itest_server *itest_current(void)
{
	return current;
}

int itest_start(struct itest_server *s)
{
	memset(s, 0, sizeof(*s));
	current = s;
	curl_global_init(CURL_GLOBAL_ALL);
	password_init();
	snprintf(s->workdir, sizeof(s->workdir), "/tmp/ixapi-itest-XXXXXX");
	if (!mkdtemp(s->workdir))
		return -1;
	snprintf(s->dbname, sizeof(s->dbname), "itest_%d_%ld", (int)getpid(), (long)time(NULL));
	char sql[256];
	/* A template (tests/run-integration.sh migrates and seeds one for the
	 * whole tier) is copied; without one, or for a test of its own
	 * migrations folder, the database is migrated and seeded here. */
	const char *tmpl = getenv("IXAPI_ITEST_TEMPLATE");
	const char *tmpl_creds = getenv("IXAPI_ITEST_TEMPLATE_CREDENTIALS");
	bool copy = tmpl && *tmpl && tmpl_creds && *tmpl_creds && !getenv("IXAPI_MIGRATIONS_DIR");
	if (copy)
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE %s", s->dbname, tmpl);
	else
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", s->dbname);
	if (admin_sql(sql) != 0)
		return -1;
	const char *url = getenv("DATABASE_URL");
	snprintf(s->db_url, sizeof(s->db_url), "%s dbname=%s", url ? url : "", s->dbname);
	char creds[512];
	snprintf(creds, sizeof(creds), "%s/credentials.json", s->workdir);
	if (copy) {
		if (copy_file(tmpl_creds, creds) != 0) {
			fprintf(stderr, "harness: cannot copy %s to %s\n", tmpl_creds, creds);
			return -1;
		}
	} else {
		const char *migrate[] = {"migrate", NULL};
		const char *seed[] = {"seed-demo", "--credentials", creds, NULL};
		if (run_tool(s, migrate) != 0 || run_tool(s, seed) != 0) {
			fprintf(stderr, "harness: migrate/seed failed; see %s/tool.log\n", s->workdir);
			return -1;
		}
	}
	if (load_creds(s, "operator", &s->operator_creds) != 0 || load_creds(s, "member", &s->member_creds) != 0)
		return -1;
	return itest_start_server(s);
}

/* The configs' rendered JSON (migration 025) is what their renderer makes
 * of them now, whatever the test did: so every write path some test takes
 * is checked, and a dependency of the renderer without its trigger fails
 * the test program that changes it. 0, or -1 after saying why. */
static int check_rendered_configs(const struct itest_server *s)
{
	char stale[32] = "";
	if (itest_sql(s, "SELECT network_service_configs_rendered_stale()", stale, sizeof(stale)) == 0 &&
	    strcmp(stale, "0") == 0)
		return 0;
	fprintf(stderr,
		"harness: %s network service config(s) whose rendered JSON differs from a fresh render"
		" (SELECT network_service_configs_rendered_stale()): a write changed what the renderer reads"
		" without its touch trigger (migration 025)\n",
		stale[0] ? stale : "some");
	return -1;
}

/* The configs' counts per owner pair (migration 028) are the configs each
 * pair owns now, whatever the test did. 0, or -1 after saying why. */
static int check_config_counts(const struct itest_server *s)
{
	char stale[32] = "";
	if (itest_sql(s, "SELECT network_service_config_counts_stale()", stale, sizeof(stale)) == 0 &&
	    strcmp(stale, "0") == 0)
		return 0;
	fprintf(stderr,
		"harness: %s owner pair(s) whose count of network service configs differs from a fresh count"
		" (SELECT network_service_config_counts_stale()): a write changed configs without the count"
		" triggers (migration 028)\n",
		stale[0] ? stale : "some");
	return -1;
}

int itest_finish(struct itest_server *s)
{
	int status = itest_stop_server(s);
	if (status != 0)
		fprintf(stderr, "harness: the server exited with status %d; see %s/server.log:\n", status, s->workdir);
	if (status != 0) {
		char show[600];
		snprintf(show, sizeof(show), "tail -n 40 '%s/server.log' >&2", s->workdir);
		if (system(show) != 0)
			fprintf(stderr, "harness: cannot show the log\n");
	}
	if (check_rendered_configs(s) != 0 && status == 0)
		status = -1;
	if (check_config_counts(s) != 0 && status == 0)
		status = -1;
	sql_close();
	char sql[256];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", s->dbname);
	admin_sql(sql);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->workdir);
	if (system(cmd) != 0)
		fprintf(stderr, "harness: could not remove %s\n", s->workdir);
	curl_global_cleanup();
	return status;
}

struct grow {
	char *data;
	size_t len;
};

static size_t on_body(char *ptr, size_t size, size_t n, void *userdata)
{
	struct grow *g = userdata;
	size_t add = size * n;
	char *p = realloc(g->data, g->len + add + 1);
	if (!p)
		return 0;
	g->data = p;
	memcpy(g->data + g->len, ptr, add);
	g->len += add;
	g->data[g->len] = '\0';
	return add;
}

static void header_value(const char *line, size_t len, const char *name, char *out, size_t out_len)
{
	size_t n = strlen(name);
	if (len > n + 1 && strncasecmp(line, name, n) == 0 && line[n] == ':') {
		const char *v = line + n + 1;
		while (*v == ' ')
			v++;
		size_t vlen = len - (size_t)(v - line);
		while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n'))
			vlen--;
		snprintf(out, out_len, "%.*s", (int)vlen, v);
	}
}

static size_t on_header(char *line, size_t size, size_t n, void *userdata)
{
	struct http_result *r = userdata;
	size_t len = size * n;
	header_value(line, len, "Content-Type", r->content_type, sizeof(r->content_type));
	header_value(line, len, "Allow", r->allow, sizeof(r->allow));
	header_value(line, len, "WWW-Authenticate", r->www_authenticate, sizeof(r->www_authenticate));
	header_value(line, len, "Content-Length", r->content_length, sizeof(r->content_length));
	header_value(line, len, "X-Total-Count", r->total_count, sizeof(r->total_count));
	header_value(line, len, "X-Next-Offset", r->next_offset, sizeof(r->next_offset));
	header_value(line, len, "X-Next-After", r->next_after, sizeof(r->next_after));
	header_value(line, len, "Retry-After", r->retry_after, sizeof(r->retry_after));
	return len;
}

/* Appends the response to $IXAPI_RESPONSE_LOG with its route pattern. */
static void log_response(const char *method, const char *path, const struct http_result *r)
{
	const char *log = getenv("IXAPI_RESPONSE_LOG");
	int m = http_method_parse(method);
	if (!log || !*log || m < 0 || strcmp(method, "HEAD") == 0)
		return;
	char clean[2048];
	snprintf(clean, sizeof(clean), "%s", path);
	clean[strcspn(clean, "?")] = '\0';
	struct router_match match;
	if (router_match(routes_table, routes_count, (enum http_method)m, clean, &match) != ROUTER_FOUND)
		return;
	json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:O?}", "method", method, "route", match.route->pattern, "status",
			      (int)r->status, "content_type", r->content_type, "body", r->j);
	router_match_clear(&match);
	/* One write() of the whole line to an O_APPEND file: the test programs
	 * of a tier run side by side and append to the same log. */
	char *line = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	int fd = line ? open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644) : -1;
	if (fd >= 0) {
		size_t n = strlen(line);
		line[n] = '\n'; /* over the terminating NUL: written by length */
		if (write(fd, line, n + 1) != (ssize_t)(n + 1))
			fprintf(stderr, "harness: a short write to %s\n", log);
		close(fd);
	}
	free(line);
	json_decref(j);
}

int http_call_url(const struct itest_server *s, const char *method, const char *url, const char *token,
		  const char *body, size_t body_len, const char *const *headers, struct http_result *out)
{
	(void)s;
	memset(out, 0, sizeof(*out));
	CURL *c = curl_easy_init();
	struct curl_slist *hs = NULL;
	char auth[4096];
	if (token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		hs = curl_slist_append(hs, auth);
	}
	bool has_ct = false;
	for (size_t i = 0; headers && headers[i]; i++) {
		hs = curl_slist_append(hs, headers[i]);
		if (strncasecmp(headers[i], "Content-Type:", 13) == 0)
			has_ct = true;
	}
	if (body && !has_ct)
		hs = curl_slist_append(hs, "Content-Type: application/json");
	hs = curl_slist_append(hs, "Expect:");
	struct grow g = {0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &g);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(hs);
	curl_easy_cleanup(c);
	out->body = g.data ? g.data : strdup("");
	out->body_len = g.len;
	if (g.len)
		out->j = json_loadb(g.data, g.len, JSON_DECODE_ANY, NULL);
	return rc == CURLE_OK ? 0 : -1;
}

int http_call(const struct itest_server *s, const char *method, const char *path, const char *token, const char *body,
	      const char *const *headers, struct http_result *out)
{
	char url[4096];
	snprintf(url, sizeof(url), "%s%s", s->base_url, path);
	int rc = http_call_url(s, method, url, token, body, body ? strlen(body) : 0, headers, out);
	if (rc == 0)
		log_response(method, path, out);
	return rc;
}

void http_result_free(struct http_result *r)
{
	free(r->body);
	json_decref(r->j);
	memset(r, 0, sizeof(*r));
}

char *itest_login(const struct itest_server *s, const struct itest_credentials *c, char **refresh)
{
	char body[512];
	snprintf(body, sizeof(body), "{\"api_key\": \"%s\", \"api_secret\": \"%s\"}", c->api_key, c->api_secret);
	struct http_result r;
	char *access = NULL;
	if (http_call(s, "POST", "/auth/token", NULL, body, NULL, &r) == 0 && r.status == 201) {
		access = strdup(json_string_value(json_object_get(r.j, "access_token")));
		if (refresh)
			*refresh = strdup(json_string_value(json_object_get(r.j, "refresh_token")));
	}
	http_result_free(&r);
	return access;
}

int itest_create_key(const struct itest_server *s, const char *account, bool is_operator,
		     struct itest_credentials *creds)
{
	password_random_string(creds->api_key, PASSWORD_API_KEY_LEN);
	password_random_string(creds->api_secret, PASSWORD_API_SECRET_LEN);
	snprintf(creds->account, sizeof(creds->account), "%s", account);
	char *hash = password_hash_new(creds->api_secret);
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO api_keys (account_id, api_key, secret_hash, role) VALUES (%s, '%s', '%s', '%s')", account,
		 creds->api_key, hash, is_operator ? "operator" : "member");
	free(hash);
	return itest_sql(s, sql, NULL, 0);
}

bool itest_is_problem(const struct http_result *r, long status, const char *type_suffix)
{
	bool ok = r->status == status && strncmp(r->content_type, "application/problem+json", 24) == 0 &&
		  json_is_object(r->j) && json_integer_value(json_object_get(r->j, "status")) == status &&
		  json_is_integer(json_object_get(r->j, "status")) && json_is_string(json_object_get(r->j, "title")) &&
		  json_is_string(json_object_get(r->j, "detail")) && json_is_string(json_object_get(r->j, "type"));
	if (ok && type_suffix) {
		const char *type = json_string_value(json_object_get(r->j, "type"));
		size_t tl = strlen(type), sl = strlen(type_suffix);
		ok = tl >= sl && strcmp(type + tl - sl, type_suffix) == 0;
	}
	if (!ok)
		fprintf(stderr, "expected problem %ld %s, got %ld %s: %s\n", status, type_suffix ? type_suffix : "",
			r->status, r->content_type, r->body ? r->body : "");
	return ok;
}

int itest_pg_stop(void)
{
	const char *cmd = getenv("TEST_PG_STOP_CMD");
	return cmd ? system(cmd) : -1;
}

int itest_pg_start(void)
{
	const char *cmd = getenv("TEST_PG_START_CMD");
	return cmd ? system(cmd) : -1;
}

int itest_start_with_tokens(struct itest_server *s, char **operator_token, char **member_token)
{
	if (itest_start(s) != 0)
		return -1;
	if (operator_token && !(*operator_token = itest_login(s, &s->operator_creds, NULL)))
		return -1;
	if (member_token && !(*member_token = itest_login(s, &s->member_creds, NULL)))
		return -1;
	return 0;
}

int itest_finish_tokens(struct itest_server *s, char *operator_token, char *member_token)
{
	free(operator_token);
	free(member_token);
	return itest_finish(s) == 0 ? 0 : -1;
}

json_t *itest_expect(const struct itest_server *s, const char *method, const char *path, const char *token,
		     const char *body, long status)
{
	struct http_result r;
	assert_int_equal(http_call(s, method, path, token, body, NULL, &r), 0);
	if (r.status != status)
		fprintf(stderr, "%s %s%s%s: expected %ld, got %ld %s\n", method, path, body ? " " : "",
			body ? body : "", status, r.status, r.body);
	assert_int_equal(r.status, status);
	if (status >= 400)
		assert_true(itest_is_problem(&r, status, NULL));
	json_t *j = json_incref(r.j);
	http_result_free(&r);
	return j;
}
