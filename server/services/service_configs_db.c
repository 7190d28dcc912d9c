/*
 * Network service configs in PostgreSQL (see service_configs_db.h): the
 * listing, the decommission description, and the create/update
 * transactions with the exchange's rules.
 */
#include "services/service_configs.h"
#include "services/service_configs_db.h"

#include "core/states.h"
#include "core/util.h"
#include "db/owner.h"
#include "db/write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const config_types[] = {"exchange_lan", "p2p_vc", "p2mp_vc", "mp2mp_vc", "cloud_vc", NULL};

const struct filter_spec service_configs_filters[] = {
	LISTING_OWNED_FILTERS,
	{"type", FILTER_ENUM, config_types},
	{"inner_vlan", FILTER_INT, NULL},
	{"outer_vlan", FILTER_INT, NULL},
	{"capacity", FILTER_INT, NULL},
	{"network_service", FILTER_TEXT, NULL},
	{"connection", FILTER_TEXT, NULL},
	{"product_offering", FILTER_TEXT, NULL},
	{"role_assignments", FILTER_LIST, NULL},
	{"contacts", FILTER_LIST, NULL},
	PAGINATION_FILTERS,
	{NULL, FILTER_TEXT, NULL},
};

/* In filter order; outer_vlan matches a qinq outer tag or a dot1q tag (its
 * only tag). */
static const char *const service_configs_predicates[] = {
	LISTING_OWNED_PREDICATES,
	"t.type = $?",
	"t.inner_vlan = $?::int",
	"t.outer_vlan = $?::int OR t.vlan = $?::int",
	"t.capacity = $?::int",
	"t.network_service = id_or_null($?)",
	"t.connection = id_or_null($?)",
	"coalesce(t.product_offering, (SELECT s.product_offering FROM network_services s"
	" WHERE s.id = t.network_service)) = id_or_null($?)",
	"EXISTS (SELECT 1 FROM network_service_config_role_assignments r"
	" WHERE r.network_service_config = t.id AND r.role_assignment = ANY ($?::bigint[]))",
	"EXISTS (SELECT 1 FROM network_service_config_role_assignments r JOIN role_assignments a"
	" ON a.id = r.role_assignment WHERE r.network_service_config = t.id AND a.contact = ANY ($?::bigint[]))",
};

const struct listing service_configs_listing = {
	.title = "Network service config",
	.filters = service_configs_filters,
	.table = "network_service_configs",
	.render = "network_service_configs_render",
	.member_scope = LISTING_OWNER_SCOPE,
	.predicates = service_configs_predicates,
	.rendered = "rendered",
	.has_owner_indexes = true,
	.owner_counts = "network_service_config_counts",
	.sql = LISTING_SQL,
};

static const char *const decommission_config_sql[] = {
	"SELECT nsc_decommission($1::bigint, $2::date, $3::date, $4::bigint, $5::bigint, $6, false)",
	NULL,
};

const struct decommission_spec service_configs_decommission = {
	"Network service config",
	"network_service_config",
	"SELECT to_char(x.decommission_at, 'YYYY-MM-DD') AS decommission_at,"
	"       to_char(x.charged_until, 'YYYY-MM-DD') AS charged_until, c.state,"
	"       network_service_config_json(c)::text AS json, true AS may_write, NULL AS refusal"
	"  FROM network_service_configs c JOIN network_services s ON s.id = c.network_service"
	"       LEFT JOIN product_offerings o ON o.id = coalesce(c.product_offering, s.product_offering),"
	"       cancellation_policy(coalesce(c.current_billing_start_date, c.created_at::date),"
	"                           coalesce($4::date, current_date), current_date, o) AS x"
	" WHERE c.id = $3::bigint AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)",
	" FOR UPDATE OF c",
	decommission_config_sql,
	"SELECT network_service_config_json(c)::text FROM network_service_configs c WHERE c.id = $1::bigint",
};

static bool is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool on_its_way_out(const char *state)
{
	return is(state, "decommission_requested") || is(state, "decommissioned") || is(state, "archived");
}

/* The network service a config joins, locked: its type, state, whether the
 * caller owns it, whether it is public, the joining rule for the config's
 * consuming account, and who may join a p2p_vc. A joining rule and the
 * type decide who may join. */
