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

/* network_service_config: no configs exist yet, so no MAC is assigned to one
 * and the filter matches nothing. Addresses compare in canonical form; the
 * validity filters compare instants (an unparsable one is a 400). */
const struct listing macs_listing = {
	"MAC address",
	true,
	macs_filters,
	"SELECT coalesce(jsonb_agg(mac_json(m) ORDER BY m.id), '[]')::text FROM macs m"
	" WHERE owner_in_scope(m.managing_account, m.consuming_account, $1::bigint, $2::boolean)"
	"   AND ($3::text[] IS NULL OR m.id::text = ANY ($3::text[]))"
	"   AND ($4::text IS NULL OR m.managing_account::text = $4)"
	"   AND ($5::text IS NULL OR m.consuming_account::text = $5)"
	"   AND ($6::text IS NULL OR m.external_ref = $6)"
	"   AND $7::text IS NULL"
	"   AND ($8::text IS NULL OR m.address = lower(replace($8, '-', ':')))"
	"   AND ($9::timestamptz IS NULL OR m.valid_not_before = $9::timestamptz)"
	"   AND ($10::timestamptz IS NULL OR m.valid_not_after = $10::timestamptz)",
	"SELECT mac_json(m)::text FROM macs m"
	" WHERE m.id = $3::bigint AND owner_in_scope(m.managing_account, m.consuming_account, $1::bigint, $2::boolean)",
};

static struct problem *create_tx(PGconn *conn, void *arg)
{
	struct db_write *w = arg;
	/* valid_not_after may not lie in the past: checked here, where "now" is
	 * the database's. */
	json_t *j = json_loads(w->input_json, 0, NULL);
	const char *after = json_string_value(json_object_get(j, "valid_not_after"));
	struct problem *p = NULL;
	if (after) {
		PGresult *res = NULL;
		const char *params[] = {after};
		p = db_exec(conn, "SELECT $1::timestamptz > now()", 1, params, &res);
		if (!p && strcmp(PQgetvalue(res, 0, 0), "t") != 0)
			p = problem_invalid("valid_not_after", "May not be in the past.");
		PQclear(res);
	}
	json_decref(j);
	if (!p)
		p = db_check_owner_accounts(conn, w->actor, w->input_json);
	if (!p)
		p = db_write_insert(conn, w, "mac",
				    "INSERT INTO macs (managing_account, consuming_account, external_ref, address, "
				    "valid_not_before,"
				    "                  valid_not_after)"
				    " SELECT (v->>'managing_account')::bigint, (v->>'consuming_account')::bigint, "
				    "v->>'external_ref',"
				    "        v->>'address', (v->>'valid_not_before')::timestamptz, "
				    "(v->>'valid_not_after')::timestamptz"
				    "   FROM (SELECT $1::jsonb AS v) AS input"
				    " RETURNING id::text, mac_json(macs)::text");
	return p;
}

struct problem *macs_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
			       char **json_out)
{
	struct db_write w = {.actor = actor, .input_json = fields_json};
	return db_write_run(pool, create_tx, &w, json_out);
}

static struct problem *delete_tx(PGconn *conn, void *arg)
{
	return db_write_delete(conn, arg, "mac", "MAC address",
			       "DELETE FROM macs m"
			       " WHERE m.id = $3::bigint"
			       "   AND owner_in_scope(m.managing_account, m.consuming_account, $1::bigint, $2::boolean)"
			       " RETURNING mac_json(m)::text");
}

struct problem *macs_db_delete(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out)
{
	struct db_write w = {.actor = actor, .id = id};
	return db_write_run(pool, delete_tx, &w, json_out);
}
