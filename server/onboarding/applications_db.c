/*
 * Application storage (see applications_db.h). The submission's rules and
 * rows are application_submit() (SQL); the final approval orders the
 * connection through the connections' own create (connection_create: the
 * same rules, reservations, role assignments and job as POST /connections),
 * then application_review_done(). Every write records its audit events in
 * its transaction.
 */
#include "onboarding/applications_db.h"

#include "auth/auth_db.h"
#include "connections/connections_db.h"
#include "core/util.h"
#include "db/events.h"
#include "db/write.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The application the caller sees (operators: every one; others: those
 * their account submitted), locked, with what the review checks. $1 the
 * id, $2 the caller's account, $3 is_operator. */
#define LOCK_APPLICATION                                                                                               \
	"SELECT a.step, a.type, a.account::text AS account,"                                                           \
	"       a.colocation_confirmed_at IS NOT NULL AS has_colocation,"                                              \
	"       a.approved_at IS NOT NULL AS is_approved, coalesce(a.approved_by_key::text, '') AS approved_by_key,"   \
	"       a.credentials_issued_at IS NOT NULL AS has_credentials,"                                               \
	"       application_json(a)::text AS json, account_json(c)::text AS account_json"                              \
	"  FROM applications a JOIN accounts c ON c.id = a.account"                                                    \
	" WHERE a.id = $1::bigint AND ($3::boolean OR a.submitted_by_account = $2::bigint)"                            \
	" FOR UPDATE OF a, c"

#define RENDER_APPLICATION "SELECT application_json(a)::text AS json FROM applications a WHERE a.id = $1::bigint"
#define RENDER_ACCOUNT     "SELECT account_json(c)::text AS json FROM accounts c WHERE c.id = $1::bigint"

static struct problem *lock_application(PGconn *conn, const struct db_write *w, PGresult **out)
{
	*out = NULL;
	if (!util_is_id(w->id))
		return problem_new(PROBLEM_NOT_FOUND, "Application %s was not found.", w->id);
	const char *params[] = {w->id, w->actor->account, w->actor->is_operator ? "t" : "f"};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, LOCK_APPLICATION, 3, params, &res);
	if (!p && PQntuples(res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "Application %s was not found.", w->id);
	if (p) {
		PQclear(res);
		return p;
	}
	*out = res;
	return NULL;
}

/* A 409 when the application is not under review (rejected, or past it). */
static struct problem *expect_review(const PGresult *old, const char *id)
{
	const char *step = db_get(old, 0, "step");
	if (strcmp(step, "rejected") == 0)
		return problem_new(PROBLEM_CONFLICT, "Application %s was rejected: nothing more happens to it.", id);
	if (strcmp(step, "review") != 0)
		return problem_new(PROBLEM_CONFLICT, "Application %s is past its review (step %s).", id, step);
	return NULL;
}

/* One row's one column of a statement, copied into out (may be truncated). */
static struct problem *query_text(PGconn *conn, const char *sql, int n, const char *const *params, char *out,
				  size_t len)
{
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, sql, n, params, &res);
	if (!p)
		snprintf(out, len, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return p;
}

/* A statement's one text value, malloc'd (the caller frees), or NULL with a problem. */
static struct problem *query_dup(PGconn *conn, const char *sql, int n, const char *const *params, char **out)
{
	*out = NULL;
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, sql, n, params, &res);
	if (!p && PQntuples(res) == 1)
		*out = xstrdup(PQgetvalue(res, 0, 0));
	else if (!p)
		p = problem_new(PROBLEM_INTERNAL, "A statement found no row.");
	PQclear(res);
	return p;
}

/* The update of the application (its event, its JSON for the response)
 * and, when given, of its account. */
static struct problem *record_updates(PGconn *conn, struct db_write *w, const PGresult *old)
{
	char *app_json = NULL, *acc_json = NULL;
	const char *app_params[] = {w->id};
	const char *acc_params[] = {db_get(old, 0, "account")};
	struct problem *p = query_dup(conn, RENDER_APPLICATION, 1, app_params, &app_json);
	if (!p)
		p = query_dup(conn, RENDER_ACCOUNT, 1, acc_params, &acc_json);
	if (!p && strcmp(acc_json, db_get(old, 0, "account_json")) != 0)
		p = events_record(conn, w->actor, "update", "account", acc_params[0], db_get(old, 0, "account_json"),
				  acc_json);
	if (!p)
		p = db_write_record(conn, w, "update", "application", w->id, db_get(old, 0, "json"), app_json);
	free(app_json);
	free(acc_json);
	return p;
}