static struct problem *check_service(PGconn *conn, const struct actor *actor, const char *merged, bool joins)
{
	const char *params[3];
	actor_scope_params(actor, params);
	params[2] = merged;
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"SELECT s.type, s.state, owner_in_scope(s.managing_account, s.consuming_account, $1::bigint, $2::boolean)"
		"       AS owns, s.public, r.type AS rule, r.capacity_min, r.capacity_max,"
		"       v->>'consuming_account' IN (s.consuming_account::text, s.joining_member_account::text) AS joins_p2p,"
		"       v->>'type' AS given_type, v->>'capacity' AS capacity"
		"  FROM (SELECT $3::jsonb AS v) AS i"
		"  JOIN network_services s ON s.id::text = v->>'network_service'"
		"  LEFT JOIN member_joining_rules r ON r.network_service = s.id"
		"        AND r.consuming_account::text = v->>'consuming_account'"
		" WHERE network_service_visible(s, $1::bigint, $2::boolean)"
		" FOR UPDATE OF s",
		3, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0) {
		p = problem_invalid("network_service", "Must be the id of a network service you can see.");
		goto out;
	}
	const char *type = db_get(res, 0, "type");
	bool owns = db_get_bool(res, 0, "owns") || actor->is_operator;
	const char *rule = db_get(res, 0, "rule");
	if (!is(type, db_get(res, 0, "given_type")))
		p = problem_invalid("type", "Must be the type of the network service (%s).", type);
	else if (on_its_way_out(db_get(res, 0, "state")))
		p = problem_invalid("network_service", "The network service is %s.", db_get(res, 0, "state"));
	else if (!joins || owns || is(type, "exchange_lan"))
		goto out;
	else if (is(type, "p2p_vc") && !db_get_bool(res, 0, "joins_p2p"))
		p = problem_new(PROBLEM_PERMISSION_DENIED,
				"network_service: only the service's own and joining member accounts join a p2p_vc.");
	else if (is(type, "cloud_vc"))
		p = problem_new(PROBLEM_PERMISSION_DENIED, "network_service: a cloud_vc is joined by its owner only.");
	else if ((is(type, "p2mp_vc") || is(type, "mp2mp_vc")) && is(rule, "deny"))
		p = problem_new(PROBLEM_PERMISSION_DENIED,
				"network_service: a member joining rule of the service denies this account.");
	else if ((is(type, "p2mp_vc") || is(type, "mp2mp_vc")) && !rule && !db_get_bool(res, 0, "public"))
		p = problem_new(PROBLEM_PERMISSION_DENIED,
				"network_service: no member joining rule of the service allows this account.");
	else if (is(rule, "allow") && (db_get(res, 0, "capacity_min") || db_get(res, 0, "capacity_max"))) {
		const char *given = db_get(res, 0, "capacity");
		const char *min = db_get(res, 0, "capacity_min"), *max = db_get(res, 0, "capacity_max");
		long long capacity = given ? atoll(given) : -1;
		long long lo = min ? atoll(min) : 1;
		long long hi = max ? atoll(max) : 2147483647LL;
		if (capacity < lo || capacity > hi)
			p = problem_invalid("capacity",
					    "The member joining rule allows a capacity between %lld and %lld Mbit/s.",
					    lo, hi);
	}
out:
	PQclear(res);
	return p;
}

/* The connection, locked (VLANs and capacity are per connection): visible
 * to the caller, live, with capacity left. */
