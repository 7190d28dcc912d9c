/*
 * MAC handlers (see macs.h).
 */
#include "macs/macs.h"

#include "core/fields.h"
#include "core/json_body.h"
#include "core/mac.h"
#include "macs/macs_db.h"

#include <stdlib.h>
#include <string.h>

/* The address is kept as written (17 characters at most: the spellings
 * mac_normalise() takes) and compared in its canonical form. */
static const struct field_spec mac_fields[] = {
	FIELDS_OWNER,
	FIELD_EXTERNAL_REF,
	FIELD_STRING("address", FIELD_REQUIRED | FIELD_CREATE, 17),
	FIELD_STRING("valid_not_before", FIELD_NULLABLE, 40),
	FIELD_STRING("valid_not_after", FIELD_NULLABLE, 40),
	FIELD_END,
};

struct problem *macs_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, mac_fields);
	const char *address = json_string_value(json_object_get(j, "address"));
	if (address) {
		/* Kept as written: clients (the Terraform provider) compare what
		 * they sent with what they read back. The storage compares the
		 * canonical spelling (macs.canonical_address). */
		char canonical[18];
		enum mac_verdict verdict = mac_normalise(address, canonical);
		if (verdict != MAC_OK) {
			validation_fail(&v, "address", "%s", mac_verdict_reason(verdict));
			json_object_del(j, "address");
		}
	}
	validation_validity_window(&v, j);
	return validation_end(&v, j_in, j, j_out);
}

const struct resource macs_resource = {
	.title = "MAC address",
	.object_type = "mac",
	.fields = mac_fields,
	.validate = macs_validate,
	.listing = &macs_listing,
	.owner = RESOURCE_OWNED,
	.create = &mac_create,
	.delete = &mac_delete,
};
