/*
 * Member joining rule write handlers (see joining_rules.h).
 */
#include "services/joining_rules.h"

#include "core/fields.h"
#include "core/json_body.h"
#include "services/joining_rules_db.h"

#include <stdint.h>
#include <string.h>

static const char *const capacities[] = {"capacity_min", "capacity_max"};
static const char *const rule_types[] = {"allow", "deny", NULL};

/* network_service is not part of an update (IX-API's
 * MemberJoiningRuleUpdate): it never changes, nor does the type. The
 * capacities are the rules' below (none on a deny rule). */
static const struct field_spec joining_rule_fields[] = {
	FIELD_ENUM("type", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT | FIELD_IMMUTABLE, rule_types),
	FIELD_REF("network_service", FIELD_REQUIRED | FIELD_CREATE | FIELD_IMMUTABLE),
	FIELD_REF("managing_account", FIELD_REQUIRED | FIELD_PUT),
	FIELD_REF("consuming_account", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT),
	FIELD_EXTERNAL_REF,
	FIELD_CUSTOM("capacity_min", FIELD_NULLABLE, 0),
	FIELD_CUSTOM("capacity_max", FIELD_NULLABLE, 0),
	FIELD_END,
};

struct problem *joining_rules_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, joining_rule_fields);
	/* Capacities: integers >= 1 or null. A deny rule has none; null is
	 * accepted there (clients such as Terraform send every attribute). */
	const char *type = json_string_value(json_object_get(j, "type"));
	bool is_deny = type && strcmp(type, "deny") == 0;
	long long value[2] = {0, 0};
	bool has_value[2] = {false, false};
	for (size_t i = 0; i < 2; i++) {
		json_t *j_cap = json_object_get(j_in, capacities[i]);
		if (!j_cap)
			continue;
		if (json_is_null(j_cap)) {
			json_object_set_new(j, capacities[i], json_null());
			continue;
		}
		if (is_deny) {
			validation_fail(&v, capacities[i], "A deny rule has no capacities.");
			continue;
		}
		has_value[i] =
			validation_int(&v, j_in, capacities[i], capacities[i], FIELD_NULLABLE, 1, INT32_MAX, &value[i]);
		if (has_value[i])
			json_object_set_new(j, capacities[i], json_integer(value[i]));
	}
	if (has_value[0] && has_value[1] && value[0] > value[1])
		validation_fail(&v, "capacity_min", "May not exceed capacity_max.");
	return validation_end(&v, j_in, j, j_out);
}

const struct resource joining_rules_resource = {
	.title = "Member joining rule",
	.object_type = "member_joining_rule",
	.fields = joining_rule_fields,
	.validate = joining_rules_validate,
	.listing = &joining_rules_listing,
	.owner = RESOURCE_OWNED,
	.create = &joining_rule_create,
	.update = &joining_rule_update,
	.update_status = 200,
	.delete = &joining_rule_delete,
};