static struct problem *check_connection(PGconn *conn, const struct actor *actor, const char *merged,
					const char *exclude)
{
	const char *params[4];
	actor_scope_params(actor, params);
	params[2] = merged;
	params[3] = exclude;
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"SELECT k.state, o.physical_port_speed::bigint * k.port_quantity AS total,"
		"       (SELECT coalesce(sum(c.capacity), 0) FROM network_service_configs c"
		"         WHERE c.connection = k.id AND nsc_is_live(c.state) AND c.id IS DISTINCT FROM $4::bigint) AS used,"
		"       (v->>'capacity')::bigint AS wanted"
		"  FROM (SELECT $3::jsonb AS v) AS i"
		"  JOIN connections k ON k.id::text = v->>'connection'"
		"  JOIN product_offerings o ON o.id = k.product_offering"
		" WHERE owner_in_scope(k.managing_account, k.consuming_account, $1::bigint, $2::boolean)"
		" FOR UPDATE OF k",
		4, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0)
		p = problem_invalid("connection", "Must be the id of one of your connections.");
	else if (on_its_way_out(db_get(res, 0, "state")))
		p = problem_invalid("connection", "The connection is %s.", db_get(res, 0, "state"));
	else if (db_get(res, 0, "total") && db_get(res, 0, "wanted")) {
		long long limit = atoll(db_get(res, 0, "total")), used = atoll(db_get(res, 0, "used"));
		if (atoll(db_get(res, 0, "wanted")) > limit - used)
			p = problem_invalid("capacity", "The connection has %lld Mbit/s of %lld left.",
					    limit - used > 0 ? limit - used : 0, limit);
	}
	PQclear(res);
	return p;
}

/* MACs and ASNs of a peering-LAN config: the member's own MACs, at most the
 * LAN's per-config number (one MAC per port), none used by another member
 * on the LAN (in any spelling), none newly added whose DELETE waits for
 * the configs using it to leave; at least one ASN, none registered to or used by another
 * account. */
static struct problem *check_lan(PGconn *conn, const struct actor *actor, const char *merged, const char *exclude)
{
	const char *params[4];
	actor_scope_params(actor, params);
	params[2] = merged;
	params[3] = exclude;
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"WITH i AS (SELECT $3::jsonb AS v),"
		" given AS (SELECT DISTINCT g AS id FROM i, jsonb_array_elements_text(coalesce(v->'macs', '[]')) AS g),"
		" mine AS (SELECT m.* FROM given JOIN macs m ON m.id::text = given.id"
		"           WHERE owner_in_scope(m.managing_account, m.consuming_account, $1::bigint, $2::boolean)"
		"             FOR SHARE OF m)" /* against a concurrent DELETE /macs/{id} (macs_db.c) */
		" SELECT (SELECT count(*) FROM given) = (SELECT count(*) FROM mine) AS macs_mine,"
		"        (SELECT count(*) FROM given) <= s.max_macs_per_config AS macs_fit, s.max_macs_per_config,"
		"        (SELECT m.address FROM mine m JOIN macs m2 ON m2.canonical_address = m.canonical_address"
		"           JOIN network_service_config_macs x ON x.mac = m2.id"
		"           JOIN network_service_configs c ON c.id = x.network_service_config"
		"          WHERE c.network_service = s.id AND nsc_is_live(c.state) AND c.id IS DISTINCT FROM $4::bigint"
		"            AND c.consuming_account::text <> v->>'consuming_account' LIMIT 1) AS mac_taken,"
		"        jsonb_array_length(coalesce(v->'asns', '[]')) > 0 AS has_asns,"
		"        (SELECT a FROM jsonb_array_elements_text(coalesce(v->'asns', '[]')) AS a"
		"          WHERE (EXISTS (SELECT 1 FROM account_asns x"
		"                          WHERE x.asn = a::bigint AND x.account_id::text <> v->>'consuming_account')"
		"                 AND NOT EXISTS (SELECT 1 FROM account_asns x"
		"                          WHERE x.asn = a::bigint AND x.account_id::text = v->>'consuming_account'))"
		"             OR EXISTS (SELECT 1 FROM network_service_configs c"
		"                         WHERE a::bigint = ANY (c.asns) AND nsc_is_live(c.state)"
		"                           AND c.id IS DISTINCT FROM $4::bigint"
		"                           AND c.consuming_account::text <> v->>'consuming_account')"
		"          LIMIT 1) AS asn_taken,"
		"        (SELECT m.address FROM mine m WHERE m.delete_requested_at IS NOT NULL"
		"            AND NOT EXISTS (SELECT 1 FROM network_service_config_macs x"
		"                             WHERE x.mac = m.id AND x.network_service_config = $4::bigint) LIMIT 1)"
		"        AS mac_deleted"
		"   FROM i JOIN network_services s ON s.id::text = v->>'network_service'",
		4, params, &res);
	if (p)
		return p;
	if (!db_get_bool(res, 0, "macs_mine"))
		p = problem_invalid("macs", "Every item must be the id of one of your MAC addresses.");
	else if (!db_get_bool(res, 0, "macs_fit"))
		p = problem_invalid(
			"macs",
			"The exchange allows %s MAC address(es) per config on this LAN (one MAC address per port).",
			db_get(res, 0, "max_macs_per_config"));
	else if (db_get(res, 0, "mac_taken"))
		p = problem_invalid("macs", "MAC address %s is in use by another member on this network service.",
				    db_get(res, 0, "mac_taken"));
	else if (db_get(res, 0, "mac_deleted"))
		p = problem_invalid(
			"macs",
			"MAC address %s is deleted and stays in force only until the configs that use it leave; register it again to use it here.",
			db_get(res, 0, "mac_deleted"));
	else if (!db_get_bool(res, 0, "has_asns"))
		p = problem_invalid("asns", "A config on the peering LAN needs at least one ASN.");
	else if (db_get(res, 0, "asn_taken"))
		p = problem_invalid("asns", "AS%s is registered to or used by another account.",
				    db_get(res, 0, "asn_taken"));
	PQclear(res);
	return p;
}

