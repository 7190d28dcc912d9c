/*
 * Contact and role-assignment write handlers (see contacts.h).
 */
#include "contacts/contacts.h"

#include "contacts/contacts_db.h"
#include "core/fields.h"
#include "core/json_body.h"
#include "core/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* E.164: a plus sign and 2 to 15 digits, the first not 0. */
static bool is_e164(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9')
		return false;
	for (size_t i = 2; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* One @, something on both sides, no spaces: the database checks the same. */
static bool is_email(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at != s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t\r\n");
}

static const struct field_spec contact_fields[] = {
	FIELDS_OWNER,
	FIELD_EXTERNAL_REF,
	FIELD_STRING("name", FIELD_NULLABLE, 128),
	FIELD_STRING("telephone", FIELD_NULLABLE, 16),
	FIELD_STRING("email", FIELD_NULLABLE, 80),
	FIELD_END,
};

struct problem *contacts_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, contact_fields);
	const char *tel = json_string_value(json_object_get(j, "telephone"));
	if (tel && !is_e164(tel))
		validation_fail(&v, "telephone", "Expected an E.164 number such as +31205141717.");
	const char *email = json_string_value(json_object_get(j, "email"));
	if (email && !is_email(email))
		validation_fail(&v, "email", "Enter a valid email address.");
	return validation_end(&v, j_in, j, j_out);
}

const struct resource contacts_resource = {
	.title = "Contact",
	.object_type = "contact",
	.fields = contact_fields,
	.validate = contacts_validate,
	.listing = &contacts_listing,
	.owner = RESOURCE_OWNED,
	.create = &contact_create,
	.update = &contact_update,
	.update_status = 200,
	.delete = &contact_delete,
};

static const struct field_spec role_assignment_fields[] = {
	FIELD_REF("role", FIELD_REQUIRED | FIELD_CREATE),
	FIELD_REF("contact", FIELD_REQUIRED | FIELD_CREATE),
	FIELD_END,
};

static struct problem *role_assignments_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, role_assignment_fields);
	return validation_end(&v, j_in, j, j_out);
}

const struct resource role_assignments_resource = {
	.title = "Role assignment",
	.object_type = "role_assignment",
	.fields = role_assignment_fields,
	.validate = role_assignments_validate,
	.listing = &role_assignments_listing,
	.owner = RESOURCE_UNOWNED,
	.create = &role_assignment_create,
	.delete = &role_assignment_delete,
};
