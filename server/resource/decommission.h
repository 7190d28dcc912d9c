/*
 * Decommissioning and cancellation policies of what a member orders
 * (connections, port reservations, network services, service configs,
 * feature configs): one transaction shape, described per resource. The route's `data` names the
 * resource's `struct decommission_spec` (for DELETE, its `struct
 * resource`); the handlers below serve DELETE /<resource>/{id} (202 with
 * the object, state decommission_requested) and GET
 * /<resource>/{id}/cancellation-policy.
 */
#ifndef IXAPI_RESOURCE_DECOMMISSION_H
#define IXAPI_RESOURCE_DECOMMISSION_H

#include "http/filters.h"
#include "http/request.h"

struct decommission_spec {
	const char *title;       /* for problems: "Network service config" */
	const char *object_type; /* audit events: "network_service_config" */
	/* $1 viewer, $2 is_operator, $3 id, $4 requested date (or NULL): no row
	 * when invisible, else the columns (read by name) decommission_at,
	 * charged_until, state, json (its JSON text), may_write (boolean) and
	 * refusal from cancellation_policy(), where refusal is NULL or why the
	 * object cannot go (a 400). */
	const char *policy_sql;
	const char *lock_clause; /* appended to policy_sql when decommissioning: " FOR UPDATE OF c" */
	/* Run in order with $1 id, $2 decommission_at, $3 charged_until and the
	 * actor ($4 account, $5 API key, $6 request id, for the audit events of
	 * what cascades): mark the object and what cascades from it, queue the
	 * network's jobs. Each must use all six. NULL-terminated. */
	const char *const *apply_sql;
	const char *read_sql; /* $1 id: the object's JSON text afterwards */
};

extern const struct filter_spec decommission_policy_query[];

/* DELETE of the route's {id}, described by spec (resource_destroy of a
 * descriptor with a decommission spec): the optional body
 * {"decommission_at": "YYYY-MM-DD"} (empty, null and {} ask for the
 * earliest date the policy allows); 202. */
struct problem *decommission_answer(struct request *req, struct response *res, const struct decommission_spec *spec);
/* GET .../cancellation-policy?decommission_at=YYYY-MM-DD: 200. */
struct problem *decommission_policy(struct request *req, struct response *res);

#endif