/* Every rule on the merged object; *final_out (caller frees) is the merged
 * object with the VLAN the exchange picked. */
static struct problem *check_rules(PGconn *conn, const struct actor *actor, const char *merged, const char *exclude,
				   bool joins, char **final_out)
{
	*final_out = NULL;
	struct problem *p = check_service(conn, actor, merged, joins);
	if (!p)
		p = check_connection(conn, actor, merged, exclude);
	const char *params[4];
	actor_scope_params(actor, params);
	params[2] = merged;
	params[3] = exclude;
	PGresult *res = NULL;
	if (!p)
		p = db_exec(
			conn,
			"SELECT nsc_vlan_choice((v->>'connection')::bigint, $4::bigint, v->'vlan_config')->>'error'"
			"       AS vlan_problem,"
			"       (v || jsonb_build_object('vlan_config', nsc_vlan_choice((v->>'connection')::bigint,"
			"                                             $4::bigint, v->'vlan_config')))::text AS final,"
			"       role_assignments_problem(v->'role_assignments', v->>'managing_account',"
			"           v->>'consuming_account', s.nsc_required_contact_roles, $1::bigint, $2::boolean)"
			"       AS roles_problem,"
			"       s.type,"
			"       v->>'product_offering' IS NULL OR EXISTS (SELECT 1 FROM product_offerings o"
			"            WHERE o.id::text = v->>'product_offering' AND o.type = s.type) AS offering_fits,"
			"       coalesce(v->>'product_offering', s.product_offering::text) IS NOT NULL AS has_offering"
			"  FROM (SELECT $3::jsonb AS v) AS i JOIN network_services s ON s.id::text = v->>'network_service'",
			4, params, &res);
	if (p)
		goto out;
	if (db_get(res, 0, "vlan_problem"))
		p = problem_invalid("vlan_config", "%s", db_get(res, 0, "vlan_problem"));
	else if (db_get(res, 0, "roles_problem"))
		p = problem_invalid("role_assignments", "%s", db_get(res, 0, "roles_problem"));
	else if (!db_get_bool(res, 0, "offering_fits"))
		p = problem_invalid("product_offering", "Must be the id of a product offering of the service's type.");
	else if (!db_get_bool(res, 0, "has_offering"))
		p = problem_invalid("product_offering",
				    "The network service sells no product offering yet: name one of its type.");
	else if (is(db_get(res, 0, "type"), "exchange_lan"))
		p = check_lan(conn, actor, merged, exclude);
	if (!p)
		*final_out = xstrdup(db_get(res, 0, "final"));
out:
	PQclear(res);
	return p;
}

#define SET_MACS_SQL                                                                                                   \
	"INSERT INTO network_service_config_macs (network_service_config, mac)"                                        \
	" SELECT DISTINCT $1::bigint, m::bigint FROM jsonb_array_elements_text(coalesce($2::jsonb->'macs', '[]')) AS m"
