/*
 * The route-servers extension's handlers (see rsdata_api.h).
 */
#include "routeservers/rsdata_api.h"

#include "app.h"
#include "bgp/bgp_rules.h"
#include "core/util.h"
#include "db/events.h"
#include "routeservers/rsdata.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every route server gets a refresh; the number of jobs queued. */
static const char refresh_all_sql[] = "SELECT rs_refresh(ARRAY(SELECT id FROM network_features))::text";

struct load {
	struct actor actor;
	const char *name; /* the AS-SET, upper case; NULL for the ROAs */
	char *data;       /* the normalised JSON */
	char *json;       /* the answer */
};

/* The load's event (its summaries before and after), then a refresh of
 * every route server: l->json is the after summary with the number of
 * refresh jobs queued. */
static struct problem *record_and_refresh(PGconn *conn, struct load *l, const char *action, const char *object_type,
					  const char *object_id, const char *before, const char *after)
{
	PGresult *res = NULL;
	struct problem *p = events_record(conn, &l->actor, action, object_type, object_id, before, after);
	if (!p)
		p = db_exec(conn, refresh_all_sql, 0, NULL, &res);
	if (!p) {
		json_t *j = json_loads(after, 0, NULL);
		json_object_set_new(j, "refresh_jobs", json_integer(atoll(PQgetvalue(res, 0, 0))));
		l->json = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		PQclear(res);
	}
	return p;
}

static struct problem *as_set_tx(PGconn *conn, void *arg)
{
	struct load *l = arg;
	const char *params[] = {l->name, l->data};
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"WITH old AS (SELECT a.name, jsonb_array_length(a.prefixes_v4) AS v4, jsonb_array_length(a.prefixes_v6)"
		"                    AS v6, jsonb_array_length(a.origins) AS o FROM rs_as_sets a WHERE a.name = $1 FOR UPDATE)"
		" SELECT (SELECT json_build_object('as_set', old.name, 'prefixes_v4', old.v4, 'prefixes_v6', old.v6,"
		"                                  'origins', old.o) FROM old)::text AS before",
		1, params, &res);
	if (p)
		return p;
	char *before = db_get(res, 0, "before") ? xstrdup(db_get(res, 0, "before")) : NULL;
	PQclear(res);
	p = db_exec(conn,
		    "INSERT INTO rs_as_sets AS a (name, prefixes_v4, prefixes_v6, origins, loaded_at)"
		    " SELECT $1, v->'prefixes_v4', v->'prefixes_v6', v->'origins', now() FROM (SELECT $2::jsonb AS v) i"
		    " ON CONFLICT (name) DO UPDATE SET prefixes_v4 = excluded.prefixes_v4,"
		    "     prefixes_v6 = excluded.prefixes_v6, origins = excluded.origins, loaded_at = now()"
		    " RETURNING json_build_object('as_set', a.name, 'prefixes_v4', jsonb_array_length(a.prefixes_v4),"
		    "     'prefixes_v6', jsonb_array_length(a.prefixes_v6), 'origins', jsonb_array_length(a.origins),"
		    "     'loaded_at', rfc3339(a.loaded_at))::text AS after",
		    2, params, &res);
	if (!p) {
		char *after = xstrdup(db_get(res, 0, "after"));
		PQclear(res);
		p = record_and_refresh(conn, l, before ? "update" : "create", "route_server_as_set", l->name, before,
				       after);
		free(after);
	}
	free(before);
	return p;
}

static struct problem *roas_tx(PGconn *conn, void *arg)
{
	struct load *l = arg;
	PGresult *res = NULL;
	/* one load at a time: the table is replaced whole */
	struct problem *p = db_exec(conn, "LOCK TABLE rs_roas IN EXCLUSIVE MODE", 0, NULL, NULL);
	if (!p)
		p = db_exec(conn, "SELECT json_build_object('roas', count(*))::text FROM rs_roas", 0, NULL, &res);
	if (p)
		return p;
	char *before = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	const char *params[] = {l->data};
	p = db_exec(conn, "DELETE FROM rs_roas", 0, NULL, NULL);
	if (!p)
		p = db_exec(conn,
			    "INSERT INTO rs_roas (prefix, max_length, asn)"
			    " SELECT (x->>'prefix')::cidr, (x->>'max_length')::int, (x->>'asn')::bigint"
			    "   FROM jsonb_array_elements($1::jsonb) AS x",
			    1, params, NULL);
	if (!p)
		p = db_exec(
			conn,
			"UPDATE rs_roa_version SET version = rs_roas_digest(), roas = (SELECT count(*) FROM rs_roas),"
			" loaded_at = now()",
			0, NULL, NULL);
	if (!p)
		p = db_exec(
			conn,
			"SELECT json_build_object('roas', count(*), 'roas_v4', count(*) FILTER (WHERE family(prefix) = 4),"
			"       'roas_v6', count(*) FILTER (WHERE family(prefix) = 6),"
			"       'version', (SELECT v.version FROM rs_roa_version v))::text FROM rs_roas",
			0, NULL, &res);
	if (!p) {
		char *after = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		p = record_and_refresh(conn, l, "update", "route_server_roas", "roas", before, after);
		free(after);
	}
	free(before);
	return p;
}

