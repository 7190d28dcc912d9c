/*
 * Network feature configs in PostgreSQL (see feature_configs_db.h): the
 * listing, the decommission description, and the create/update
 * transactions.
 */
#include "services/feature_configs.h"
#include "services/feature_configs_db.h"

#include "core/states.h"
#include "core/util.h"
#include "db/owner.h"
#include "db/write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const feature_types[] = {"route_server", NULL};

const struct filter_spec feature_configs_filters[] = {
	LISTING_OWNED_FILTERS,
	{"type", FILTER_ENUM, feature_types},
	{"service_config", FILTER_TEXT, NULL},
	{"network_service_config", FILTER_TEXT, NULL},
	{"network_feature", FILTER_TEXT, NULL},
	{"role_assignments", FILTER_LIST, NULL},
	{"contacts", FILTER_LIST, NULL},
	PAGINATION_FILTERS,
	{NULL, FILTER_TEXT, NULL},
};

/* In filter order; service_config is network_service_config's older name. */
static const char *const feature_configs_predicates[] = {
	LISTING_OWNED_PREDICATES,
	"t.type = $?",
	"t.network_service_config = id_or_null($?)",
	"t.network_service_config = id_or_null($?)",
	"t.network_feature = id_or_null($?)",
	"EXISTS (SELECT 1 FROM network_feature_config_role_assignments r"
	" WHERE r.network_feature_config = t.id AND r.role_assignment = ANY ($?::bigint[]))",
	"EXISTS (SELECT 1 FROM network_feature_config_role_assignments r JOIN role_assignments a"
	" ON a.id = r.role_assignment WHERE r.network_feature_config = t.id AND a.contact = ANY ($?::bigint[]))",
};

const struct listing feature_configs_listing = {
	.title = "Network feature config",
	.filters = feature_configs_filters,
	.table = "network_feature_configs",
	.render = "network_feature_configs_render",
	.member_scope = LISTING_OWNER_SCOPE,
	.predicates = feature_configs_predicates,
	.sql = LISTING_SQL,
};

static const char *const decommission_feature_config_sql[] = {
	"SELECT nfc_decommission($1::bigint, $2::date, $3::date, $4::bigint, $5::bigint, $6, false)",
	NULL,
};

/* Decommissioning a session does not cascade up to its service config. */
const struct decommission_spec feature_configs_decommission = {
	"Network feature config",
	"network_feature_config",
	"SELECT to_char(x.decommission_at, 'YYYY-MM-DD') AS decommission_at,"
	"       to_char(x.charged_until, 'YYYY-MM-DD') AS charged_until, f.state,"
	"       network_feature_config_json(f)::text AS json, true AS may_write, NULL AS refusal"
	"  FROM network_feature_configs f LEFT JOIN product_offerings o ON false,"
	"       cancellation_policy(coalesce(f.current_billing_start_date, f.created_at::date),"
	"                           coalesce($4::date, current_date), current_date, o) AS x"
	" WHERE f.id = $3::bigint AND owner_in_scope(f.managing_account, f.consuming_account, $1::bigint, $2::boolean)",
	" FOR UPDATE OF f",
	decommission_feature_config_sql,
	"SELECT network_feature_config_json(f)::text FROM network_feature_configs f WHERE f.id = $1::bigint",
};

static bool is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Every rule of a session on the merged object text ($3); $4 the session
 * itself on an update (NULL on a create). One statement answers each
 * question; the first failing one names its property. */
