/*
 * Port reservations in PostgreSQL (see port_reservations_db.h): the listing
 * descriptor, ordering, allocation, decommissioning and LOAs. A
 * reservation is scoped through its connection's accounts. The
 * connection's port_quantity counts its reservations that are not on
 * their way out (decommission requested, decommissioned, archived).
 */
#include "connections/port_reservations.h"
#include "connections/port_reservations_db.h"

#include "core/fields.h"
#include "core/states.h"
#include "core/util.h"
#include "db/events.h"
#include "db/write.h"
#include "loa/loa_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct filter_spec port_reservations_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"state", FILTER_ENUM, ixapi_states},
	{"state__is_not", FILTER_ENUM, ixapi_states},
	{"connection", FILTER_TEXT, NULL},
	{"port", FILTER_TEXT, NULL},
	{"external_ref", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	{NULL, FILTER_TEXT, NULL},
};

/* In filter order. */
static const char *const port_reservations_predicates[] = {
	"t.id = ANY ($?::bigint[])", "t.state = $?",        "t.state <> $?", "t.connection = id_or_null($?)",
	"t.port = id_or_null($?)",   "t.external_ref = $?",
};

/* A reservation is the caller's when its connection is. */
const struct listing port_reservations_listing = {
	.title = "Port reservation",
	.filters = port_reservations_filters,
	.table = "port_reservations",
	.render = "port_reservations_render",
	.member_scope = "t.connection = ANY (ARRAY(SELECT c.id FROM connections c"
			" WHERE c.managing_account = ANY ($?) OR c.consuming_account = ANY ($?)))",
	.predicates = port_reservations_predicates,
	.sql = LISTING_SQL,
};

/* States of objects on their way out: they take no new ports and count no more. */
static bool is_leaving(const char *state)
{
	return strcmp(state, "decommission_requested") == 0 || strcmp(state, "decommissioned") == 0 ||
	       strcmp(state, "archived") == 0;
}

static struct problem *connection_json_text(PGconn *conn, const char *connection_id, PGresult **res)
{
	const char *params[] = {connection_id};
	return db_exec(conn, "SELECT connection_json(c)::text FROM connections c WHERE c.id = $1::bigint", 1, params,
		       res);
}

/* The connection a new reservation joins, locked: live, not standalone,
 * below its offering's port maximum, with a demarc when the exchange
 * patches. Keeps its JSON text (in->aside) for its update event. */
static struct problem *create_check(PGconn *conn, struct db_write *w, struct db_update_input *in)
{
	json_t *j_in = json_loads(w->input_json, 0, NULL);
	char connection[ID_MAX_LEN + 1];
	snprintf(connection, sizeof(connection), "%s", json_string_value(json_object_get(j_in, "connection")));
	bool has_demarc = json_is_string(json_object_get(j_in, "subscriber_side_demarc"));
	json_decref(j_in);
	if (!util_is_id(connection))
		return problem_new(PROBLEM_NOT_FOUND, "Connection %s was not found.", connection);
	const char *params[3];
	actor_scope_params(w->actor, params);
	params[2] = connection;
	PGresult *old = NULL;
	struct problem *p =
		db_exec(conn,
			"SELECT c.state, c.mode, c.port_quantity, o.maximum_port_quantity, o.cross_connect_initiator,"
			"       connection_json(c)::text AS json"
			"  FROM connections c JOIN product_offerings o ON o.id = c.product_offering"
			" WHERE c.id = $3::bigint"
			"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
			" FOR UPDATE OF c",
			3, params, &old);
	if (!p && PQntuples(old) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "Connection %s was not found.", connection);
	if (p)
		goto out;
	const char *state = db_get(old, 0, "state");
	bool exchange_patches = strcmp(db_get(old, 0, "cross_connect_initiator"), "exchange") == 0;
	if (is_leaving(state))
		p = problem_invalid("connection", "Connection %s is %s: it takes no new ports.", connection, state);
	else if (strcmp(db_get(old, 0, "mode"), "standalone") == 0)
		p = problem_invalid("connection", "A standalone connection has exactly one port: order a LAG.");
	else if (db_get(old, 0, "maximum_port_quantity") &&
		 atoi(db_get(old, 0, "port_quantity")) >= atoi(db_get(old, 0, "maximum_port_quantity")))
		p = problem_invalid("connection",
				    "The connection already has the %s ports its product offering allows.",
				    db_get(old, 0, "maximum_port_quantity"));
	else if (exchange_patches && !has_demarc)
		p = problem_invalid("subscriber_side_demarc",
				    "The exchange patches this connection: give the demarc for the new port.");
	if (!p)
		in->aside = xstrdup(db_get(old, 0, "json"));
out:
	PQclear(old);
	return p;
}

