/*
 * The onboarding's port assignment in PostgreSQL (see assignment_db.h). One
 * transaction: lock the application, check its step and agreement, lock the
 * ports (named: FOR UPDATE, checked free, at the facility, of the speed;
 * auto: the lowest free ones, FOR UPDATE SKIP LOCKED, so two assignments at
 * once never take one port), the effects (onboarding_ports_assign.sql), the
 * LOA rendered and stored as a connection LOA, the mail to the technical
 * contact (mail_queue.sql) with the LOA attached.
 */
#include "onboarding/assignment_db.h"

#include "connections/connections_db.h"
#include "core/log.h"
#include "core/util.h"
#include "db/events.h"
#include "loa/loa_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORTS_MAX 16 /* applications.port_quantity's ceiling */

struct assign {
	const struct actor *actor; /* the operator, or a job's (no account) */
	const char *id;            /* the application */
	json_t *j_ports;           /* named ports, or NULL: auto */
	char *json;                /* the answer */
	/* what a job needs when the auto policy found too few ports */
	bool too_few;
	char account[24];
	int needed, found;
};

/* Every free-port condition in one place: no connection, not going away,
 * no live reservation naming it. */
#define PORT_IS_FREE                                                                                                   \
	"p.connection IS NULL AND p.state NOT IN ('decommission_requested', 'decommissioned', 'archived')"             \
	" AND NOT EXISTS (SELECT 1 FROM port_reservations x WHERE x.port = p.id"                                       \
	"                  AND x.state NOT IN ('decommissioned', 'archived'))"

/* The locked application with what the checks read. */
static struct problem *lock_application(PGconn *conn, struct assign *a, PGresult **out)
{
	const char *params[] = {a->id};
	struct problem *p = db_exec(
		conn,
		"SELECT a.step, a.account::text AS account, a.connection::text AS connection,"
		"       a.facility::text AS facility, o.physical_port_speed::text AS speed, g.state AS agreement,"
		"       (SELECT count(*) FROM port_reservations r WHERE r.connection = a.connection"
		"           AND r.state = 'requested' AND r.port IS NULL) AS open"
		"  FROM applications a JOIN product_offerings o ON o.id = a.product_offering"
		"  LEFT JOIN agreements g ON g.application = a.id"
		" WHERE a.id = $1::bigint FOR UPDATE OF a",
		1, params, out);
	if (p)
		return p;
	PGresult *res = *out;
	if (PQntuples(res) == 0)
		return problem_new(PROBLEM_NOT_FOUND, "Application %s was not found.", a->id);
	const char *step = db_get(res, 0, "step"), *agreement = db_get(res, 0, "agreement");
	snprintf(a->account, sizeof(a->account), "%s", db_get(res, 0, "account"));
	if (strcmp(step, "rejected") == 0)
		return problem_new(PROBLEM_CONFLICT, "Application %s was rejected: it gets no ports.", a->id);
	if (!agreement || strcmp(agreement, "signed") != 0)
		return problem_new(PROBLEM_CONFLICT,
				   "Application %s: the connection agreement is not signed; ports are assigned once it "
				   "is.",
				   a->id);
	if (strcmp(step, "port_assignment") != 0)
		return problem_new(PROBLEM_CONFLICT,
				   "Application %s is in step %s: ports are assigned in step port_assignment.", a->id,
				   step);
	if (!db_get(res, 0, "connection") || atoi(db_get(res, 0, "open")) == 0)
		return problem_new(PROBLEM_CONFLICT, "Application %s has no port reservation waiting for a port.",
				   a->id);
	return NULL;
}

/* The ports an operator named, locked: each exists, is free, sits at the
 * application's facility and has the offering's speed; as many as the
 * reservations that wait. Their ids into ids_out ("{1,2}"). */
