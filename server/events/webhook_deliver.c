/*
 * The `webhook.deliver` job (see webhook_deliver.h). The secret is read
 * from the database when the job runs (the payload names the delivery
 * only) and is never logged; errors name the HTTP status or libcurl's
 * reason, never the secret.
 */
#include "events/webhook_deliver.h"

#include "core/log.h"
#include "core/util.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void webhook_signature(const char *secret, long long t, const char *body, char *out, size_t out_len)
{
	char stamp[24];
	snprintf(stamp, sizeof(stamp), "%lld", t);
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)stamp, strlen(stamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(out, out_len, "t=%s,v1=%s", stamp, hex);
	sodium_memzero(&st, sizeof(st));
}

/* The receiver's answer is not read: only its status counts. */
static size_t discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data, (void)arg;
	return size * n;
}

/* POSTs body; the HTTP status into *status (0 when there was none). */
static int post(const struct job_context *ctx, const char *url, const char *event, const char *signature,
		const char *body, long *status, char *err, size_t err_len)
{
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, err_len, "libcurl could not start");
		return -1;
	}
	char h_event[64], h_sig[200];
	snprintf(h_event, sizeof(h_event), "X-IXAPI-Event: %s", event);
	snprintf(h_sig, sizeof(h_sig), "X-IXAPI-Signature: %s", signature);
	struct curl_slist *hs = curl_slist_append(NULL, "Content-Type: application/json");
	hs = curl_slist_append(hs, h_event);
	hs = curl_slist_append(hs, h_sig);
	hs = curl_slist_append(hs, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ixapid-webhooks");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)ctx->timeouts.connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)ctx->timeouts.total_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	CURLcode rc = curl_easy_perform(c);
	*status = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	else
		snprintf(err, err_len, "%s", curl_easy_strerror(rc));
	curl_slist_free_all(hs);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}

/* A failed attempt, on the delivery (the job's own record is the
 * worker's). */
static void record_failure(const struct job_context *ctx, const char *delivery, long status, const char *reason)
{
	char s[16];
	snprintf(s, sizeof(s), "%ld", status);
	const char *params[] = {delivery, status > 0 ? s : NULL, reason};
	struct problem *p = db_query(ctx->pool,
				     "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2::int,"
				     "       last_error = left($3, 1000)"
				     " WHERE id = $1::bigint AND state = 'pending'",
				     3, params, NULL);
	if (p) {
		LOG_WARN("webhook delivery %s: recording the failed attempt: %s", delivery, problem_detail(p));
		problem_free(p);
	}
}

int webhook_deliver_job(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
			char *err, size_t err_len)
{
	const char *delivery = json_string_value(json_object_get(payload, "id"));
	if (!delivery || !util_is_id(delivery))
		return 0; /* names no delivery: nothing to carry out */
	const char *params[] = {delivery};
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool,
				     "SELECT d.state, w.url, w.secret, e.id::text AS event, event_json(e)::text AS body"
				     "  FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook"
				     "  JOIN events e ON e.id = d.event"
				     " WHERE d.id = $1::bigint",
				     1, params, &res);
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	int rc = 0;
	if (PQntuples(res) == 0 || strcmp(db_get(res, 0, "state"), "pending") != 0) {
		LOG_INFO("job %s: webhook delivery %s is gone or no longer pending", job_id, delivery);
		goto out;
	}
	char signature[160];
	webhook_signature(db_get(res, 0, "secret"), (long long)time(NULL), db_get(res, 0, "body"), signature,
			  sizeof(signature));
	long status = 0;
	char why[256] = "";
	rc = post(ctx, db_get(res, 0, "url"), db_get(res, 0, "event"), signature, db_get(res, 0, "body"), &status, why,
		  sizeof(why));
	sodium_memzero(signature, sizeof(signature));
	if (rc == 0 && status >= 200 && status < 300) {
		char done[96];
		snprintf(done, sizeof(done), "{\"delivery\": \"%s\", \"status\": %ld}", delivery, status);
		outcome->kind = OUTCOME_CALL;
		outcome->call_sql = "SELECT webhook_delivered($1::bigint, $2::jsonb)";
		outcome->entries = xstrdup(done);
		goto out;
	}
	if (rc == 0)
		snprintf(why, sizeof(why), "the receiver answered HTTP %ld", status);
	snprintf(err, err_len, "webhook delivery %s (event %s): %s", delivery, db_get(res, 0, "event"), why);
	record_failure(ctx, delivery, status, why);
	rc = -1;
out:
	PQclear(res);
	return rc;
}