/* One more port on the connection (a demarc it did not know joins its
 * list), and the job. */
static const char *const create_writes[] = {
	"UPDATE connections c SET port_quantity = port_quantity + 1, updated_at = now(),"
	"       subscriber_side_demarcs = CASE"
	"         WHEN $2::jsonb->>'subscriber_side_demarc' IS NULL"
	"           OR $2::jsonb->>'subscriber_side_demarc' = ANY (c.subscriber_side_demarcs)"
	"         THEN c.subscriber_side_demarcs"
	"         ELSE array_append(c.subscriber_side_demarcs, $2::jsonb->>'subscriber_side_demarc') END"
	"  FROM port_reservations r WHERE r.id = $1::bigint AND c.id = r.connection",
	"INSERT INTO jobs (kind, payload)"
	" VALUES ('port_reservation.requested',"
	"         jsonb_build_object('port_reservation', $1::text, 'connection', $2::jsonb->>'connection'))",
	NULL,
};

/* The connection changed too: its update event. */
static struct problem *create_after(PGconn *conn, struct db_write *w, const char *id, const struct db_update_input *in)
{
	(void)id;
	json_t *j_in = json_loads(w->input_json, 0, NULL);
	char connection[ID_MAX_LEN + 1];
	snprintf(connection, sizeof(connection), "%s", json_string_value(json_object_get(j_in, "connection")));
	json_decref(j_in);
	PGresult *after = NULL;
	struct problem *p = connection_json_text(conn, connection, &after);
	if (!p)
		p = events_record(conn, w->actor, "update", "connection", connection, in->aside,
				  PQgetvalue(after, 0, 0));
	PQclear(after);
	return p;
}

const struct db_create port_reservation_create = {
	.title = "Port reservation",
	.object_type = "port_reservation",
	.first = create_check,
	.insert_sql = "INSERT INTO port_reservations (connection, subscriber_side_demarc, connecting_party,"
		      "    cross_connect_id, external_ref, purchase_order, contract_ref)"
		      " SELECT (v->>'connection')::bigint, v->>'subscriber_side_demarc', v->>'connecting_party',"
		      "        v->>'cross_connect_id', v->>'external_ref', coalesce(v->>'purchase_order', ''),"
		      "        v->>'contract_ref'"
		      "   FROM (SELECT $1::jsonb AS v) AS i"
		      " RETURNING id::text",
	.writes = create_writes,
	.after = create_after,
	.render_sql = "SELECT port_reservation_json(r)::text FROM port_reservations r WHERE r.id = $1::bigint",
};

/* The port an operator allocates: it must exist, be free, sit at the
 * offering's handover PoP (when it names one) and have its speed (when
 * it names one). Locks the port. */
static struct problem *check_port(PGconn *conn, const char *reservation, const char *port)
{
	const char *params[] = {reservation, port};
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"SELECT pt.connection IS NULL AND pt.state NOT IN ('decommissioned', 'archived') AS is_free,"
		"       o.handover_pop IS NULL OR d.pop = o.handover_pop AS at_pop,"
		"       o.physical_port_speed IS NULL OR pt.speed = o.physical_port_speed AS has_speed"
		"  FROM ports pt JOIN devices d ON d.id = pt.device, port_reservations r"
		"  JOIN connections c ON c.id = r.connection JOIN product_offerings o ON o.id = c.product_offering"
		" WHERE pt.id = $2::bigint AND r.id = $1::bigint"
		" FOR UPDATE OF pt",
		2, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0)
		p = problem_invalid("port", "Port %s does not exist.", port);
	else if (!db_get_bool(res, 0, "is_free"))
		p = problem_invalid("port", "Port %s is not free: it serves another connection.", port);
	else if (!db_get_bool(res, 0, "at_pop"))
		p = problem_invalid("port", "Port %s is not at the product offering's handover PoP.", port);
	else if (!db_get_bool(res, 0, "has_speed"))
		p = problem_invalid("port", "Port %s does not have the product offering's port speed.", port);
	PQclear(res);
	return p;
}

/* Moves the reservation onto new_port (NULL: releases its port): the old
 * one goes back to the exchange (the operator's account), the new one to
 * the connection's accounts, each move queued (port_reservation_move.sql,
 * the one allocation path, the onboarding's port assignment takes it too). */
static struct problem *move_port(PGconn *conn, const struct actor *actor, const char *reservation, const char *new_port)
{
	const char *params[] = {reservation, new_port, actor->account};
	return db_exec(conn, "SELECT port_reservation_move($1::bigint, $2::bigint, $3::bigint)", 3, params, NULL);
}

