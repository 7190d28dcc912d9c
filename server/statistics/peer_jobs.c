/*
 * The stats.peer_poll and stats.rtt jobs (see peer_jobs.h).
 */
#include "statistics/peer_jobs.h"

#include "core/log.h"
#include "core/util.h"
#include "jobs/adapter_client.h"
#include "jobs/rs_adapters.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROBE_BATCH 64 /* targets per POST .../probe: the adapter's maximum */

int peer_handle_poll(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		     char *err, size_t err_len)
{
	(void)payload;
	json_t *j_adapters = json_array();
	for (size_t i = 0; i < ctx->adapters->count; i++) {
		const struct switch_adapter *a = &ctx->adapters->items[i];
		long status = 0;
		char *body = NULL, why[512];
		if (adapter_call(a, &ctx->timeouts, "GET", "/v1/peer-counters", "/v1/peer-counters", NULL, NULL,
				 &status, &body, why, sizeof(why)) != 0 ||
		    status != 200) {
			if (status && status != 200)
				adapter_unexpected(a, "GET", "/v1/peer-counters", status, body, why, sizeof(why));
			LOG_WARN("job %s: peer counters of adapter %s: %s", job_id, a->name, why);
			free(body);
			continue; /* the others are polled all the same */
		}
		json_t *j_reading = json_loads(body, 0, NULL);
		free(body);
		if (!json_is_object(j_reading)) {
			LOG_WARN("job %s: peer counters of adapter %s: not a JSON object", job_id, a->name);
			json_decref(j_reading);
			continue;
		}
		json_t *j_devices = json_array();
		for (size_t d = 0; d < a->device_count; d++)
			json_array_append_new(j_devices, json_string(a->devices[d]));
		json_array_append_new(j_adapters, json_pack("{s:s, s:o, s:o}", "name", a->name, "devices", j_devices,
							    "reading", j_reading));
	}
	json_t *j_arg = json_pack("{s:o, s:I}", "adapters", j_adapters, "next_ms", (json_int_t)ctx->peer_poll_s * 1000);
	outcome->kind = OUTCOME_CALL;
	outcome->call_sql = "SELECT peer_poll_record($1::bigint, $2::jsonb)";
	outcome->entries = json_dumps(j_arg, JSON_COMPACT);
	json_decref(j_arg);
	(void)err;
	(void)err_len;
	return 0;
}

/* One route server's targets, probed in batches; results appended. */
static void probe_server(const struct job_context *ctx, const char *job_id, const struct rs_adapter *a,
			 const char *server, json_t *j_targets, json_t *j_results)
{
	char *e = adapter_escape(server), path[512], what[512];
	snprintf(path, sizeof(path), "/v1/route-servers/%s/probe", e ? e : "");
	snprintf(what, sizeof(what), "/v1/route-servers/%s/probe", server);
	curl_free(e);
	for (size_t first = 0; first < json_array_size(j_targets); first += PROBE_BATCH) {
		json_t *j_batch = json_array();
		for (size_t i = first; i < first + PROBE_BATCH && i < json_array_size(j_targets); i++)
			json_array_append(j_batch, json_array_get(j_targets, i));
		json_t *j_req = json_pack("{s:o, s:i}", "targets", j_batch, "count", PEER_RTT_COUNT);
		char *req = json_dumps(j_req, JSON_COMPACT), *body = NULL, why[512];
		json_decref(j_req);
		long status = 0;
		if (adapter_call(&a->http, &ctx->timeouts, "POST", path, what, req, NULL, &status, &body, why,
				 sizeof(why)) != 0 ||
		    status != 200) {
			if (status && status != 200)
				adapter_unexpected(&a->http, "POST", what, status, body, why, sizeof(why));
			LOG_WARN("job %s: RTT probe of route server %s: %s", job_id, server, why);
		} else {
			json_t *j_answer = json_loads(body, 0, NULL);
			json_array_extend(j_results, json_object_get(j_answer, "results"));
			json_decref(j_answer);
		}
		free(req);
		free(body);
	}
}

int peer_handle_rtt(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		    char *err, size_t err_len)
{
	(void)payload;
	json_t *j_rounds = json_array();
	int rc = -1;
	for (size_t i = 0; i < ctx->adapters->rs_count; i++) {
		const struct rs_adapter *a = &ctx->adapters->rs_items[i];
		for (size_t s = 0; s < a->server_count; s++) {
			const char *params[] = {a->servers[s].feature};
			PGresult *res = NULL;
			struct problem *p = db_query(
				ctx->pool,
				"SELECT f.id::text AS feature, rtt_targets(f.id)::text AS targets"
				"  FROM network_features f WHERE f.name = $1 OR f.fqdn = $1 ORDER BY f.id LIMIT 1",
				1, params, &res);
			if (p) {
				snprintf(err, err_len, "database: %s", problem_detail(p));
				problem_free(p);
				goto out;
			}
			if (PQntuples(res) == 0) {
				PQclear(res);
				continue; /* named in the file, not (yet) in the database */
			}
			json_t *j_targets = json_loads(db_get(res, 0, "targets"), 0, NULL);
			json_t *j_results = json_array();
			char at[32];
			util_rfc3339((long long)time(NULL), at, sizeof(at));
			if (json_array_size(j_targets) > 0)
				probe_server(ctx, job_id, a, a->servers[s].server, j_targets, j_results);
			json_array_append_new(j_rounds,
					      json_pack("{s:s, s:s, s:o}", "feature", db_get(res, 0, "feature"), "at",
							at, "results", j_results));
			json_decref(j_targets);
			PQclear(res);
		}
	}
	json_t *j_arg = json_pack("{s:O, s:I}", "rounds", j_rounds, "next_ms", (json_int_t)ctx->rtt_interval_s * 1000);
	outcome->kind = OUTCOME_CALL;
	outcome->call_sql = "SELECT rtt_record($1::bigint, $2::jsonb)";
	outcome->entries = json_dumps(j_arg, JSON_COMPACT);
	json_decref(j_arg);
	rc = 0;
out:
	json_decref(j_rounds);
	return rc;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void queue_round(const struct job_context *ctx, const char *kind)
{
	const char *params[] = {kind};
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool,
				     "INSERT INTO jobs (kind, payload)"
				     " SELECT $1, jsonb_build_object('round', 'start:' || txid_current())"
				     "  WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = $1"
				     "                       AND state IN ('pending', 'running', 'failed'))"
				     " ON CONFLICT DO NOTHING",
				     1, params, &res);
	PQclear(res);
	if (p) {
		LOG_WARN("queueing a %s round: %s", kind, problem_detail(p));
		problem_free(p);
	}
}

void peer_jobs_schedule(const struct job_context *ctx)
{
	static _Thread_local long long last;
	long long now = now_ms();
	if (!ctx->adapters || (last && now - last < 10000))
		return;
	last = now;
	if (ctx->adapters->count > 0)
		queue_round(ctx, "stats.peer_poll");
	if (ctx->adapters->rs_count > 0)
		queue_round(ctx, "stats.rtt");
}
