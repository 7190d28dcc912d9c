/*
 * IP storage: the listing descriptor and the create and update specs.
 */
#include "ips/ips.h"
#include "ips/ips_db.h"

#include "core/util.h"
#include "db/owner.h"
#include "db/write.h"

#include <string.h>

const struct filter_spec ips_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"managing_account", FILTER_TEXT, NULL},
	{"consuming_account", FILTER_TEXT, NULL},
	{"external_ref", FILTER_TEXT, NULL},
	{"network_service", FILTER_TEXT, NULL},
	{"network_service_config", FILTER_TEXT, NULL},
	{"network_feature", FILTER_TEXT, NULL},
	{"network_feature_config", FILTER_TEXT, NULL},
	{"version", FILTER_INT, NULL},
	{"fqdn", FILTER_TEXT, NULL},
	{"prefix_length", FILTER_INT, NULL},
	{"valid_not_before", FILTER_TIME, NULL},
	{"valid_not_after", FILTER_TIME, NULL},
	PAGINATION_FILTERS,
	{NULL, FILTER_TEXT, NULL},
};

static const char *const ips_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	"t.managing_account = id_or_null($?)",
	"t.consuming_account = id_or_null($?)",
	"t.external_ref = $?",
	"t.network_service = id_or_null($?)",
	"t.network_service_config = id_or_null($?)",
	"t.network_feature = id_or_null($?)",
	"t.network_feature_config = id_or_null($?)",
	"t.version = $?::int",
	"t.fqdn = $?",
	"t.prefix_length = $?::int",
	"t.valid_not_before = $?::timestamptz",
	"t.valid_not_after = $?::timestamptz",
};

const struct listing ips_listing = {
	.title = "IP address",
	.filters = ips_filters,
	.table = "ips",
	.render = "ips_render",
	.member_scope = LISTING_OWNER_SCOPE,
	.predicates = ips_predicates,
	.sql = LISTING_SQL,
};

#define RENDER_IP "SELECT ip_json(i)::text FROM ips i WHERE i.id = $1::bigint"

const struct db_create ip_create = {
	.title = "IP address",
	.object_type = "ip",
	.check_owner = true,
	.insert_sql = "INSERT INTO ips (managing_account, consuming_account, external_ref, version, address,"
		      "                 prefix_length, fqdn, valid_not_before, valid_not_after)"
		      " SELECT (v->>'managing_account')::bigint, (v->>'consuming_account')::bigint, v->>'external_ref',"
		      "        (v->>'version')::smallint, (v->>'address')::inet, (v->>'prefix_length')::smallint,"
		      "        v->>'fqdn', (v->>'valid_not_before')::timestamptz, (v->>'valid_not_after')::timestamptz"
		      "   FROM (SELECT $1::jsonb AS v) AS input"
		      " RETURNING id::text",
	.render_sql = RENDER_IP,
};

/* An address the exchange allocated from a peering LAN (linked to a LAN
 * config) keeps its place: members change its fqdn only (the other fields
 * may be sent unchanged, as a PUT does); operators may re-address it
 * within the LAN's rules (lan_address_problem: inside the subnet, not the
 * network or broadcast address, not a route server's, not another live
 * config's) but never change its version or prefix length. The database
 * refuses the same (migration 015: a trigger and a unique index); this
 * check comes first and says why. */