static struct problem *check_rules(PGconn *conn, const struct actor *actor, const char *merged, const char *exclude)
{
	const char *params[4];
	actor_scope_params(actor, params);
	params[2] = merged;
	params[3] = exclude;
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"WITH i AS (SELECT $3::jsonb AS v)"
		" SELECT c.id IS NOT NULL AS has_config, nsc_is_live(c.state) AS config_live, f.id IS NOT NULL AS has_feature,"
		"        (v->>'asn')::bigint = ANY (c.asns) AS asn_ok, array_to_string(c.asns, ', ') AS config_asns,"
		"        ip.id IS NOT NULL AS has_ip,"
		"        coalesce(v->>'session_mode', f.session_mode) = f.session_mode AS mode_ok, f.session_mode,"
		"        coalesce(v->>'bgp_session_type', 'passive') = ANY (f.available_bgp_session_types) AS type_ok,"
		"        array_to_string(f.available_bgp_session_types, ', ') AS session_types,"
		"        (SELECT string_agg(x->>'name', ', ') FROM jsonb_array_elements(coalesce(v->'flags', '[]')) x"
		"          WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(f.flags) y WHERE y->>'name' = x->>'name'))"
		"        AS unknown_flags,"
		"        (SELECT string_agg(y->>'name', ', ') FROM jsonb_array_elements(f.flags) y"
		"          WHERE coalesce((y->>'mandatory')::boolean, false)"
		"            AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(v->'flags', '[]')) x"
		"                             WHERE x->>'name' = y->>'name' AND (x->>'enabled')::boolean)) AS missing_flags,"
		"        coalesce((v->>'max_prefix_v4')::int, 0) <= s.max_prefix_ceiling_v4 AS v4_ok, s.max_prefix_ceiling_v4,"
		"        coalesce((v->>'max_prefix_v6')::int, 0) <= s.max_prefix_ceiling_v6 AS v6_ok, s.max_prefix_ceiling_v6,"
		"        role_assignments_problem(v->'role_assignments', v->>'managing_account', v->>'consuming_account',"
		"                                 f.nfc_required_contact_roles, $1::bigint, $2::boolean) AS roles_problem,"
		"        (SELECT n.id::text FROM network_feature_configs n"
		"          WHERE n.network_feature = f.id AND n.network_service_config = c.id AND n.ip = ip.id"
		"            AND nsc_is_live(n.state) AND n.id IS DISTINCT FROM $4::bigint LIMIT 1) AS duplicate,"
		"        ip.version = 4 AND f.ip_v4 IS NOT NULL OR ip.version = 6 AND f.ip_v6 IS NOT NULL AS family_ok"
		"   FROM i"
		"   LEFT JOIN network_service_configs c ON c.id::text = v->>'network_service_config'"
		"        AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
		"   LEFT JOIN network_services s ON s.id = c.network_service"
		"   LEFT JOIN network_features f ON f.id::text = v->>'network_feature' AND f.network_service = s.id"
		"   LEFT JOIN ips ip ON ip.id::text = v->>'ip' AND ip.network_service_config = c.id",
		4, params, &res);
	if (p)
		return p;
	if (!db_get_bool(res, 0, "has_config"))
		p = problem_invalid("network_service_config", "Must be the id of one of your network service configs.");
	else if (!db_get_bool(res, 0, "config_live"))
		p = problem_invalid("network_service_config", "The network service config is being decommissioned.");
	else if (!db_get_bool(res, 0, "has_feature"))
		p = problem_invalid("network_feature", "Must be a network feature of the config's network service.");
	else if (!db_get_bool(res, 0, "asn_ok"))
		p = problem_invalid("asn", "Must be one of the network service config's ASNs (%s).",
				    db_get(res, 0, "config_asns"));
	else if (!db_get_bool(res, 0, "has_ip"))
		p = problem_invalid("ip", "Must be the id of one of the network service config's IP addresses.");
	else if (!db_get_bool(res, 0, "family_ok"))
		p = problem_invalid("ip", "The route server has no session for this address family.");
	else if (!db_get_bool(res, 0, "mode_ok"))
		p = problem_invalid("session_mode", "The route server's session mode is %s.",
				    db_get(res, 0, "session_mode"));
	else if (!db_get_bool(res, 0, "type_ok"))
		p = problem_invalid(
			"bgp_session_type",
			"The route server takes %s sessions only: it never opens a session, your router connects to it.",
			db_get(res, 0, "session_types"));
	else if (db_get(res, 0, "unknown_flags"))
		p = problem_invalid("flags", "The route server offers no flag named %s.",
				    db_get(res, 0, "unknown_flags"));
	else if (db_get(res, 0, "missing_flags"))
		p = problem_invalid("flags", "These flags are mandatory and must be enabled: %s.",
				    db_get(res, 0, "missing_flags"));
	else if (!db_get_bool(res, 0, "v4_ok"))
		p = problem_invalid("max_prefix_v4", "The exchange allows at most %s.",
				    db_get(res, 0, "max_prefix_ceiling_v4"));
	else if (!db_get_bool(res, 0, "v6_ok"))
		p = problem_invalid("max_prefix_v6", "The exchange allows at most %s.",
				    db_get(res, 0, "max_prefix_ceiling_v6"));
	else if (db_get(res, 0, "roles_problem"))
		p = problem_invalid("role_assignments", "%s", db_get(res, 0, "roles_problem"));
	else if (db_get(res, 0, "duplicate"))
		p = problem_invalid("ip", "Network feature config %s already has this session.",
				    db_get(res, 0, "duplicate"));
	PQclear(res);
	return p;
}