static const char set_macs_sql[] = SET_MACS_SQL;
static const char set_roles_sql[] =
	"INSERT INTO network_service_config_role_assignments (network_service_config, role_assignment)"
	" SELECT DISTINCT $1::bigint, a::bigint"
	"   FROM jsonb_array_elements_text(coalesce($2::jsonb->'role_assignments', '[]')) AS a";
static const char read_sql[] =
	"SELECT network_service_config_json(c)::text FROM network_service_configs c WHERE c.id = $1::bigint";
static const char job_sql[] = "INSERT INTO jobs (kind, payload)"
			      " SELECT 'switch.port_vlan', nsc_switch_job(c, 'configure')"
			      "   FROM network_service_configs c WHERE c.id = $1::bigint";

/* One address of each family from the LAN's subnets, owned like the config. */
static struct problem *allocate_ips(PGconn *conn, const char *id)
{
	static const char *const families[] = {"4", "6"};
	struct problem *p = NULL;
	for (int i = 0; i < 2 && !p; i++) {
		const char *params[] = {id, families[i]};
		PGresult *res = NULL;
		p = db_exec(conn,
			    "INSERT INTO ips (managing_account, consuming_account, version, address, prefix_length,"
			    "                 network_service, network_service_config)"
			    " SELECT c.managing_account, c.consuming_account, $2::smallint, a,"
			    "        masklen(CASE $2 WHEN '4' THEN s.subnet_v4 ELSE s.subnet_v6 END), s.id, c.id"
			    "   FROM network_service_configs c JOIN network_services s ON s.id = c.network_service,"
			    "        lan_free_address(s, $2::integer) AS a"
			    "  WHERE c.id = $1::bigint AND a IS NOT NULL"
			    " RETURNING id",
			    2, params, &res);
		if (!p && PQntuples(res) == 0)
			p = problem_invalid(
				"network_service",
				"The peering LAN's IPv%s subnet has no free address left: ask the exchange's NOC.",
				families[i]);
		PQclear(res);
	}
	return p;
}

/* The exchange's rules on the new config, whose final form (the VLAN the
 * exchange picks) the insert takes. */
static struct problem *create_check(PGconn *conn, struct db_write *w, struct db_update_input *in)
{
	return check_rules(conn, w->actor, w->input_json, NULL, true, &in->json);
}

/* Its MACs (a LAN config's), role assignments and switch job. The job is
 * queued before the addresses are taken: a LAN out of addresses rolls it
 * back with everything else. */
static const char *const create_writes[] = {
	SET_MACS_SQL " WHERE $2::jsonb->>'type' = 'exchange_lan'",
	set_roles_sql,
	job_sql,
	NULL,
};

static struct problem *create_after(PGconn *conn, struct db_write *w, const char *id, const struct db_update_input *in)
{
	(void)w;
	json_t *j = json_loads(in->json, 0, NULL);
	bool is_lan = is(json_string_value(json_object_get(j, "type")), "exchange_lan");
	json_decref(j);
	return is_lan ? allocate_ips(conn, id) : NULL;
}

const struct db_create service_config_create = {
	.title = "Network service config",
	.object_type = "network_service_config",
	.check_owner = true,
	.check = create_check,
	.insert_sql =
		"INSERT INTO network_service_configs (type, network_service, managing_account, consuming_account,"
		"    billing_account, external_ref, purchase_order, contract_ref, product_offering, connection,"
		"    vlan_type, vlan, vlan_ethertype, outer_vlan, inner_vlan, outer_vlan_ethertype, capacity, listed,"
		"    consumer_side_ready, asns, shared_statistics)"
		" SELECT v->>'type', (v->>'network_service')::bigint, (v->>'managing_account')::bigint,"
		"        (v->>'consuming_account')::bigint, (v->>'billing_account')::bigint, v->>'external_ref',"
		"        coalesce(v->>'purchase_order', ''), v->>'contract_ref', (v->>'product_offering')::bigint,"
		"        (v->>'connection')::bigint, v->'vlan_config'->>'vlan_type',"
		"        (v->'vlan_config'->>'vlan')::int, v->'vlan_config'->>'vlan_ethertype',"
		"        (v->'vlan_config'->>'outer_vlan')::int, (v->'vlan_config'->>'inner_vlan')::int,"
		"        v->'vlan_config'->>'outer_vlan_ethertype', (v->>'capacity')::int,"
		"        coalesce((v->>'listed')::boolean, true), coalesce((v->>'consumer_side_ready')::boolean, false),"
		"        ARRAY(SELECT a::bigint FROM jsonb_array_elements_text(coalesce(v->'asns', '[]')) AS a),"
		"        coalesce(v->'shared_statistics', '{\"policy\": \"deny\", \"accounts_allowed\": []}')"
		"   FROM (SELECT $1::jsonb AS v) AS i"
		" RETURNING id::text",
	.writes = create_writes,
	.after = create_after,
	.render_sql = read_sql,
};

