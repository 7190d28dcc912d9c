/*
 * The job kinds the workers carry out (see handlers.h). Switch jobs are
 * level-triggered: they never read the desired state from the job's
 * payload, always from the database at the time they run.
 */
#include "jobs/handlers.h"

#include "core/log.h"
#include "core/mac.h"
#include "events/webhook_deliver.h"
#include "jobs/rs_handlers.h"
#include "onboarding/agreements_job.h"
#include "mail/mail_job.h"
#include "onboarding/assignment_db.h"
#include "statistics/peer_jobs.h"
#include "quarantine/gate.h"
#include "statistics/collect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECONCILE_ROUNDS  3
#define CAPTURE_PORTS_MAX 8     /* ports of one connection captured at once */
#define CAPTURE_GRACE_MS  15000 /* how long past its window a capture may take to be done */

/* The first value of a one-row, one-column answer into out ("" for none). */
static int query_value(struct db_pool *pool, const char *sql, int n, const char *const *params, char *out,
		       size_t out_len, char *err, size_t err_len)
{
	PGresult *res = NULL;
	struct problem *p = db_query(pool, sql, n, params, &res);
	out[0] = '\0';
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		snprintf(out, out_len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* The desired state of a port as the adapter's model can take it: the
 * bridge-per-service model has no tagged member ports (vlan null). Caller
 * frees. */
static char *desired_for(const struct job_context *ctx, const struct switch_adapter *a, const char *port_id, char *err,
			 size_t err_len)
{
	char text[16384];
	const char *params[] = {port_id};
	if (query_value(ctx->pool, "SELECT switch_port_desired($1::bigint)::text", 1, params, text, sizeof(text), err,
			err_len) != 0)
		return NULL;
	json_t *j = json_loads(text, 0, NULL);
	if (!j) {
		snprintf(err, err_len, "no desired state for port %s", port_id);
		return NULL;
	}
	if (!a->vlan_filtering)
		json_object_set_new(j, "vlan", json_null());
	char *out = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return out;
}

/* PUTs each port's desired state until the database's answer no longer
 * changes under it (a concurrent job that PUT an older truth is followed
 * by our newer one; ours is re-read after the PUT). */
static int reconcile_port(const struct job_context *ctx, const struct switch_adapter *a, const char *job_id,
			  const char *port_id, const char *port_name, char *err, size_t err_len)
{
	char *sent = NULL;
	int rc = -1;
	for (int round = 0; round < RECONCILE_ROUNDS; round++) {
		char *desired = desired_for(ctx, a, port_id, err, err_len);
		if (!desired)
			goto out;
		if (sent && strcmp(sent, desired) == 0) {
			free(desired);
			rc = 0;
			goto out;
		}
		free(sent);
		sent = desired;
		if (adapter_put_port(a, &ctx->timeouts, port_name, sent, job_id, err, err_len) != 0)
			goto out;
		LOG_DEBUG("job %s: port %s on %s: %s", job_id, port_name, a->name, sent);
	}
	snprintf(err, err_len, "port %s: its desired state kept changing", port_name);
out:
	free(sent);
	return rc;
}

/* Brings every port of a connection (and extra_port, a port it just let go,
 * may be NULL) to its desired state. */
static int reconcile_connection(const struct job_context *ctx, const char *job_id, const char *connection,
				const char *extra_port, struct job_outcome *outcome, char *err, size_t err_len)
{
	const char *params[] = {connection && *connection ? connection : NULL, extra_port};
	PGresult *res = NULL;
	struct problem *p =
		db_query(ctx->pool,
			 "SELECT p.id::text AS id, p.name, d.name AS device, p.connection::text AS connection"
			 "  FROM ports p JOIN devices d ON d.id = p.device"
			 " WHERE p.connection = $1::bigint OR p.id = $2::bigint ORDER BY p.id",
			 2, params, &res);
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	int rc = 0;
	int wired = 0;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		const char *device = db_get(res, i, "device");
		const struct switch_adapter *a = adapters_for_device(ctx->adapters, device);
		if (!a) {
			snprintf(err, err_len, "no switch adapter serves device %s (port %s)", device,
				 db_get(res, i, "name"));
			rc = -1;
			break;
		}
		rc = reconcile_port(ctx, a, job_id, db_get(res, i, "id"), db_get(res, i, "name"), err, err_len);
		const char *on = db_get(res, i, "connection");
		if (rc == 0 && on && connection && strcmp(on, connection) == 0)
			wired++;
	}
	PQclear(res);
	if (rc == 0 && connection && *connection) {
		outcome->kind = OUTCOME_FOLLOW;
		snprintf(outcome->connection, sizeof(outcome->connection), "%s", connection);
		outcome->wired = wired > 0;
	}
	return rc;
}

static const char *payload_str(json_t *payload, const char *key)
{
	const char *v = json_string_value(json_object_get(payload, key));
	return v && *v ? v : NULL;
}

/* switch.port_vlan: the config's connection, whatever the payload says. */
static int handle_port_vlan(const struct job_context *ctx, const char *job_id, json_t *payload,
			    struct job_outcome *outcome, char *err, size_t err_len)
{
	const char *params[] = {payload_str(payload, "network_service_config")};
	char connection[24];
	if (query_value(ctx->pool, "SELECT connection::text FROM network_service_configs WHERE id = $1::bigint", 1,
			params, connection, sizeof(connection), err, err_len) != 0)
		return -1;
	if (!*connection)
		return 0; /* the config is gone: nothing to carry out */
	return reconcile_connection(ctx, job_id, connection, NULL, outcome, err, err_len);
}

/* connection.*: every port of the connection (its state, LACP, dates). */
static int handle_connection(const struct job_context *ctx, const char *job_id, json_t *payload,
			     struct job_outcome *outcome, char *err, size_t err_len)
{
	const char *connection = payload_str(payload, "connection");
	if (!connection)
		return 0;
	return reconcile_connection(ctx, job_id, connection, NULL, outcome, err, err_len);
}

/* port_reservation.*: the reservation's connection, and the port it names
 * (a released port has left the connection and goes down). */
static int handle_port_reservation(const struct job_context *ctx, const char *job_id, json_t *payload,
				   struct job_outcome *outcome, char *err, size_t err_len)
{
	char connection[24] = "";
	const char *given = payload_str(payload, "connection");
	if (given)
		snprintf(connection, sizeof(connection), "%s", given);
	else {
		const char *params[] = {payload_str(payload, "port_reservation")};
		if (query_value(ctx->pool, "SELECT connection::text FROM port_reservations WHERE id = $1::bigint", 1,
				params, connection, sizeof(connection), err, err_len) != 0)
			return -1;
	}
	return reconcile_connection(ctx, job_id, connection, payload_str(payload, "port"), outcome, err, err_len);
}

/* network_service.*: a service itself has nothing on a switch port; its
 * configs carry their own jobs (a cascade writes one per config). */
static int handle_nothing(const struct job_context *ctx, const char *job_id, json_t *payload,
			  struct job_outcome *outcome, char *err, size_t err_len)
{
	(void)ctx, (void)payload, (void)outcome, (void)err, (void)err_len;
	LOG_DEBUG("job %s: nothing on the switch", job_id);
	return 0;
}

/* switch.port_sync: one port's stored desired state again (its adapter
 * came back with a new boot_id: switch_adapter_booted.sql). */
static int handle_port_sync(const struct job_context *ctx, const char *job_id, json_t *payload,
			    struct job_outcome *outcome, char *err, size_t err_len)
{
	(void)outcome;
	const char *params[] = {payload_str(payload, "port")};
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool,
				     "SELECT p.name, d.name AS device FROM ports p JOIN devices d ON d.id = p.device"
				     " WHERE p.id = $1::bigint",
				     1, params, &res);
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	int rc = 0; /* a port that is gone has nothing to re-push */
	if (PQntuples(res) == 1) {
		const struct switch_adapter *a = adapters_for_device(ctx->adapters, db_get(res, 0, "device"));
		if (!a) {
			snprintf(err, err_len, "no switch adapter serves device %s (port %s)", db_get(res, 0, "device"),
				 db_get(res, 0, "name"));
			rc = -1;
		} else
			rc = reconcile_port(ctx, a, job_id, params[0], db_get(res, 0, "name"), err, err_len);
	}
	PQclear(res);
	return rc;
}

