/*
 * Resource writes (see write.h).
 */
#include "db/write.h"

#include "core/util.h"
#include "db/events.h"

#include <stdlib.h>
#include <string.h>

struct problem *db_write_run(struct db_pool *pool, db_tx_fn fn, struct db_write *w, char **json_out)
{
	struct problem *p = db_transaction(pool, fn, w);
	if (p) {
		free(w->json_out);
		w->json_out = NULL;
		return p;
	}
	*json_out = w->json_out;
	return NULL;
}

struct problem *db_write_record(PGconn *conn, struct db_write *w, const char *action, const char *object_type,
				const char *object_id, const char *old_json, const char *new_json)
{
	struct problem *p = events_record(conn, w->actor, action, object_type, object_id, old_json, new_json);
	if (!p)
		w->json_out = xstrdup(new_json ? new_json : old_json);
	return p;
}

struct problem *db_write_insert(PGconn *conn, struct db_write *w, const char *object_type, const char *insert_sql)
{
	const char *params[] = {w->input_json};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, insert_sql, 1, params, &res);
	if (!p)
		p = db_write_record(conn, w, "create", object_type, db_get(res, 0, "id"), NULL, db_get(res, 0, "json"));
	PQclear(res);
	return p;
}

struct problem *db_write_delete(PGconn *conn, struct db_write *w, const char *object_type, const char *title,
				const char *delete_sql)
{
	if (!util_is_id(w->id))
		return problem_new(PROBLEM_NOT_FOUND, "%s %.40s was not found.", title, w->id);
	const char *params[3];
	actor_scope_params(w->actor, params);
	params[2] = w->id;
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, delete_sql, 3, params, &res);
	if (!p && PQntuples(res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", title, w->id);
	if (!p)
		p = db_write_record(conn, w, "delete", object_type, w->id, PQgetvalue(res, 0, 0), NULL);
	PQclear(res);
	return p;
}

struct problem *db_expect_true(PGconn *conn, const char *sql, int n, const char *const *params, const char *property,
			       const char *reason)
{
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, sql, n, params, &res);
	if (!p && (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 0), "t") != 0))
		p = problem_invalid(property, "%s", reason);
	PQclear(res);
	return p;
}

struct problem *db_update_run(PGconn *conn, struct db_write *w, const struct db_update *u)
{
	if (!util_is_id(w->id))
		return problem_new(PROBLEM_NOT_FOUND, "%s %.40s was not found.", u->title, w->id);
	const char *params[4];
	actor_scope_params(w->actor, params);
	params[2] = w->id;
	params[3] = w->input_json ? w->input_json : "{}";
	PGresult *old = NULL, *res = NULL;
	struct db_update_input in = {0};
	struct problem *p = db_exec(conn, u->lock_sql, strstr(u->lock_sql, "$4") ? 4 : 3, params, &old);
	if (!p && PQntuples(old) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", u->title, w->id);
	if (!p && u->check)
		p = u->check(conn, w, old, &in);
	const char *write_params[] = {w->id, in.json ? in.json : params[3], in.flag ? "t" : "f"};
	for (size_t i = 0; !p && u->writes && u->writes[i]; i++)
		p = db_exec(conn, u->writes[i], strstr(u->writes[i], "$3") ? 3 : 2, write_params, NULL);
	if (!p && u->after)
		p = u->after(conn, w, &in);
	if (!p)
		p = db_exec(conn, u->render_sql, 1, write_params, &res);
	if (!p)
		p = db_write_record(conn, w, "update", u->object_type, w->id, db_get(old, 0, "json"),
				    PQgetvalue(res, 0, 0));
	free(in.json);
	PQclear(old);
	PQclear(res);
	return p;
}