/* production needs what the spec and the exchange ask: a MAC on a LAN
 * config, and a feature config for every required feature. */
static struct problem *check_production(PGconn *conn, const char *id)
{
	const char *params[] = {id};
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"SELECT c.type <> 'exchange_lan'"
		"       OR EXISTS (SELECT 1 FROM network_service_config_macs x WHERE x.network_service_config = c.id)"
		"       AS has_mac,"
		"       (SELECT string_agg(f.name, ', ' ORDER BY f.id) FROM network_features f"
		"         WHERE f.network_service = c.network_service AND f.required"
		"           AND NOT EXISTS (SELECT 1 FROM network_feature_configs n"
		"                            WHERE n.network_feature = f.id AND n.network_service_config = c.id"
		"                              AND nsc_is_live(n.state))) AS missing_features"
		"  FROM network_service_configs c WHERE c.id = $1::bigint",
		1, params, &res);
	if (!p && !db_get_bool(res, 0, "has_mac"))
		p = problem_invalid("state", "A peering-LAN config goes into production with a MAC address only.");
	else if (!p && db_get(res, 0, "missing_features"))
		p = problem_invalid("state", "Production needs feature configs for the required network features: %s.",
				    db_get(res, 0, "missing_features"));
	PQclear(res);
	return p;
}

/* The config's rules for a change, on the locked row (the field table
 * keeps type, service and connection, and the state the operators'):
 * what is on its way out is the operators' to change; then the exchange's
 * rules on the merged config, whose final form the writes take. */
static struct problem *update_check(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in)
{
	json_t *j = json_loads(w->input_json, 0, NULL);
	const char *consuming = json_string_value(json_object_get(j, "consuming_account"));
	struct problem *p = NULL;
	if (on_its_way_out(db_get(old, 0, "state")) && !w->actor->is_operator)
		p = problem_new(PROBLEM_UNABLE_TO_FULFILL, "Network service config %s is %s.", w->id,
				db_get(old, 0, "state"));
	bool joins = consuming && !is(consuming, db_get(old, 0, "consuming_account"));
	json_decref(j);
	if (!p)
		p = db_check_owner_accounts(conn, w->actor, w->input_json);
	if (!p)
		p = check_rules(conn, w->actor, db_get(old, 0, "merged"), w->id, joins, &in->json);
	return p;
}

/* What follows from the fields the patch names: MACs and role assignments
 * replaced, the production rule, the switch's job. */
static struct problem *update_after(PGconn *conn, struct db_write *w, const struct db_update_input *in)
{
	json_t *j = json_loads(w->input_json, 0, NULL);
	const char *state = json_string_value(json_object_get(j, "state"));
	/* consumer_side_ready: a config whose quarantine test passed goes on to
	 * the peering LAN (switch_port_desired) */
	bool changes_wire = json_object_get(j, "macs") || json_object_get(j, "vlan_config") || state ||
			    json_object_get(j, "capacity") || json_object_get(j, "consumer_side_ready");
	bool changes_macs = json_object_get(j, "macs") != NULL;
	bool changes_roles = json_object_get(j, "role_assignments") != NULL;
	bool to_production = is(state, "production");
	json_decref(j);
	const char *update[] = {w->id, in->json};
	struct problem *p = NULL;
	if (changes_macs)
		p = db_exec(conn, "DELETE FROM network_service_config_macs WHERE network_service_config = $1::bigint",
			    1, update, NULL);
	if (!p && changes_macs)
		p = db_exec(conn, set_macs_sql, 2, update, NULL);
	/* new MACs in the quarantine LAN: the test judged the old ones */
	if (!p && changes_macs)
		p = db_exec(conn,
			    "SELECT quarantine_retest(c.id) FROM network_service_configs c"
			    " WHERE c.id = $1::bigint AND c.type = 'exchange_lan' AND c.state = 'testing'",
			    1, update, NULL);
	if (!p && changes_roles)
		p = db_exec(
			conn,
			"DELETE FROM network_service_config_role_assignments WHERE network_service_config = $1::bigint",
			1, update, NULL);
	if (!p && changes_roles)
		p = db_exec(conn, set_roles_sql, 2, update, NULL);
	if (!p && to_production)
		p = check_production(conn, w->id);
	if (!p && changes_wire)
		p = db_exec(conn, job_sql, 1, update, NULL);
	return p;
}

