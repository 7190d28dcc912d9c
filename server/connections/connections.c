/*
 * Connection handlers (see connections.h).
 */
#include "connections/connections.h"

#include "app.h"
#include "connections/connections_db.h"
#include "core/json_body.h"
#include "core/states.h"
#include "core/util.h"
#include "resource/write_handlers.h"
#include "loa/loa_pdf.h"

#include <stdlib.h>
#include <string.h>

static bool one_of(const char *s, const char *const *choices)
{
	for (size_t i = 0; choices[i]; i++)
		if (strcmp(s, choices[i]) == 0)
			return true;
	return false;
}

struct problem *connections_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	static const char *const modes[] = {"lag_lacp", "lag_static", "flex_ethernet", "standalone", NULL};
	static const char *const timeouts[] = {"slow", "fast", NULL};
	*j_out = NULL;
	json_t *j_in = j_body ? json_incref(j_body) : json_object();
	struct validation v = {0};
	json_t *j = json_object();
	for (size_t i = 0; required && required[i]; i++)
		if (!validation_has(j_in, required[i]))
			validation_fail(&v, required[i], "This field is required.");
	validation_copy_string(&v, j_in, j, "managing_account", FIELD_REQUIRED, 80);
	validation_copy_string(&v, j_in, j, "consuming_account", FIELD_REQUIRED, 80);
	validation_copy_string(&v, j_in, j, "billing_account", FIELD_REQUIRED, 80);
	validation_copy_string(&v, j_in, j, "external_ref", FIELD_NULLABLE, 128);
	validation_copy_string(&v, j_in, j, "purchase_order", FIELD_OPTIONAL, 80);
	validation_copy_string(&v, j_in, j, "contract_ref", FIELD_NULLABLE, 128);
	validation_copy_string(&v, j_in, j, "connecting_party", FIELD_NULLABLE, 128);
	const char *mode =
		validation_has(j_in, "mode") ? validation_string(&v, j_in, "mode", "mode", FIELD_REQUIRED, 20) : NULL;
	if (mode && !one_of(mode, modes))
		validation_fail(&v, "mode", "\"%.20s\" is not a valid choice.", mode);
	else if (mode)
		json_object_set_new(j, "mode", json_string(mode));
	const char *timeout = validation_string(&v, j_in, "lacp_timeout", "lacp_timeout", FIELD_NULLABLE, 10);
	if (timeout && !one_of(timeout, timeouts))
		validation_fail(&v, "lacp_timeout", "\"%.10s\" is not a valid choice.", timeout);
	else if (timeout && mode && strcmp(mode, "lag_lacp") != 0)
		validation_fail(&v, "lacp_timeout", "Only a lag_lacp connection has an LACP timeout.");
	else if (timeout)
		json_object_set_new(j, "lacp_timeout", json_string(timeout));
	validation_copy_string(&v, j_in, j, "product_offering", FIELD_REQUIRED, 80);
	long long quantity = 0;
	if (validation_has(j_in, "port_quantity") &&
	    validation_int(&v, j_in, "port_quantity", "port_quantity", FIELD_REQUIRED, 1, 64, &quantity)) {
		if (mode && strcmp(mode, "standalone") == 0 && quantity != 1)
			validation_fail(&v, "port_quantity", "A standalone connection has exactly one port.");
		else
			json_object_set_new(j, "port_quantity", json_integer(quantity));
	}
	const char *state = validation_has(j_in, "state")
				    ? validation_string(&v, j_in, "state", "state", FIELD_REQUIRED, 40)
				    : NULL;
	if (state && !ixapi_is_state(state))
		validation_fail(&v, "state", "\"%.40s\" is not a valid choice.", state);
	else if (state)
		json_object_set_new(j, "state", json_string(state));
	static const char *const lists[] = {"role_assignments", "subscriber_side_demarcs"};
	for (size_t i = 0; i < 2; i++) {
		if (!validation_has(j_in, lists[i]))
			continue;
		json_t *j_list = validation_string_array(&v, j_in, lists[i], lists[i], FIELD_NULLABLE, 128);
		if (j_list)
			json_object_set(j, lists[i], j_list);
	}
	json_decref(j_in);
	if (v.problem) {
		json_decref(j);
		return v.problem;
	}
	*j_out = j;
	return NULL;
}

static const char *const create_required[] = {"mode", "product_offering", "port_quantity", NULL};

struct problem *connections_create(struct request *req, struct response *res)
{
	return write_create_order(req, res, connections_validate, create_required, NULL, connections_db_create, false);
}

struct problem *connections_patch(struct request *req, struct response *res)
{
	return write_update(req, res, connections_validate, NULL, connections_db_update, 202);
}

struct problem *connections_replace(struct request *req, struct response *res)
{
	static const char *const required[] = {
		"managing_account", "consuming_account", "billing_account", "mode", "product_offering", NULL};
	return write_update(req, res, connections_validate, required, connections_db_update, 202);
}

struct problem *connections_loa_read(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct problem *p = connections_db_loa(req->app->pool, &a, req->params[0], &pdf, &len);
	if (p)
		return p;
	response_raw(res, 200, (char *)pdf, len);
	res->content_type = "application/pdf";
	return NULL;
}

struct problem *connections_loa_upload(struct request *req, struct response *res)
{
	if (!loa_pdf_looks_valid((const unsigned char *)req->raw_body, req->raw_body_len))
		return problem_invalid("loa", "Upload a whole PDF document (%%PDF- header to %%%%EOF).");
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = connections_db_loa_store(req->app->pool, &a, req->params[0],
						     (const unsigned char *)req->raw_body, req->raw_body_len, &json);
	return response_from(res, 200, p, json);
}