static struct problem *check_lan_change(PGconn *conn, const struct actor *actor, const char *id, const char *input_json)
{
	const char *params[] = {id, input_json};
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"SELECT c.k, CASE WHEN c.k = 'address' THEN lan_address_problem(s, (v->>'address')::inet, i.id) END"
		"       AS problem"
		"  FROM (SELECT $2::jsonb AS v) AS input, ips i JOIN network_services s ON s.id = i.network_service,"
		"       LATERAL (VALUES"
		"         (1, 'address', (v->>'address')::inet <> i.address),"
		"         (2, 'version', (v->>'version')::int <> i.version),"
		"         (3, 'prefix_length', (v->>'prefix_length')::int <> i.prefix_length),"
		"         (4, 'managing_account', v->>'managing_account' <> i.managing_account::text),"
		"         (5, 'consuming_account', v->>'consuming_account' <> i.consuming_account::text),"
		"         (6, 'external_ref', v->>'external_ref' IS DISTINCT FROM i.external_ref),"
		"         (7, 'valid_not_before',"
		"          (v->>'valid_not_before')::timestamptz IS DISTINCT FROM i.valid_not_before),"
		"         (8, 'valid_not_after',"
		"          (v->>'valid_not_after')::timestamptz IS DISTINCT FROM i.valid_not_after)) AS c(n, k, changed)"
		" WHERE i.id = $1::bigint AND v ? c.k AND c.changed"
		" ORDER BY c.n",
		2, params, &res);
	for (int i = 0; !p && i < PQntuples(res); i++) {
		const char *key = db_get(res, i, "k");
		if (!actor->is_operator)
			p = problem_new(
				PROBLEM_PERMISSION_DENIED,
				"%s: the exchange allocated this address from the peering LAN; members change its fqdn only.",
				key);
		else if (strcmp(key, "version") == 0)
			p = problem_invalid(key, "An address allocated from the peering LAN keeps its version.");
		else if (strcmp(key, "prefix_length") == 0)
			p = problem_invalid(
				key, "An address allocated from the peering LAN keeps the subnet's prefix length.");
		else if (db_get(res, i, "problem"))
			p = problem_invalid(key, "%s", db_get(res, i, "problem"));
	}
	PQclear(res);
	return p;
}

/* A LAN address: its LAN first (as allocation locks it), so that
 * re-addressing and allocating on one LAN take turns; in->flag says it is
 * one. An IP's LAN never changes, so reading it unlocked is safe. */
static struct problem *update_first(PGconn *conn, struct db_write *w, struct db_update_input *in)
{
	const char *params[3];
	actor_scope_params(w->actor, params);
	params[2] = w->id;
	PGresult *res = NULL;
	struct problem *p = db_exec(conn,
				    "SELECT 1 FROM network_services s"
				    " WHERE s.id = (SELECT i.network_service FROM ips i"
				    "                WHERE i.id = $3::bigint AND i.network_service_config IS NOT NULL"
				    "                  AND owner_in_scope(i.managing_account, i.consuming_account,"
				    "                                     $1::bigint, $2::boolean))"
				    " FOR UPDATE",
				    3, params, &res);
	in->flag = !p && PQntuples(res) == 1;
	PQclear(res);
	return p;
}

static struct problem *update_check(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in)
{
	(void)old;
	struct problem *p = db_check_owner_accounts(conn, w->actor, w->input_json);
	if (!p && in->flag)
		p = check_lan_change(conn, w->actor, w->id, w->input_json);
	return p;
}

static const char *const update_writes[] = {
	"UPDATE ips i SET"
	"  managing_account = CASE WHEN v ? 'managing_account'"
	"                     THEN (v->>'managing_account')::bigint ELSE i.managing_account END,"
	"  consuming_account = CASE WHEN v ? 'consuming_account'"
	"                      THEN (v->>'consuming_account')::bigint ELSE i.consuming_account END,"
	"  external_ref = CASE WHEN v ? 'external_ref' THEN v->>'external_ref' ELSE i.external_ref END,"
	"  version = CASE WHEN v ? 'version' THEN (v->>'version')::smallint ELSE i.version END,"
	"  address = CASE WHEN v ? 'address' THEN (v->>'address')::inet ELSE i.address END,"
	"  prefix_length = CASE WHEN v ? 'prefix_length'"
	"                  THEN (v->>'prefix_length')::smallint ELSE i.prefix_length END,"
	"  fqdn = CASE WHEN v ? 'fqdn' THEN v->>'fqdn' ELSE i.fqdn END,"
	"  valid_not_before = CASE WHEN v ? 'valid_not_before'"
	"                     THEN (v->>'valid_not_before')::timestamptz ELSE i.valid_not_before END,"
	"  valid_not_after = CASE WHEN v ? 'valid_not_after'"
	"                    THEN (v->>'valid_not_after')::timestamptz ELSE i.valid_not_after END,"
	"  updated_at = now()"
	" FROM (SELECT $2::jsonb AS v) AS input"
	" WHERE i.id = $1::bigint",
	NULL,
};

const struct db_update ip_update = {
	.title = "IP address",
	.object_type = "ip",
	.first = update_first,
	.lock_sql = "SELECT ip_json(i)::text AS json FROM ips i"
		    " WHERE i.id = $3::bigint"
		    "   AND owner_in_scope(i.managing_account, i.consuming_account, $1::bigint, $2::boolean)"
		    " FOR UPDATE",
	.check = update_check,
	.writes = update_writes,
	.render_sql = RENDER_IP,
};
