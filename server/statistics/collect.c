/*
 * Statistics collection in the workers (see collect.h). The counters answer
 * goes to PostgreSQL as the adapter's JSON text (jsonb keeps uint64 values
 * exact; jansson's integers stop at 2^63): this file checks its shape only.
 */
#include "statistics/collect.h"

#include "core/log.h"
#include "core/util.h"
#include "jobs/adapter_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROLLUP_PERIOD_S  3600
#define ROLLUP_DELAY_S   600 /* an hour is rolled up 10 minutes after it ends (its last poll is in) */
#define ROLLUP_HOURS     3   /* each rollup recomputes the last 3 complete hours (late and retried polls) */
#define MAINTAIN_PERIOD  86400
#define PARTITIONS_AHEAD 3 /* days of stats_5m partitions made ahead */
#define POLL_ATTEMPTS    3 /* a poll is tried at most this often within its interval */

long long stats_round(long long epoch_s, long long period_s, long long delay_s)
{
	long long t = epoch_s - delay_s;
	if (period_s <= 0)
		period_s = 1;
	return t >= 0 ? t / period_s : -((-t + period_s - 1) / period_s);
}

bool stats_poll_retry(long long round, long long interval_s, int attempt, int max_attempts, long long now_s)
{
	int allowed = max_attempts < POLL_ATTEMPTS ? max_attempts : POLL_ATTEMPTS;
	return attempt < allowed && now_s < (round + 1) * interval_s;
}

void stats_schedule(const struct job_context *ctx)
{
	static _Thread_local long long last_poll = -1, last_rollup = -1, last_maintain = -1;
	if (!ctx->adapters || ctx->adapters->count == 0 || ctx->stats_interval_s <= 0)
		return;
	long long now = util_now_s();
	long long poll = stats_round(now, ctx->stats_interval_s, 0);
	long long rollup = stats_round(now, ROLLUP_PERIOD_S, ROLLUP_DELAY_S);
	long long maintain = stats_round(now, MAINTAIN_PERIOD, 0);
	if (poll == last_poll && rollup == last_rollup && maintain == last_maintain)
		return;
	json_t *names = json_array();
	for (size_t i = 0; i < ctx->adapters->count; i++)
		json_array_append_new(names, json_string(ctx->adapters->items[i].name));
	char *names_text = json_dumps(names, JSON_COMPACT);
	json_decref(names);
	char poll_s[24], rollup_s[24], maintain_s[24];
	snprintf(poll_s, sizeof(poll_s), "%lld", poll);
	snprintf(rollup_s, sizeof(rollup_s), "%lld", rollup);
	snprintf(maintain_s, sizeof(maintain_s), "%lld", maintain);
	const char *params[] = {names_text, poll_s, rollup_s, maintain_s};
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool,
				     "INSERT INTO jobs (kind, payload)"
				     " SELECT 'stats.poll', jsonb_build_object('adapter', a, 'round', $2::text)"
				     "   FROM jsonb_array_elements_text($1::jsonb) AS a"
				     " UNION ALL SELECT 'stats.rollup', jsonb_build_object('round', $3::text)"
				     " UNION ALL SELECT 'stats.maintain', jsonb_build_object('round', $4::text)"
				     " ON CONFLICT DO NOTHING",
				     4, params, &res);
	PQclear(res);
	free(names_text);
	if (p) {
		LOG_WARN("queueing the statistics jobs: %s", problem_detail(p));
		problem_free(p);
		return;
	}
	last_poll = poll;
	last_rollup = rollup;
	last_maintain = maintain;
}

static const struct switch_adapter *adapter_named(const struct job_context *ctx, const char *name)
{
	for (size_t i = 0; name && ctx->adapters && i < ctx->adapters->count; i++)
		if (strcmp(ctx->adapters->items[i].name, name) == 0)
			return &ctx->adapters->items[i];
	return NULL;
}

static int job_attempts(const struct job_context *ctx, const char *job_id)
{
	const char *params[] = {job_id};
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool, "SELECT attempts FROM jobs WHERE id = $1::bigint", 1, params, &res);
	int n = 1;
	if (p)
		problem_free(p);
	else if (PQntuples(res) == 1)
		n = atoi(db_get(res, 0, "attempts"));
	PQclear(res);
	return n;
}

/* GET /v1/counters: the body (caller frees) when it is a 200 with "at" and
 * a "ports" array; NULL with a reason in err otherwise. */
static char *get_counters(const struct job_context *ctx, const struct switch_adapter *a, char *err, size_t err_len)
{
	long status = 0;
	char *body = NULL;
	if (adapter_call(a, &ctx->timeouts, "GET", "/v1/counters", "/v1/counters", NULL, NULL, &status, &body, err,
			 err_len) != 0)
		return NULL;
	if (status != 200) {
		adapter_unexpected(a, "GET", "/v1/counters", status, body, err, err_len);
		free(body);
		return NULL;
	}
	json_error_t jerr;
	json_t *j = json_loads(body ? body : "", JSON_DECODE_INT_AS_REAL, &jerr);
	const char *at = json_string_value(json_object_get(j, "at"));
	bool ok = at && util_is_rfc3339(at) && json_is_array(json_object_get(j, "ports"));
	json_decref(j);
	if (!ok) {
		snprintf(err, err_len,
			 "adapter %s: GET /v1/counters: the answer is not {\"at\": date-time, \"ports\": [...]}",
			 a->name);
		free(body);
		return NULL;
	}
	return body;
}

