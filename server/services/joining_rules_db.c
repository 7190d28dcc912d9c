/*
 * Member joining rules in PostgreSQL (see joining_rules_db.h): the read
 * descriptor for the generic listing handlers, and the write specs.
 *
 * Who sees a rule: operators, the owners of its service, its managing
 * account's scope, and the account it names. Who may change it: the same
 * but the named account (it learns what was decided about it; it does not
 * decide). Both conditions are written once, below, for `r` and the
 * caller's scope in $1/$2.
 */
#include "services/joining_rules.h"
#include "services/joining_rules_db.h"

#include "core/util.h"
#include "db/owner.h"
#include "db/write.h"

#include <stdlib.h>
#include <string.h>

#define RULE_WRITABLE                                                                                                  \
	"($2::boolean OR account_in_scope(r.managing_account, $1::bigint, false)"                                      \
	" OR EXISTS (SELECT 1 FROM network_services s WHERE s.id = r.network_service"                                  \
	"            AND owner_in_scope(s.managing_account, s.consuming_account, $1::bigint, false)))"
#define RULE_VISIBLE "(" RULE_WRITABLE " OR account_in_scope(r.consuming_account, $1::bigint, false))"

static const char *const rule_types[] = {"allow", "deny", NULL};

const struct filter_spec joining_rules_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"network_service", FILTER_TEXT, NULL},
	{"managing_account", FILTER_TEXT, NULL},
	{"consuming_account", FILTER_TEXT, NULL},
	{"external_ref", FILTER_TEXT, NULL},
	{"type", FILTER_ENUM, rule_types},
	PAGINATION_FILTERS,
	{NULL, FILTER_TEXT, NULL},
};

/* In filter order. */
static const char *const joining_rules_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	"t.network_service = id_or_null($?)",
	"t.managing_account = id_or_null($?)",
	"t.consuming_account = id_or_null($?)",
	"t.external_ref = $?",
	"t.type = $?",
};

/* RULE_VISIBLE as a set: the rule's managing or named account is the
 * caller's, or the caller owns its service. */
const struct listing joining_rules_listing = {
	.title = "Member joining rule",
	.filters = joining_rules_filters,
	.table = "member_joining_rules",
	.render = "member_joining_rules_render",
	.member_scope = "(t.managing_account = ANY ($?) OR t.consuming_account = ANY ($?)"
			" OR t.network_service = ANY (ARRAY(SELECT s.id FROM network_services s"
			" WHERE s.managing_account = ANY ($?) OR s.consuming_account = ANY ($?))))",
	.predicates = joining_rules_predicates,
	.sql = LISTING_SQL,
};

/* The accounts a rule's input names: the managing account must lie in the
 * caller's subtree (403); the named (consuming) account must be one the
 * caller may name (db_check_named_account: its own or a discoverable one;
 * any other, existing or not, is the same 400). `stored` is the account an
 * update's rule already names (NULL on a create): naming it again is no
 * change. */
static struct problem *check_accounts(PGconn *conn, const struct actor *actor, json_t *j_input, const char *stored)
{
	struct problem *p = NULL;
	const char *managing = json_string_value(json_object_get(j_input, "managing_account"));
	if (managing) {
		json_t *j_owner = json_pack("{s:s}", "managing_account", managing);
		char *text = json_dumps(j_owner, JSON_COMPACT);
		p = db_check_owner_accounts(conn, actor, text);
		free(text);
		json_decref(j_owner);
	}
	const char *consuming = json_string_value(json_object_get(j_input, "consuming_account"));
	if (!p && consuming && !(stored && strcmp(consuming, stored) == 0))
		p = db_check_named_account(conn, actor, "consuming_account", consuming);
	return p;
}

/* The service of a new rule: a p2mp_vc or mp2mp_vc the caller owns. One it
 * cannot see does not exist for it (400, as any unknown reference); one of
 * another type is a 400; one it sees but does not own, a 403. */
static struct problem *check_service(PGconn *conn, const struct actor *actor, const char *service)
{
	const char *params[3];
	actor_scope_params(actor, params);
	params[2] = service && util_is_id(service) ? service : NULL;
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"SELECT s.type, owner_in_scope(s.managing_account, s.consuming_account, $1::bigint, $2::boolean)"
		"       AS is_owner FROM network_services s"
		" WHERE s.id = $3::bigint AND network_service_visible(s, $1::bigint, $2::boolean)"
		" FOR SHARE",
		3, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0)
		p = problem_invalid("network_service", "Object does not exist.");
	else if (strcmp(db_get(res, 0, "type"), "p2mp_vc") != 0 && strcmp(db_get(res, 0, "type"), "mp2mp_vc") != 0)
		p = problem_invalid("network_service",
				    "Member joining rules apply to p2mp_vc and mp2mp_vc services only, not to %s.",
				    db_get(res, 0, "type"));
	else if (!db_get_bool(res, 0, "is_owner"))
		p = problem_new(PROBLEM_PERMISSION_DENIED, "network_service: service %s is not one you own.", service);
	PQclear(res);
	return p;
}

/* The service, then the accounts. */
static struct problem *create_check(PGconn *conn, struct db_write *w, struct db_update_input *in)
{
	(void)in;
	json_t *j = json_loads(w->input_json, 0, NULL);
	struct problem *p = check_service(conn, w->actor, json_string_value(json_object_get(j, "network_service")));
	if (!p)
		p = check_accounts(conn, w->actor, j, NULL);
	json_decref(j);
	return p;
}