static struct problem *lock_named_ports(PGconn *conn, const struct assign *a, const PGresult *app, char *ids_out,
					size_t ids_len)
{
	size_t n = json_array_size(a->j_ports);
	int open = atoi(db_get(app, 0, "open"));
	if ((int)n != open)
		return problem_invalid("ports", "Give %d port(s): one for each port reservation of the order.", open);
	size_t used = (size_t)snprintf(ids_out, ids_len, "{");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(ids_out + used, ids_len - used, "%s%s", i ? "," : "",
					 json_string_value(json_array_get(a->j_ports, i)));
	snprintf(ids_out + used, ids_len - used, "}");
	const char *params[] = {ids_out, db_get(app, 0, "facility"), db_get(app, 0, "speed")};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn,
				    "SELECT p.id::text AS id, " PORT_IS_FREE " AS is_free,"
				    "       pp.facility = $2::bigint AS at_facility,"
				    "       $3::int IS NULL OR p.speed = $3::int AS has_speed"
				    "  FROM ports p JOIN devices d ON d.id = p.device JOIN pops pp ON pp.id = d.pop"
				    " WHERE p.id = ANY ($1::bigint[])"
				    " ORDER BY p.id FOR UPDATE OF p",
				    3, params, &res);
	if (p)
		return p;
	for (size_t i = 0; i < n && !p; i++) {
		const char *want = json_string_value(json_array_get(a->j_ports, i));
		int row = -1;
		for (int r = 0; r < PQntuples(res); r++)
			if (strcmp(db_get(res, r, "id"), want) == 0)
				row = r;
		if (row < 0)
			p = problem_invalid("ports", "Port %s does not exist.", want);
		else if (!db_get_bool(res, row, "is_free"))
			p = problem_invalid("ports", "Port %s is not free: it serves or is reserved for a connection.",
					    want);
		else if (!db_get_bool(res, row, "at_facility"))
			p = problem_invalid("ports", "Port %s is not at the application's facility.", want);
		else if (!db_get_bool(res, row, "has_speed"))
			p = problem_invalid("ports", "Port %s does not have the product offering's port speed (%s).",
					    want, db_get(app, 0, "speed"));
	}
	PQclear(res);
	return p;
}

/* The auto-assign policy: the lowest free ports of the speed at the
 * facility, locked; ports another assignment holds are skipped, not waited
 * for. Too few: 409 (a->too_few tells a job). */
static struct problem *lock_free_ports(PGconn *conn, struct assign *a, const PGresult *app, char *ids_out,
				       size_t ids_len)
{
	const char *params[] = {db_get(app, 0, "facility"), db_get(app, 0, "speed"), db_get(app, 0, "open")};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn,
				    "SELECT p.id::text AS id"
				    "  FROM ports p JOIN devices d ON d.id = p.device JOIN pops pp ON pp.id = d.pop"
				    " WHERE pp.facility = $1::bigint AND ($2::int IS NULL OR p.speed = $2::int)"
				    "   AND " PORT_IS_FREE " ORDER BY p.id LIMIT $3::int"
				    " FOR UPDATE OF p SKIP LOCKED",
				    3, params, &res);
	if (p)
		return p;
	a->needed = atoi(db_get(app, 0, "open"));
	a->found = PQntuples(res);
	if (a->found < a->needed) {
		a->too_few = true;
		p = problem_new(PROBLEM_CONFLICT,
				"Not enough free ports of %s Mbit/s at the application's facility: %d free, %d needed.",
				db_get(app, 0, "speed") ? db_get(app, 0, "speed") : "any", a->found, a->needed);
	} else {
		size_t used = (size_t)snprintf(ids_out, ids_len, "{");
		for (int i = 0; i < a->found; i++)
			used += (size_t)snprintf(ids_out + used, ids_len - used, "%s%s", i ? "," : "",
						 db_get(res, i, "id"));
		snprintf(ids_out + used, ids_len - used, "}");
	}
	PQclear(res);
	return p;
}

/* The LOA naming the demarcation points, stored as the connection's LOA
 * (with its audit event); its bytea text into *hex_out (caller frees). */
