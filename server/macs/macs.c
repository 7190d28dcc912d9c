/*
 * MAC handlers (see macs.h).
 */
#include "macs/macs.h"

#include "app.h"
#include "core/fields.h"
#include "core/json_body.h"
#include "core/mac.h"
#include "core/util.h"
#include "resource/write_handlers.h"
#include "macs/macs_db.h"

#include <stdlib.h>
#include <string.h>

static const struct field_spec mac_fields[] = {
	FIELDS_OWNER,
	FIELD_EXTERNAL_REF,
	FIELD_END,
};

struct problem *macs_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	(void)required; /* every field of a MAC may be given or not */
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, NULL);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, mac_fields);
	const char *address = validation_string(&v, j_in, "address", "address", FIELD_REQUIRED, 32);
	if (address) {
		/* Kept as written: clients (the Terraform provider) compare what
		 * they sent with what they read back. The storage compares the
		 * canonical spelling (macs.canonical_address). */
		char canonical[18];
		enum mac_verdict verdict = mac_normalise(address, canonical);
		if (verdict == MAC_OK)
			json_object_set_new(j, "address", json_string(address));
		else
			validation_fail(&v, "address", "%s", mac_verdict_reason(verdict));
	}
	static const char *const windows[] = {"valid_not_before", "valid_not_after"};
	for (size_t i = 0; i < 2; i++) {
		validation_copy_string(&v, j_in, j, windows[i], FIELD_NULLABLE, 40);
		const char *t = json_string_value(json_object_get(j, windows[i]));
		if (t && !util_is_rfc3339(t))
			validation_fail(&v, windows[i], "Expected an RFC 3339 date-time such as 2026-01-31T12:00:00Z.");
	}
	return validation_end(&v, j_in, j, j_out);
}

struct problem *macs_create(struct request *req, struct response *res)
{
	return write_create_owned(req, res, macs_validate, NULL, macs_db_create);
}

struct problem *macs_destroy(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = macs_db_delete(req->app->pool, &a, req->params[0], &json);
	return response_from(res, 200, p, json);
}
