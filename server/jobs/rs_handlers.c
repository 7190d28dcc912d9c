/*
 * The route-server jobs (see rs_handlers.h). Level-triggered like the
 * switch jobs: a job never sends its payload, it renders the route server's
 * whole desired state from the database when it runs.
 */
#include "jobs/rs_handlers.h"

#include "core/log.h"
#include "jobs/adapter_client.h"
#include "jobs/rs_adapters.h"
#include "routeservers/rs_desired.h"

#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define APPLY_ROUNDS 3

/* The first value of a one-row answer (caller frees; NULL: no row or
 * null); -1 with err on a database problem. */
static int query_text(struct db_pool *pool, const char *sql, int n, const char *const *params, char **out, char *err,
		      size_t err_len)
{
	PGresult *res = NULL;
	*out = NULL;
	struct problem *p = db_query(pool, sql, n, params, &res);
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		*out = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Frees text that may hold a BGP password, wiped first. */
static void wipe_free(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

/* An error text never quotes a password (an adapter might echo one). */
static void scrub_passwords(char *err, const json_t *desired)
{
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(desired, "sessions"), i, s) {
		adapter_scrub(err, json_string_value(json_object_get(s, "password")));
	}
}

/* One call below /v1/route-servers/{server}; the answer's body (caller
 * frees) when it is `expect`; the status into *got (may be NULL). A
 * failure because the route server is unreachable (no answer from its
 * adapter, or 502/503/504: the adapter cannot reach its BIRD) sets
 * outcome->unavailable (outcome may be NULL): the job waits for it instead
 * of spending an attempt. */
static int rs_call(const struct job_context *ctx, const struct rs_adapter *a, const char *method, const char *server,
		   const char *tail, const char *json, const char *key, long expect, char **body, long *got,
		   struct job_outcome *outcome, char *err, size_t err_len)
{
	char *e = adapter_escape(server), path[512], what[512];
	snprintf(path, sizeof(path), "/v1/route-servers/%s%s", e ? e : "", tail);
	snprintf(what, sizeof(what), "/v1/route-servers/%s%s", server, tail);
	curl_free(e);
	long status = 0;
	char *reply = NULL;
	if (body)
		*body = NULL;
	if (adapter_call(&a->http, &ctx->timeouts, method, path, what, json, key, &status, &reply, err, err_len) != 0) {
		if (outcome && status == 0)
			outcome->unavailable = true;
		free(reply);
		return -1;
	}
	if (got)
		*got = status;
	if (status != expect) {
		if (outcome && (status == 502 || status == 503 || status == 504))
			outcome->unavailable = true;
		adapter_unexpected(&a->http, method, what, status, reply, err, err_len);
		free(reply);
		return -1;
	}
	if (body)
		*body = reply;
	else
		free(reply);
	return 0;
}

/* The adapter serving the route server the facts name. */
static const struct rs_adapter *adapter_of(const struct job_context *ctx, const json_t *rs, const char **server,
					   char *err, size_t err_len)
{
	const char *name = json_string_value(json_object_get(rs, "name"));
	const char *fqdn = json_string_value(json_object_get(rs, "fqdn"));
	const struct rs_adapter *a = rs_adapter_for(ctx->adapters, name, fqdn, server);
	if (!a)
		snprintf(err, err_len, "no route-server adapter serves route server %s (%s)", name ? name : "?",
			 fqdn ? fqdn : "?");
	return a;
}

/* The Idempotency-Key of a PUT: the job id, and a digest of the body (a
 * job claimed again with the same truth replays; a changed truth, in a
 * later round or attempt, is a new request). */
static void put_key(const char *job_id, const char *body, char *out, size_t out_len)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *c = (const unsigned char *)body; *c; c++)
		h = (h ^ *c) * 1099511628211ULL;
	snprintf(out, out_len, "%s-%016llx", job_id, (unsigned long long)h);
}

/* PUT /v1/roas: the exchange's ROA table under its version (the desired
 * states name it; an adapter that lacks it answers their PUT 409). The
 * version is the Idempotency-Key: the same table twice is one load. */