static struct problem *store_loa(PGconn *conn, const struct assign *a, const char *connection, char **hex_out)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct problem *p = connections_db_loa_render(conn, connection, &pdf, &len);
	if (p)
		return p;
	char *hex = loa_bytea_hex_new(pdf, len);
	free(pdf);
	const char *params[] = {connection, hex, a->actor->account[0] ? a->actor->account : NULL};
	PGresult *res = NULL;
	p = db_exec(
		conn,
		"INSERT INTO connection_loas (connection, pdf, uploaded_by) VALUES ($1::bigint, $2::bytea, $3::bigint)"
		" RETURNING jsonb_build_object('connection', connection::text, 'size', octet_length(pdf),"
		"                              'uploaded_at', rfc3339(uploaded_at))::text",
		3, params, &res);
	if (!p)
		p = events_record(conn, a->actor, "create", "connection_loa", connection, NULL, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (p)
		free(hex);
	else
		*hex_out = hex;
	return p;
}

/* The mail to the technical contact: the ports, the member's LAN
 * addresses (or how to order a peering-LAN config), how to activate the
 * port; the LOA attached. Its id into mail_out. */
static struct problem *queue_mail(PGconn *conn, const struct assign *a, const char *loa_hex, char *mail_out,
				  size_t mail_len)
{
	const char *params[] = {a->id};
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		"WITH a AS (SELECT * FROM applications WHERE id = $1::bigint),"
		" k AS (SELECT c.* FROM connections c, a WHERE c.id = a.connection),"
		" tech AS (SELECT ct.email, ct.name FROM application_contacts ac JOIN contacts ct ON ct.id = ac.contact, a"
		"           WHERE ac.application = a.id AND ac.role = 'technical'),"
		" ports AS (SELECT string_agg(format(E'  * Port reservation %s: device %s, port %s, %s Mbit/s %s,' ||"
		"                                    E'\\n    PoP %s at %s (%s, %s %s)\\n    demarcation: %s',"
		"                                    r.id, d.name, pt.name, pt.speed, pt.media_type, pp.name, f.name,"
		"                                    f.street_address, f.postal_code, f.address_locality,"
		"                                    r.exchange_side_demarc), E'\\n' ORDER BY r.id) AS text"
		"             FROM port_reservations r JOIN k ON k.id = r.connection JOIN ports pt ON pt.id = r.port"
		"             JOIN devices d ON d.id = pt.device JOIN pops pp ON pp.id = d.pop"
		"             JOIN facilities f ON f.id = pp.facility),"
		" lan AS (SELECT string_agg(format(E'  * Peering-LAN config %s (%s): %s', c.id, c.state,"
		"                                  coalesce((SELECT string_agg(host(i.address) || '/' || i.prefix_length,"
		"                                                              ', ' ORDER BY i.version, i.id)"
		"                                              FROM ips i WHERE i.network_service_config = c.id),"
		"                                           'no addresses yet')), E'\\n' ORDER BY c.id) AS text,"
		"                 min(c.id) AS first"
		"            FROM network_service_configs c JOIN k ON k.id = c.connection"
		"           WHERE c.type = 'exchange_lan' AND c.state NOT IN ('decommissioned', 'archived')),"
		" peering AS (SELECT min(id) AS id FROM network_services WHERE type = 'exchange_lan')"
		" SELECT tech.email AS recipient,"
		"        format('Ports assigned: connection %s of %s', k.name, a.legal_name) AS subject,"
		"        format(E'Dear %s,\\n\\nthe exchange has assigned the ports of connection %s (id %s) of %s:\\n\\n%s\\n\\n' ||"
		"               E'The Letter of Authorisation (LOA) naming the demarcation points is attached.\\n\\n' ||"
		"               E'Your addresses on the peering LAN:\\n%s\\n\\n' ||"
		"               E'How to activate the port:\\n' ||"
		"               E'  1. Have the port patched to the demarcation point(s) above (show the attached LOA).\\n' ||"
		"               E'  2. The port starts in the quarantine LAN. Send only from your registered MAC address;' ||"
		"               E' no spanning tree (STP/BPDU), LLDP, CDP, proxy ARP, DHCP or IPv6 router advertisements.\\n' ||"
		"               E'  3. When your router is ready, set consumer_side_ready:\\n' ||"
		"               E'       PATCH /api/v2/network-service-configs/%s {\"consumer_side_ready\": true}\\n' ||"
		"               E'     or ask for a new test: POST /api/v2/network-service-configs/%s/quarantine-test\\n' ||"
		"               E'  4. The quarantine gate''s verdict moves the port to the peering LAN (production), or' ||"
		"               E' lists what to fix in the config''s status.\\n',"
		"               tech.name, k.name, k.id, a.legal_name, coalesce(ports.text, '  (none)'),"
		"               coalesce(lan.text, format(E'  You have not ordered a peering-LAN config yet. Order one' ||"
		"                        E' with IX-API:\\n    POST /api/v2/network-service-configs {\"type\": \"exchange_lan\",' ||"
		"                        E' \"network_service\": \"%s\", \"connection\": \"%s\", \"vlan_config\":' ||"
		"                        E' {\"vlan_type\": \"port\"}, \"asns\": [...], \"macs\": [...],' ||"
		"                        E' \"role_assignments\": [...]}\\n  The exchange allocates your IPv4 and IPv6' ||"
		"                        E' addresses from the LAN; the config''s ips list them.', peering.id, k.id)),"
		"               coalesce(lan.first::text, '{id}'), coalesce(lan.first::text, '{id}')) AS body"
		"   FROM a, k, ports, lan, peering LEFT JOIN tech ON true",
		1, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0 || !db_get(res, 0, "recipient")) {
		PQclear(res);
		return problem_new(PROBLEM_CONFLICT, "Application %s names no technical contact to mail the ports to.",
				   a->id);
	}
	const char *mail[] = {db_get(res, 0, "recipient"), db_get(res, 0, "subject"), db_get(res, 0, "body"), loa_hex,
			      a->id};
	PGresult *queued = NULL;
	p = db_exec(conn, "SELECT mail_queue($1, $2, $3, 'loa.pdf', $4::bytea, 'application', $5::bigint)::text", 5,
		    mail, &queued);
	if (!p)
		snprintf(mail_out, mail_len, "%s", PQgetvalue(queued, 0, 0));
	PQclear(queued);
	PQclear(res);
	return p;
}

