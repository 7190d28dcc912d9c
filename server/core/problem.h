/*
 * The one error type of the server. Every layer (storage, domain, handler,
 * HTTP glue) returns a `struct problem *` (NULL means success), and one
 * function renders it as an RFC 7807 `application/problem+json` body with the
 * IX-API problem types. No handler writes an error body by hand.
 */
#ifndef IXAPI_CORE_PROBLEM_H
#define IXAPI_CORE_PROBLEM_H

#include <jansson.h>

enum problem_kind {
	PROBLEM_VALIDATION,             /* 400 validation-error */
	PROBLEM_AUTHENTICATION,         /* 401 authentication-error */
	PROBLEM_SIGNATURE_EXPIRED,      /* 401 signature-expired */
	PROBLEM_NOT_AUTHENTICATED,      /* 401 not-authenticated */
	PROBLEM_PERMISSION_DENIED,      /* 403 permission-denied */
	PROBLEM_NOT_FOUND,              /* 404 not-found */
	PROBLEM_METHOD_NOT_ALLOWED,     /* 405 about:blank */
	PROBLEM_PAYLOAD_TOO_LARGE,      /* 413 about:blank */
	PROBLEM_UNABLE_TO_FULFILL,      /* 400 unable-to-fulfill */
	PROBLEM_CONFLICT,               /* 409 about:blank */
	PROBLEM_UNAVAILABLE,            /* 503 about:blank */
	PROBLEM_INTERNAL,               /* 500 about:blank */
	PROBLEM_UNSUPPORTED_MEDIA_TYPE, /* 415 about:blank */
	PROBLEM_CANCELLATION_POLICY,    /* 400 cancellation-policy-error */
	PROBLEM_BAD_REQUEST,            /* 400 about:blank: malformed HTTP */
	PROBLEM_HTTP_VERSION,           /* 505 about:blank */
};

struct problem;

/* A new problem with a printf-style detail; caller owns it (problem_free). */
struct problem *problem_new(enum problem_kind kind, const char *detail_fmt, ...) __attribute__((format(printf, 2, 3)));
/* A validation problem naming one offending property; caller owns it. */
struct problem *problem_invalid(const char *property, const char *reason_fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends one {name, reason} entry to the `properties` list (copies both strings). */
void problem_add_property(struct problem *p, const char *name, const char *reason);
/* Number of entries in the `properties` list. */
size_t problem_property_count(const struct problem *p);
enum problem_kind problem_kind_of(const struct problem *p);
/* The HTTP status of the problem. */
int problem_status(const struct problem *p);
/* Sets the Retry-After (seconds) a 503 problem is answered with. */
void problem_set_retry_after(struct problem *p, int seconds);
/* Seconds for the Retry-After header: for a 503 the value set, else 1; 0
 * for every other status (no header). */
int problem_retry_after(const struct problem *p);
/* The SQLSTATE of the database error the problem was made from (db/pool.c
 * sets it), "" for every other problem. */
void problem_set_sqlstate(struct problem *p, const char *sqlstate);
const char *problem_sqlstate(const struct problem *p);
/* Borrowed detail string, valid while p lives. */
const char *problem_detail(const struct problem *p);
/* The problem type URI of a kind (static string). */
const char *problem_type_uri(enum problem_kind kind);
/* RFC 7807 body; `instance` may be NULL. Returns a new reference. */
json_t *problem_to_json(const struct problem *p, const char *instance);
void problem_free(struct problem *p);

#endif