static int push_roas(const struct job_context *ctx, const struct rs_adapter *a, const char *job_id,
		     struct job_outcome *outcome, char *err, size_t err_len)
{
	PGresult *res = NULL;
	struct problem *p = db_query(
		ctx->pool,
		/* text built by concatenation: 2.5x faster than json_agg over half a
		 * million rows (a cidr's text and numbers need no escaping) */
		"SELECT v.version, '{\"version\":\"' || v.version || '\",\"roas\":[' || coalesce((SELECT string_agg("
		"  '{\"prefix\":\"' || r.prefix::text || '\",\"max_length\":' || r.max_length || ',\"asn\":' || r.asn || '}',"
		"  ',') FROM rs_roas r), '') || ']}' AS body FROM rs_roa_version v",
		0, NULL, &res);
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		snprintf(err, err_len, "no ROA table version (migration 035)");
		return -1;
	}
	char key[128];
	snprintf(key, sizeof(key), "%s", db_get(res, 0, "version"));
	const char *table = db_get(res, 0, "body");
	long status = 0;
	char *reply = NULL;
	int rc = adapter_call(&a->http, &ctx->timeouts, "PUT", "/v1/roas", "/v1/roas", table, key, &status, &reply, err,
			      err_len);
	if (outcome && ((rc != 0 && status == 0) || status == 502 || status == 503 || status == 504))
		outcome->unavailable = true; /* the job waits for the adapter */
	if (rc == 0 && status != 200) {
		adapter_unexpected(&a->http, "PUT", "/v1/roas", status, reply, err, err_len);
		rc = -1;
	}
	if (rc == 0)
		LOG_INFO("job %s: ROA table %s loaded on %s (%zu bytes)", job_id, key, a->http.name, strlen(table));
	free(reply);
	PQclear(res);
	return rc;
}

/* Renders, PUTs and re-reads the desired state of route server `feature`
 * until the facts no longer change under it. */
static int apply_feature(const struct job_context *ctx, const char *job_id, const char *feature,
			 struct job_outcome *outcome, char *err, size_t err_len)
{
	const char *params[] = {feature};
	char *sent = NULL, *facts_text = NULL;
	json_t *desired = NULL;
	int rc = -1;
	for (int round = 0; round <= APPLY_ROUNDS; round++) {
		if (query_text(ctx->pool, "SELECT rs_desired_facts($1::bigint)::text", 1, params, &facts_text, err,
			       err_len) != 0)
			goto out;
		if (!facts_text) {
			LOG_INFO("job %s: route server %s is gone: nothing to set", job_id, feature);
			rc = 0;
			goto out;
		}
		if (sent && strcmp(sent, facts_text) == 0) {
			rc = 0;
			break;
		}
		if (round == APPLY_ROUNDS) {
			snprintf(err, err_len, "route server %s: its desired state kept changing", feature);
			goto out;
		}
		json_t *facts = json_loads(facts_text, 0, NULL);
		const char *server = NULL;
		const struct rs_adapter *a =
			adapter_of(ctx, json_object_get(facts, "route_server"), &server, err, err_len);
		json_decref(desired);
		desired = a ? rs_desired_render(facts, err, err_len) : NULL;
		json_decref(facts);
		if (!desired)
			goto out;
		char *body = json_dumps(desired, JSON_COMPACT | JSON_SORT_KEYS);
		char key[96];
		put_key(job_id, body, key, sizeof(key));
		long status = 0;
		int put = rs_call(ctx, a, "PUT", server, "", body, key, 200, NULL, &status, outcome, err, err_len);
		if (put != 0 && status == 409 && json_is_string(json_object_get(desired, "roas_version"))) {
			/* the adapter lacks the ROA table the state names: load it, once */
			if (push_roas(ctx, a, job_id, outcome, err, err_len) != 0) {
				wipe_free(body);
				goto out;
			}
			char again[128];
			snprintf(again, sizeof(again), "%s-roas", key);
			put = rs_call(ctx, a, "PUT", server, "", body, again, 200, NULL, NULL, outcome, err, err_len);
		}
		wipe_free(body);
		if (put != 0) {
			scrub_passwords(err, desired);
			goto out;
		}
		LOG_INFO("job %s: route server %s (%s on %s): %zu session(s) applied", job_id, feature, server,
			 a->http.name, json_array_size(json_object_get(desired, "sessions")));
		wipe_free(sent);
		sent = facts_text;
		facts_text = NULL;
	}
	json_t *ids = json_array(), *limits = json_array();
	size_t i;
	json_t *s;
	json_array_foreach (json_object_get(desired, "sessions"), i, s) {
		json_array_append(ids, json_object_get(s, "id"));
		json_array_append_new(limits, json_pack("{s:O, s:O, s:O}", "id", json_object_get(s, "id"),
							"max_prefix_v4", json_object_get(s, "max_prefix_v4"),
							"max_prefix_v6", json_object_get(s, "max_prefix_v6")));
	}
	json_t *arg = json_pack("{s:s, s:o, s:o}", "network_feature", feature, "sent", ids, "limits", limits);
	outcome->kind = OUTCOME_CALL;
	outcome->call_sql = "SELECT rs_follow($1::bigint, $2::jsonb)";
	outcome->entries = json_dumps(arg, JSON_COMPACT);
	json_decref(arg);
out:
	wipe_free(sent);
	wipe_free(facts_text);
	json_decref(desired); /* its strings are jansson's: freed, not wiped */
	return rc;
}