static int handle_archive(const struct job_context *ctx, const char *job_id, json_t *payload,
			  struct job_outcome *outcome, char *err, size_t err_len)
{
	(void)ctx, (void)job_id, (void)err, (void)err_len;
	outcome->kind = OUTCOME_ARCHIVE;
	snprintf(outcome->object_type, sizeof(outcome->object_type), "%s",
		 payload_str(payload, "object_type") ? payload_str(payload, "object_type") : "");
	snprintf(outcome->object_id, sizeof(outcome->object_id), "%s",
		 payload_str(payload, "id") ? payload_str(payload, "id") : "0");
	return 0;
}

/* What the quarantine test needs of a config, read in one statement. */
static const char quarantine_sql[] =
	"SELECT c.type, CASE WHEN c.state = 'error' THEN c.error_from ELSE c.state END AS state,"
	"       c.vlan_type, c.vlan::text AS vlan, s.subnet_v4::text AS subnet_v4, s.subnet_v6::text AS subnet_v6,"
	"       (SELECT coalesce(json_agg(DISTINCT m.canonical_address), '[]')"
	"          FROM network_service_config_macs x JOIN macs m ON m.id = x.mac"
	"         WHERE x.network_service_config = c.id)::text AS macs,"
	"       (SELECT coalesce(json_agg(host(i.address)), '[]') FROM ips i"
	"         WHERE i.network_service_config = c.id AND i.held_on_lan = s.id)::text AS own,"
	"       (SELECT coalesce(json_agg(host(a)), '[]') FROM lan_probe_addresses(s, 4, 2) a)::text AS probes_v4,"
	"       (SELECT coalesce(json_agg(host(a)), '[]') FROM lan_probe_addresses(s, 6, 2) a)::text AS probes_v6,"
	"       (SELECT coalesce(json_agg(json_build_object('name', p.name, 'device', d.name) ORDER BY p.id), '[]')"
	"          FROM ports p JOIN devices d ON d.id = p.device WHERE p.connection = c.connection)::text AS ports"
	"  FROM network_service_configs c JOIN network_services s ON s.id = c.network_service"
	" WHERE c.id = $1::bigint";

