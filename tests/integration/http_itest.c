/*
 * Integration tests of the HTTP layer and the service endpoints: problem
 * responses for unknown paths, wrong methods, oversized and malformed
 * bodies; content-type tolerance; /health, /implementation, /extensions,
 * /openapi.json; a database restart while serving; graceful shutdown.
 */
#include "harness.h"
#include "fixtures.h"

#include "http/router.h"
#include "routes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <signal.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static struct itest_server srv;
static char *token;

static int setup(void **state)
{
	(void)state;
	setenv("IXAPI_CONNECTION_TIMEOUT", "2", 1); /* for test_slow_client_is_disconnected */
	if (itest_start(&srv) != 0)
		return -1;
	token = itest_login(&srv, &srv.operator_creds, NULL);
	return token ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(token);
	return itest_finish(&srv) == 0 ? 0 : -1;
}

static void test_health(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", "/health", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "status")), "pass");
	assert_true(json_is_string(json_object_get(r.j, "version")));
	assert_string_equal(json_string_value(json_object_get(r.j, "version")), "2");
	assert_true(json_is_object(json_object_get(r.j, "checks")));
	/* Every response carries a Content-Length equal to the body. */
	assert_int_equal(atol(r.content_length), (long)r.body_len);
	http_result_free(&r);
}

static void test_unknown_paths_are_404_problems(void **state)
{
	(void)state;
	const char *paths[] = {"/nope", "/accounts/1/nope", "/accounts/", "/account/", ""};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http_result r;
		assert_int_equal(http_call(&srv, "GET", paths[i], token, NULL, NULL, &r), 0);
		assert_true(itest_is_problem(&r, 404, "not-found.html"));
		http_result_free(&r);
	}
	struct http_result r;
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", srv.port);
	assert_int_equal(http_call_url(&srv, "GET", url, NULL, NULL, 0, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 404, "not-found.html"));
	http_result_free(&r);
}

static void test_wrong_method_is_405_with_allow(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/accounts/1", token, "{}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 405, NULL));
	assert_string_equal(r.allow, "GET, PUT, PATCH, DELETE");
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "OPTIONS", "/health", NULL, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 405, NULL));
	assert_string_equal(r.allow, "GET");
	http_result_free(&r);
}

