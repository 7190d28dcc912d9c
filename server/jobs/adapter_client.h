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

/* PUT /v1/ports/{port} with the desired state (JSON text). 0 when the
 * adapter answered 200; -1 with a one-line reason in err otherwise. */
int adapter_put_port(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *port,
		     const char *desired_json, const char *idempotency_key, char *err, size_t err_len);

#endif
