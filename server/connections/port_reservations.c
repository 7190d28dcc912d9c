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
#include "resource/write_handlers.h"
#include "loa/loa_pdf.h"

#include <stdlib.h>
#include <string.h>

static const struct field_spec port_reservation_fields[] = {
	FIELD_REF("connection", FIELD_REQUIRED),
	FIELD_EXTERNAL_REF,
	FIELD_STRING("purchase_order", FIELD_OPTIONAL, 80),
	FIELD_STRING("contract_ref", FIELD_NULLABLE, 128),
	FIELD_STRING("subscriber_side_demarc", FIELD_NULLABLE, 128),
	FIELD_STRING("connecting_party", FIELD_NULLABLE, 128),
	FIELD_STRING("cross_connect_id", FIELD_NULLABLE, 128),
	FIELD_STRING("exchange_side_demarc", FIELD_NULLABLE, 128),
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
	if (validation_has(j_in, "port")) {
		const char *port = validation_string(&v, j_in, "port", "port", FIELD_NULLABLE, 40);
		if (port && !util_is_id(port))
			validation_fail(&v, "port", "Expected the id of a port.");
		else if (port)
			json_object_set_new(j, "port", json_string(port));
		else if (json_is_null(json_object_get(j_in, "port")))
			json_object_set_new(j, "port", json_null());
	}
	const char *state = validation_has(j_in, "state")
				    ? validation_string(&v, j_in, "state", "state", FIELD_REQUIRED, 40)
				    : NULL;
	if (state && !ixapi_is_state(state))
		validation_fail(&v, "state", "\"%.40s\" is not a valid choice.", state);
	else if (state)
		json_object_set_new(j, "state", json_string(state));
	return validation_end(&v, j_in, j, j_out);
}

static const char *const create_required[] = {"connection", NULL};

struct problem *port_reservations_create(struct request *req, struct response *res)
{
	json_t *j_fields = NULL;
	struct problem *p = port_reservations_validate(req->j_body, create_required, &j_fields);
	if (p)
		return p;
	/* An order starts requested, without a port: allocation is a PATCH. */
	json_object_del(j_fields, "state");
	json_object_del(j_fields, "port");
	json_object_del(j_fields, "exchange_side_demarc");
	char *text = json_dumps(j_fields, JSON_COMPACT);
	struct actor a = request_actor(req);
	char *json = NULL;
	p = port_reservations_db_create(req->app->pool, &a, text, &json);
	free(text);
	json_decref(j_fields);
	return response_from(res, 201, p, json);
}

struct problem *port_reservations_patch(struct request *req, struct response *res)
{
	return write_update(req, res, port_reservations_validate, NULL, port_reservations_db_update, 202);
}

struct problem *port_reservations_replace(struct request *req, struct response *res)
{
	return write_update(req, res, port_reservations_validate, NULL, port_reservations_db_update, 202);
}

struct problem *port_reservations_loa_read(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct problem *p = port_reservations_db_loa(req->app->pool, &a, req->params[0], &pdf, &len);
	if (p)
		return p;
	response_raw(res, 200, (char *)pdf, len);
	res->content_type = "application/pdf";
	return NULL;
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