#define RENDER_RULE "SELECT member_joining_rule_json(r)::text FROM member_joining_rules r WHERE r.id = $1::bigint"

const struct db_create joining_rule_create = {
	.title = "Member joining rule",
	.object_type = "member_joining_rule",
	.check = create_check,
	.insert_sql = "INSERT INTO member_joining_rules (type, network_service, managing_account,"
		      "                                  consuming_account, external_ref, capacity_min,"
		      "                                  capacity_max)"
		      " SELECT v->>'type', (v->>'network_service')::bigint, (v->>'managing_account')::bigint,"
		      "        (v->>'consuming_account')::bigint, v->>'external_ref',"
		      "        (v->>'capacity_min')::integer, (v->>'capacity_max')::integer"
		      "   FROM (SELECT $1::jsonb AS v) AS input"
		      " RETURNING id::text",
	.render_sql = RENDER_RULE,
};

/* The rule the actor sees, locked: its JSON text, then what the checks
 * read. */
#define LOCK_RULE                                                                                                      \
	"SELECT member_joining_rule_json(r)::text AS json, r.type, r.capacity_min, r.capacity_max,"                    \
	"       " RULE_WRITABLE " AS is_writable, r.consuming_account::text AS consuming_account"                      \
	"  FROM member_joining_rules r"                                                                                \
	" WHERE r.id = $3::bigint AND " RULE_VISIBLE " FOR UPDATE OF r"

/* The account a rule names sees it but may not change it: a 403. */
static struct problem *rule_guard(const struct db_write *w, const PGresult *old)
{
	if (db_get_bool(old, 0, "is_writable"))
		return NULL;
	return problem_new(PROBLEM_PERMISSION_DENIED,
			   "Member joining rule %s names your account; only the service's owners change it.", w->id);
}

/* A capacity after the update: the input's (null included) when it gives
 * one, else the stored one; -1 for none. */
static long long capacity_after(json_t *j_input, const char *key, const PGresult *old)
{
	json_t *j_cap = json_object_get(j_input, key);
	if (j_cap)
		return json_is_integer(j_cap) ? json_integer_value(j_cap) : -1;
	return db_get(old, 0, key) ? strtoll(db_get(old, 0, key), NULL, 10) : -1;
}

/* What an update may not do to the stored rule (its type and service are
 * the field table's: immutable): give a deny rule capacities, leave
 * capacity_min above capacity_max; then the accounts. */
static struct problem *update_check(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in)
{
	(void)in;
	json_t *j_input = json_loads(w->input_json, 0, NULL);
	struct problem *p = NULL;
	long long min = capacity_after(j_input, "capacity_min", old);
	long long max = capacity_after(j_input, "capacity_max", old);
	if (strcmp(db_get(old, 0, "type"), "deny") == 0) {
		static const char *const keys[] = {"capacity_min", "capacity_max"};
		for (size_t i = 0; i < 2; i++) {
			json_t *j_cap = json_object_get(j_input, keys[i]);
			if (!j_cap || json_is_null(j_cap))
				continue;
			if (!p)
				p = problem_new(PROBLEM_VALIDATION, "Some fields did not validate.");
			problem_add_property(p, keys[i], "A deny rule has no capacities.");
		}
	} else if (min >= 0 && max >= 0 && min > max)
		p = problem_invalid("capacity_min", "May not exceed capacity_max (%lld).", max);
	if (!p)
		p = check_accounts(conn, w->actor, j_input, db_get(old, 0, "consuming_account"));
	json_decref(j_input);
	return p;
}

static const char *const update_writes[] = {
	"UPDATE member_joining_rules r SET"
	"  managing_account = CASE WHEN v ? 'managing_account'"
	"                     THEN (v->>'managing_account')::bigint ELSE r.managing_account END,"
	"  consuming_account = CASE WHEN v ? 'consuming_account'"
	"                      THEN (v->>'consuming_account')::bigint ELSE r.consuming_account END,"
	"  external_ref = CASE WHEN v ? 'external_ref' THEN v->>'external_ref' ELSE r.external_ref END,"
	"  capacity_min = CASE WHEN v ? 'capacity_min' THEN (v->>'capacity_min')::integer"
	"                 ELSE r.capacity_min END,"
	"  capacity_max = CASE WHEN v ? 'capacity_max' THEN (v->>'capacity_max')::integer"
	"                 ELSE r.capacity_max END"
	" FROM (SELECT $2::jsonb AS v) AS input"
	" WHERE r.id = $1::bigint",
	NULL,
};

const struct db_update joining_rule_update = {
	.title = "Member joining rule",
	.object_type = "member_joining_rule",
	.lock_sql = LOCK_RULE,
	.guard = rule_guard,
	.check = update_check,
	.writes = update_writes,
	.render_sql = RENDER_RULE,
};

const struct db_delete joining_rule_delete = {
	.title = "Member joining rule",
	.object_type = "member_joining_rule",
	.lock_sql = LOCK_RULE,
	.guard = rule_guard,
	.delete_sql = "DELETE FROM member_joining_rules WHERE id = $1::bigint",
};
