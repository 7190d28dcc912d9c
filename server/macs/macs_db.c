/*
 * MAC storage: the listing descriptor and the create/delete transactions.
 */
#include "macs/macs.h"
#include "macs/macs_db.h"

#include "core/util.h"
#include "db/owner.h"
#include "db/write.h"

#include <string.h>

const struct filter_spec macs_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"managing_account", FILTER_TEXT, NULL},
	{"consuming_account", FILTER_TEXT, NULL},
	{"external_ref", FILTER_TEXT, NULL},
	{"network_service_config", FILTER_TEXT, NULL},
	{"address", FILTER_TEXT, NULL},
	{"valid_not_before", FILTER_TIME, NULL},
	{"valid_not_after", FILTER_TIME, NULL},
	PAGINATION_FILTERS,
	{NULL, FILTER_TEXT, NULL},
};

/* network_service_config: the MACs a config uses. Addresses compare in
 * canonical form, whatever the spelling of the stored one and of the
 * filter; the validity filters compare instants (an unparsable one is a
 * 400). */
static const char *const macs_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	"t.managing_account = id_or_null($?)",
	"t.consuming_account = id_or_null($?)",
	"t.external_ref = $?",
	"EXISTS (SELECT 1 FROM network_service_config_macs x"
	" WHERE x.mac = t.id AND x.network_service_config = id_or_null($?))",
	"t.canonical_address = mac_canonical($?)",
	"t.valid_not_before = $?::timestamptz",
	"t.valid_not_after = $?::timestamptz",
};

const struct listing macs_listing = {
	.title = "MAC address",
	.filters = macs_filters,
	.table = "macs",
	.render = "macs_render",
	.member_scope = LISTING_OWNER_SCOPE,
	.predicates = macs_predicates,
	.sql = LISTING_SQL,
};

/* valid_not_after may not lie in the past: checked here, where "now" is
 * the database's. */
static const struct db_rule create_rules[] = {
	{"SELECT v->>'valid_not_after' IS NULL OR (v->>'valid_not_after')::timestamptz > now()"
	 "  FROM (SELECT $1::jsonb AS v) AS i",
	 "valid_not_after", "May not be in the past."},
	{NULL, NULL, NULL},
};

const struct db_create mac_create = {
	.title = "MAC address",
	.object_type = "mac",
	.check_owner = true,
	.rules = create_rules,
	.insert_sql =
		"INSERT INTO macs (managing_account, consuming_account, external_ref, address, valid_not_before,"
		"                  valid_not_after)"
		" SELECT (v->>'managing_account')::bigint, (v->>'consuming_account')::bigint, v->>'external_ref',"
		"        v->>'address', (v->>'valid_not_before')::timestamptz, (v->>'valid_not_after')::timestamptz"
		"   FROM (SELECT $1::jsonb AS v) AS input"
		" RETURNING id::text",
	.render_sql = "SELECT mac_json(m)::text FROM macs m WHERE m.id = $1::bigint",
};

/* A MAC a live config uses cannot go. One that only configs on their way
 * out use stays in force until the last of them leaves: valid_not_after
 * becomes that date (their `remove` jobs take it off the wire) and
 * migrations/016's macs_release() removes it when they are gone. Any other
 * MAC goes at once, off the configs that are gone. */
static struct problem *delete_tx(PGconn *conn, void *arg)
{
	struct db_write *w = arg;
	if (!util_is_id(w->id))
		return problem_new(PROBLEM_NOT_FOUND, "MAC address %.40s was not found.", w->id);
	const char *params[3];
	actor_scope_params(w->actor, params);
	params[2] = w->id;
	PGresult *old = NULL, *use = NULL, *res = NULL;
	struct problem *p =
		db_exec(conn,
			"SELECT mac_json(m)::text AS json, m.address,"
			"       m.delete_requested_at IS NOT NULL AS requested FROM macs m"
			" WHERE m.id = $3::bigint"
			"   AND owner_in_scope(m.managing_account, m.consuming_account, $1::bigint, $2::boolean)"
			"   FOR UPDATE OF m",
			3, params, &old);
	if (!p && PQntuples(old) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "MAC address %s was not found.", w->id);
	if (p)
		goto out;
	/* Read after the lock, in a statement of its own: a config write that
	 * took the MAC (check_lan locks it FOR SHARE) has committed by now and
	 * its link is seen. */
	const char *id[] = {w->id};
	p = db_exec(
		conn,
		"WITH used AS (SELECT c.id, c.state, c.decommission_at FROM network_service_config_macs x"
		"                JOIN network_service_configs c ON c.id = x.network_service_config"
		"               WHERE x.mac = $1::bigint),"
		" leaving AS (SELECT max(coalesce(decommission_at, current_date)) AS d FROM used"
		"              WHERE state = 'decommission_requested')"
		" SELECT (SELECT string_agg(u.id::text, ', ' ORDER BY u.id) FROM used u"
		"          WHERE u.state NOT IN ('decommission_requested', 'decommissioned', 'archived')) AS live,"
		"        l.d::text AS leaves,"
		"        (SELECT m.valid_not_before IS NULL OR m.valid_not_before < l.d::timestamp AT TIME ZONE 'UTC'"
		"           FROM macs m WHERE m.id = $1::bigint) AS waits"
		"   FROM leaving l",
		1, id, &use);
	if (p)
		goto out;
	/* live: the live configs using it (NULL: none); leaves: the latest date
	 * a config using it leaves (NULL: none leaving); waits: it is in force
	 * before that date (so it waits for it); requested: a DELETE already
	 * waits for its configs. */
	if (db_get(use, 0, "live")) {
		p = problem_new(
			PROBLEM_UNABLE_TO_FULFILL,
			"MAC address %s is used by network service config(s) %s: take it off them or decommission them first.",
			db_get(old, 0, "address"), db_get(use, 0, "live"));
		goto out;
	}
	if (db_get_bool(old, 0, "requested")) {
		w->json_out = xstrdup(db_get(old, 0, "json")); /* asked before: nothing changes */
		goto out;
	}
	if (db_get(use, 0, "leaves") && db_get_bool(use, 0, "waits")) {
		const char *update[] = {w->id, db_get(use, 0, "leaves")};
		p = db_exec(conn,
			    "UPDATE macs m SET delete_requested_at = now(),"
			    "       valid_not_after = least(m.valid_not_after, $2::date::timestamp AT TIME ZONE 'UTC')"
			    " WHERE m.id = $1::bigint RETURNING mac_json(m)::text",
			    2, update, &res);
		if (!p)
			p = db_write_record(conn, w, "decommission", "mac", w->id, db_get(old, 0, "json"),
					    PQgetvalue(res, 0, 0));
		goto out;
	}
	p = db_exec(conn, "DELETE FROM macs WHERE id = $1::bigint", 1, id, NULL);
	if (!p)
		p = db_write_record(conn, w, "delete", "mac", w->id, db_get(old, 0, "json"), NULL);
out:
	PQclear(res);
	PQclear(use);
	PQclear(old);
	return p;
}

struct problem *macs_db_delete(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out)
{
	struct db_write w = {.actor = actor, .id = id};
	return db_write_run(pool, delete_tx, &w, json_out);
}