static const char set_roles_sql[] =
	"INSERT INTO network_feature_config_role_assignments (network_feature_config, role_assignment)"
	" SELECT DISTINCT $1::bigint, a::bigint"
	"   FROM jsonb_array_elements_text(coalesce($2::jsonb->'role_assignments', '[]')) AS a";
static const char read_sql[] =
	"SELECT network_feature_config_json(f)::text FROM network_feature_configs f WHERE f.id = $1::bigint";
static const char job_sql[] = "INSERT INTO jobs (kind, payload)"
			      " SELECT 'route_server.session', nfc_route_server_job(f, 'configure')"
			      "   FROM network_feature_configs f WHERE f.id = $1::bigint";

/* The route server's rules on the new session. */
static struct problem *create_check(PGconn *conn, struct db_write *w, struct db_update_input *in)
{
	(void)in;
	return check_rules(conn, w->actor, w->input_json, NULL);
}

static const char *const create_writes[] = {set_roles_sql, job_sql, NULL};

const struct db_create feature_config_create = {
	.title = "Network feature config",
	.object_type = "network_feature_config",
	.check_owner = true,
	.check = create_check,
	.insert_sql =
		"INSERT INTO network_feature_configs (network_feature, network_service_config,"
		"    managing_account, consuming_account, billing_account, external_ref, purchase_order,"
		"    contract_ref, asn, as_set_v4, as_set_v6, max_prefix_v4, max_prefix_v6, insert_ixp_asn,"
		"    session_mode, bgp_session_type, password, ip, flags)"
		" SELECT (v->>'network_feature')::bigint, (v->>'network_service_config')::bigint,"
		"        (v->>'managing_account')::bigint, (v->>'consuming_account')::bigint,"
		"        (v->>'billing_account')::bigint, v->>'external_ref', coalesce(v->>'purchase_order', ''),"
		"        v->>'contract_ref', (v->>'asn')::bigint, v->>'as_set_v4', v->>'as_set_v6',"
		"        (v->>'max_prefix_v4')::int, (v->>'max_prefix_v6')::int,"
		"        coalesce((v->>'insert_ixp_asn')::boolean, true),"
		"        coalesce(v->>'session_mode', f.session_mode), coalesce(v->>'bgp_session_type', 'passive'),"
		"        coalesce(v->>'password', ''), (v->>'ip')::bigint, v->'flags'"
		"   FROM (SELECT $1::jsonb AS v) AS i JOIN network_features f ON f.id::text = v->>'network_feature'"
		" RETURNING id::text",
	.writes = create_writes,
	.render_sql = read_sql,
};

/* The session's rules for a change, on the locked row (the field table
 * keeps its feature and config, and the state the operators'): what is
 * on its way out is the operators' to change; the accounts; the route
 * server's rules on the merged session. */