/* The reservation's rules for a change, on the locked row (what only
 * operators set is the field table's): the demarc of a patched port, the port moved (flag: a
 * port is allocated now). */
static struct problem *update_check(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in)
{
	json_t *j_patch = json_loads(w->input_json, 0, NULL);
	json_t *j_port = json_object_get(j_patch, "port");
	const char *new_port = json_string_value(j_port); /* NULL: none or a release */
	char port_buf[ID_MAX_LEN + 1] = "";
	if (new_port)
		snprintf(port_buf, sizeof(port_buf), "%s", new_port);
	bool changes_port = j_port && strcmp(port_buf, db_get(old, 0, "port")) != 0;
	bool changes_demarc = json_object_get(j_patch, "subscriber_side_demarc") != NULL;
	json_decref(j_patch);
	const char *state = db_get(old, 0, "state");
	struct problem *p = NULL;
	if (changes_demarc && !w->actor->is_operator && *db_get(old, 0, "port"))
		p = problem_invalid("subscriber_side_demarc",
				    "A port is allocated and patched: ask the exchange to move the cross-connect.");
	else if (changes_port && port_buf[0] && is_leaving(state))
		p = problem_invalid("port", "Port reservation %s is %s: it takes no port.", w->id, state);
	else if (changes_port && port_buf[0])
		p = check_port(conn, w->id, port_buf);
	if (!p && changes_port)
		p = move_port(conn, w->actor, w->id, port_buf[0] ? port_buf : NULL);
	/* A requested reservation that gets a port is allocated, unless the
	 * operator says otherwise. */
	in->flag = changes_port && port_buf[0];
	return p;
}

static const char *const update_writes[] = {
	"UPDATE port_reservations r SET"
	"  external_ref = CASE WHEN v ? 'external_ref' THEN v->>'external_ref' ELSE r.external_ref END,"
	"  purchase_order = coalesce(v->>'purchase_order', r.purchase_order),"
	"  contract_ref = CASE WHEN v ? 'contract_ref' THEN v->>'contract_ref' ELSE r.contract_ref END,"
	"  subscriber_side_demarc = CASE WHEN v ? 'subscriber_side_demarc'"
	"                           THEN v->>'subscriber_side_demarc' ELSE r.subscriber_side_demarc END,"
	"  connecting_party = CASE WHEN v ? 'connecting_party' THEN v->>'connecting_party'"
	"                     ELSE r.connecting_party END,"
	"  cross_connect_id = CASE WHEN v ? 'cross_connect_id' THEN v->>'cross_connect_id'"
	"                     ELSE r.cross_connect_id END,"
	"  exchange_side_demarc = CASE WHEN v ? 'exchange_side_demarc' THEN v->>'exchange_side_demarc'"
	"                         ELSE r.exchange_side_demarc END,"
	"  port = CASE WHEN v ? 'port' THEN (v->>'port')::bigint ELSE r.port END,"
	"  state = coalesce(v->>'state', CASE WHEN $3::boolean AND r.state = 'requested' THEN 'allocated' END, r.state)"
	" FROM (SELECT $2::jsonb AS v) AS input"
	" WHERE r.id = $1::bigint",
	"INSERT INTO jobs (kind, payload)"
	" SELECT 'port_reservation.changed', jsonb_build_object('port_reservation', $1::text, 'changes', $2::jsonb)"
	"  WHERE $2::jsonb ?| ARRAY['state', 'exchange_side_demarc', 'cross_connect_id']",
	NULL,
};

const struct db_update port_reservation_update = {
	.title = "Port reservation",
	.object_type = "port_reservation",
	.lock_sql = "SELECT port_reservation_json(r)::text AS json, r.state, coalesce(r.port::text, '') AS port,"
		    "       c.id::text AS connection"
		    "  FROM port_reservations r JOIN connections c ON c.id = r.connection"
		    " WHERE r.id = $3::bigint"
		    "   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
		    " FOR UPDATE OF r",
	.check = update_check,
	.writes = update_writes,
	.render_sql = "SELECT port_reservation_json(r)::text FROM port_reservations r WHERE r.id = $1::bigint",
};

static const char *const decommission_reservation_sql[] = {
	"SELECT port_reservation_decommission($1::bigint, $2::date, $3::date, $4::bigint, $5::bigint, $6)",
	NULL,
};

/* A reservation goes under its connection's offering; a live connection
 * keeps at least one port (its end is its own DELETE). */
