/*
 * Network services, network features and change requests in PostgreSQL
 * (see network_services_db.h): listing descriptors, the decommission
 * description, and the write transactions.
 */
#include "services/network_services.h"
#include "services/network_services_db.h"

#include "core/states.h"
#include "core/util.h"
#include "db/owner.h"
#include "db/write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const service_types[] = {"exchange_lan", "p2p_vc", "p2mp_vc", "mp2mp_vc", "cloud_vc", NULL};

const struct filter_spec network_services_filters[] = {
	LISTING_OWNED_FILTERS,      {"type", FILTER_ENUM, service_types},
	{"pop", FILTER_TEXT, NULL}, {"product_offering", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,         {NULL, FILTER_TEXT, NULL},
};

/* In filter order. pop: the LAN's metro-area network has the PoP, or a
 * config on the service uses a connection handed over there. */
static const char *const network_services_predicates[] = {
	LISTING_OWNED_PREDICATES,
	"t.type = $?",
	"t.metro_area_network IN (SELECT p.metro_area_network FROM pops p WHERE p.id = id_or_null($?))"
	" OR t.id IN (SELECT c.network_service FROM network_service_configs c"
	"              JOIN connections k ON k.id = c.connection JOIN product_offerings o ON o.id = k.product_offering"
	"             WHERE o.handover_pop = id_or_null($?))",
	"t.product_offering = id_or_null($?)",
};

/* Who sees a service: network_services_visible() (migration 020) of the
 * caller's accounts, computed once per statement. */
const struct listing network_services_listing = {
	.title = "Network service",
	.filters = network_services_filters,
	.table = "network_services",
	.render = "network_services_render",
	.member_scope = "t.id = ANY (ARRAY(SELECT v FROM network_services_visible($?) v))",
	.predicates = network_services_predicates,
	.sql = LISTING_SQL,
};

static const char *const feature_types[] = {"route_server", NULL};
static const char *const booleans[] = {"true", "false", NULL};

const struct filter_spec network_features_filters[] = {
	{"id", FILTER_LIST, NULL},           {"type", FILTER_ENUM, feature_types},
	{"required", FILTER_ENUM, booleans}, {"network_service", FILTER_TEXT, NULL},
	{"name", FILTER_TEXT, NULL},         PAGINATION_FILTERS,
	{NULL, FILTER_TEXT, NULL},
};

/* In filter order. */
static const char *const network_features_predicates[] = {
	"t.id = ANY ($?::bigint[])",          "t.type = $?", "t.required = $?::boolean",
	"t.network_service = id_or_null($?)", "t.name = $?",
};

/* A feature is seen with its service. */
const struct listing network_features_listing = {
	.title = "Network feature",
	.filters = network_features_filters,
	.table = "network_features",
	.render = "network_features_render",
	.member_scope = "t.network_service = ANY (ARRAY(SELECT v FROM network_services_visible($?) v))",
	.predicates = network_features_predicates,
	.sql = LISTING_SQL,
};

static const char *const decommission_service_sql[] = {
	"SELECT network_service_decommission($1::bigint, $2::date, $3::date, $4::bigint, $5::bigint, $6)",
	NULL,
};

/* Members decommission their virtual circuits; the exchange_lan is the
 * operators'. */
const struct decommission_spec network_services_decommission = {
	"Network service",
	"network_service",
	"SELECT to_char(x.decommission_at, 'YYYY-MM-DD') AS decommission_at,"
	"       to_char(x.charged_until, 'YYYY-MM-DD') AS charged_until, s.state,"
	"       network_service_json(s)::text AS json,"
	"       owner_in_scope(s.managing_account, s.consuming_account, $1::bigint, $2::boolean)"
	"       AND (s.type <> 'exchange_lan' OR $2::boolean) AS may_write, NULL AS refusal"
	"  FROM network_services s LEFT JOIN product_offerings o ON o.id = s.product_offering,"
	"       cancellation_policy(coalesce(s.current_billing_start_date, s.created_at::date),"
	"                           coalesce($4::date, current_date), current_date, o) AS x"
	" WHERE s.id = $3::bigint AND network_service_visible(s, $1::bigint, $2::boolean)",
	" FOR UPDATE OF s",
	decommission_service_sql,
	"SELECT network_service_json(s)::text FROM network_services s WHERE s.id = $1::bigint",
};

/* The rules an order and a change share, on the merged object text; a
 * change runs the first only when it names the offering or capacity. */
static const struct db_rule reference_rules[] = {
	{"SELECT v->>'product_offering' IS NULL AND v->>'type' = 'exchange_lan'"
	 "    OR EXISTS (SELECT 1 FROM product_offerings o"
	 "                WHERE o.id::text = v->>'product_offering' AND o.type = v->>'type'"
	 "                  AND (o.orderable_not_before IS NULL OR o.orderable_not_before <= now())"
	 "                  AND (o.orderable_not_after IS NULL OR o.orderable_not_after > now()))"
	 "  FROM (SELECT $1::jsonb AS v) AS i",
	 "product_offering", "Must be the id of a product offering of the service's type that can be ordered now."},
	{"SELECT v->'capacity' IS NULL OR jsonb_typeof(v->'capacity') = 'null'"
	 "    OR NOT EXISTS (SELECT 1 FROM product_offerings o"
	 "                    WHERE o.id::text = v->>'product_offering'"
	 "                      AND ((v->>'capacity')::int < coalesce(o.bandwidth_min, 1)"
	 "                           OR (v->>'capacity')::int > coalesce(o.bandwidth_max, 2147483647)))"
	 "  FROM (SELECT $1::jsonb AS v) AS i",
	 "capacity", "Must lie between the product offering's bandwidth_min and bandwidth_max."},
	{"SELECT v->>'metro_area_network' IS NULL"
	 "    OR EXISTS (SELECT 1 FROM metro_area_networks n WHERE n.id::text = v->>'metro_area_network')"
	 "  FROM (SELECT $1::jsonb AS v) AS i",
	 "metro_area_network", "Must be the id of a metro area network."},
	{"SELECT v->>'billing_account' IS NULL OR v->>'type' = 'exchange_lan'"
	 "    OR EXISTS (SELECT 1 FROM accounts a WHERE a.id::text = v->>'billing_account'"
	 "                  AND a.billing_information IS NOT NULL)"
	 "  FROM (SELECT $1::jsonb AS v) AS i",
	 "billing_account", "An account requires billing_information to be used as a billing_account."},
	{"SELECT NOT (v ? 'nsc_required_contact_roles')"
	 "    OR (SELECT count(*) FROM jsonb_array_elements_text(v->'nsc_required_contact_roles') r"
	 "         WHERE NOT EXISTS (SELECT 1 FROM roles WHERE id::text = r)) = 0"
	 "  FROM (SELECT $1::jsonb AS v) AS i",
	 "nsc_required_contact_roles", "Every item must be the id of a role."},
	{NULL, NULL, NULL},
};

/* Type-specific required fields of a new service: a validation problem
 * listing all of them. */
static struct problem *check_required(json_t *j, bool is_operator)
{
	const char *type = json_string_value(json_object_get(j, "type"));
	static const char *const lan[] = {"name", "metro_area_network", "subnet_v4", "subnet_v6", NULL};
	static const char *const vc[] = {"product_offering", NULL};
	static const char *const p2p[] = {"product_offering", "joining_member_account", NULL};
	static const char *const mp[] = {"product_offering", "name", NULL};
	const char *const *need = strcmp(type, "exchange_lan") == 0 ? lan
				  : strcmp(type, "p2p_vc") == 0     ? p2p
				  : strcmp(type, "cloud_vc") == 0   ? vc
								    : mp;
	if (strcmp(type, "exchange_lan") == 0 && !is_operator)
		return problem_new(
			PROBLEM_PERMISSION_DENIED,
			"type: only the exchange's operators create exchange_lan network services; members join them with a config.");
	struct problem *p = NULL;
	for (size_t i = 0; need[i]; i++)
		if (!json_object_get(j, need[i]) || json_is_null(json_object_get(j, need[i]))) {
			if (!p)
				p = problem_invalid(need[i], "This field is required for a %s network service.", type);
			else
				problem_add_property(p, need[i], "This field is required.");
		}
	return p;
}

/* Who may order what type, and what each type needs. */
static struct problem *create_first(PGconn *conn, struct db_write *w, struct db_update_input *in)
{
	(void)conn;
	(void)in;
	json_t *j = json_loads(w->input_json, 0, NULL);
	struct problem *p = check_required(j, w->actor->is_operator);
	json_decref(j);
	return p;
}

/* The joining member of a p2p_vc: an account the caller may name. */
static struct problem *create_check(PGconn *conn, struct db_write *w, struct db_update_input *in)
{
	(void)in;
	json_t *j = json_loads(w->input_json, 0, NULL);
	struct problem *p = db_check_named_account(conn, w->actor, "joining_member_account",
						   json_string_value(json_object_get(j, "joining_member_account")));
	json_decref(j);
	return p;
}

static const char *const create_writes[] = {
	"INSERT INTO jobs (kind, payload)"
	" SELECT 'network_service.requested', jsonb_build_object('network_service', s.id::text, 'type', s.type)"
	"   FROM network_services s WHERE s.id = $1::bigint",
	NULL,
};

const struct db_create network_service_create = {
	.title = "Network service",
	.object_type = "network_service",
	.first = create_first,
	.check_owner = true,
	.check = create_check,
	.rules = reference_rules,
	.insert_sql =
		"INSERT INTO network_services (type, state, managing_account, consuming_account, billing_account,"
		"    external_ref, purchase_order, contract_ref, product_offering, name, display_name,"
		"    metro_area_network, peeringdb_ixid, ixfdb_ixid, subnet_v4, subnet_v6, max_macs_per_config,"
		"    max_prefix_ceiling_v4, max_prefix_ceiling_v6, nsc_required_contact_roles,"
		"    joining_member_account, capacity, public, cloud_key, diversity)"
		" SELECT v->>'type', coalesce(v->>'state', 'requested'), (v->>'managing_account')::bigint,"
		"        (v->>'consuming_account')::bigint,"
		"        CASE WHEN v->>'type' <> 'exchange_lan' THEN (v->>'billing_account')::bigint END,"
		"        v->>'external_ref', coalesce(v->>'purchase_order', ''), v->>'contract_ref',"
		"        (v->>'product_offering')::bigint, v->>'name', v->>'display_name',"
		"        (v->>'metro_area_network')::bigint, (v->>'peeringdb_ixid')::int, (v->>'ixfdb_ixid')::int,"
		"        (v->>'subnet_v4')::cidr, (v->>'subnet_v6')::cidr,"
		"        coalesce((v->>'max_macs_per_config')::int, 1),"
		"        coalesce((v->>'max_prefix_ceiling_v4')::int, 320000),"
		"        coalesce((v->>'max_prefix_ceiling_v6')::int, 80000),"
		"        ARRAY(SELECT r::bigint FROM jsonb_array_elements_text(coalesce(v->'nsc_required_contact_roles',"
		"                                                                       '[]')) AS r),"
		"        (v->>'joining_member_account')::bigint, (v->>'capacity')::int,"
		"        coalesce((v->>'public')::boolean, false), v->>'cloud_key', (v->>'diversity')::int"
		"   FROM (SELECT $1::jsonb AS v) AS i"
		" RETURNING id::text",
	.writes = create_writes,
	.render_sql = "SELECT network_service_json(s)::text FROM network_services s WHERE s.id = $1::bigint",
};

/* $1 viewer, $2 is_operator, $3 id, $4 a patch: the service the caller
 * sees, locked: its JSON, the patch over its fundamentals, its type,
 * whether the caller may change it, its state, its joining member. */
static const char lock_sql[] =
	"SELECT network_service_json(s)::text AS json,"
	"       (jsonb_build_object('type', s.type, 'product_offering', s.product_offering::text,"
	"            'capacity', s.capacity, 'billing_account', s.billing_account::text) || $4::jsonb)::text AS merged,"
	"       s.type, owner_in_scope(s.managing_account, s.consuming_account, $1::bigint, $2::boolean)"
	"                AND (s.type <> 'exchange_lan' OR $2::boolean) AS may_write,"
	"       s.state, s.joining_member_account::text"
	"  FROM network_services s WHERE s.id = $3::bigint AND network_service_visible(s, $1::bigint, $2::boolean)"
	" FOR UPDATE OF s";

/* The service row locked for a write: (JSON, merged object text, type,
 * may_write, state, joining member account); a 404 when invisible, a 403 when only visible. */
static struct problem *lock_owned(PGconn *conn, const struct actor *actor, const char *id, const char *patch_json,
				  PGresult **res)
{
	*res = NULL;
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "Network service %.40s was not found.", id);
	const char *params[4];
	actor_scope_params(actor, params);
	params[2] = id;
	params[3] = patch_json ? patch_json : "{}";
	struct problem *p = db_exec(conn, lock_sql, 4, params, res);
	if (!p && PQntuples(*res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "Network service %s was not found.", id);
	else if (!p && !db_get_bool(*res, 0, "may_write"))
		p = problem_new(PROBLEM_PERMISSION_DENIED, "Network service %s is not yours to change.", id);
	if (p) {
		PQclear(*res);
		*res = NULL;
	}
	return p;
}

/* Members change what they own; the exchange_lan is the operators'. */
static struct problem *update_guard(const struct db_write *w, const PGresult *old)
{
	if (!db_get_bool(old, 0, "may_write"))
		return problem_new(PROBLEM_PERMISSION_DENIED, "Network service %s is not yours to change.", w->id);
	return NULL;
}

/* The service's rules for a change, on the locked row (the field table
 * keeps the type and the operators' settings; flag: an operator completes
 * a pending change, which the writes apply). */
static struct problem *update_check(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in)
{
	json_t *j = json_loads(w->input_json, 0, NULL);
	const char *type = db_get(old, 0, "type");
	bool is_operator = w->actor->is_operator;
	bool changes_offer = json_object_get(j, "product_offering") || json_object_get(j, "capacity");
	in->flag = is_operator && json_object_get(j, "state") &&
		   strcmp(json_string_value(json_object_get(j, "state")), "production") == 0 &&
		   strcmp(db_get(old, 0, "state"), "production_change_pending") == 0;
	/* naming the joining member it has is no change */
	const char *joining = json_string_value(json_object_get(j, "joining_member_account"));
	if (joining && db_get(old, 0, "joining_member_account") &&
	    strcmp(joining, db_get(old, 0, "joining_member_account")) == 0)
		joining = NULL;
	struct problem *p = NULL;
	if (changes_offer && strcmp(type, "p2p_vc") == 0 && !is_operator)
		p = problem_invalid(
			"capacity",
			"Change a p2p_vc's capacity or product offering with a change request (POST /network-services/%s/change-request).",
			w->id);
	if (!p)
		p = db_check_owner_accounts(conn, w->actor, w->input_json);
	if (!p)
		p = db_check_named_account(conn, w->actor, "joining_member_account", joining);
	json_decref(j);
	if (!p)
		p = db_rules_run(conn, w->actor, changes_offer ? reference_rules : reference_rules + 1,
				 db_get(old, 0, "merged"));
	return p;
}

static const char *const update_writes[] = {
	"UPDATE network_services s SET"
	"  managing_account = coalesce((v->>'managing_account')::bigint, s.managing_account),"
	"  consuming_account = coalesce((v->>'consuming_account')::bigint, s.consuming_account),"
	"  billing_account = CASE WHEN s.type = 'exchange_lan' THEN NULL"
	"                         ELSE coalesce((v->>'billing_account')::bigint, s.billing_account) END,"
	"  external_ref = CASE WHEN v ? 'external_ref' THEN v->>'external_ref' ELSE s.external_ref END,"
	"  purchase_order = coalesce(v->>'purchase_order', s.purchase_order),"
	"  contract_ref = CASE WHEN v ? 'contract_ref' THEN v->>'contract_ref' ELSE s.contract_ref END,"
	"  product_offering = coalesce((v->>'product_offering')::bigint, s.product_offering),"
	"  name = coalesce(v->>'name', s.name),"
	"  display_name = CASE WHEN v ? 'display_name' THEN v->>'display_name' ELSE s.display_name END,"
	"  metro_area_network = coalesce((v->>'metro_area_network')::bigint, s.metro_area_network),"
	"  peeringdb_ixid = CASE WHEN v ? 'peeringdb_ixid' THEN (v->>'peeringdb_ixid')::int ELSE s.peeringdb_ixid END,"
	"  ixfdb_ixid = CASE WHEN v ? 'ixfdb_ixid' THEN (v->>'ixfdb_ixid')::int ELSE s.ixfdb_ixid END,"
	"  subnet_v4 = coalesce((v->>'subnet_v4')::cidr, s.subnet_v4),"
	"  subnet_v6 = coalesce((v->>'subnet_v6')::cidr, s.subnet_v6),"
	"  max_macs_per_config = coalesce((v->>'max_macs_per_config')::int, s.max_macs_per_config),"
	"  max_prefix_ceiling_v4 = coalesce((v->>'max_prefix_ceiling_v4')::int, s.max_prefix_ceiling_v4),"
	"  max_prefix_ceiling_v6 = coalesce((v->>'max_prefix_ceiling_v6')::int, s.max_prefix_ceiling_v6),"
	"  nsc_required_contact_roles = CASE WHEN v ? 'nsc_required_contact_roles'"
	"      THEN ARRAY(SELECT r::bigint FROM jsonb_array_elements_text(v->'nsc_required_contact_roles') r)"
	"      ELSE s.nsc_required_contact_roles END,"
	"  joining_member_account = coalesce((v->>'joining_member_account')::bigint, s.joining_member_account),"
	"  capacity = CASE WHEN v ? 'capacity' THEN (v->>'capacity')::int ELSE s.capacity END,"
	"  public = coalesce((v->>'public')::boolean, s.public),"
	"  cloud_key = CASE WHEN v ? 'cloud_key' THEN v->>'cloud_key' ELSE s.cloud_key END,"
	"  diversity = CASE WHEN v ? 'diversity' THEN (v->>'diversity')::int ELSE s.diversity END,"
	"  state = coalesce(v->>'state', s.state),"
	"  updated_at = now()"
	" FROM (SELECT $2::jsonb AS v) AS input"
	" WHERE s.id = $1::bigint",
	/* an operator completing a pending change applies it */
	"WITH r AS (DELETE FROM network_service_change_requests WHERE network_service = $1::bigint"
	"           AND $3::boolean AND $2::jsonb ? 'state'"
	"           RETURNING product_offering, capacity)"
	" UPDATE network_services s SET product_offering = r.product_offering, capacity = r.capacity"
	"   FROM r WHERE s.id = $1::bigint",
	"INSERT INTO jobs (kind, payload)"
	" VALUES ('network_service.changed', jsonb_build_object('network_service', $1::text, 'changes', $2::jsonb))",
	NULL,
};

const struct db_update network_service_update = {
	.title = "Network service",
	.object_type = "network_service",
	.lock_sql = lock_sql,
	.guard = update_guard,
	.check = update_check,
	.writes = update_writes,
	.render_sql = "SELECT network_service_json(s)::text FROM network_services s WHERE s.id = $1::bigint",
};

struct change_ctx {
	struct db_write w;
	bool destroy;
};

static const char change_json_sql[] =
	"SELECT jsonb_build_object('product_offering', r.product_offering::text, 'capacity', r.capacity)::text"
	"       AS json, r.previous_state"
	"  FROM network_service_change_requests r WHERE r.network_service = $1::bigint";

static struct problem *change_tx(PGconn *conn, void *arg)
{
	struct change_ctx *c = arg;
	struct db_write *w = &c->w;
	PGresult *svc = NULL, *old = NULL, *res = NULL;
	struct problem *p = lock_owned(conn, w->actor, w->id, NULL, &svc);
	if (p)
		return p;
	const char *id[] = {w->id};
	if (strcmp(db_get(svc, 0, "type"), "p2p_vc") != 0) {
		p = problem_invalid("network_service", "Only a p2p_vc takes change requests.");
		goto out;
	}
	p = db_exec(conn, change_json_sql, 1, id, &old);
	if (p)
		goto out;
	bool exists = PQntuples(old) == 1;
	if (!w->input_json) { /* read or withdraw */
		if (!exists) {
			p = problem_new(PROBLEM_NOT_FOUND, "Network service %s has no change request.", w->id);
			goto out;
		}
		if (!c->destroy) {
			w->json_out = xstrdup(db_get(old, 0, "json"));
			goto out;
		}
		const char *params[] = {w->id, db_get(old, 0, "previous_state")};
		p = db_exec(conn, "DELETE FROM network_service_change_requests WHERE network_service = $1::bigint", 1,
			    params, NULL);
		if (!p)
			p = db_exec(conn,
				    "UPDATE network_services SET state = $2, updated_at = now() WHERE id = $1::bigint",
				    2, params, NULL);
		if (!p)
			p = db_write_record(conn, w, "delete", "network_service_change_request", w->id,
					    db_get(old, 0, "json"), NULL);
		goto out;
	}
	if (exists) {
		p = problem_invalid("network_service",
				    "Network service %s has a pending change request: withdraw it first.", w->id);
		goto out;
	}
	if (strcmp(db_get(svc, 0, "state"), "production") != 0) {
		p = problem_invalid("network_service", "Only a service in production can change (it is %s).",
				    db_get(svc, 0, "state"));
		goto out;
	}
	/* The offering may differ in bandwidth only: same type, in range. */
	const char *params[] = {w->id, w->input_json};
	p = db_expect_true(
		conn,
		"SELECT EXISTS (SELECT 1 FROM product_offerings o WHERE o.id::text = $2::jsonb->>'product_offering'"
		"                  AND o.type = 'p2p_vc' AND $1::bigint > 0"
		"                  AND (o.orderable_not_after IS NULL OR o.orderable_not_after > now()))",
		2, params, "product_offering", "Must be the id of a p2p_vc product offering that can be ordered now.");
	if (!p)
		p = db_expect_true(
			conn,
			"SELECT $2::jsonb->>'capacity' IS NULL OR (SELECT ($2::jsonb->>'capacity')::int"
			"       BETWEEN coalesce(o.bandwidth_min, 1) AND coalesce(o.bandwidth_max, 2147483647)"
			"  FROM product_offerings o WHERE o.id::text = $2::jsonb->>'product_offering'"
			"   AND $1::bigint > 0)",
			2, params, "capacity",
			"Must lie between the product offering's bandwidth_min and bandwidth_max.");
	if (!p)
		p = db_exec(
			conn,
			"INSERT INTO network_service_change_requests (network_service, product_offering, capacity,"
			"                                             previous_state)"
			" SELECT $1::bigint, ($2::jsonb->>'product_offering')::bigint, ($2::jsonb->>'capacity')::int,"
			"        s.state FROM network_services s WHERE s.id = $1::bigint",
			2, params, NULL);
	if (!p)
		p = db_exec(conn,
			    "UPDATE network_services SET state = 'production_change_pending', updated_at = now()"
			    " WHERE id = $1::bigint",
			    1, params, NULL);
	if (!p)
		p = db_exec(conn,
			    "INSERT INTO jobs (kind, payload)"
			    " VALUES ('network_service.change_requested',"
			    "         jsonb_build_object('network_service', $1::text, 'change', $2::jsonb))",
			    2, params, NULL);
	if (!p)
		p = db_exec(conn, change_json_sql, 1, id, &res);
	if (!p)
		p = db_write_record(conn, w, "create", "network_service_change_request", w->id, NULL,
				    db_get(res, 0, "json"));
out:
	PQclear(svc);
	PQclear(old);
	PQclear(res);
	return p;
}

struct problem *network_services_db_change_request(struct db_pool *pool, const struct actor *actor, const char *id,
						   const char *request_json, bool destroy, char **json_out)
{
	struct change_ctx c = {.w = {.actor = actor, .id = id, .input_json = request_json}, .destroy = destroy};
	return db_write_run(pool, change_tx, &c.w, json_out);
}
