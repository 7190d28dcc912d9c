/*
 * The job kinds the workers carry out (see handlers.h). Switch jobs are
 * level-triggered: they never read the desired state from the job's
 * payload, always from the database at the time they run.
 */
#include "jobs/handlers.h"

#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECONCILE_ROUNDS 3

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

static const struct {
	const char *kind;
	job_handler handler;
} handlers[] = {
	{"switch.port_vlan", handle_port_vlan},
	{"connection.requested", handle_connection},
	{"connection.changed", handle_connection},
	{"connection.decommission", handle_connection},
	{"port_reservation.requested", handle_port_reservation},
	{"port_reservation.changed", handle_port_reservation},
	{"port_reservation.allocated", handle_port_reservation},
	{"port_reservation.released", handle_port_reservation},
	{"port_reservation.decommission", handle_port_reservation},
	{"network_service.requested", handle_nothing},
	{"network_service.changed", handle_nothing},
	{"network_service.change_requested", handle_nothing},
	{"network_service.decommission", handle_nothing},
	{"archive", handle_archive},
};

job_handler jobs_handler_for(const char *kind)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (strcmp(handlers[i].kind, kind) == 0)
			return handlers[i].handler;
	return NULL;
}

const char *jobs_handled_kinds(void)
{
	static char text[1024];
	if (!text[0]) {
		size_t n = 0;
		text[n++] = '{';
		for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"%s\"", i ? "," : "", handlers[i].kind);
		snprintf(text + n, sizeof(text) - n, "}");
	}
	return text;
}
