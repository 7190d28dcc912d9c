/*
 * Connections, port reservations and ports in PostgreSQL (see
 * connections_db.h): listing descriptors and the order and
 * decommissioning transactions.
 */
#include "connections/connections.h"
#include "connections/connections_db.h"

#include "core/states.h"
#include "core/util.h"
#include "db/owner.h"
#include "db/write.h"
#include "loa/loa_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define END_OF_FILTERS                                                                                                 \
	{                                                                                                              \
		NULL, FILTER_TEXT, NULL                                                                                \
	}

static const char *const modes[] = {"lag_lacp", "lag_static", "flex_ethernet", "standalone", NULL};

const struct filter_spec connections_filters[] = {
	LISTING_OWNED_FILTERS,
	{"mode", FILTER_ENUM, modes},
	{"mode__is_not", FILTER_ENUM, modes},
	{"name", FILTER_TEXT, NULL},
	{"metro_area", FILTER_TEXT, NULL},
	{"metro_area_network", FILTER_TEXT, NULL},
	{"pop", FILTER_TEXT, NULL},
	{"product_offering", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

/* In filter order; where a connection is handed over (metro area, network,
 * PoP) is its product offering's. */
static const char *const connections_predicates[] = {
	LISTING_OWNED_PREDICATES,
	"t.mode = $?",
	"t.mode <> $?",
	"t.name = $?",
	"t.product_offering IN (SELECT o.id FROM product_offerings o WHERE o.handover_metro_area = id_or_null($?))",
	"t.product_offering IN (SELECT o.id FROM product_offerings o"
	" WHERE o.handover_metro_area_network = id_or_null($?))",
	"t.product_offering IN (SELECT o.id FROM product_offerings o WHERE o.handover_pop = id_or_null($?))",
	"t.product_offering = id_or_null($?)",
};

const struct listing connections_listing = {
	.title = "Connection",
	.filters = connections_filters,
	.table = "connections",
	.render = "connections_render",
	.member_scope = LISTING_OWNER_SCOPE,
	.predicates = connections_predicates,
	.sql = LISTING_SQL,
};

const struct filter_spec ports_filters[] = {
	LISTING_OWNED_FILTERS,
	{"media_type", FILTER_TEXT, NULL},
	{"pop", FILTER_TEXT, NULL},
	{"name", FILTER_TEXT, NULL},
	{"device", FILTER_TEXT, NULL},
	{"speed", FILTER_INT, NULL},
	{"connection", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

/* In filter order; a port's PoP is its device's. */
static const char *const ports_predicates[] = {
	LISTING_OWNED_PREDICATES,
	"t.media_type = $?",
	"t.device IN (SELECT d.id FROM devices d WHERE d.pop = id_or_null($?))",
	"t.name = $?",
	"t.device = id_or_null($?)",
	"t.speed = $?::int",
	"t.connection = id_or_null($?)",
};

const struct listing ports_listing = {
	.title = "Port",
	.filters = ports_filters,
	.table = "ports",
	.render = "ports_render",
	.member_scope = LISTING_OWNER_SCOPE,
	.predicates = ports_predicates,
	.sql = LISTING_SQL,
};

/* Every role assignment must belong to a contact of the connection's
 * managing or consuming account (and be visible to the caller); together
 * they must cover the roles the offering requires. */
static struct problem *check_role_assignments(PGconn *conn, const struct actor *actor, const char *input_json)
{
	const char *params[3];
	actor_scope_params(actor, params);
	params[2] = input_json;
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"WITH i AS (SELECT $3::jsonb AS v),"
		" given AS (SELECT jsonb_array_elements_text(coalesce(v->'role_assignments', '[]')) AS id FROM i),"
		" ok AS (SELECT a.id, a.role FROM role_assignments a JOIN contacts c ON c.id = a.contact, i, given g"
		"         WHERE a.id::text = g.id AND contact_in_scope(c, $1::bigint, $2::boolean)"
		"           AND (c.consuming_account::text IN (v->>'consuming_account', v->>'managing_account')"
		"                OR c.managing_account::text IN (v->>'consuming_account', v->>'managing_account')))"
		" SELECT (SELECT count(*) FROM given) = (SELECT count(*) FROM ok) AS all_ok,"
		"        (SELECT string_agg(r.name, ', ' ORDER BY r.name) FROM product_offerings o, i,"
		"                unnest(o.required_contact_roles) AS need JOIN roles r ON r.id = need"
		"          WHERE o.id::text = v->>'product_offering' AND need NOT IN (SELECT role FROM ok))"
		"        AS missing_roles",
		3, params, &res);
	if (!p && !db_get_bool(res, 0, "all_ok"))
		p = problem_invalid("role_assignments",
				    "Every item must be a role assignment of a contact of the connection's accounts.");
	else if (!p && db_get(res, 0, "missing_roles"))
		p = problem_invalid("role_assignments", "The product offering requires contacts with the roles: %s.",
				    db_get(res, 0, "missing_roles"));
	PQclear(res);
	return p;
}

/* An account is a billing account only with billing information. */
#define BILLING_RULE                                                                                                   \
	{                                                                                                              \
		"SELECT billing_information IS NOT NULL FROM accounts a, (SELECT $1::jsonb AS v) i"                    \
		" WHERE a.id::text = v->>'billing_account'",                                                           \
			"billing_account", "An account requires billing_information to be used as a billing_account."  \
	}

static const struct db_rule billing_rules[] = {BILLING_RULE, {NULL, NULL, NULL}};

/* The offering must sell connections, now, with at least port_quantity
 * ports; an exchange-initiated cross-connect needs demarcs (1..quantity). */
static const struct db_rule create_rules[] = {
	BILLING_RULE,
	{"SELECT EXISTS (SELECT 1 FROM product_offerings o, (SELECT $1::jsonb AS v) i"
	 " WHERE o.id::text = i.v->>'product_offering' AND o.type = 'connection'"
	 "   AND (o.orderable_not_before IS NULL OR o.orderable_not_before <= now())"
	 "   AND (o.orderable_not_after IS NULL OR o.orderable_not_after > now()))",
	 "product_offering", "Must be the id of a connection product offering that can be ordered now."},
	{"SELECT o.maximum_port_quantity IS NULL"
	 "    OR (v->>'port_quantity')::int <= o.maximum_port_quantity"
	 "  FROM product_offerings o, (SELECT $1::jsonb AS v) i WHERE o.id::text = v->>'product_offering'",
	 "port_quantity", "More ports than the product offering allows."},
	{"SELECT o.cross_connect_initiator <> 'exchange'"
	 "    OR jsonb_array_length(coalesce(v->'subscriber_side_demarcs', '[]')) BETWEEN 1"
	 "       AND (v->>'port_quantity')::int"
	 "  FROM product_offerings o, (SELECT $1::jsonb AS v) i WHERE o.id::text = v->>'product_offering'",
	 "subscriber_side_demarcs", "The exchange patches this connection: give between 1 and port_quantity demarcs."},
	{NULL, NULL, NULL},
};

static struct problem *create_check(PGconn *conn, struct db_write *w, struct db_update_input *in)
{
	(void)in;
	return check_role_assignments(conn, w->actor, w->input_json);
}

/* Its name, its role assignments, one reservation per port (with the
 * demarc the member gave for it), and the job that tells the
 * provisioning side. */
static const char *const create_writes[] = {
	"UPDATE connections SET name = 'IXC-' || id WHERE id = $1::bigint",
	"INSERT INTO connection_role_assignments (connection, role_assignment)"
	" SELECT DISTINCT $1::bigint, a::bigint"
	"   FROM jsonb_array_elements_text(coalesce($2::jsonb->'role_assignments', '[]')) AS a",
	"INSERT INTO port_reservations (connection, subscriber_side_demarc, connecting_party)"
	" SELECT $1::bigint, ($2::jsonb->'subscriber_side_demarcs')->>(n - 1), $2::jsonb->>'connecting_party'"
	"   FROM generate_series(1, ($2::jsonb->>'port_quantity')::int) AS n",
	"INSERT INTO jobs (kind, payload)"
	" SELECT 'connection.requested', jsonb_build_object('connection', $1::text)",
	NULL,
};

const struct db_create connection_create = {
	.title = "Connection",
	.object_type = "connection",
	.check_owner = true,
	.rules = create_rules,
	.check = create_check,
	.insert_sql = "INSERT INTO connections (managing_account, consuming_account, billing_account, external_ref,"
		      "    purchase_order, contract_ref, mode, lacp_timeout, product_offering, port_quantity,"
		      "    subscriber_side_demarcs, connecting_party)"
		      " SELECT (v->>'managing_account')::bigint, (v->>'consuming_account')::bigint,"
		      "        (v->>'billing_account')::bigint, v->>'external_ref', coalesce(v->>'purchase_order', ''),"
		      "        v->>'contract_ref', v->>'mode', v->>'lacp_timeout', (v->>'product_offering')::bigint,"
		      "        (v->>'port_quantity')::int,"
		      "        ARRAY(SELECT jsonb_array_elements_text(coalesce(v->'subscriber_side_demarcs', '[]'))),"
		      "        v->>'connecting_party'"
		      "   FROM (SELECT $1::jsonb AS v) AS i"
		      " RETURNING id::text",
	.writes = create_writes,
	.render_sql = "SELECT connection_json(c)::text FROM connections c WHERE c.id = $1::bigint",
};

static const char *const decommission_connection_sql[] = {
	"SELECT connection_decommission($1::bigint, $2::date, $3::date, $4::bigint, $5::bigint, $6)",
	NULL,
};

/* Decommissioning a connection takes its port reservations along. */
const struct decommission_spec connections_decommission = {
	"Connection",
	"connection",
	"SELECT to_char(x.decommission_at, 'YYYY-MM-DD') AS decommission_at,"
	"       to_char(x.charged_until, 'YYYY-MM-DD') AS charged_until,"
	"       c.state, connection_json(c)::text AS json, true AS may_write, NULL AS refusal"
	"  FROM connections c JOIN product_offerings o ON o.id = c.product_offering,"
	"       cancellation_policy(coalesce(c.current_billing_start_date, c.created_at::date),"
	"                           coalesce($4::date, current_date), current_date, o) AS x"
	" WHERE c.id = $3::bigint"
	"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)",
	" FOR UPDATE OF c",
	decommission_connection_sql,
	"SELECT connection_json(c)::text FROM connections c WHERE c.id = $1::bigint",
};

/* The connection's rules for a change, on the locked row (the field
 * table's flags keep the order's fundamentals and the state): an LACP
 * timeout needs LACP; the accounts and role assignments as for an order. */
static struct problem *update_check(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in)
{
	(void)in;
	json_t *j_patch = json_loads(w->input_json, 0, NULL);
	bool changes_roles = json_object_get(j_patch, "role_assignments") != NULL;
	bool changes_billing = json_object_get(j_patch, "billing_account") != NULL;
	json_decref(j_patch);
	const char *merged = db_get(old, 0, "merged");
	struct problem *p = NULL;
	if (!db_get_bool(old, 0, "lacp_ok"))
		p = problem_invalid("lacp_timeout", "Only a lag_lacp connection has an LACP timeout.");
	if (!p)
		p = db_check_owner_accounts(conn, w->actor, w->input_json);
	if (!p && changes_billing)
		p = db_rules_run(conn, w->actor, billing_rules, merged);
	if (!p && changes_roles)
		p = check_role_assignments(conn, w->actor, merged);
	return p;
}

static const char *const update_writes[] = {
	"UPDATE connections c SET"
	"  managing_account = coalesce((v->>'managing_account')::bigint, c.managing_account),"
	"  consuming_account = coalesce((v->>'consuming_account')::bigint, c.consuming_account),"
	"  billing_account = coalesce((v->>'billing_account')::bigint, c.billing_account),"
	"  external_ref = CASE WHEN v ? 'external_ref' THEN v->>'external_ref' ELSE c.external_ref END,"
	"  purchase_order = coalesce(v->>'purchase_order', c.purchase_order),"
	"  contract_ref = CASE WHEN v ? 'contract_ref' THEN v->>'contract_ref' ELSE c.contract_ref END,"
	"  lacp_timeout = CASE WHEN v ? 'lacp_timeout' THEN v->>'lacp_timeout' ELSE c.lacp_timeout END,"
	"  state = coalesce(v->>'state', c.state),"
	"  updated_at = now()"
	" FROM (SELECT $2::jsonb AS v) AS input"
	" WHERE c.id = $1::bigint",
	/* role assignments: replaced when the patch names them */
	"DELETE FROM connection_role_assignments WHERE connection = $1::bigint AND $2::jsonb ? 'role_assignments'",
	"INSERT INTO connection_role_assignments (connection, role_assignment)"
	" SELECT DISTINCT $1::bigint, a::bigint"
	"   FROM jsonb_array_elements_text(coalesce($2::jsonb->'role_assignments', '[]')) AS a",
	/* what the network must follow (LACP timeout, state) goes to the outbox */
	"INSERT INTO jobs (kind, payload)"
	" SELECT 'connection.changed', jsonb_build_object('connection', $1::text, 'changes', $2::jsonb)"
	"  WHERE $2::jsonb ?| ARRAY['lacp_timeout', 'state']",
	NULL,
};

/* The connection as it is, and the patch laid over it: the merged object
 * is what the checks of an order see. */
const struct db_update connection_update = {
	.title = "Connection",
	.object_type = "connection",
	.lock_sql =
		"SELECT connection_json(c)::text AS json,"
		"       (jsonb_build_object('managing_account', c.managing_account::text,"
		"            'consuming_account', c.consuming_account::text,"
		"            'billing_account', c.billing_account::text,"
		"            'mode', c.mode, 'product_offering', c.product_offering::text,"
		"            'port_quantity', c.port_quantity, 'lacp_timeout', c.lacp_timeout) || $4::jsonb)::text"
		"       AS merged,"
		"       coalesce($4::jsonb->>'lacp_timeout', c.lacp_timeout) IS NULL OR c.mode = 'lag_lacp' AS lacp_ok"
		"  FROM connections c"
		" WHERE c.id = $3::bigint AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
		" FOR UPDATE",
	.check = update_check,
	.writes = update_writes,
	.render_sql = "SELECT connection_json(c)::text FROM connections c WHERE c.id = $1::bigint",
};

/* The exchange's LOA for one object: the facts rendered into it. */
static const char loa_facts_sql[] =
	"SELECT coalesce(n.service_provider, 'The exchange') AS exchange, a.name AS member,"
	"       'LOA-' || c.name || '-' || to_char(current_date, 'YYYYMMDD') AS reference,"
	"       to_char(current_date, 'YYYY-MM-DD') AS date,"
	"       coalesce(f.name || ', ' || f.street_address || ', ' || f.postal_code || ' ' || f.address_locality,"
	"                'to be assigned') AS facility,"
	"       coalesce(p.name, 'to be assigned') AS pop,"
	"       coalesce((SELECT string_agg(d.name, ', ' ORDER BY d.id) FROM devices d WHERE d.pop = p.id),"
	"                'to be assigned') AS device,"
	"       c.name || ', ' || c.port_quantity || ' x ' || coalesce((o.physical_port_speed / 1000) || 'G', '?')"
	"       AS connection,"
	"       (SELECT string_agg(coalesce(r.exchange_side_demarc, r.subscriber_side_demarc, 'to be assigned'),"
	"                          E'\\n' ORDER BY r.id)"
	"          FROM port_reservations r WHERE r.connection = c.id) AS demarcs"
	"  FROM connections c JOIN accounts a ON a.id = c.consuming_account"
	"  JOIN product_offerings o ON o.id = c.product_offering"
	"  LEFT JOIN pops p ON p.id = o.handover_pop LEFT JOIN facilities f ON f.id = p.facility"
	"  LEFT JOIN metro_area_networks n ON n.id = o.handover_metro_area_network"
	" WHERE c.id = $3::bigint AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)";

static const struct loa_spec loa_spec = {
	"Connection",
	"connection_loa",
	"SELECT 1 FROM connections c WHERE c.id = $3::bigint"
	"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
	" FOR UPDATE",
	"INSERT INTO connection_loas (connection, pdf, uploaded_by) VALUES ($1::bigint, $2::bytea, $3::bigint)"
	" RETURNING jsonb_build_object('connection', connection::text, 'size', octet_length(pdf),"
	"                              'uploaded_at', rfc3339(uploaded_at))::text",
	"SELECT encode(l.pdf, 'hex') FROM connection_loas l JOIN connections c ON c.id = l.connection"
	" WHERE c.id = $3::bigint"
	"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
	" ORDER BY l.id DESC LIMIT 1",
	loa_facts_sql,
};

struct problem *connections_db_loa(struct db_pool *pool, const struct actor *actor, const char *id,
				   unsigned char **pdf_out, size_t *len_out)
{
	return loa_db_read(pool, &loa_spec, actor, id, pdf_out, len_out);
}

struct problem *connections_db_loa_store(struct db_pool *pool, const struct actor *actor, const char *id,
					 const unsigned char *data, size_t len, char **json_out)
{
	return loa_db_store(pool, &loa_spec, actor, id, data, len, json_out);
}

struct problem *connections_db_loa_render(PGconn *conn, const char *id, unsigned char **pdf_out, size_t *len_out)
{
	const char *params[] = {"0", "t", id}; /* the exchange's view: every connection */
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, loa_facts_sql, 3, params, &res);
	if (!p && PQntuples(res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "Connection %s was not found.", id);
	if (!p)
		p = loa_render_row(res, pdf_out, len_out);
	PQclear(res);
	return p;
}