static struct problem *assign_tx(PGconn *conn, void *arg)
{
	struct assign *a = arg;
	PGresult *app = NULL;
	char ids[PORTS_MAX * 24 + 4] = "", connection[24] = "", mail[24] = "";
	char *loa_hex = NULL;
	struct problem *p = lock_application(conn, a, &app);
	if (p)
		goto out;
	snprintf(connection, sizeof(connection), "%s", db_get(app, 0, "connection"));
	p = a->j_ports ? lock_named_ports(conn, a, app, ids, sizeof(ids))
		       : lock_free_ports(conn, a, app, ids, sizeof(ids));
	if (p)
		goto out;
	const char *effects[] = {a->id, ids, a->actor->account[0] ? a->actor->account : NULL,
				 a->actor->key_id && a->actor->key_id[0] ? a->actor->key_id : NULL,
				 a->actor->request_id};
	p = db_exec(conn, "SELECT onboarding_ports_assign($1::bigint, $2::bigint[], $3::bigint, $4::bigint, $5)", 5,
		    effects, NULL);
	if (!p)
		p = store_loa(conn, a, connection, &loa_hex);
	if (!p)
		p = queue_mail(conn, a, loa_hex, mail, sizeof(mail));
	if (p)
		goto out;
	PQclear(app);
	const char *answer[] = {a->id, mail};
	p = db_exec(conn,
		    "SELECT jsonb_build_object('application', a.id::text, 'step', a.step, 'account', a.account::text,"
		    "           'connection', a.connection::text, 'ports_assigned_at', rfc3339(a.ports_assigned_at),"
		    "           'mail', $2::text,"
		    "           'port_reservations', (SELECT jsonb_agg(jsonb_build_object('id', r.id::text,"
		    "                  'port', r.port::text, 'state', r.state,"
		    "                  'exchange_side_demarc', r.exchange_side_demarc) ORDER BY r.id)"
		    "              FROM port_reservations r WHERE r.connection = a.connection AND r.port IS NOT NULL"
		    "               AND r.state NOT IN ('decommissioned', 'archived')))::text AS json"
		    "  FROM applications a WHERE a.id = $1::bigint",
		    2, answer, &app);
	if (!p)
		a->json = xstrdup(db_get(app, 0, "json"));
out:
	free(loa_hex);
	PQclear(app);
	return p;
}