const struct decommission_spec port_reservations_decommission = {
	"Port reservation",
	"port_reservation",
	"SELECT to_char(x.decommission_at, 'YYYY-MM-DD') AS decommission_at,"
	"       to_char(x.charged_until, 'YYYY-MM-DD') AS charged_until,"
	"       r.state, port_reservation_json(r)::text AS json, true AS may_write,"
	"       CASE WHEN c.state NOT IN ('decommission_requested', 'decommissioned', 'archived')"
	"             AND (SELECT count(*) FROM port_reservations l WHERE l.connection = c.id"
	"                     AND l.state NOT IN ('decommission_requested', 'decommissioned', 'archived')) <= 1"
	"            THEN 'Port reservation ' || r.id || ' is the last port of connection ' || c.id"
	"                 || ': decommission the connection.' END AS refusal"
	"  FROM port_reservations r JOIN connections c ON c.id = r.connection"
	"  JOIN product_offerings o ON o.id = c.product_offering,"
	"       cancellation_policy(coalesce(r.current_billing_start_date, r.created_at::date),"
	"                           coalesce($4::date, current_date), current_date, o) AS x"
	" WHERE r.id = $3::bigint"
	"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)",
	" FOR UPDATE OF r, c",
	decommission_reservation_sql,
	"SELECT port_reservation_json(r)::text FROM port_reservations r WHERE r.id = $1::bigint",
};

/* The exchange's LOA for one object: the facts rendered into it. */
static const char loa_facts_sql[] =
	"SELECT coalesce(n.service_provider, 'The exchange') AS exchange, a.name AS member,"
	"       'LOA-' || c.name || '-PR' || r.id || '-' || to_char(current_date, 'YYYYMMDD') AS reference,"
	"       to_char(current_date, 'YYYY-MM-DD') AS date,"
	"       coalesce(f.name || ', ' || f.street_address || ', ' || f.postal_code || ' ' || f.address_locality,"
	"                'to be assigned') AS facility,"
	"       coalesce(pp.name, 'to be assigned') AS pop,"
	"       coalesce(d.name || ', port ' || pt.name,"
	"                (SELECT string_agg(x.name, ', ' ORDER BY x.id) FROM devices x WHERE x.pop = pp.id),"
	"                'to be assigned') AS device,"
	"       c.name || ', port reservation ' || r.id || ', 1 x '"
	"              || coalesce((coalesce(pt.speed, o.physical_port_speed) / 1000) || 'G', '?') AS connection,"
	"       'exchange side ' || coalesce(CASE WHEN r.state IN ('allocated', 'production')"
	"                                         THEN r.exchange_side_demarc END, 'to be assigned')"
	"       || '; subscriber side ' || coalesce(r.subscriber_side_demarc, 'to be assigned')"
	"       || coalesce('; cross-connect ' || r.cross_connect_id, '') AS demarcs"
	"  FROM port_reservations r JOIN connections c ON c.id = r.connection"
	"  JOIN accounts a ON a.id = c.consuming_account"
	"  JOIN product_offerings o ON o.id = c.product_offering"
	"  LEFT JOIN ports pt ON pt.id = r.port LEFT JOIN devices d ON d.id = pt.device"
	"  LEFT JOIN pops pp ON pp.id = coalesce(d.pop, o.handover_pop)"
	"  LEFT JOIN facilities f ON f.id = pp.facility"
	"  LEFT JOIN metro_area_networks n ON n.id = o.handover_metro_area_network"
	" WHERE r.id = $3::bigint"
	"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)";

static const struct loa_spec loa_spec = {
	"Port reservation",
	"port_reservation_loa",
	"SELECT 1 FROM port_reservations r JOIN connections c ON c.id = r.connection"
	" WHERE r.id = $3::bigint"
	"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
	" FOR UPDATE OF r",
	"INSERT INTO port_reservation_loas (port_reservation, pdf, uploaded_by)"
	" VALUES ($1::bigint, $2::bytea, $3::bigint)"
	" RETURNING jsonb_build_object('port_reservation', port_reservation::text, 'size', octet_length(pdf),"
	"                              'uploaded_at', rfc3339(uploaded_at))::text",
	"SELECT encode(l.pdf, 'hex') FROM port_reservation_loas l"
	"  JOIN port_reservations r ON r.id = l.port_reservation JOIN connections c ON c.id = r.connection"
	" WHERE r.id = $3::bigint"
	"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"
	" ORDER BY l.id DESC LIMIT 1",
	loa_facts_sql,
};

struct problem *port_reservations_db_loa(struct db_pool *pool, const struct actor *actor, const char *id,
					 unsigned char **pdf_out, size_t *len_out)
{
	return loa_db_read(pool, &loa_spec, actor, id, pdf_out, len_out);
}

struct problem *port_reservations_db_loa_store(struct db_pool *pool, const struct actor *actor, const char *id,
					       const unsigned char *data, size_t len, char **json_out)
{
	return loa_db_store(pool, &loa_spec, actor, id, data, len, json_out);
}
