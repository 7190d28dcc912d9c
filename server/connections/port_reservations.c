/*
 * Port reservation handlers (see port_reservations.h).
 */
#include "connections/port_reservations.h"

#include "app.h"
#include "connections/port_reservations_db.h"
#include "core/fields.h"
#include "core/json_body.h"
#include "core/states.h"
#include "core/util.h"
#include "resource/resource.h"
#include "loa/loa_pdf.h"

#include <stdlib.h>
#include <string.h>

/* A reservation stays on its connection; the port, the exchange's demarc
 * and the state are the operators' (set after the order). */
static const struct field_spec port_reservation_fields[] = {
	FIELD_REF("connection", FIELD_REQUIRED | FIELD_CREATE | FIELD_IMMUTABLE),
	FIELD_EXTERNAL_REF,
	FIELD_STRING("purchase_order", FIELD_OPTIONAL, 80),
	FIELD_STRING("contract_ref", FIELD_NULLABLE, 128),
	FIELD_STRING("subscriber_side_demarc", FIELD_NULLABLE, 128),
	FIELD_STRING("connecting_party", FIELD_NULLABLE, 128),
	FIELD_STRING("cross_connect_id", FIELD_NULLABLE, 128),
	FIELD_STRING("exchange_side_demarc", FIELD_NULLABLE | FIELD_OPERATOR | FIELD_LATER, 128),
	FIELD_REF("port", FIELD_NULLABLE | FIELD_OPERATOR | FIELD_LATER),
	FIELD_ENUM("state", FIELD_REQUIRED | FIELD_OPERATOR | FIELD_LATER, ixapi_states),
	FIELD_END,
};

struct problem *port_reservations_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, port_reservation_fields);
	/* port: an inventory port's id, or null to release the one allocated */
	const char *port = json_string_value(json_object_get(j, "port"));
	if (port && !util_is_id(port)) {
		validation_fail(&v, "port", "Expected the id of a port.");
		json_object_del(j, "port");
	}
	return validation_end(&v, j_in, j, j_out);
}

const struct resource port_reservations_resource = {
	.title = "Port reservation",
	.object_type = "port_reservation",
	.fields = port_reservation_fields,
	.validate = port_reservations_validate,
	.listing = &port_reservations_listing,
	.owner = RESOURCE_UNOWNED,
	.create = &port_reservation_create,
	.update = &port_reservation_update,
	.update_status = 202,
	.decommission = &port_reservations_decommission,
};

struct problem *port_reservations_loa_read(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct problem *p = port_reservations_db_loa(req->app->pool, &a, req->params[0], &pdf, &len);
	return response_pdf(res, p, pdf, len);
}

struct problem *port_reservations_loa_upload(struct request *req, struct response *res)
{
	if (!loa_pdf_looks_valid((const unsigned char *)req->raw_body, req->raw_body_len))
		return problem_invalid("loa", "Upload a whole PDF document (%%PDF- header to %%%%EOF).");
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = port_reservations_db_loa_store(
		req->app->pool, &a, req->params[0], (const unsigned char *)req->raw_body, req->raw_body_len, &json);
	return response_from(res, 200, p, json);
}
