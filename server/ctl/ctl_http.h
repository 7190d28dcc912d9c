/*
 * ixapictl's side of HTTP: one libcurl handle, the operator's access token
 * (POST /auth/token with the key and secret; renewed through /auth/refresh,
 * or a new login, shortly before it expires, and once more when the server
 * answers 401), bounded timeouts and a bounded answer, and the one way a
 * problem is told to the operator: "error 409: <title>: <detail>".
 */
#ifndef IXAPI_CTL_HTTP_H
#define IXAPI_CTL_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ctl_client {
	char *base_url;                    /* without a trailing slash, owned */
	char *key, *secret;                /* owned; the secret is never printed */
	char *access, *refresh;            /* tokens, owned */
	long long access_exp, refresh_exp; /* their `exp` claims (0: unknown) */
	long connect_timeout_ms, timeout_ms;
	void *curl; /* CURL * */
};

struct ctl_response {
	long status;
	char *body; /* owned, NUL-terminated */
	size_t len;
	json_t *j;           /* the body parsed (NULL when it is no JSON); owned */
	char next_after[32]; /* X-Next-After, when the answer has one */
};

/* A client of the API at url (copied, as are key and secret). 0, or -1
 * when libcurl cannot start. */
int ctl_client_init(struct ctl_client *c, const char *url, const char *key, const char *secret);
/* Frees what the client holds and wipes the secret and tokens. */
void ctl_client_free(struct ctl_client *c);

/* One request as the operator; `path` is below the base URL (with its
 * query). body may be NULL (content_type then too). 0 with any answer in
 * r (ctl_response_free), or 1 when the server cannot be reached or the login
 * fails: the reason is printed to err. */
int ctl_request(struct ctl_client *c, const char *method, const char *path, const char *content_type, const char *body,
		size_t body_len, struct ctl_response *r, FILE *err);
/* ctl_request with a JSON body (or none) that expects a 2xx: 0 and the
 * answer's JSON in *out (new reference; a JSON null for an empty body), or
 * 1 after printing the problem (ctl_print_problem) or the transport error. */
int ctl_call(struct ctl_client *c, const char *method, const char *path, const char *json_body, json_t **out,
	     FILE *err);
void ctl_response_free(struct ctl_response *r);

/* "error STATUS: title: detail" (and one line per property of a
 * validation problem) for an answer that is not a 2xx. */
void ctl_print_problem(long status, const char *body, FILE *err);
/* The `exp` claim of a JWT (seconds), or 0 when it has none or is no JWT. */
long long ctl_jwt_exp(const char *token);
/* Appends "?name=value" or "&name=value" (value percent-encoded) to path,
 * a string of the caller's (realloc'd). Nothing when value is NULL. */
char *ctl_query_add(char *path, const char *name, const char *value);

#endif