static const char *const update_writes[] = {
	"UPDATE network_service_configs c SET"
	"  managing_account = (v->>'managing_account')::bigint,"
	"  consuming_account = (v->>'consuming_account')::bigint,"
	"  billing_account = (v->>'billing_account')::bigint,"
	"  external_ref = CASE WHEN v ? 'external_ref' THEN v->>'external_ref' ELSE c.external_ref END,"
	"  purchase_order = coalesce(v->>'purchase_order', c.purchase_order),"
	"  contract_ref = CASE WHEN v ? 'contract_ref' THEN v->>'contract_ref' ELSE c.contract_ref END,"
	"  product_offering = CASE WHEN v ? 'product_offering' THEN (v->>'product_offering')::bigint"
	"                          ELSE c.product_offering END,"
	"  vlan_type = v->'vlan_config'->>'vlan_type', vlan = (v->'vlan_config'->>'vlan')::int,"
	"  vlan_ethertype = v->'vlan_config'->>'vlan_ethertype',"
	"  outer_vlan = (v->'vlan_config'->>'outer_vlan')::int,"
	"  inner_vlan = (v->'vlan_config'->>'inner_vlan')::int,"
	"  outer_vlan_ethertype = v->'vlan_config'->>'outer_vlan_ethertype',"
	"  capacity = (v->>'capacity')::int,"
	"  listed = coalesce((v->>'listed')::boolean, c.listed),"
	"  consumer_side_ready = coalesce((v->>'consumer_side_ready')::boolean, c.consumer_side_ready),"
	"  asns = ARRAY(SELECT a::bigint FROM jsonb_array_elements_text(coalesce(v->'asns', '[]')) AS a),"
	"  shared_statistics = coalesce(v->'shared_statistics', c.shared_statistics),"
	"  state = coalesce(v->>'state', c.state),"
	"  updated_at = now()"
	" FROM (SELECT $2::jsonb AS v) AS input"
	" WHERE c.id = $1::bigint",
	NULL,
};

/* The config as it is (its JSON, the patch laid over what the exchange's
 * rules read, the facts the rules compare), locked. */
const struct db_update service_config_update = {
	.title = "Network service config",
	.object_type = "network_service_config",
	.lock_sql =
		"SELECT network_service_config_json(c)::text AS json,"
		"       (jsonb_build_object('type', c.type, 'network_service', c.network_service::text,"
		"            'connection', c.connection::text, 'managing_account', c.managing_account::text,"
		"            'consuming_account', c.consuming_account::text, 'billing_account', c.billing_account::text,"
		"            'capacity', c.capacity, 'asns', to_jsonb(c.asns),"
		"            'macs', (SELECT coalesce(jsonb_agg(x.mac::text), '[]'::jsonb)"
		"                       FROM network_service_config_macs x WHERE x.network_service_config = c.id),"
		"            'role_assignments', (SELECT coalesce(jsonb_agg(r.role_assignment::text), '[]'::jsonb)"
		"                       FROM network_service_config_role_assignments r"
		"                      WHERE r.network_service_config = c.id),"
		"            'vlan_config', network_service_config_json(c)->'vlan_config') || $4::jsonb)::text AS merged,"
		"       c.type, c.network_service::text, c.connection::text, c.state, c.consuming_account::text"
		"  FROM network_service_configs c"
		" WHERE c.id = $3::bigint AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
		" FOR UPDATE",
	.check = update_check,
	.writes = update_writes,
	.after = update_after,
	.render_sql = read_sql,
};
