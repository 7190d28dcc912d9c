/*
 * Connection handlers (see connections.h).
 */
#include "connections/connections.h"

#include "app.h"
#include "connections/connections_db.h"
#include "core/fields.h"
#include "core/json_body.h"
#include "core/states.h"
#include "core/util.h"
#include "resource/write_handlers.h"
#include "loa/loa_pdf.h"

#include <stdlib.h>
#include <string.h>

static const char *const modes[] = {"lag_lacp", "lag_static", "flex_ethernet", "standalone", NULL};
static const char *const lacp_timeouts[] = {"slow", "fast", NULL};

static const struct field_spec connection_fields[] = {
	FIELDS_OWNER,
	FIELDS_BILLING,
	FIELD_STRING("connecting_party", FIELD_NULLABLE, 128),
	FIELD_ENUM("mode", FIELD_REQUIRED, modes),
	FIELD_ENUM("lacp_timeout", FIELD_NULLABLE, lacp_timeouts),
	FIELD_REF("product_offering", FIELD_REQUIRED),
	FIELD_INT("port_quantity", FIELD_REQUIRED, 1, 64),
	FIELD_ENUM("state", FIELD_REQUIRED, ixapi_states),
	FIELD_STRINGS("role_assignments", FIELD_NULLABLE, ID_MAX_LEN),
	FIELD_STRINGS("subscriber_side_demarcs", FIELD_NULLABLE, 128),
	FIELD_END,
};

struct problem *connections_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, connection_fields);
	const char *mode = json_string_value(json_object_get(j, "mode"));
	const char *timeout = json_string_value(json_object_get(j, "lacp_timeout"));
	if (timeout && mode && strcmp(mode, "lag_lacp") != 0) {
		validation_fail(&v, "lacp_timeout", "Only a lag_lacp connection has an LACP timeout.");
		json_object_del(j, "lacp_timeout");
	}
	json_t *j_quantity = json_object_get(j, "port_quantity");
	if (j_quantity && mode && strcmp(mode, "standalone") == 0 && json_integer_value(j_quantity) != 1) {
		validation_fail(&v, "port_quantity", "A standalone connection has exactly one port.");
		json_object_del(j, "port_quantity");
	}
	return validation_end(&v, j_in, j, j_out);
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