static struct problem *update_check(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in)
{
	(void)in;
	const char *state = db_get(old, 0, "state");
	struct problem *p = NULL;
	if ((is(state, "decommission_requested") || is(state, "decommissioned") || is(state, "archived")) &&
	    !w->actor->is_operator)
		p = problem_new(PROBLEM_UNABLE_TO_FULFILL, "Network feature config %s is %s.", w->id, state);
	if (!p)
		p = db_check_owner_accounts(conn, w->actor, w->input_json);
	if (!p)
		p = check_rules(conn, w->actor, db_get(old, 0, "merged"), w->id);
	return p;
}

static const char *const update_writes[] = {
	"UPDATE network_feature_configs f SET"
	"  managing_account = coalesce((v->>'managing_account')::bigint, f.managing_account),"
	"  consuming_account = coalesce((v->>'consuming_account')::bigint, f.consuming_account),"
	"  billing_account = coalesce((v->>'billing_account')::bigint, f.billing_account),"
	"  external_ref = CASE WHEN v ? 'external_ref' THEN v->>'external_ref' ELSE f.external_ref END,"
	"  purchase_order = coalesce(v->>'purchase_order', f.purchase_order),"
	"  contract_ref = CASE WHEN v ? 'contract_ref' THEN v->>'contract_ref' ELSE f.contract_ref END,"
	"  asn = coalesce((v->>'asn')::bigint, f.asn),"
	"  as_set_v4 = CASE WHEN v ? 'as_set_v4' THEN v->>'as_set_v4' ELSE f.as_set_v4 END,"
	"  as_set_v6 = CASE WHEN v ? 'as_set_v6' THEN v->>'as_set_v6' ELSE f.as_set_v6 END,"
	"  max_prefix_v4 = CASE WHEN v ? 'max_prefix_v4' THEN (v->>'max_prefix_v4')::int ELSE f.max_prefix_v4 END,"
	"  max_prefix_v6 = CASE WHEN v ? 'max_prefix_v6' THEN (v->>'max_prefix_v6')::int ELSE f.max_prefix_v6 END,"
	"  insert_ixp_asn = coalesce((v->>'insert_ixp_asn')::boolean, f.insert_ixp_asn),"
	"  session_mode = coalesce(v->>'session_mode', f.session_mode),"
	"  bgp_session_type = coalesce(v->>'bgp_session_type', f.bgp_session_type),"
	"  password = coalesce(v->>'password', f.password),"
	"  ip = coalesce((v->>'ip')::bigint, f.ip),"
	"  flags = coalesce(v->'flags', f.flags),"
	"  state = coalesce(v->>'state', f.state),"
	"  updated_at = now()"
	" FROM (SELECT $2::jsonb AS v) AS input"
	" WHERE f.id = $1::bigint",
	/* role assignments: replaced when the patch names them */
	"DELETE FROM network_feature_config_role_assignments"
	" WHERE network_feature_config = $1::bigint AND $2::jsonb ? 'role_assignments'",
	set_roles_sql,
	/* a new password answers migration 031's entry (an unusable one removed) */
	"DELETE FROM status_entries WHERE object_type = 'network_feature_config' AND object_id = $1::bigint"
	" AND tag = 'password' AND $2::jsonb ? 'password'",
	job_sql,
	NULL,
};

/* The session as it is: its JSON, the patch laid over it (what the rules
 * read), its state; locked. */
const struct db_update feature_config_update = {
	.title = "Network feature config",
	.object_type = "network_feature_config",
	.lock_sql =
		"SELECT network_feature_config_json(f)::text AS json,"
		"       ((network_feature_config_json(f) - 'id' - 'state' - 'status' - 'password') || $4::jsonb)::text"
		"       AS merged,"
		"       f.state"
		"  FROM network_feature_configs f"
		" WHERE f.id = $3::bigint AND owner_in_scope(f.managing_account, f.consuming_account, $1::bigint, $2::boolean)"
		" FOR UPDATE",
	.check = update_check,
	.writes = update_writes,
	.render_sql = read_sql,
};
