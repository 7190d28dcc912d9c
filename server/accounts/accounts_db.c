/*
 * Account storage (see accounts_db.h): the list and the read, and the
 * write specs. Writes take a validated JSON object from the handler and
 * apply it with one parameterised statement, so the SQL never changes
 * shape with the input.
 */
#include "accounts/accounts_db.h"

#include "core/util.h"
#include "db/write.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *take_text(PGresult *res)
{
	return xstrdup(PQgetvalue(res, 0, 0));
}

/* The accounts a member sees: scope_accounts(), its own and, recursively,
 * those it manages (account_in_scope() as a set, computed once). */
#define MEMBER_SCOPE    "WITH scope AS MATERIALIZED (SELECT scope_accounts($1::bigint) AS ids) "
#define IN_MEMBER_SCOPE "a.id = ANY ((SELECT ids FROM scope)::bigint[])"

/* The list: the matching ids, the requested page of them rendered; $1 the
 * caller (members), filters from $2 then limit and offset. */
#define LIST_SQL(with, scope)                                                                                          \
	with "rows AS MATERIALIZED (SELECT a.id FROM accounts a WHERE " scope                                          \
	     "   AND ($2::text IS NULL OR a.id = ANY ($2::bigint[]))"                                                  \
	     "   AND ($3::text IS NULL OR a.state = $3)"                                                               \
	     "   AND ($4::text IS NULL OR a.state <> $4)"                                                              \
	     "   AND ($5::text IS NULL OR a.managing_account = id_or_null($5))"                                        \
	     "   AND ($6::text IS NULL OR a.name = $6)"                                                                \
	     "   AND ($7::text IS NULL OR a.external_ref = $7)),"                                                      \
	     " page AS (SELECT id FROM rows ORDER BY id LIMIT $8::bigint OFFSET coalesce($9::bigint, 0))"              \
	     " SELECT coalesce((SELECT jsonb_agg(r.j ORDER BY r.rid) FROM accounts_render(ARRAY("                      \
	     "          SELECT a FROM accounts a WHERE a.id IN (SELECT id FROM page))) r), '[]')::text AS json,"       \
	     "        (SELECT count(*) FROM rows) AS total"

static const char *const list_sql[2] = {
	/* operators: every account ($1 unused, typed so the statement is one) */
	LIST_SQL("WITH ", "$1::bigint IS NOT NULL"),
	LIST_SQL(MEMBER_SCOPE ", ", IN_MEMBER_SCOPE),
};

struct problem *accounts_db_list(struct db_pool *pool, const struct actor *actor, const struct account_filter *f,
				 const struct db_page *page, char **json_out, long long *total_out)
{
	const char *params[] = {actor->account, f->ids,          f->state,    f->state_is_not, f->managing_account,
				f->name,        f->external_ref, page->limit, page->offset};
	PGresult *res = NULL;
	struct problem *p = db_query(pool, list_sql[!actor->is_operator], 9, params, &res);
	if (!p) {
		*json_out = xstrdup(db_get(res, 0, "json"));
		*total_out = strtoll(db_get(res, 0, "total"), NULL, 10);
	}
	PQclear(res);
	return p;
}

struct problem *accounts_db_get(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out)
{
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "Account %s was not found.", id);
	const char *params[] = {actor->account, id};
	PGresult *res = NULL;
	/* the same renderer as the list's */
	struct problem *p = db_query(
		pool,
		actor->is_operator
			? "SELECT account_object(a, account_asns(a.id), account_status(a.id))::text FROM accounts a"
			  " WHERE a.id = $2::bigint AND $1::bigint IS NOT NULL"
			: MEMBER_SCOPE
			"SELECT account_object(a, account_asns(a.id), account_status(a.id))::text FROM accounts a"
			" WHERE a.id = $2::bigint AND " IN_MEMBER_SCOPE,
		2, params, &res);
	if (!p && PQntuples(res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "Account %s was not found.", id);
	if (!p)
		*json_out = take_text(res);
	PQclear(res);
	return p;
}

#define INPUT " FROM (SELECT $1::jsonb AS v) AS input"

/* managing_account must be visible to the actor; every metro-area network
 * named in the presence list must exist. */
static const struct db_rule reference_rules[] = {
	{"SELECT v->>'managing_account' IS NULL OR EXISTS ("
	 "         SELECT 1 FROM accounts m WHERE m.id::text = v->>'managing_account'"
	 "            AND account_in_scope(m.id, $2::bigint, $3::boolean))" INPUT,
	 "managing_account", "Object does not exist."},
	{"SELECT NOT v ? 'metro_area_network_presence' OR NOT EXISTS ("
	 "         SELECT 1 FROM jsonb_array_elements_text(v->'metro_area_network_presence') e"
	 "          WHERE NOT EXISTS (SELECT 1 FROM metro_area_networks n WHERE n.id::text = e))" INPUT,
	 "metro_area_network_presence", "Every item must be the id of a metro area network."},
	{NULL, NULL, NULL},
};

#define RENDER_ACCOUNT "SELECT account_json(a)::text FROM accounts a WHERE a.id = $1::bigint"