/* The capture request of adapter protocol v1: the first free address of
 * each family is probed (whoever answers proxies), from the second. */
static char *capture_request(const struct job_context *ctx, const char *probes_v4, const char *probes_v6)
{
	json_t *v4 = json_loads(probes_v4, 0, NULL), *v6 = json_loads(probes_v6, 0, NULL);
	json_t *arp = json_array(), *nd = json_array();
	json_t *source = json_pack("{s:s}", "mac", ctx->quarantine_probe_mac);
	if (json_array_size(v4) >= 2) {
		json_array_append(arp, json_array_get(v4, 0));
		json_object_set(source, "ipv4", json_array_get(v4, 1));
	}
	if (json_array_size(v6) >= 2) {
		json_array_append(nd, json_array_get(v6, 0));
		json_object_set(source, "ipv6", json_array_get(v6, 1));
	}
	json_t *j = json_pack("{s:i, s:{s:o, s:o}, s:o}", "seconds", ctx->quarantine_seconds, "probes", "arp", arp,
			      "nd", nd, "probe_source", source);
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	json_decref(v4);
	json_decref(v6);
	return text;
}

/* Appends report b to a (the ports of one connection judged as one port:
 * every frame any of them received counts). */
static void merge_report(struct gate_report *a, const struct gate_report *b)
{
	a->frames += b->frames;
	if (b->n_classes) {
		a->classes = realloc(a->classes, (a->n_classes + b->n_classes) * sizeof(*a->classes));
		memcpy(a->classes + a->n_classes, b->classes, b->n_classes * sizeof(*b->classes));
		a->n_classes += b->n_classes;
	}
	if (b->n_answers) {
		a->answers = realloc(a->answers, (a->n_answers + b->n_answers) * sizeof(*a->answers));
		memcpy(a->answers + a->n_answers, b->answers, b->n_answers * sizeof(*b->answers));
		a->n_answers += b->n_answers;
	}
}

#define REPORT_UNUSABLE (-2) /* await_report: the adapter answered, but its report cannot be judged */

/* Waits for capture `id` to be done and parses its report: 0, -1 (the
 * adapter did not answer, or not in time: worth another attempt), or
 * REPORT_UNUSABLE with the parser's reason in err (asking again would
 * replay the same capture). */
