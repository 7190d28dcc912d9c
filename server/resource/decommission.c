/*
 * Decommission requests and cancellation policies (see decommission.h).
 */
#include "resource/decommission.h"

#include "app.h"
#include "core/json_body.h"
#include "core/util.h"
#include "db/write.h"
#include "http/router.h"
#include "resource/write_handlers.h"

#include <stdlib.h>
#include <string.h>

const struct filter_spec decommission_policy_query[] = {
	{"decommission_at", FILTER_TEXT, NULL},
	{NULL, FILTER_TEXT, NULL},
};

/* The policy row of a visible object (see policy_sql), or a 404. */
static struct problem *policy_row(PGconn *conn, const struct decommission_spec *spec, const struct actor *actor,
				  const char *id, const char *requested, bool lock, PGresult **res)
{
	*res = NULL;
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "%s %.40s was not found.", spec->title, id);
	const char *params[4];
	actor_scope_params(actor, params);
	params[2] = id;
	params[3] = requested;
	char *sql = lock ? xasprintf("%s%s", spec->policy_sql, spec->lock_clause) : NULL;
	struct problem *p = db_exec(conn, sql ? sql : spec->policy_sql, 4, params, res);
	free(sql);
	if (!p && PQntuples(*res) == 0) {
		PQclear(*res);
		*res = NULL;
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", spec->title, id);
	}
	return p;
}

struct decommission_ctx {
	struct db_write w;
	const struct decommission_spec *spec;
	const char *requested;
};

static struct problem *decommission_tx(PGconn *conn, void *arg)
{
	struct decommission_ctx *d = arg;
	const struct decommission_spec *spec = d->spec;
	PGresult *old = NULL, *res = NULL;
	struct problem *p = policy_row(conn, spec, d->w.actor, d->w.id, d->requested, true, &old);
	if (p)
		return p;
	const char *decommission_at = db_get(old, 0, "decommission_at");
	const char *state = db_get(old, 0, "state");
	if (!db_get_bool(old, 0, "may_write"))
		p = problem_new(PROBLEM_PERMISSION_DENIED, "%s %s is not yours to decommission.", spec->title, d->w.id);
	else if (strcmp(state, "decommission_requested") == 0 || strcmp(state, "decommissioned") == 0 ||
		 strcmp(state, "archived") == 0)
		p = problem_new(PROBLEM_UNABLE_TO_FULFILL, "%s %s is already %s.", spec->title, d->w.id, state);
	else if (db_get(old, 0, "refusal"))
		p = problem_new(PROBLEM_UNABLE_TO_FULFILL, "%s", db_get(old, 0, "refusal"));
	/* A date the notice period does not allow is refused, not moved. */
	else if (d->requested && strcmp(d->requested, decommission_at) != 0)
		p = problem_new(PROBLEM_CANCELLATION_POLICY,
				"decommission_at: the earliest date the cancellation policy allows is %s.",
				decommission_at);
	const struct actor *a = d->w.actor;
	const char *params[] = {d->w.id,
				decommission_at,
				db_get(old, 0, "charged_until"),
				a->account[0] ? a->account : NULL,
				a->key_id && a->key_id[0] ? a->key_id : NULL,
				a->request_id};
	for (size_t i = 0; !p && spec->apply_sql[i]; i++)
		p = db_exec(conn, spec->apply_sql[i], 6, params, NULL);
	if (!p)
		p = db_exec(conn, spec->read_sql, 1, params, &res);
	if (!p)
		p = db_write_record(conn, &d->w, "decommission", spec->object_type, d->w.id, db_get(old, 0, "json"),
				    PQgetvalue(res, 0, 0));
	PQclear(old);
	PQclear(res);
	return p;
}

struct problem *decommission_answer(struct request *req, struct response *res, const struct decommission_spec *spec)
{
	const char *date = NULL;
	struct problem *p = request_decommission_date(req, &date);
	if (p)
		return p;
	struct actor a = request_actor(req);
	struct decommission_ctx d = {.w = {.actor = &a, .id = req->params[0]}, .spec = spec, .requested = date};
	char *json = NULL;
	p = db_write_run(req->app->pool, decommission_tx, &d.w, &json);
	return response_from(res, 202, p, json);
}

struct problem *decommission_policy(struct request *req, struct response *res)
{
	const char *date = NULL;
	struct problem *p = request_policy_date(req, &date);
	if (p)
		return p;
	struct actor a = request_actor(req);
	PGconn *conn = NULL;
	p = db_acquire(req->app->pool, &conn);
	if (p)
		return p;
	PGresult *row = NULL;
	p = policy_row(conn, req->route->data, &a, req->params[0], date, false, &row);
	char *json = NULL;
	if (!p)
		json = xasprintf("{\"decommission_at\": \"%s\", \"charged_until\": \"%s\"}",
				 db_get(row, 0, "decommission_at"), db_get(row, 0, "charged_until"));
	PQclear(row);
	db_release(req->app->pool, conn);
	return response_from(res, 200, p, json);
}