/* Runs a load's transaction; l->json is the answer on success (caller frees). */
static struct problem *load(struct db_pool *pool, struct load *l, struct problem *(*tx)(PGconn *, void *))
{
	struct problem *p = db_transaction(pool, tx, l);
	free(l->data);
	l->data = NULL;
	if (p) {
		free(l->json);
		l->json = NULL;
	}
	return p;
}

struct problem *rsdata_load_as_set(struct db_pool *pool, const struct actor *actor, const char *name,
				   const json_t *j_body, char **json_out)
{
	if (!bgp_as_set_is_valid(name))
		return problem_invalid("as_set", "Must be an AS-SET as IX-API spells it: AS-SET@SOURCE (e.g. "
						 "AS-EXAMPLE@RIPE, AS1200:AS-CUSTOMERS@RADB, AS206238@RIPE).");
	json_t *j_data = NULL;
	struct problem *p = rsdata_as_set_parse(j_body, &j_data);
	if (p)
		return p;
	char upper[256];
	snprintf(upper, sizeof(upper), "%s", name);
	for (char *c = upper; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	struct load l = {.actor = *actor, .name = upper, .data = json_dumps(j_data, JSON_COMPACT)};
	json_decref(j_data);
	p = load(pool, &l, as_set_tx);
	*json_out = l.json;
	return p;
}

struct problem *rsdata_load_roas(struct db_pool *pool, const struct actor *actor, const json_t *j_body, char **json_out)
{
	json_t *j_data = NULL;
	struct problem *p = rsdata_roas_parse(j_body, &j_data);
	if (p)
		return p;
	struct load l = {.actor = *actor, .data = json_dumps(j_data, JSON_COMPACT)};
	json_decref(j_data);
	p = load(pool, &l, roas_tx);
	*json_out = l.json;
	return p;
}

struct problem *rsdata_as_set_put(struct request *req, struct response *res)
{
	struct actor actor = request_actor(req);
	char *json = NULL;
	struct problem *p = rsdata_load_as_set(req->app->pool, &actor, req->params[0], req->j_body, &json);
	return response_from(res, 200, p, json);
}

struct problem *rsdata_roas_put(struct request *req, struct response *res)
{
	struct actor actor = request_actor(req);
	char *json = NULL;
	struct problem *p = rsdata_load_roas(req->app->pool, &actor, req->j_body, &json);
	return response_from(res, 200, p, json);
}

struct enable {
	const char *id;
	struct actor actor;
	char *json;
};

static struct problem *enable_tx(PGconn *conn, void *arg)
{
	struct enable *e = arg;
	const char *params[] = {e->id};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn,
				    "SELECT f.state, rs_config_is_live(f) AS live FROM network_feature_configs f"
				    " WHERE f.id = CASE WHEN $1 ~ '^[0-9]{1,18}$' THEN $1::bigint END FOR UPDATE",
				    1, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return problem_new(PROBLEM_NOT_FOUND, "Network feature config %s does not exist.", e->id);
	}
	if (!db_get_bool(res, 0, "live")) {
		p = problem_new(PROBLEM_UNABLE_TO_FULFILL,
				"Network feature config %s is %s: it has no session on the route server.", e->id,
				db_get(res, 0, "state"));
		PQclear(res);
		return p;
	}
	PQclear(res);
	p = db_exec(conn,
		    "INSERT INTO jobs (kind, payload)"
		    " VALUES ('route_server.enable', jsonb_build_object('network_feature_config', $1::bigint::text))"
		    " RETURNING id::text AS id, job_json(jobs)::text AS job,"
		    "   json_build_object('network_feature_config', $1::bigint::text, 'job', id::text,"
		    "                     'state', state)::text AS json",
		    1, params, &res);
	if (p)
		return p;
	e->json = xstrdup(db_get(res, 0, "json"));
	p = events_record(conn, &e->actor, "create", "job", db_get(res, 0, "id"), NULL, db_get(res, 0, "job"));
	PQclear(res);
	return p;
}

struct problem *rsdata_enable_session(struct request *req, struct response *res)
{
	struct enable e = {.id = req->params[0], .actor = request_actor(req)};
	struct problem *p = db_transaction(req->app->pool, enable_tx, &e);
	if (p) {
		free(e.json);
		return p;
	}
	response_raw(res, 202, e.json, strlen(e.json));
	return NULL;
}
