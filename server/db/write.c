/*
 * Resource writes (see write.h).
 */
#include "db/write.h"

#include "core/util.h"
#include "db/events.h"
#include "db/owner.h"

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

/* How many of $1, $2, $3 a write's statement takes: up to the last it names. */
static int params_named(const char *sql)
{
	return strstr(sql, "$3") ? 3 : strstr(sql, "$2") ? 2 : 1;
}

struct problem *db_rules_run(PGconn *conn, const struct actor *actor, const struct db_rule *rules,
			     const char *input_json)
{
	struct problem *p = NULL;
	const char *params[3] = {input_json};
	actor_scope_params(actor, params + 1);
	for (const struct db_rule *r = rules; !p && r && r->sql; r++)
		p = db_expect_true(conn, r->sql, strstr(r->sql, "$2") || strstr(r->sql, "$3") ? 3 : 1, params,
				   r->property, r->reason);
	return p;
}

/* The first field of the table only operators set that j_input names,
 * when the actor is a member: a 403 naming it. */
static struct problem *check_operator_fields(const struct db_write *w, json_t *j_input)
{
	for (const struct field_spec *f = w->fields; f && f->name && !w->actor->is_operator; f++)
		if ((f->flags & FIELD_OPERATOR) && json_object_get(j_input, f->name))
			return problem_new(PROBLEM_PERMISSION_DENIED, "%s: only the exchange's operators set this.",
					   f->name);
	return NULL;
}

/* The first immutable field the patch gives another value than the object
 * has (its JSON text): a 400 naming it. */
static struct problem *check_immutable_fields(const struct db_write *w, json_t *j_patch, const char *title,
					      const char *old_json)
{
	json_t *j_old = json_loads(old_json, 0, NULL);
	struct problem *p = NULL;
	for (const struct field_spec *f = w->fields; f && f->name && !p; f++) {
		json_t *j_new = json_object_get(j_patch, f->name);
		if ((f->flags & FIELD_IMMUTABLE) && j_new && !json_equal(j_new, json_object_get(j_old, f->name)))
			p = problem_invalid(f->name, "The %s of a %s cannot change: create a new one.", f->name, title);
	}
	json_decref(j_old);
	return p;
}

struct problem *db_create_run(PGconn *conn, struct db_write *w, const struct db_create *c)
{
	struct db_update_input in = {0};
	PGresult *res = NULL;
	json_t *j_input = json_loads(w->input_json, 0, NULL);
	struct problem *p = check_operator_fields(w, j_input);
	json_decref(j_input);
	if (!p && c->first)
		p = c->first(conn, w, &in);
	if (!p && c->check_owner)
		p = db_check_owner_accounts(conn, w->actor, w->input_json);
	if (!p && c->check)
		p = c->check(conn, w, &in);
	const char *input = in.json ? in.json : w->input_json;
	if (!p)
		p = db_rules_run(conn, w->actor, c->rules, input);
	const char *params[] = {input};
	if (!p)
		p = db_exec(conn, c->insert_sql, 1, params, &res);
	char *id = p ? NULL : xstrdup(PQgetvalue(res, 0, 0));
	const char *write_params[] = {id, input, in.flag ? "t" : "f"};
	for (size_t i = 0; !p && c->writes && c->writes[i]; i++)
		p = db_exec(conn, c->writes[i], params_named(c->writes[i]), write_params, NULL);
	if (!p && c->after)
		p = c->after(conn, w, id, &in);
	PQclear(res);
	res = NULL;
	if (!p)
		p = db_exec(conn, c->render_sql, 1, write_params, &res);
	if (!p)
		p = db_write_record(conn, w, "create", c->object_type, id, NULL, PQgetvalue(res, 0, 0));
	free(id);
	free(in.json);
	free(in.aside);
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
	struct problem *p = u->first ? u->first(conn, w, &in) : NULL;
	if (!p)
		p = db_exec(conn, u->lock_sql, strstr(u->lock_sql, "$4") ? 4 : 3, params, &old);
	if (!p && PQntuples(old) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", u->title, w->id);
	if (!p && u->guard)
		p = u->guard(w, old);
	if (!p && w->fields) {
		json_t *j_patch = json_loads(params[3], 0, NULL);
		p = check_immutable_fields(w, j_patch, u->object_type, PQgetvalue(old, 0, 0));
		if (!p)
			p = check_operator_fields(w, j_patch);
		json_decref(j_patch);
	}
	if (!p && u->check)
		p = u->check(conn, w, old, &in);
	const char *write_params[] = {w->id, in.json ? in.json : params[3], in.flag ? "t" : "f"};
	for (size_t i = 0; !p && u->writes && u->writes[i]; i++)
		p = db_exec(conn, u->writes[i], params_named(u->writes[i]), write_params, NULL);
	if (!p && u->after)
		p = u->after(conn, w, &in);
	if (!p)
		p = db_exec(conn, u->render_sql, 1, write_params, &res);
	if (!p)
		p = db_write_record(conn, w, "update", u->object_type, w->id, db_get(old, 0, "json"),
				    PQgetvalue(res, 0, 0));
	free(in.json);
	free(in.aside);
	PQclear(old);
	PQclear(res);
	return p;
}

struct problem *db_delete_run(PGconn *conn, struct db_write *w, const struct db_delete *d)
{
	if (!util_is_id(w->id))
		return problem_new(PROBLEM_NOT_FOUND, "%s %.40s was not found.", d->title, w->id);
	const char *params[3];
	actor_scope_params(w->actor, params);
	params[2] = w->id;
	PGresult *old = NULL, *res = NULL;
	struct problem *p = db_exec(conn, d->lock_sql, 3, params, &old);
	if (!p && PQntuples(old) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", d->title, w->id);
	if (!p && d->guard)
		p = d->guard(w, old);
	/* Read after the lock, each in a statement of its own: a write that
	 * took the object has committed by now and is seen. */
	const char *refusal_params[3] = {w->id, params[0], params[1]};
	for (const struct db_refusal *r = d->refusals; !p && r && r->sql; r++) {
		p = db_exec(conn, r->sql, params_named(r->sql), refusal_params, &res);
		if (!p && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
			p = problem_new(r->kind, "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		res = NULL;
	}
	if (!p)
		p = db_exec(conn, d->delete_sql, 1, params + 2, &res);
	if (p)
		goto out;
	const char *before = PQgetvalue(old, 0, 0);
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
		p = db_write_record(conn, w, "delete", d->object_type, w->id, before, NULL);
	else if (PQnfields(res) < 2 || db_get_bool(res, 0, "changed"))
		p = db_write_record(conn, w, "decommission", d->object_type, w->id, before, PQgetvalue(res, 0, 0));
	else
		w->json_out = xstrdup(before); /* asked before: nothing changes */
out:
	PQclear(old);
	PQclear(res);
	return p;
}
