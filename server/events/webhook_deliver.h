/*
 * The `webhook.deliver` job: POSTs one delivery's event (event_json(), the
 * renderer of GET /events) to its webhook's URL, signed with the webhook's
 * secret: `X-IXAPI-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
 * "<t>.<body>")>` (the key is the secret's text as POST /webhooks showed
 * it), `X-IXAPI-Event: <event id>`. A 2xx answer marks the delivery
 * delivered in the job's finishing transaction (webhook_delivered.sql);
 * anything else is a failed attempt (recorded on the delivery) retried with
 * the jobs' backoff, and the delivery is dead with the job (job_dead.sql).
 */
#ifndef IXAPI_EVENTS_WEBHOOK_DELIVER_H
#define IXAPI_EVENTS_WEBHOOK_DELIVER_H

#include "jobs/handlers.h"

#include <stddef.h>

int webhook_deliver_job(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
			char *err, size_t err_len);

/* The signature header's value for body at time t into out (at least 96
 * bytes): "t=<t>,v1=<64 hex digits>". */
void webhook_signature(const char *secret, long long t, const char *body, char *out, size_t out_len);

#endif