static int await_report(const struct job_context *ctx, const struct switch_adapter *a, const char *id,
			struct gate_report **out, char *err, size_t err_len)
{
	long long waited = 0, limit = (long long)ctx->quarantine_seconds * 1000 + CAPTURE_GRACE_MS;
	useconds_t step = 200000;
	for (;;) {
		char *text = NULL;
		if (adapter_get_capture(a, &ctx->timeouts, id, &text, err, err_len) != 0)
			return -1;
		json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
		const char *state = json_string_value(json_object_get(j, "state"));
		bool running = state && strcmp(state, "running") == 0;
		json_decref(j);
		if (!running) {
			struct problem *p = gate_report_parse_text(text, strlen(text), out);
			free(text);
			if (p) {
				snprintf(err, err_len, "adapter %s: capture %s: %s", a->name, id, problem_detail(p));
				problem_free(p);
				return REPORT_UNUSABLE;
			}
			return 0;
		}
		free(text);
		if (waited >= limit) {
			snprintf(err, err_len, "adapter %s: capture %s still running %lld ms after it started", a->name,
				 id, waited);
			return -1;
		}
		if (ctx->stopping && ctx->stopping(ctx->stopping_arg)) {
			snprintf(err, err_len, "stopping while capture %s runs", id);
			return -1;
		}
		usleep(step);
		waited += step / 1000;
		if (step < 1000000)
			step *= 2;
	}
}

/* The gate's inputs besides the report; strings borrowed from the JSON. */
struct gate_inputs {
	const char *macs[64];
	struct gate_prefix own[16];
	struct gate_context ctx;
};

static void gate_inputs(const PGresult *res, json_t *macs, json_t *own, bool tagged, struct gate_inputs *in)
{
	memset(in, 0, sizeof(*in));
	size_t i;
	json_t *v;
	json_array_foreach (macs, i, v)
		if (in->ctx.n_macs < sizeof(in->macs) / sizeof(in->macs[0]))
			in->macs[in->ctx.n_macs++] = json_string_value(v);
	json_array_foreach (own, i, v)
		if (in->ctx.n_own < sizeof(in->own) / sizeof(in->own[0]) &&
		    gate_prefix_parse(json_string_value(v), &in->own[in->ctx.n_own]))
			in->ctx.n_own++;
	in->ctx.macs = in->macs;
	in->ctx.own = in->own;
	in->ctx.tagged = tagged;
	in->ctx.vlan = tagged && db_get(res, 0, "vlan") ? atoi(db_get(res, 0, "vlan")) : -1;
	if (!db_get(res, 0, "subnet_v4") || !gate_prefix_parse(db_get(res, 0, "subnet_v4"), &in->ctx.lan_v4))
		in->ctx.lan_v4.family = 0;
	if (!db_get(res, 0, "subnet_v6") || !gate_prefix_parse(db_get(res, 0, "subnet_v6"), &in->ctx.lan_v6))
		in->ctx.lan_v6.family = 0;
}

/* quarantine.test: capture what each port of the config's connection
 * receives from the member (the job id as Idempotency-Key: a retried or
 * re-claimed job gets the same capture back), judge it with the gate, and
 * hand the verdict to the finishing transaction (quarantine_verdict.sql).
 * A config no longer in testing needs no test: done, nothing judged. */
