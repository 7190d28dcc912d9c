/*
 * POST /applications/{id}/port-assignment (see assignment.h): the body's
 * shape here, the rules and the transaction in assignment_db.c.
 */
#include "onboarding/assignment.h"

#include "app.h"
#include "core/util.h"
#include "onboarding/assignment_db.h"

#include <string.h>

#define PORTS_MAX 16

/* {"ports": [...]} with 1..16 distinct port ids, or {}: the named ports
 * (borrowed from j_body) or NULL for the auto-assign policy. */
static struct problem *parse_ports(json_t *j_body, json_t **ports_out)
{
	*ports_out = NULL;
	if (!j_body)
		return NULL;
	const char *key;
	json_t *j_value;
	json_object_foreach (j_body, key, j_value)
		if (strcmp(key, "ports") != 0)
			return problem_invalid(key, "Unknown property: the body is {\"ports\": [port ids]} or {}.");
	json_t *j_ports = json_object_get(j_body, "ports");
	if (!j_ports)
		return NULL;
	size_t n = json_array_size(j_ports);
	if (!json_is_array(j_ports) || n < 1 || n > PORTS_MAX)
		return problem_invalid("ports", "Must be a list of 1 to %d port ids (or leave it out: auto-assign).",
				       PORTS_MAX);
	for (size_t i = 0; i < n; i++) {
		const char *id = json_string_value(json_array_get(j_ports, i));
		if (!id || !util_is_id(id))
			return problem_invalid("ports", "Item %zu is not a port id.", i);
		for (size_t k = 0; k < i; k++)
			if (strcmp(id, json_string_value(json_array_get(j_ports, k))) == 0)
				return problem_invalid("ports", "Port %s is named twice.", id);
	}
	*ports_out = j_ports;
	return NULL;
}

struct problem *assignment_request(struct request *req, struct response *res)
{
	json_t *j_ports = NULL;
	struct problem *p = parse_ports(req->j_body, &j_ports);
	if (p)
		return p;
	struct actor actor = request_actor(req);
	char *json = NULL;
	p = assignment_db_assign(req->app->pool, &actor, req->params[0], j_ports, &json);
	return response_from(res, 200, p, json);
}