struct problem *assignment_db_assign(struct db_pool *pool, const struct actor *actor, const char *id, json_t *j_ports,
				     char **json_out)
{
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "Application %.40s was not found.", id);
	struct assign a = {.actor = actor, .id = id, .j_ports = j_ports};
	struct problem *p = db_transaction(pool, assign_tx, &a);
	if (p) {
		free(a.json);
		return p;
	}
	*json_out = a.json;
	return NULL;
}

/* The account's `onboarding.no_free_port` entry (a transaction of its own:
 * the assignment's was rolled back). */
static struct problem *no_free_port_tx(PGconn *conn, void *arg)
{
	const struct assign *a = arg;
	char needed[16], found[16];
	snprintf(needed, sizeof(needed), "%d", a->needed);
	snprintf(found, sizeof(found), "%d", a->found);
	const char *params[] = {a->account, a->id, needed, found};
	return db_exec(
		conn,
		"SELECT status_set('account', $1::bigint, 'onboarding.no_free_port', 4,"
		"       format('No free port for the connection yet: %s of %s free at the facility; the exchange' ||"
		"              ' assigns one as soon as it can.', $4::text, $3::text),"
		"       jsonb_build_object('application', $2::text, 'needed', $3::int, 'free', $4::int))",
		4, params, NULL);
}

int assignment_db_job(struct db_pool *pool, const char *job_id, const char *id, bool is_auto, char *err, size_t err_len)
{
	if (!id || !util_is_id(id))
		return 0; /* names no application: nothing to do */
	if (!is_auto) {
		LOG_INFO(
			"job %s: application %s waits for an operator's port assignment (IXAPI_PORT_ASSIGNMENT=operator)",
			job_id, id);
		return 0;
	}
	char request_id[40];
	snprintf(request_id, sizeof(request_id), "job:%s", job_id);
	struct actor actor = {.is_operator = true, .account = "", .key_id = "", .request_id = request_id};
	struct assign a = {.actor = &actor, .id = id};
	struct problem *p = db_transaction(pool, assign_tx, &a);
	free(a.json);
	if (!p) {
		LOG_INFO("job %s: application %s: ports assigned", job_id, id);
		return 0;
	}
	int rc = 0;
	if (a.too_few) {
		struct problem *q = db_transaction(pool, no_free_port_tx, &a);
		snprintf(err, err_len, "%s%s%s", problem_detail(p), q ? " (its status entry: " : "",
			 q ? problem_detail(q) : "");
		problem_free(q);
		rc = -1;
	} else if (problem_kind_of(p) == PROBLEM_CONFLICT || problem_kind_of(p) == PROBLEM_NOT_FOUND) {
		/* assigned meanwhile, rejected, or gone: nothing left to do */
		LOG_INFO("job %s: application %s: no assignment: %s", job_id, id, problem_detail(p));
	} else {
		snprintf(err, err_len, "%s", problem_detail(p));
		rc = -1;
	}
	problem_free(p);
	return rc;
}