static int handle_quarantine_test(const struct job_context *ctx, const char *job_id, json_t *payload,
				  struct job_outcome *outcome, char *err, size_t err_len)
{
	const char *nsc = payload_str(payload, "network_service_config");
	const char *params[] = {nsc};
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool, quarantine_sql, 1, params, &res);
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	int rc = -1;
	char *request = NULL;
	json_t *ports = NULL, *macs = NULL, *own = NULL;
	struct gate_report *merged = NULL;
	char ids[CAPTURE_PORTS_MAX][129];
	const struct switch_adapter *adapter_of[CAPTURE_PORTS_MAX];
	char probe_mac[18];
	if (PQntuples(res) == 0 || strcmp(db_get(res, 0, "type"), "exchange_lan") != 0 || !db_get(res, 0, "state") ||
	    strcmp(db_get(res, 0, "state"), "testing") != 0) {
		LOG_INFO("job %s: config %s is not in testing: no quarantine test", job_id, nsc ? nsc : "?");
		rc = 0;
		goto out;
	}
	if (mac_normalise(ctx->quarantine_probe_mac, probe_mac) != MAC_OK || !(strtol(probe_mac, NULL, 16) & 0x02)) {
		snprintf(err, err_len, "IXAPI_QUARANTINE_PROBE_MAC: not a locally administered unicast MAC");
		goto out;
	}
	ports = json_loads(db_get(res, 0, "ports"), 0, NULL);
	macs = json_loads(db_get(res, 0, "macs"), 0, NULL);
	own = json_loads(db_get(res, 0, "own"), 0, NULL);
	size_t n_ports = json_array_size(ports);
	if (n_ports == 0 || n_ports > CAPTURE_PORTS_MAX) {
		snprintf(err, err_len, "config %s: its connection has %zu ports (1 to %d are tested)", nsc, n_ports,
			 CAPTURE_PORTS_MAX);
		goto out;
	}
	request = capture_request(ctx, db_get(res, 0, "probes_v4"), db_get(res, 0, "probes_v6"));
	bool tagged = false;
	/* start every port's capture, then wait: the windows overlap */
	for (size_t i = 0; i < n_ports; i++) {
		json_t *port = json_array_get(ports, i);
		const char *name = json_string_value(json_object_get(port, "name"));
		const char *device = json_string_value(json_object_get(port, "device"));
		adapter_of[i] = adapters_for_device(ctx->adapters, device);
		if (!adapter_of[i]) {
			snprintf(err, err_len, "no switch adapter serves device %s (port %s)", device, name);
			goto out;
		}
		/* a tag reaches the port only where the adapter filters VLANs */
		tagged = tagged || (adapter_of[i]->vlan_filtering && db_get(res, 0, "vlan_type") &&
				    strcmp(db_get(res, 0, "vlan_type"), "dot1q") == 0);
		if (adapter_start_capture(adapter_of[i], &ctx->timeouts, name, request, job_id, ids[i], sizeof(ids[i]),
					  err, err_len) != 0)
			goto out;
		LOG_DEBUG("job %s: capture %s on port %s (%s)", job_id, ids[i], name, adapter_of[i]->name);
	}
	char capture_ids[CAPTURE_PORTS_MAX * 130] = "";
	for (size_t i = 0; i < n_ports; i++) {
		size_t at = strlen(capture_ids);
		snprintf(capture_ids + at, sizeof(capture_ids) - at, "%s%s", i ? "," : "", ids[i]);
	}
	for (size_t i = 0; i < n_ports; i++) {
		struct gate_report *r = NULL;
		int got = await_report(ctx, adapter_of[i], ids[i], &r, err, err_len);
		if (got == REPORT_UNUSABLE) {
			/* A verdict, not a retry: the same key would replay the same
			 * report until the job died. The member's re-test captures
			 * afresh. */
			LOG_WARN("job %s: config %s: the quarantine test failed: unusable report: %s", job_id, nsc,
				 err);
			json_t *entries = gate_unusable_entries(err, capture_ids);
			outcome->kind = OUTCOME_VERDICT;
			snprintf(outcome->config, sizeof(outcome->config), "%s", nsc);
			outcome->passed = false;
			outcome->entries = json_dumps(entries, JSON_COMPACT);
			json_decref(entries);
			err[0] = '\0';
			rc = 0;
			goto out;
		}
		if (got != 0)
			goto out;
		if (!merged)
			merged = r;
		else {
			merge_report(merged, r);
			gate_report_free(r);
		}
	}
	struct gate_inputs in;
	gate_inputs(res, macs, own, tagged, &in);
	struct gate_verdict *v = calloc(1, sizeof(*v));
	if (!v) {
		snprintf(err, err_len, "out of memory judging the capture");
		goto out;
	}
	gate_judge(merged, &in.ctx, v);
	json_t *entries = gate_status_entries(v, capture_ids);
	outcome->kind = OUTCOME_VERDICT;
	snprintf(outcome->config, sizeof(outcome->config), "%s", nsc);
	outcome->passed = v->passed;
	outcome->entries = json_dumps(entries, JSON_COMPACT);
	LOG_INFO("job %s: config %s %s the quarantine test (%zu finding(s), capture %s)", job_id, nsc,
		 v->passed ? "passed" : "failed", v->n, capture_ids);
	json_decref(entries);
	free(v);
	rc = 0;
out:
	gate_report_free(merged);
	free(request);
	json_decref(ports);
	json_decref(macs);
	json_decref(own);
	PQclear(res);
	return rc;
}

/* onboarding.assign: the port-assignment policy (IXAPI_PORT_ASSIGNMENT) for
 * the application the payload names (onboarding/assignment_db.h). */
static int handle_onboarding_assign(const struct job_context *ctx, const char *job_id, json_t *payload,
				    struct job_outcome *outcome, char *err, size_t err_len)
{
	(void)outcome;
	return assignment_db_job(ctx->pool, job_id, payload_str(payload, "application"), ctx->port_assignment_auto, err,
				 err_len);
}

/* onboarding.billing_start: day 30 after the port assignment, billing
 * starts if production has not started it (onboarding_billing_start.sql, in
 * the finishing transaction). */