static const char *payload_text(json_t *payload, const char *key)
{
	const char *v = json_string_value(json_object_get(payload, key));
	return v && *v ? v : NULL;
}

int rs_handle_apply(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		    char *err, size_t err_len)
{
	char *feature = NULL;
	const char *given = payload_text(payload, "network_feature");
	if (given)
		feature = strdup(given);
	else {
		const char *params[] = {payload_text(payload, "network_feature_config")};
		if (query_text(ctx->pool,
			       "SELECT network_feature::text FROM network_feature_configs WHERE id = $1::bigint", 1,
			       params, &feature, err, err_len) != 0)
			return -1;
	}
	if (!feature) {
		LOG_INFO("job %s: its feature config is gone: nothing to set", job_id);
		return 0;
	}
	int rc = apply_feature(ctx, job_id, feature, outcome, err, err_len);
	free(feature);
	return rc;
}

int rs_handle_enable(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		     char *err, size_t err_len)
{
	const char *config = payload_text(payload, "network_feature_config");
	const char *params[] = {config};
	char *rs_text = NULL;
	if (query_text(ctx->pool,
		       "SELECT json_build_object('name', f.name, 'fqdn', f.fqdn)::text FROM network_feature_configs c"
		       "  JOIN network_features f ON f.id = c.network_feature WHERE c.id = $1::bigint",
		       1, params, &rs_text, err, err_len) != 0)
		return -1;
	if (!rs_text) {
		LOG_INFO("job %s: feature config %s is gone: nothing to enable", job_id, config ? config : "?");
		return 0;
	}
	json_t *rs = json_loads(rs_text, 0, NULL);
	free(rs_text);
	const char *server = NULL;
	const struct rs_adapter *a = adapter_of(ctx, rs, &server, err, err_len);
	json_decref(rs);
	if (!a)
		return -1;
	char tail[96];
	snprintf(tail, sizeof(tail), "/sessions/%s/enable", config);
	if (rs_call(ctx, a, "POST", server, tail, "{}", job_id, 200, NULL, NULL, outcome, err, err_len) != 0)
		return -1;
	LOG_INFO("job %s: session %s on %s (%s) enabled", job_id, config, server, a->http.name);
	json_t *arg = json_pack("{s:s}", "network_feature_config", config);
	outcome->kind = OUTCOME_CALL;
	outcome->call_sql = "SELECT rs_enabled($1::bigint, $2::jsonb)";
	outcome->entries = json_dumps(arg, JSON_COMPACT);
	json_decref(arg);
	return 0;
}

/* One polled route server: its network feature and what the adapter said. */
struct polled {
	char feature[24];
	const char *name;
	json_t *state;
};

/* The family entries of a session state as status records and, for an
 * established one, an observation of its AS. */
static void collect(const struct polled *pr, json_t *sessions, json_t *observations)
{
	size_t i, k;
	json_t *s, *f;
	json_array_foreach (json_object_get(pr->state, "sessions"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));
		if (!id || !*id || strspn(id, "0123456789") != strlen(id) || strlen(id) > 18)
			continue; /* not one of ours */
		json_array_foreach (json_object_get(s, "families"), k, f) {
			json_t *r = json_pack("{s:s, s:s}", "config", id, "route_server", pr->name);
			const char *keys[] = {"state",      "bgp_state",     "since",    "info",
					      "last_error", "received",      "accepted", "filtered",
					      "exported",   "receive_limit", "limit_hit"};
			for (size_t n = 0; n < sizeof(keys) / sizeof(keys[0]); n++)
				if (json_object_get(f, keys[n]))
					json_object_set(r, keys[n], json_object_get(f, keys[n]));
			json_array_append_new(sessions, r);
			const char *state = json_string_value(json_object_get(f, "state"));
			const char *family = json_string_value(json_object_get(f, "family"));
			if (state && strcmp(state, "up") == 0 && family &&
			    json_is_integer(json_object_get(s, "peer_asn")))
				json_array_append_new(observations,
						      json_pack("{s:O, s:i, s:O}", "asn",
								json_object_get(s, "peer_asn"), "family",
								strcmp(family, "ipv6") == 0 ? 6 : 4, "accepted",
								json_object_get(f, "accepted")));
		}
	}
}

/* Whether a limit the database now gives for a session differs from the
 * receive limit BIRD reports for it (a session BIRD reports without one is
 * left to its own jobs). */
