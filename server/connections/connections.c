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
#include "resource/resource.h"
#include "loa/loa_pdf.h"

#include <stdlib.h>
#include <string.h>

static const char *const modes[] = {"lag_lacp", "lag_static", "flex_ethernet", "standalone", NULL};
static const char *const lacp_timeouts[] = {"slow", "fast", NULL};

/* An order's fundamentals (mode, offering, port quantity) never change:
 * order a new connection; the state is the operators'. */
static const struct field_spec connection_fields[] = {
	FIELDS_OWNER,
	FIELDS_BILLING_FLAGS(FIELD_PUT),
	FIELD_STRING("connecting_party", FIELD_NULLABLE, 128),
	FIELD_ENUM("mode", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT | FIELD_IMMUTABLE, modes),
	FIELD_ENUM("lacp_timeout", FIELD_NULLABLE, lacp_timeouts),
	FIELD_REF("product_offering", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT | FIELD_IMMUTABLE),
	FIELD_INT("port_quantity", FIELD_REQUIRED | FIELD_CREATE | FIELD_IMMUTABLE, 1, 64),
	FIELD_ENUM("state", FIELD_REQUIRED | FIELD_OPERATOR | FIELD_LATER, ixapi_states),
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

const struct resource connections_resource = {
	.title = "Connection",
	.object_type = "connection",
	.fields = connection_fields,
	.validate = connections_validate,
	.listing = &connections_listing,
	.owner = RESOURCE_ORDER,
	.create = &connection_create,
	.update = &connection_update,
	.update_status = 202,
	.decommission = &connections_decommission,
};

struct problem *connections_loa_read(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct problem *p = connections_db_loa(req->app->pool, &a, req->params[0], &pdf, &len);
	return response_pdf(res, p, pdf, len);
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