static int handle_onboarding_billing_start(const struct job_context *ctx, const char *job_id, json_t *payload,
					   struct job_outcome *outcome, char *err, size_t err_len)
{
	(void)ctx, (void)job_id, (void)err, (void)err_len;
	outcome->kind = OUTCOME_CALL;
	outcome->call_sql = "SELECT onboarding_billing_start($1::bigint, $2::jsonb)";
	outcome->entries = json_dumps(payload, JSON_COMPACT);
	return 0;
}

enum side { ANY_SIDE, SWITCH_SIDE, RS_SIDE, MAIL_SIDE };

static const struct {
	const char *kind;
	job_handler handler;
	enum side side;
} handlers[] = {
	{"switch.port_vlan", handle_port_vlan, SWITCH_SIDE},
	{"switch.port_sync", handle_port_sync, SWITCH_SIDE},
	{"connection.requested", handle_connection, SWITCH_SIDE},
	{"connection.changed", handle_connection, SWITCH_SIDE},
	{"connection.decommission", handle_connection, SWITCH_SIDE},
	{"port_reservation.requested", handle_port_reservation, SWITCH_SIDE},
	{"port_reservation.changed", handle_port_reservation, SWITCH_SIDE},
	{"port_reservation.allocated", handle_port_reservation, SWITCH_SIDE},
	{"port_reservation.released", handle_port_reservation, SWITCH_SIDE},
	{"port_reservation.decommission", handle_port_reservation, SWITCH_SIDE},
	{"network_service.requested", handle_nothing, ANY_SIDE},
	{"network_service.changed", handle_nothing, ANY_SIDE},
	{"network_service.change_requested", handle_nothing, ANY_SIDE},
	{"network_service.decommission", handle_nothing, ANY_SIDE},
	{"archive", handle_archive, ANY_SIDE},
	{"quarantine.test", handle_quarantine_test, SWITCH_SIDE},
	{"route_server.session", rs_handle_apply, RS_SIDE},
	{"route_server.refresh", rs_handle_apply, RS_SIDE},
	{"route_server.enable", rs_handle_enable, RS_SIDE},
	{"route_server.poll", rs_handle_poll, RS_SIDE},
	{"stats.peer_poll", peer_handle_poll, SWITCH_SIDE},
	{"stats.rtt", peer_handle_rtt, RS_SIDE},
	{"stats.poll", stats_handle_poll, SWITCH_SIDE},
	{"stats.rollup", stats_handle_rollup, ANY_SIDE},
	{"stats.maintain", stats_handle_maintain, ANY_SIDE},
	/* onboarding (issue 12), m2: the connection agreement */
	{"agreement.issue", agreements_handle_issue, ANY_SIDE},
	/* mail (issue 12) */
	{"mail.send", mail_handle_send, MAIL_SIDE},
	/* the events extension (issue 12, m4): outgoing webhooks */
	{"webhook.deliver", webhook_deliver_job, ANY_SIDE},
	{"onboarding.assign", handle_onboarding_assign, ANY_SIDE},
	{"onboarding.billing_start", handle_onboarding_billing_start, ANY_SIDE},
};

job_handler jobs_handler_for(const char *kind)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (strcmp(handlers[i].kind, kind) == 0)
			return handlers[i].handler;
	return NULL;
}

/* The kinds of the sides in mask (bit 1 << side) as a text[] literal. */
static void kinds_literal(unsigned mask, char *text, size_t len)
{
	size_t n = 0;
	text[n++] = '{';
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (mask & (1u << handlers[i].side))
			n += (size_t)snprintf(text + n, len - n, "%s\"%s\"", n > 1 ? "," : "", handlers[i].kind);
	snprintf(text + n, len - n, "}");
}

const char *jobs_handled_kinds(void)
{
	static char text[2048];
	if (!text[0])
		kinds_literal(~0u, text, sizeof(text));
	return text;
}

const char *jobs_claimable_kinds(bool switch_side, bool rs_side, bool mail_side)
{
	/* built before the workers' threads start (jobs_workers_start) */
	static char texts[8][2048];
	unsigned which = (switch_side ? 1u : 0u) | (rs_side ? 2u : 0u) | (mail_side ? 4u : 0u);
	if (!texts[which][0])
		kinds_literal((1u << ANY_SIDE) | (switch_side ? 1u << SWITCH_SIDE : 0) | (rs_side ? 1u << RS_SIDE : 0) |
				      (mail_side ? 1u << MAIL_SIDE : 0),
			      texts[which], sizeof(texts[which]));
	return texts[which];
}