const struct db_create account_create = {
	.title = "Account",
	.object_type = "account",
	.rules = reference_rules,
	.insert_sql =
		"INSERT INTO accounts (managing_account, name, legal_name, external_ref, discoverable,"
		"                      address, billing_information, metro_area_network_presence)"
		" SELECT (v->>'managing_account')::bigint, v->>'name', v->>'legal_name', v->>'external_ref',"
		"        coalesce((v->>'discoverable')::boolean, false), v->'address',"
		"        nullif(v->'billing_information', 'null'::jsonb),"
		"        ARRAY(SELECT jsonb_array_elements_text(coalesce(v->'metro_area_network_presence',"
		"                                                        '[]'::jsonb)))" INPUT " RETURNING id::text",
	.render_sql = RENDER_ACCOUNT,
};

/* A visible account, locked: its JSON text. */
#define LOCK_ACCOUNT                                                                                                   \
	"SELECT account_json(a)::text AS json FROM accounts a"                                                         \
	" WHERE a.id = $3::bigint AND account_in_scope(a.id, $1::bigint, $2::boolean)"                                 \
	" FOR UPDATE"

/* Rules for moving an account in the hierarchy. */
static struct problem *check_new_manager(PGconn *conn, const struct db_write *c)
{
	json_t *j = json_loads(c->input_json, 0, NULL);
	json_t *j_manager = json_object_get(j, "managing_account");
	struct problem *p = NULL;
	PGresult *res = NULL;
	if (!j_manager)
		goto out;
	if (!c->actor->is_operator && strcmp(c->id, c->actor->account) == 0) {
		p = problem_new(PROBLEM_PERMISSION_DENIED,
				"You cannot change the managing account of your own account.");
		goto out;
	}
	if (json_is_null(j_manager)) {
		if (!c->actor->is_operator)
			p = problem_invalid("managing_account", "Must be an account you manage.");
		goto out;
	}
	/* The new manager may not sit below the account itself: no cycles. */
	const char *params[] = {json_string_value(j_manager), c->id};
	p = db_exec(conn, "SELECT account_in_scope($1::bigint, $2::bigint, false)", 2, params, &res);
	if (!p && strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		p = problem_invalid("managing_account",
				    "An account cannot be managed by itself or by an account it manages.");
out:
	PQclear(res);
	json_decref(j);
	return p;
}

static struct problem *update_check(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in)
{
	(void)old;
	(void)in;
	struct problem *p = db_rules_run(conn, w->actor, reference_rules, w->input_json);
	if (!p)
		p = check_new_manager(conn, w);
	return p;
}

static const char *const update_writes[] = {
	"UPDATE accounts a SET"
	"  managing_account = CASE WHEN v ? 'managing_account'"
	"                     THEN (v->>'managing_account')::bigint ELSE a.managing_account END,"
	"  state = CASE WHEN v ? 'state' THEN v->>'state' ELSE a.state END,"
	"  name = CASE WHEN v ? 'name' THEN v->>'name' ELSE a.name END,"
	"  legal_name = CASE WHEN v ? 'legal_name' THEN v->>'legal_name' ELSE a.legal_name END,"
	"  external_ref = CASE WHEN v ? 'external_ref' THEN v->>'external_ref' ELSE a.external_ref END,"
	"  discoverable = CASE WHEN v ? 'discoverable' THEN (v->>'discoverable')::boolean"
	"                 ELSE a.discoverable END,"
	"  address = CASE WHEN v ? 'address' THEN v->'address' ELSE a.address END,"
	"  billing_information = CASE WHEN v ? 'billing_information'"
	"                        THEN nullif(v->'billing_information', 'null'::jsonb)"
	"                        ELSE a.billing_information END,"
	"  metro_area_network_presence = CASE WHEN v ? 'metro_area_network_presence'"
	"        THEN ARRAY(SELECT jsonb_array_elements_text(v->'metro_area_network_presence'))"
	"        ELSE a.metro_area_network_presence END,"
	"  updated_at = now()"
	" FROM (SELECT $2::jsonb AS v) AS input"
	" WHERE a.id = $1::bigint",
	NULL,
};

const struct db_update account_update = {
	.title = "Account",
	.object_type = "account",
	.lock_sql = LOCK_ACCOUNT,
	.check = update_check,
	.writes = update_writes,
	.render_sql = RENDER_ACCOUNT,
};

/* Not the caller's own, not one with connections, not one that still
 * manages others. */
static const struct db_refusal delete_refusals[] = {
	{"SELECT CASE WHEN a.id = $2::bigint THEN 'You cannot delete your own account.'"
	 "            WHEN EXISTS (SELECT 1 FROM connections n"
	 "                          WHERE a.id IN (n.managing_account, n.consuming_account, n.billing_account))"
	 "            THEN format('Account %s still has connections; decommission them first.', a.id)"
	 "            WHEN EXISTS (SELECT 1 FROM accounts c WHERE c.managing_account = a.id)"
	 "            THEN format('Account %s still manages other accounts; delete or move them first.', a.id)"
	 "       END"
	 "  FROM accounts a WHERE a.id = $1::bigint",
	 PROBLEM_UNABLE_TO_FULFILL},
	{NULL, PROBLEM_UNABLE_TO_FULFILL},
};

const struct db_delete account_delete = {
	.title = "Account",
	.object_type = "account",
	.lock_sql = LOCK_ACCOUNT,
	.refusals = delete_refusals,
	.delete_sql = "DELETE FROM accounts WHERE id = $1::bigint",
};