struct submit_ctx {
	struct db_write w;
	const char *managing;
};

static struct problem *submit_tx(PGconn *conn, void *arg)
{
	struct submit_ctx *c = arg;
	struct db_write *w = &c->w;
	const struct actor *actor = w->actor;
	struct problem *p = NULL;
	PGresult *res = NULL;
	if (c->managing) {
		const char *params[] = {c->managing, actor->account, actor->is_operator ? "t" : "f"};
		char ok[8];
		p = query_text(conn,
			       "SELECT EXISTS (SELECT 1 FROM accounts a WHERE a.id = $1::bigint"
			       "               AND account_in_scope(a.id, $2::bigint, $3::boolean))",
			       3, params, ok, sizeof(ok));
		if (!p && strcmp(ok, "t") != 0)
			p = problem_new(PROBLEM_PERMISSION_DENIED, "managing_account: not an account you manage.");
		if (p)
			return p;
	}
	const char *params[] = {w->input_json, actor->account, actor->key_id && actor->key_id[0] ? actor->key_id : NULL,
				c->managing};
	char app_id[24];
	p = query_text(conn, "SELECT application_submit($1::jsonb, $2::bigint, $3::bigint, $4::bigint)::text", 4,
		       params, app_id, sizeof(app_id));
	const char *render[] = {app_id};
	if (!p)
		p = db_exec(conn,
			    "SELECT a.id::text AS id, a.account::text AS account, application_json(a)::text AS json,"
			    "       account_json(c)::text AS account_json"
			    "  FROM applications a JOIN accounts c ON c.id = a.account WHERE a.id = $1::bigint",
			    1, render, &res);
	if (p)
		goto out;
	const char *id = db_get(res, 0, "id");
	const char *account = db_get(res, 0, "account");
	p = events_record(conn, actor, "create", "account", account, NULL, db_get(res, 0, "account_json"));
	/* the contacts and their role assignments, as POST /contacts and /role-assignments record them */
	PGresult *children = NULL;
	const char *app_params[] = {id};
	if (!p)
		p = db_exec(conn,
			    "SELECT c.id::text AS contact, contact_json(c)::text AS contact_json,"
			    "       r.id::text AS assignment, role_assignment_json(r)::text AS assignment_json"
			    "  FROM application_contacts ac JOIN contacts c ON c.id = ac.contact"
			    "       JOIN role_assignments r ON r.contact = c.id"
			    " WHERE ac.application = $1::bigint ORDER BY c.id",
			    1, app_params, &children);
	for (int i = 0; !p && i < PQntuples(children); i++) {
		p = events_record(conn, actor, "create", "contact", db_get(children, i, "contact"), NULL,
				  db_get(children, i, "contact_json"));
		if (!p)
			p = events_record(conn, actor, "create", "role_assignment", db_get(children, i, "assignment"),
					  NULL, db_get(children, i, "assignment_json"));
	}
	PQclear(children);
	if (!p)
		p = db_write_record(conn, w, "create", "application", id, NULL, db_get(res, 0, "json"));
out:
	PQclear(res);
	return p;
}

struct problem *applications_db_submit(struct db_pool *pool, const struct actor *actor, const char *input_json,
				       const char *managing, char **json_out)
{
	struct submit_ctx c = {.w = {.actor = actor, .input_json = input_json}, .managing = managing};
	struct problem *p = db_transaction(pool, submit_tx, &c);
	if (p) {
		free(c.w.json_out);
		return p;
	}
	*json_out = c.w.json_out;
	return NULL;
}

static struct problem *colocation_tx(PGconn *conn, void *arg)
{
	struct db_write *w = arg;
	PGresult *old = NULL;
	struct problem *p = lock_application(conn, w, &old);
	if (!p)
		p = expect_review(old, w->id);
	const char *params[] = {w->id, w->actor->key_id && w->actor->key_id[0] ? w->actor->key_id : NULL,
				w->input_json};
	if (!p)
		p = db_exec(conn,
			    "UPDATE applications SET colocation_confirmation = $3, colocation_confirmed_at = now(),"
			    "       colocation_confirmed_by_key = $2::bigint, updated_at = now()"
			    " WHERE id = $1::bigint",
			    3, params, NULL);
	if (!p)
		p = db_exec(conn,
			    "DELETE FROM status_entries s USING applications a"
			    " WHERE a.id = $1::bigint AND s.object_type = 'account' AND s.object_id = a.account"
			    "   AND s.tag = 'onboarding.colocation'",
			    1, params, NULL);
	if (!p)
		p = record_updates(conn, w, old);
	PQclear(old);
	return p;
}

