/*
 * Calls to a switch adapter over libcurl (adapter protocol v1): bearer
 * secret, the job id as Idempotency-Key, connect and total timeouts, TLS
 * (peer and host verified) when the URL is https. Errors come back as one
 * line for jobs.last_error and status entries: which adapter, which call,
 * what went wrong, never the secret.
 */
#ifndef IXAPI_JOBS_ADAPTER_CLIENT_H
#define IXAPI_JOBS_ADAPTER_CLIENT_H

#include "jobs/adapters.h"

#include <stddef.h>

struct adapter_timeouts {
	long connect_ms;
	long total_ms;
};

/* One call (any adapter protocol): method, path below the adapter's URL,
 * an optional JSON body and Idempotency-Key; `what` names the call in
 * errors. The status into *status and the body (caller frees) into *body
 * when body is not NULL. 0 when the adapter answered at all; -1 with a
 * one-line reason in err otherwise (never the secret). */
int adapter_call(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *method, const char *path,
		 const char *what, const char *json, const char *idempotency_key, long *status, char **body, char *err,
		 size_t err_len);
/* The one-line reason of an answer that is not the expected one: "adapter
 * NAME: METHOD WHAT: HTTP STATUS: title: detail". */
void adapter_unexpected(const struct switch_adapter *a, const char *method, const char *what, long status,
			const char *body, char *err, size_t err_len);

/* PUT /v1/ports/{port} with the desired state (JSON text). 0 when the
 * adapter answered 200; -1 with a one-line reason in err otherwise. */
int adapter_put_port(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *port,
		     const char *desired_json, const char *idempotency_key, char *err, size_t err_len);

/* GET /v1/health: the body (caller frees) into *health when 200. */
int adapter_get_health(const struct switch_adapter *a, const struct adapter_timeouts *t, char **health, char *err,
		       size_t err_len);

/* POST /v1/ports/{port}/captures with the request (JSON text): the
 * capture's id into id when the adapter answered 202. A repeated
 * Idempotency-Key (the job id) gets the same capture back. */
int adapter_start_capture(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *port,
			  const char *request_json, const char *idempotency_key, char *id, size_t id_len, char *err,
			  size_t err_len);
/* GET /v1/captures/{id}: the body (caller frees) into *report when 200. */
int adapter_get_capture(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *id, char **report,
			char *err, size_t err_len);

/* Overwrites every occurrence of secret in text with '*' (NULL or "": nothing). */
void adapter_scrub(char *text, const char *secret);
/* A path segment, percent-escaped (caller frees with curl_free), NULL on trouble. */
char *adapter_escape(const char *segment);

#endif