int stats_handle_poll(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		      char *err, size_t err_len)
{
	const char *name = json_string_value(json_object_get(payload, "adapter"));
	long long round = 0;
	const char *round_s = json_string_value(json_object_get(payload, "round"));
	if (!round_s || !util_parse_ll(round_s, 0, 1LL << 50, &round))
		round = stats_round(util_now_s(), ctx->stats_interval_s, 0);
	const struct switch_adapter *a = adapter_named(ctx, name);
	if (!a) {
		LOG_WARN("job %s: no switch adapter %s on this node: its counters are not read", job_id,
			 name ? name : "(none)");
		return 0;
	}
	char *body = get_counters(ctx, a, err, err_len);
	json_t *devices = NULL;
	char *devices_text = NULL;
	int rc = -1;
	if (body) {
		devices = json_array();
		for (size_t k = 0; k < a->device_count; k++)
			json_array_append_new(devices, json_string(a->devices[k]));
		devices_text = json_dumps(devices, JSON_COMPACT);
		char gap[24];
		snprintf(gap, sizeof(gap), "%d", ctx->stats_max_gap_s);
		const char *params[] = {a->name, devices_text, body, gap};
		PGresult *res = NULL;
		long long t0 = util_now_us();
		struct problem *p =
			db_query(ctx->pool,
				 "SELECT stats_ingest($1, ARRAY(SELECT jsonb_array_elements_text($2::jsonb)),"
				 " $3::jsonb, $4::int)::text AS result",
				 4, params, &res);
		if (p) {
			snprintf(err, err_len, "adapter %s: storing its counters: %s", a->name, problem_detail(p));
			problem_free(p);
		} else {
			const char *result = db_get(res, 0, "result");
			json_t *r = json_loads(result, 0, NULL);
			if (json_integer_value(json_object_get(r, "invalid")) > 0)
				LOG_WARN("adapter %s: counters of %lld port(s) are not integers in [0, 2^64): ignored",
					 a->name, (long long)json_integer_value(json_object_get(r, "invalid")));
			LOG_DEBUG("job %s: adapter %s counters stored in %lld ms: %s", job_id, a->name,
				  (util_now_us() - t0) / 1000, result);
			json_decref(r);
			rc = 0;
		}
		PQclear(res);
	}
	if (rc != 0) {
		int attempt = job_attempts(ctx, job_id);
		if (!stats_poll_retry(round, ctx->stats_interval_s, attempt, ctx->job_max_attempts, util_now_s())) {
			/* a missed poll is a gap: the next round reads the counters again */
			LOG_WARN(
				"job %s: counters of adapter %s not read for round %lld after %d attempt(s), a gap: %s",
				job_id, a->name, round, attempt, err);
			json_t *arg = json_pack("{s:s}", "gap", err);
			outcome->kind = OUTCOME_CALL;
			outcome->call_sql =
				"UPDATE jobs SET last_error = left('gap: ' || ($2::jsonb->>'gap'), 1000) WHERE id = $1::bigint";
			outcome->entries = json_dumps(arg, JSON_COMPACT);
			json_decref(arg);
			rc = 0;
		}
	}
	json_decref(devices);
	free(devices_text);
	free(body);
	return rc;
}

/* Calls SELECT fn(params) AS result; 0, or -1 with the reason in err. */
static int call_result(const struct job_context *ctx, const char *job_id, const char *what, const char *sql,
		       int nparams, const char *const *params, char *err, size_t err_len)
{
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool, sql, nparams, params, &res);
	if (p) {
		snprintf(err, err_len, "%s: %s", what, problem_detail(p));
		problem_free(p);
		return -1;
	}
	LOG_INFO("job %s: %s: %s", job_id, what, db_get(res, 0, "result"));
	PQclear(res);
	return 0;
}

int stats_handle_rollup(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
			char *err, size_t err_len)
{
	(void)outcome;
	/* {"from", "to"} (an operator's or a test's job) or the round's hours */
	const char *from = json_string_value(json_object_get(payload, "from"));
	const char *to = json_string_value(json_object_get(payload, "to"));
	char from_s[40], to_s[40];
	if (!from || !to || !util_is_rfc3339(from) || !util_is_rfc3339(to)) {
		long long round = 0;
		const char *round_s = json_string_value(json_object_get(payload, "round"));
		if (!round_s || !util_parse_ll(round_s, 0, 1LL << 50, &round))
			round = stats_round(util_now_s(), ROLLUP_PERIOD_S, ROLLUP_DELAY_S);
		util_rfc3339((round - ROLLUP_HOURS) * ROLLUP_PERIOD_S, from_s, sizeof(from_s));
		util_rfc3339(round * ROLLUP_PERIOD_S, to_s, sizeof(to_s));
		from = from_s;
		to = to_s;
	}
	const char *params[] = {from, to};
	return call_result(ctx, job_id, "statistics rollup",
			   "SELECT stats_rollup($1::timestamptz, $2::timestamptz)::text AS result", 2, params, err,
			   err_len);
}

int stats_handle_maintain(const struct job_context *ctx, const char *job_id, json_t *payload,
			  struct job_outcome *outcome, char *err, size_t err_len)
{
	(void)payload, (void)outcome;
	char raw[16], hourly[16], ahead[16];
	snprintf(raw, sizeof(raw), "%d", ctx->stats_raw_days);
	snprintf(hourly, sizeof(hourly), "%d", ctx->stats_hourly_days);
	snprintf(ahead, sizeof(ahead), "%d", PARTITIONS_AHEAD);
	const char *params[] = {raw, hourly, ahead};
	return call_result(ctx, job_id, "statistics partitions",
			   "SELECT stats_maintain(now(), $1::int, $2::int, $3::int)::text AS result", 3, params, err,
			   err_len);
}