struct problem *applications_db_confirm_colocation(struct db_pool *pool, const struct actor *actor, const char *id,
						   const char *confirmation, char **json_out)
{
	struct db_write w = {.actor = actor, .id = id, .input_json = confirmation};
	return db_write_run(pool, colocation_tx, &w, json_out);
}

/* The connection the application ordered: the order's offering and
 * quantity, owned and billed by the account, the account's technical
 * (implementation) contact and whatever other roles the offering requires
 * on it; an offering whose cross-connects the exchange patches takes the
 * applicant's colocation statement as the demarc of each port. */
#define CONNECTION_ORDER                                                                                               \
	"SELECT jsonb_build_object("                                                                                   \
	"   'managing_account', a.account::text, 'consuming_account', a.account::text,"                                \
	"   'billing_account', a.account::text,"                                                                       \
	"   'mode', CASE WHEN a.port_quantity = 1 THEN 'standalone' ELSE 'lag_lacp' END,"                              \
	"   'product_offering', a.product_offering::text, 'port_quantity', a.port_quantity,"                           \
	"   'external_ref', 'application:' || a.id,"                                                                   \
	"   'role_assignments', to_jsonb(ARRAY("                                                                       \
	"       SELECT r.id::text FROM application_contacts ac JOIN role_assignments r ON r.contact = ac.contact"      \
	"        WHERE ac.application = a.id AND (ac.role = 'technical' OR r.role = ANY (o.required_contact_roles))"   \
	"        ORDER BY r.id)),"                                                                                     \
	"   'subscriber_side_demarcs', to_jsonb(ARRAY("                                                                \
	"       SELECT left(a.colocation_statement, 128) FROM generate_series(1, a.port_quantity)"                     \
	"        WHERE o.cross_connect_initiator = 'exchange')))::text"                                                \
	"  FROM applications a JOIN product_offerings o ON o.id = a.product_offering WHERE a.id = $1::bigint"

/* The final approval: the connection ordered, the review done. */
static struct problem *finish_review(PGconn *conn, struct db_write *w)
{
	const char *params[] = {w->id, NULL};
	char *order = NULL;
	struct problem *p = query_dup(conn, CONNECTION_ORDER, 1, params, &order);
	if (p)
		return p;
	struct db_write cw = {.actor = w->actor, .input_json = order};
	/* the account becomes a customer first: its connection is ordered for it */
	p = db_exec(conn,
		    "UPDATE accounts c SET state = 'production', updated_at = now() FROM applications a"
		    " WHERE a.id = $1::bigint AND c.id = a.account",
		    1, params, NULL);
	if (!p)
		p = db_create_run(conn, &cw, &connection_create);
	json_t *j_conn = p ? NULL : json_loads(cw.json_out, 0, NULL);
	const char *conn_id = json_string_value(json_object_get(j_conn, "id"));
	char connection[24] = "";
	snprintf(connection, sizeof(connection), "%s", conn_id ? conn_id : "");
	json_decref(j_conn);
	params[1] = connection;
	if (!p)
		p = db_exec(conn, "SELECT application_review_done($1::bigint, $2::bigint)", 2, params, NULL);
	free(cw.json_out);
	free(order);
	return p;
}

static struct problem *approve_tx(PGconn *conn, void *arg)
{
	struct db_write *w = arg;
	PGresult *old = NULL;
	struct problem *p = lock_application(conn, w, &old);
	if (!p)
		p = expect_review(old, w->id);
	if (!p && !db_get_bool(old, 0, "has_colocation"))
		p = problem_new(PROBLEM_CONFLICT,
				"Application %s: record the colocation provider's confirmation first "
				"(POST /applications/%s/colocation-confirmation).",
				w->id, w->id);
	if (p)
		goto out;
	const char *key = w->actor->key_id && w->actor->key_id[0] ? w->actor->key_id : NULL;
	bool is_member = strcmp(db_get(old, 0, "type"), "member") == 0;
	bool is_second = is_member && db_get_bool(old, 0, "is_approved");
	if (is_second && key && strcmp(key, db_get(old, 0, "approved_by_key")) == 0) {
		p = problem_new(PROBLEM_CONFLICT,
				"The management approval must come from a second operator: this operator key gave "
				"the review approval of application %s.",
				w->id);
		goto out;
	}
	const char *params[] = {w->id, key};
	if (is_second)
		p = db_exec(
			conn,
			"UPDATE applications SET management_approved_at = now(), management_approved_by_key = $2::bigint,"
			"       updated_at = now() WHERE id = $1::bigint",
			2, params, NULL);
	else
		p = db_exec(
			conn,
			"UPDATE applications SET approved_at = now(), approved_by_key = $2::bigint, updated_at = now()"
			" WHERE id = $1::bigint",
			2, params, NULL);
	/* the review is done; a member still needs the management's approval */
	if (!p && is_member && !is_second)
		p = db_exec(conn,
			    "DELETE FROM status_entries s USING applications a"
			    " WHERE a.id = $1::bigint AND s.object_type = 'account' AND s.object_id = a.account"
			    "   AND s.tag = 'onboarding.review'",
			    1, params, NULL);
	else if (!p)
		p = finish_review(conn, w);
	if (!p)
		p = record_updates(conn, w, old);
out:
	PQclear(old);
	return p;
}

