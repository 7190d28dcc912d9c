/*
 * MAC storage: the listing descriptor and the create and delete specs.
 */
#include "macs/macs.h"
#include "macs/macs_db.h"

#include "db/owner.h"
#include "db/write.h"

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

/* The configs using MAC $1 that are not on their way out. */
static const struct db_refusal delete_refusals[] = {
	{"SELECT format('MAC address %s is used by network service config(s) %s:"
	 " take it off them or decommission them first.',"
	 "              (SELECT m.address FROM macs m WHERE m.id = $1::bigint),"
	 "              string_agg(c.id::text, ', ' ORDER BY c.id))"
	 "  FROM network_service_config_macs x JOIN network_service_configs c ON c.id = x.network_service_config"
	 " WHERE x.mac = $1::bigint AND c.state NOT IN ('decommission_requested', 'decommissioned', 'archived')"
	 " HAVING count(*) > 0",
	 PROBLEM_UNABLE_TO_FULFILL},
	{NULL, PROBLEM_UNABLE_TO_FULFILL},
};

/* A MAC a live config uses cannot go (the refusal, read after the lock in
 * a statement of its own: a config write that took the MAC, check_lan
 * locks it FOR SHARE, has committed by now and its link is seen). One that
 * only configs on their way out use stays in force until the last of them
 * leaves: valid_not_after becomes that date (their `remove` jobs take it
 * off the wire) and migrations/016's macs_release() removes it when they
 * are gone; asked again, nothing changes. Any other MAC goes at once, off
 * the configs that are gone. */
const struct db_delete mac_delete = {
	.title = "MAC address",
	.object_type = "mac",
	.lock_sql = "SELECT mac_json(m)::text FROM macs m"
		    " WHERE m.id = $3::bigint"
		    "   AND owner_in_scope(m.managing_account, m.consuming_account, $1::bigint, $2::boolean)"
		    "   FOR UPDATE OF m",
	.refusals = delete_refusals,
	.delete_sql =
		"WITH leaving AS (SELECT max(coalesce(c.decommission_at, current_date)) AS d"
		"                   FROM network_service_config_macs x"
		"                   JOIN network_service_configs c ON c.id = x.network_service_config"
		"                  WHERE x.mac = $1::bigint AND c.state = 'decommission_requested'),"
		" mac AS (SELECT m.id, m.delete_requested_at IS NOT NULL AS requested,"
		"                l.d IS NOT NULL AND (m.valid_not_before IS NULL"
		"                                     OR m.valid_not_before < l.d::timestamp AT TIME ZONE 'UTC') AS waits"
		"           FROM macs m, leaving l WHERE m.id = $1::bigint),"
		" kept AS (UPDATE macs m SET delete_requested_at = now(),"
		"                 valid_not_after = least(m.valid_not_after, l.d::timestamp AT TIME ZONE 'UTC')"
		"            FROM mac, leaving l WHERE m.id = mac.id AND mac.waits AND NOT mac.requested"
		"          RETURNING mac_json(m)::text AS j),"
		" gone AS (DELETE FROM macs m USING mac WHERE m.id = mac.id AND NOT mac.waits AND NOT mac.requested)"
		" SELECT coalesce((SELECT j FROM kept),"
		"                 (SELECT mac_json(m)::text FROM macs m JOIN mac ON mac.id = m.id WHERE mac.requested))"
		"        AS json,"
		"        EXISTS (SELECT 1 FROM kept) AS changed",
};