static bool limits_differ(const struct job_context *ctx, const struct polled *pr, char *err, size_t err_len)
{
	const char *params[] = {pr->feature};
	char *facts_text = NULL;
	if (query_text(ctx->pool, "SELECT rs_desired_facts($1::bigint)::text", 1, params, &facts_text, err, err_len) !=
		    0 ||
	    !facts_text)
		return false;
	json_t *facts = json_loads(facts_text, 0, NULL);
	wipe_free(facts_text);
	json_t *desired = rs_desired_render(facts, err, err_len);
	json_decref(facts);
	bool differ = false;
	size_t i, k, m;
	json_t *d, *s, *f;
	json_array_foreach (json_object_get(desired, "sessions"), i, d) {
		const char *id = json_string_value(json_object_get(d, "id"));
		json_array_foreach (json_object_get(pr->state, "sessions"), k, s) {
			if (!id || strcmp(id, json_string_value(json_object_get(s, "id")) ?: "") != 0)
				continue;
			json_array_foreach (json_object_get(s, "families"), m, f) {
				const json_t *have = json_object_get(f, "receive_limit");
				const char *family = json_string_value(json_object_get(f, "family"));
				const json_t *want = json_object_get(
					d, family && strcmp(family, "ipv6") == 0 ? "max_prefix_v6" : "max_prefix_v4");
				if (json_is_integer(have) && json_is_integer(want) &&
				    json_integer_value(have) != json_integer_value(want))
					differ = true;
			}
		}
	}
	json_decref(desired);
	return differ;
}

int rs_handle_poll(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		   char *err, size_t err_len)
{
	(void)payload;
	size_t total = 0;
	for (size_t i = 0; i < ctx->adapters->rs_count; i++)
		total += ctx->adapters->rs_items[i].server_count;
	struct polled *polled = calloc(total + 1, sizeof(*polled));
	size_t n = 0;
	json_t *sessions = json_array(), *observations = json_array(), *refresh = json_array();
	int rc = -1;
	for (size_t i = 0; i < ctx->adapters->rs_count; i++) {
		const struct rs_adapter *a = &ctx->adapters->rs_items[i];
		for (size_t s = 0; s < a->server_count; s++) {
			const char *params[] = {a->servers[s].feature};
			char *feature = NULL, *body = NULL, why[512];
			if (query_text(
				    ctx->pool,
				    "SELECT id::text FROM network_features WHERE name = $1 OR fqdn = $1 ORDER BY id LIMIT 1",
				    1, params, &feature, err, err_len) != 0)
				goto out;
			if (!feature)
				continue; /* named in the file, not (yet) in the database */
			if (rs_call(ctx, a, "GET", a->servers[s].server, "", NULL, NULL, 200, &body, NULL, NULL, why,
				    sizeof(why)) != 0) {
				LOG_WARN("job %s: polling route server %s: %s", job_id, a->servers[s].feature, why);
				free(feature);
				continue; /* the others are polled all the same */
			}
			struct polled *pr = &polled[n++];
			snprintf(pr->feature, sizeof(pr->feature), "%s", feature);
			pr->name = a->servers[s].feature;
			pr->state = json_loads(body, 0, NULL);
			free(feature);
			free(body);
			collect(pr, sessions, observations);
		}
	}
	char *obs = json_dumps(observations, JSON_COMPACT);
	const char *params[] = {obs};
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool, "SELECT rs_observe($1::jsonb)", 1, params, &res);
	free(obs);
	PQclear(res);
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (limits_differ(ctx, &polled[i], err, err_len)) {
			LOG_INFO("job %s: route server %s: a session's max-prefix limit changed: refresh", job_id,
				 polled[i].name);
			json_array_append_new(refresh, json_string(polled[i].feature));
		}
	json_t *arg =
		json_pack("{s:O, s:O, s:i}", "sessions", sessions, "refresh", refresh, "next_ms", ctx->rs_poll_ms);
	outcome->kind = OUTCOME_CALL;
	outcome->call_sql = "SELECT rs_poll_record($1::bigint, $2::jsonb)";
	outcome->entries = json_dumps(arg, JSON_COMPACT);
	json_decref(arg);
	LOG_DEBUG("job %s: polled %zu route server(s), %zu session(s)", job_id, n, json_array_size(sessions));
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		json_decref(polled[i].state);
	free(polled);
	json_decref(sessions);
	json_decref(observations);
	json_decref(refresh);
	return rc;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void rs_poll_schedule(const struct job_context *ctx)
{
	static _Thread_local long long last;
	if (!ctx->adapters || ctx->adapters->rs_count == 0)
		return;
	long long now = now_ms();
	if (last && now - last < ctx->rs_poll_ms)
		return;
	last = now;
	PGresult *res = NULL;
	struct problem *p =
		db_query(ctx->pool,
			 "INSERT INTO jobs (kind, payload)"
			 " SELECT 'route_server.poll', jsonb_build_object('round', 'start:' || txid_current())"
			 "  WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = 'route_server.poll'"
			 "                       AND state IN ('pending', 'running', 'failed'))"
			 " ON CONFLICT DO NOTHING",
			 0, NULL, &res);
	PQclear(res);
	if (p) {
		LOG_WARN("queueing a route-server poll: %s", problem_detail(p));
		problem_free(p);
	}
}