struct problem *applications_db_approve(struct db_pool *pool, const struct actor *actor, const char *id,
					char **json_out)
{
	struct db_write w = {.actor = actor, .id = id};
	return db_write_run(pool, approve_tx, &w, json_out);
}

static struct problem *reject_tx(PGconn *conn, void *arg)
{
	struct db_write *w = arg;
	PGresult *old = NULL;
	struct problem *p = lock_application(conn, w, &old);
	if (!p)
		p = expect_review(old, w->id);
	const char *params[] = {w->id, w->actor->key_id && w->actor->key_id[0] ? w->actor->key_id : NULL,
				w->input_json};
	if (!p)
		p = db_exec(conn, "SELECT application_reject($1::bigint, $2::bigint, $3)", 3, params, NULL);
	if (!p)
		p = record_updates(conn, w, old);
	PQclear(old);
	return p;
}

struct problem *applications_db_reject(struct db_pool *pool, const struct actor *actor, const char *id,
				       const char *reason, char **json_out)
{
	struct db_write w = {.actor = actor, .id = id, .input_json = reason};
	return db_write_run(pool, reject_tx, &w, json_out);
}

struct key_ctx {
	struct db_write w;
	const char *api_key, *secret_hash;
	char account[24];
};

static struct problem *key_tx(PGconn *conn, void *arg)
{
	struct key_ctx *c = arg;
	struct db_write *w = &c->w;
	PGresult *old = NULL;
	struct problem *p = lock_application(conn, w, &old);
	if (p)
		return p;
	const char *step = db_get(old, 0, "step");
	if (strcmp(step, "rejected") == 0 || strcmp(step, "review") == 0)
		p = problem_new(PROBLEM_CONFLICT, "Application %s is not approved: its account has no API key yet.",
				w->id);
	else if (db_get_bool(old, 0, "has_credentials"))
		p = problem_new(PROBLEM_CONFLICT,
				"The first API key of application %s was issued already; it is shown only once.",
				w->id);
	if (p)
		goto out;
	snprintf(c->account, sizeof(c->account), "%s", db_get(old, 0, "account"));
	char key_id[24], description[64];
	snprintf(description, sizeof(description), "first key (application %s)", w->id);
	p = auth_db_create_key(conn, c->account, c->api_key, c->secret_hash, TOKEN_ROLE_MEMBER, description, key_id,
			       sizeof(key_id));
	const char *params[] = {w->id};
	if (!p)
		p = db_exec(conn,
			    "UPDATE applications SET credentials_issued_at = now(), updated_at = now()"
			    " WHERE id = $1::bigint",
			    1, params, NULL);
	if (!p) {
		/* the key's id and role only: never its secret, not even hashed */
		char *j = xasprintf("{\"id\": \"%s\", \"account\": \"%s\", \"role\": \"member\"}", key_id, c->account);
		p = events_record(conn, w->actor, "create", "api_key", key_id, NULL, j);
		free(j);
	}
	if (!p)
		p = record_updates(conn, w, old);
out:
	PQclear(old);
	return p;
}

struct problem *applications_db_issue_key(struct db_pool *pool, const struct actor *actor, const char *id,
					  const char *api_key, const char *secret_hash, char *account_out,
					  size_t account_len)
{
	struct key_ctx c = {.w = {.actor = actor, .id = id}, .api_key = api_key, .secret_hash = secret_hash};
	struct problem *p = db_transaction(pool, key_tx, &c);
	free(c.w.json_out);
	if (!p)
		snprintf(account_out, account_len, "%s", c.account);
	return p;
}