static void test_oversized_body_is_413(void **state)
{
	(void)state;
	size_t size = (1u << 20) + 10;
	char *big = malloc(size + 1);
	memset(big, ' ', size);
	big[0] = '{';
	big[size - 1] = '}';
	big[size] = '\0';
	char url[256];
	snprintf(url, sizeof(url), "%s/accounts", srv.base_url);
	const char *headers[] = {"Content-Type: application/json", NULL};
	struct http_result r;
	assert_int_equal(http_call_url(&srv, "POST", url, token, big, size, headers, &r), 0);
	assert_true(itest_is_problem(&r, 413, NULL));
	http_result_free(&r);
	/* Chunked (no Content-Length): still 413, never truncated. */
	const char *chunked[] = {"Content-Type: application/json", "Transfer-Encoding: chunked", NULL};
	assert_int_equal(http_call_url(&srv, "POST", url, token, big, size, chunked, &r), 0);
	assert_true(itest_is_problem(&r, 413, NULL));
	http_result_free(&r);
	free(big);
	/* The server still answers. */
	assert_int_equal(http_call(&srv, "GET", "/health", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	http_result_free(&r);
}

static void test_malformed_json_is_400(void **state)
{
	(void)state;
	/* The last two are not UTF-8; the parser quotes them in its message (a
	 * fuzzer found that this once aborted the server). */
	const char *bodies[] = {"{",
				"{\"name\": }",
				"[1, 2]",
				"\"text\"",
				"{\"a\": 1, \"a\": 2}",
				"{\"name\": \"\\u0000\"}",
				"\"P\\\xcf\xa3\xa3\xa3\xd8" /* the hex escape ends here */
				"0\\]\\\\\\",
				"{\"a\": \"\xff\"}"};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct http_result r;
		assert_int_equal(http_call(&srv, "POST", "/accounts", token, bodies[i], NULL, &r), 0);
		assert_true(itest_is_problem(&r, 400, "validation-error.html"));
		http_result_free(&r);
	}
	/* Deep nesting is refused before parsing. */
	char deep[512];
	size_t n = 0;
	for (int i = 0; i < 100; i++)
		deep[n++] = '[';
	for (int i = 0; i < 100; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	char body[600];
	snprintf(body, sizeof(body), "{\"name\": %s}", deep);
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/accounts", token, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_non_null(strstr(r.body, "nested"));
	http_result_free(&r);
}

static void test_content_type_tolerance(void **state)
{
	(void)state;
	const char *body =
		"{\"name\": \"CT\", \"address\": {\"country\": \"NL\", \"locality\": \"A\", \"postal_code\": \"1\","
		" \"street_address\": \"S\"}}";
	const char *variants[] = {"Content-Type: application/json", "Content-Type: application/json;",
				  "Content-Type: application/json; charset=utf-8", "Content-Type: Application/JSON"};
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		const char *headers[] = {variants[i], "Accept: application/json;", NULL};
		struct http_result r;
		assert_int_equal(http_call(&srv, "POST", "/accounts", token, body, headers, &r), 0);
		if (r.status != 201)
			fprintf(stderr, "%s: %ld %s\n", variants[i], r.status, r.body);
		assert_int_equal(r.status, 201);
		http_result_free(&r);
	}
	const char *xml[] = {"Content-Type: text/xml", NULL};
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/accounts", token, body, xml, &r), 0);
	assert_true(itest_is_problem(&r, 415, NULL));
	http_result_free(&r);
	/* A Content-Type on a bodiless GET is fine. */
	const char *get_headers[] = {"Content-Type: application/json", "Accept: application/json;", NULL};
	assert_int_equal(http_call(&srv, "GET", "/accounts", token, NULL, get_headers, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(json_is_array(r.j));
	http_result_free(&r);
}

static void test_implementation_matches_router(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", "/implementation", token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.j, "schema_version")), "2.7.1");
	assert_true(json_is_true(json_object_get(json_object_get(r.j, "supported_features"), "pagination")));
	json_t *j_ops = json_object_get(r.j, "supported_operations");
	size_t expected = 0;
	for (size_t i = 0; i < routes_count; i++) {
		if (routes_table[i].is_extension)
			continue;
		expected++;
		bool found = false;
		size_t k;
		json_t *j_op;
		json_array_foreach (j_ops, k, j_op)
			if (strcmp(json_string_value(j_op), routes_table[i].operation_id) == 0)
				found = true;
		assert_true(found);
	}
	assert_int_equal(json_array_size(j_ops), expected);
	http_result_free(&r);

	assert_int_equal(http_call(&srv, "GET", "/extensions", token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(json_is_array(r.j));
	/* the jobs extension (server/jobs/jobs_api.h), the quarantine test (server/quarantine/quarantine_api.h),
	 * route_servers (server/routeservers/rsdata_api.h), then onboarding's five (issue 12) */
	assert_int_equal(json_array_size(r.j), 8);
	json_t *j_ext = json_array_get(r.j, 0);
	assert_string_equal(json_string_value(json_object_get(j_ext, "name")), "jobs");
	assert_string_equal(json_string_value(json_object_get(j_ext, "base_url")), "/api/v2/jobs");
	j_ext = json_array_get(r.j, 1);
	assert_string_equal(json_string_value(json_object_get(j_ext, "name")), "quarantine");
	assert_string_equal(json_string_value(json_object_get(j_ext, "base_url")), "/api/v2/network-service-configs");
	j_ext = json_array_get(r.j, 2);
	assert_string_equal(json_string_value(json_object_get(j_ext, "name")), "route_servers");
	assert_string_equal(json_string_value(json_object_get(j_ext, "base_url")), "/api/v2/route-server-data");
	static const char *const onboarding[][2] = {{"applications", "/api/v2/applications"},
						    {"agreements", "/api/v2/agreements"},
						    {"events", "/api/v2/events"},
						    {"webhooks", "/api/v2/webhooks"},
						    {"mails", "/api/v2/mails"}};
	for (size_t i = 0; i < 5; i++) {
		j_ext = json_array_get(r.j, 3 + i);
		assert_string_equal(json_string_value(json_object_get(j_ext, "name")), onboarding[i][0]);
		assert_string_equal(json_string_value(json_object_get(j_ext, "base_url")), onboarding[i][1]);
	}
	http_result_free(&r);

	assert_int_equal(http_call(&srv, "GET", "/openapi.json", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(json_object_get(json_object_get(r.j, "paths"), "/accounts/{id}"));
	http_result_free(&r);
}

struct hammer {
	pthread_t thread;
	long long until_ms;
	int requests, unavailable, other;
};

static void *hammer_thread(void *arg)
{
	struct hammer *h = arg;
	while (itest_now_ms() < h->until_ms) {
		struct http_result r;
		if (http_call(&srv, "GET", "/accounts", token, NULL, NULL, &r) == 0) {
			h->requests++;
			if (r.status == 503 && r.retry_after[0])
				h->unavailable++;
			else
				h->other++;
		}
		http_result_free(&r);
		/* A few hundred requests, not thousands: every request is a new
		 * connection, and thousands of ephemeral ports could take the
		 * port PostgreSQL has to bind again. */
		usleep(20000);
	}
	return NULL;
}

/* The server log from byte offset `from` on (malloc'd). */
static char *log_since(long from)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/server.log", srv.workdir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long end = ftell(f);
	fseek(f, from, SEEK_SET);
	char *text = calloc(1, (size_t)(end - from) + 1);
	size_t got = fread(text, 1, (size_t)(end - from), f);
	text[got] = '\0';
	fclose(f);
	return text;
}

static long log_size(void)
{
	char *all = log_since(0);
	long n = (long)strlen(all);
	free(all);
	return n;
}

static int count_lines(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_database_restart(void **state)
{
	(void)state;
	struct http_result r;
	long log_start = log_size();
	assert_int_equal(itest_pg_stop(), 0);
	/* While PostgreSQL is down: 503 problems, never a crash or a hang. */
	assert_int_equal(http_call(&srv, "GET", "/accounts", token, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 503, NULL));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "GET", "/health", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 503);
	assert_string_equal(json_string_value(json_object_get(r.j, "status")), "fail");
	http_result_free(&r);
	/* Under load for 1.5 s: every request a 503 with Retry-After, and the
	 * log says once that the database is unreachable instead of a warning
	 * per request (or per connection attempt). */
	struct hammer hammers[4];
	for (size_t i = 0; i < 4; i++) {
		hammers[i] = (struct hammer){.until_ms = itest_now_ms() + 1500};
		assert_int_equal(pthread_create(&hammers[i].thread, NULL, hammer_thread, &hammers[i]), 0);
	}
	int requests = 0, unavailable = 0;
	for (size_t i = 0; i < 4; i++) {
		pthread_join(hammers[i].thread, NULL);
		requests += hammers[i].requests;
		unavailable += hammers[i].unavailable;
	}
	assert_true(requests >= 20);
	assert_int_equal(unavailable, requests);
	char *outage = log_since(log_start);
	int warnings = count_lines(outage, " warn ") + count_lines(outage, " error ");
	if (warnings > 1)
		fprintf(stderr, "%d warnings for %d requests during the outage:\n%.2000s\n", warnings, requests,
			outage);
	assert_int_equal(count_lines(outage, "database unreachable"), 1);
	assert_int_equal(warnings, 1);
	free(outage);

	long before_start = log_size();
	assert_int_equal(itest_pg_start(), 0);
	/* Back up: within the backoff's ceiling (1 s) requests succeed again. */
	long long started = itest_now_ms();
	long status = 0;
	while (itest_now_ms() - started < 2500) {
		assert_int_equal(http_call(&srv, "GET", "/accounts", token, NULL, NULL, &r), 0);
		status = r.status;
		http_result_free(&r);
		if (status == 200)
			break;
		usleep(20000);
	}
	if (status != 200)
		fprintf(stderr, "not back %lld ms after the restart\n", itest_now_ms() - started);
	assert_int_equal(status, 200);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(http_call(&srv, "GET", "/accounts", token, NULL, NULL, &r), 0);
		if (r.status != 200)
			fprintf(stderr, "after restart: %ld %s\n", r.status, r.body);
		assert_int_equal(r.status, 200);
		http_result_free(&r);
	}
	char *back = log_since(before_start);
	const char *line = strstr(back, "database reachable again after ");
	if (!line)
		fprintf(stderr, "log after the restart:\n%.2000s\n", back);
	assert_non_null(line);
	unsigned long long refused = 0;
	double seconds = 0;
	assert_int_equal(
		sscanf(line, "database reachable again after %lf s, %llu requests refused", &seconds, &refused), 2);
	assert_true(refused >= (unsigned long long)requests / 2);
	free(back);
}

/* A client that sends half a request and stalls is disconnected after
 * IXAPI_CONNECTION_TIMEOUT seconds instead of holding a connection forever. */
static void test_slow_client_is_disconnected(void **state)
{
	(void)state;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)srv.port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	const char *partial = "GET /api/v2/health HTTP/1.1\r\nHost: x\r\n";
	assert_int_equal(write(fd, partial, strlen(partial)), (ssize_t)strlen(partial));
	struct timeval tv = {.tv_sec = 10};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	long long started = time(NULL);
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf)); /* 0: closed by the server */
	long long waited = time(NULL) - started;
	close(fd);
	assert_int_equal(n, 0);
	assert_in_range(waited, 1, 6);
}

/* SIGTERM while a request is being uploaded: the server stops accepting,
 * lets the request finish (201 with its body), then exits 0. */
static void test_graceful_shutdown(void **state)
{
	(void)state;
	const char *body = "{\"name\": \"In Flight\", \"address\": {\"country\": \"NL\", \"locality\": \"A\","
			   " \"postal_code\": \"1\", \"street_address\": \"S\"}}";
	size_t half = strlen(body) / 2;
	char head[4096];
	int n = snprintf(
		head, sizeof(head),
		"POST /api/v2/accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%.*s",
		token, strlen(body), (int)half, body);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)srv.port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(write(fd, head, (size_t)n), n);
	usleep(1000000); /* the server has accepted it and reads the body */
	assert_int_equal(kill(srv.pid, SIGTERM), 0);
	/* New connections are refused soon (however slow the server is to
	 * act on the signal), while the request in flight waits. */
	bool refused = false;
	for (long long until = itest_now_ms() + 10000; !refused && itest_now_ms() < until;) {
		struct http_result r;
		refused = http_call(&srv, "GET", "/health", NULL, NULL, NULL, &r) != 0;
		http_result_free(&r);
		if (!refused)
			usleep(100000);
	}
	assert_true(refused);
	/* The request in flight completes. */
	assert_int_equal(write(fd, body + half, strlen(body) - half), (ssize_t)(strlen(body) - half));
	char reply[4096] = "";
	size_t got = 0;
	ssize_t k;
	while (got < sizeof(reply) - 1 && (k = read(fd, reply + got, sizeof(reply) - 1 - got)) > 0)
		got += (size_t)k;
	reply[got] = '\0';
	close(fd);
	if (strncmp(reply, "HTTP/1.1 201", 12) != 0)
		fprintf(stderr, "reply: [%s]\n", reply);
	assert_int_equal(strncmp(reply, "HTTP/1.1 201", 12), 0);
	assert_non_null(strstr(reply, "\"name\": \"In Flight\""));
	assert_int_equal(itest_stop_server(&srv), 0); /* already exiting: collects status 0 */
	assert_int_equal(itest_start_server(&srv), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_unknown_paths_are_404_problems),
		cmocka_unit_test(test_wrong_method_is_405_with_allow),
		cmocka_unit_test(test_oversized_body_is_413),
		cmocka_unit_test(test_malformed_json_is_400),
		cmocka_unit_test(test_content_type_tolerance),
		cmocka_unit_test(test_implementation_matches_router),
		cmocka_unit_test(test_database_restart),
		cmocka_unit_test(test_slow_client_is_disconnected),
		cmocka_unit_test(test_graceful_shutdown),
	};
	return cmocka_run_group_tests_name("http (integration)", tests, setup, teardown);
}
