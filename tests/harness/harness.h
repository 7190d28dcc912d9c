/*
 * Integration-test harness: each test program gets its own database on the
 * throw-away PostgreSQL cluster (tests/with-temp-pg.sh), migrated and seeded
 * by the real `ixapid`, and a real server process on a free port. Requests
 * go over HTTP with libcurl. When IXAPI_RESPONSE_LOG names a file, every
 * response is appended to it (method, route pattern, status, content type,
 * body) for tests/openapi/validate-responses.mjs to check against the
 * OpenAPI document.
 */
#ifndef IXAPI_TESTS_HARNESS_H
#define IXAPI_TESTS_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

struct itest_credentials {
	char api_key[32];
	char api_secret[128];
	char account[24];
};

struct itest_server {
	pid_t pid;
	int port;
	char base_url[64]; /* http://127.0.0.1:PORT/api/v2 */
	char dbname[64];
	char db_url[1024]; /* conninfo of the test's own database */
	char workdir[256]; /* temp folder: key file, credentials, server log */
	struct itest_credentials operator_creds;
	struct itest_credentials member_creds;
};

struct http_result {
	long status;
	char *body; /* owned, NUL-terminated */
	size_t body_len;
	json_t *j; /* parsed body or NULL */
	char content_type[128];
	char allow[128];
	char www_authenticate[128];
	char content_length[32];
	char total_count[32]; /* X-Total-Count of a page */
	char next_offset[32]; /* X-Next-Offset of a page */
	char next_after[32];  /* X-Next-After of GET /events (its cursor) */
	char retry_after[32]; /* Retry-After (503s) */
};

/* Whether the file at path contains needle (its first 4 MiB; false when it
 * cannot be read). Not thread-safe (one buffer). */
bool itest_file_contains(const char *path, const char *needle);
/* A free TCP port on 127.0.0.1 (bound and released), or -1. */
int itest_free_port(void);
/* Creates the database (a copy of $IXAPI_ITEST_TEMPLATE when set, with
 * $IXAPI_ITEST_TEMPLATE_CREDENTIALS; else migrated and seeded here) and
 * starts the server. Returns 0. */
int itest_start(struct itest_server *s);
/* The server itest_start started last (NULL before): the one the fixtures
 * of fixtures.h act on. */
const struct itest_server *itest_current(void);
/* Starts only the server process again (after itest_stop_server; a server
 * still running is stopped first). */
int itest_start_server(struct itest_server *s);
/* Sends SIGTERM, waits for exit; returns the exit status (or -1). */
int itest_stop_server(struct itest_server *s);
/* Stops the server, checks that no network service config's rendered JSON
 * differs from a fresh render (network_service_configs_rendered_stale()) and
 * that the configs' counts per owner pair are right
 * (network_service_config_counts_stale()), and drops the database. Returns
 * the server's exit status, or -1 when a check fails: anything but 0 (a
 * sanitizer report, a leak, a crash, a stale config or count) fails the
 * test program. */
int itest_finish(struct itest_server *s);

/* One HTTP request. path is below /api/v2 (e.g. "/accounts/1"); token
 * (access token) and body may be NULL; extra headers are "Name: value"
 * strings, NULL-terminated (or NULL). 0 on transport success. */
int http_call(const struct itest_server *s, const char *method, const char *path, const char *token, const char *body,
	      const char *const *headers, struct http_result *out);
/* Same with a raw URL (any path, not only below /api/v2). */
int http_call_url(const struct itest_server *s, const char *method, const char *url, const char *token,
		  const char *body, size_t body_len, const char *const *headers, struct http_result *out);
void http_result_free(struct http_result *r);

/* Logs in with the given credentials; returns a new access token (free()),
 * and the refresh token in *refresh (free()) when refresh != NULL. */
char *itest_login(const struct itest_server *s, const struct itest_credentials *c, char **refresh);

/* Runs `ixapid ARGS...` (argv, NULL-terminated) on the test's database as
 * an operator at the server's host would; its stdout (and stderr) in
 * out (truncated to len). Returns the exit status, or -1. */
int itest_cli(const struct itest_server *s, const char *const *args, char *out, size_t len);
/* Runs SQL on the test's database (setup only: e.g. new keys, accounts). */
int itest_sql(const struct itest_server *s, const char *sql, char *first_value, size_t len);
/* Creates an API key for an account with a role; fills creds. */
int itest_create_key(const struct itest_server *s, const char *account, bool is_operator,
		     struct itest_credentials *creds);

/* Checks an RFC 7807 body: content type, integer status equal to the HTTP
 * status, type URI, title and detail strings. Returns true when valid. */
bool itest_is_problem(const struct http_result *r, long status, const char *type_suffix);

/* itest_start, then logs in the seeded operator and member; either token
 * pointer may be NULL. The tokens are the caller's (itest_finish_tokens). */
int itest_start_with_tokens(struct itest_server *s, char **operator_token, char **member_token);
/* Frees the tokens (NULL is fine) and runs itest_finish. */
int itest_finish_tokens(struct itest_server *s, char *operator_token, char *member_token);
/* One request whose status the test asserts (cmocka): for 4xx/5xx also an
 * RFC 7807 body. Returns the parsed body (new reference, may be NULL). */
json_t *itest_expect(const struct itest_server *s, const char *method, const char *path, const char *token,
		     const char *body, long status);

/* Runs $TEST_PG_STOP_CMD / $TEST_PG_START_CMD. */
int itest_pg_stop(void);
int itest_pg_start(void);

#endif
