/*
 * The quarantine-test extension (see quarantine_api.h): one transaction
 * locks the config (whoever may change it may ask: its managing or
 * consuming account, or an operator), checks it is a peering-LAN config in
 * testing whose last test did not die, and writes the job
 * (quarantine_retest.sql) with its audit event. A test already waiting is
 * the answer to a second request (202, the same job).
 */
#include "quarantine/quarantine_api.h"

#include "app.h"
#include "core/util.h"
#include "db/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct retest {
	const char *id;
	struct actor actor;
	char *json;
};

static struct problem *retest_tx(PGconn *conn, void *arg)
{
	struct retest *r = arg;
	const char *params[3];
	actor_scope_params(&r->actor, params);
	params[2] = r->id;
	PGresult *res = NULL;
	struct problem *p =
		db_exec(conn,
			"SELECT c.type, c.state,"
			"       (SELECT j.id::text FROM jobs j WHERE j.object = 'quarantine:' || c.id"
			"         ORDER BY j.id DESC LIMIT 1) AS last_job,"
			"       (SELECT j.state FROM jobs j WHERE j.object = 'quarantine:' || c.id"
			"         ORDER BY j.id DESC LIMIT 1) AS last_state"
			"  FROM network_service_configs c"
			" WHERE c.id = CASE WHEN $3 ~ '^[0-9]{1,18}$' THEN $3::bigint END"
			"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
			" FOR UPDATE OF c",
			3, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return problem_new(PROBLEM_NOT_FOUND, "Network service config %s does not exist.", r->id);
	}
	const char *type = db_get(res, 0, "type"), *state = db_get(res, 0, "state");
	if (strcmp(type, "exchange_lan") != 0)
		p = problem_new(PROBLEM_UNABLE_TO_FULFILL,
				"Network service config %s is a %s config: only a peering-LAN (exchange_lan) config is "
				"quarantine-tested.",
				r->id, type);
	else if (strcmp(state, "testing") != 0)
		p = problem_new(PROBLEM_UNABLE_TO_FULFILL,
				"Network service config %s is %s: a quarantine test runs only while it is testing (in "
				"the quarantine LAN).",
				r->id, state);
	else if (db_get(res, 0, "last_state") && strcmp(db_get(res, 0, "last_state"), "dead") == 0)
		p = problem_new(PROBLEM_CONFLICT,
				"The last quarantine test of network service config %s (job %s) could not run; the "
				"exchange's operators re-drive it (see the config's job_failed status).",
				r->id, db_get(res, 0, "last_job"));
	PQclear(res);
	if (p)
		return p;
	const char *one[] = {r->id};
	p = db_exec(conn, "SELECT t.job::text AS job, t.created FROM quarantine_retest($1::bigint) AS t", 1, one, &res);
	if (p)
		return p;
	bool created = db_get_bool(res, 0, "created");
	char job_id[24];
	snprintf(job_id, sizeof(job_id), "%s", db_get(res, 0, "job"));
	PQclear(res);
	const char *by_id[] = {job_id};
	/* a statement of its own: the job was written by the one before */
	p = db_exec(conn,
		    "SELECT job_json(j)::text AS job, json_build_object('network_service_config',"
		    "       j.payload->>'network_service_config', 'job', j.id::text, 'state', j.state)::text AS json"
		    "  FROM jobs j WHERE j.id = $1::bigint",
		    1, by_id, &res);
	if (p)
		return p;
	char *job = xstrdup(db_get(res, 0, "job"));
	r->json = xstrdup(db_get(res, 0, "json"));
	PQclear(res);
	if (created)
		p = events_record(conn, &r->actor, "create", "job", job_id, NULL, job);
	free(job);
	return p;
}

struct problem *quarantine_test_request(struct request *req, struct response *res)
{
	struct retest r = {.id = req->params[0], .actor = request_actor(req)};
	struct problem *p = db_transaction(req->app->pool, retest_tx, &r);
	if (p) {
		free(r.json);
		return p;
	}
	response_raw(res, 202, r.json, strlen(r.json));
	return NULL;
}
