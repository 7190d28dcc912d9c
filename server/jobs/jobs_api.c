/*
 * The operators' jobs extension (see jobs_api.h).
 */
#include "jobs/jobs_api.h"

#include "app.h"
#include "db/events.h"
#include "core/util.h"
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const job_states[] = {"pending", "running", "failed", "dead", "done", NULL};

const struct filter_spec jobs_filters[] = {
	{"state", FILTER_ENUM, job_states},
	{"kind", FILTER_TEXT, NULL},
	{"object", FILTER_TEXT, NULL},
	{NULL, 0, NULL},
};

struct problem *jobs_list_text(struct db_pool *pool, const char *const values[3], char **out)
{
	PGresult *res = NULL;
	struct problem *p =
		db_query(pool,
			 "SELECT coalesce(jsonb_agg(job_json(j) ORDER BY j.id DESC), '[]'::jsonb)::text AS list"
			 "  FROM (SELECT * FROM jobs"
			 "         WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR kind = $2)"
			 "           AND ($3::text IS NULL OR object = $3)"
			 "         ORDER BY id DESC LIMIT 1000) AS j",
			 3, values, &res);
	if (p)
		return p;
	*out = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return NULL;
}

struct problem *jobs_list(struct request *req, struct response *res)
{
	struct filter_values v;
	struct problem *p = filters_parse(req, jobs_filters, &v);
	if (p)
		return p;
	char *list = NULL;
	p = jobs_list_text(req->app->pool, v.values, &list);
	filters_clear(&v);
	if (p)
		return p;
	response_raw(res, 200, list, strlen(list));
	return NULL;
}

struct retry {
	const char *id;
	struct actor actor;
	char *json;
};

static struct problem *retry_tx(PGconn *conn, void *arg)
{
	struct retry *r = arg;
	const char *params[] = {r->id};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn,
				    "SELECT state, job_json(j)::text AS json FROM jobs j"
				    " WHERE j.id = CASE WHEN $1 ~ '^[0-9]{1,18}$' THEN $1::bigint END FOR UPDATE",
				    1, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return problem_new(PROBLEM_NOT_FOUND, "Job %s does not exist.", r->id);
	}
	const char *state = db_get(res, 0, "state");
	if (strcmp(state, "dead") != 0 && strcmp(state, "failed") != 0) {
		p = problem_new(PROBLEM_UNABLE_TO_FULFILL, "Job %s is %s: only a dead or failed job is re-driven.",
				r->id, state);
		PQclear(res);
		return p;
	}
	char *before = xstrdup(db_get(res, 0, "json"));
	PQclear(res);
	p = db_exec(conn,
		    "UPDATE jobs j SET state = 'pending', attempts = 0, waits = 0, run_after = now(), locked_by = NULL,"
		    "       locked_at = NULL, finished_at = NULL, updated_at = now()"
		    " WHERE j.id = $1::bigint RETURNING job_json(j)::text AS json",
		    1, params, &res);
	if (!p) {
		r->json = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		p = events_record(conn, &r->actor, "update", "job", r->id, before, r->json);
	}
	free(before);
	return p;
}

struct problem *jobs_retry_now(struct db_pool *pool, const char *id, const struct actor *actor, char **out)
{
	struct retry r = {.id = id, .actor = *actor};
	struct problem *p = db_transaction(pool, retry_tx, &r);
	if (p) {
		free(r.json);
		return p;
	}
	*out = r.json;
	return NULL;
}

struct problem *jobs_retry(struct request *req, struct response *res)
{
	struct actor actor = request_actor(req);
	char *json = NULL;
	struct problem *p = jobs_retry_now(req->app->pool, req->params[0], &actor, &json);
	if (p)
		return p;
	response_raw(res, 200, json, strlen(json));
	return NULL;
}
