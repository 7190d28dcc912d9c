/*
 * Member joining rule write handlers (see joining_rules.h).
 */
#include "services/joining_rules.h"

#include "app.h"
#include "core/fields.h"
#include "core/json_body.h"
#include "resource/write_handlers.h"
#include "services/joining_rules_db.h"

#include <stdint.h>
#include <string.h>

static const char *const capacities[] = {"capacity_min", "capacity_max"};

static const struct field_spec joining_rule_fields[] = {
	FIELD_REF("network_service", FIELD_REQUIRED),
	FIELDS_OWNER,
	FIELD_EXTERNAL_REF,
	FIELD_END,
};

struct problem *joining_rules_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	if (validation_has(j_in, "type")) {
		const char *type = validation_string(&v, j_in, "type", "type", FIELD_REQUIRED, 16);
		if (type && strcmp(type, "allow") != 0 && strcmp(type, "deny") != 0)
			validation_fail(&v, "type", "Expected allow or deny.");
		else if (type)
			json_object_set_new(j, "type", json_string(type));
	}
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

struct problem *joining_rules_create(struct request *req, struct response *res)
{
	static const char *const required[] = {"type", "network_service", "consuming_account", NULL};
	return write_create_owned(req, res, joining_rules_validate, required, joining_rules_db_create);
}

/* PUT: the fields IX-API's MemberJoiningRuleUpdate requires (network_service
 * is not part of an update: it never changes). */
struct problem *joining_rules_replace(struct request *req, struct response *res)
{
	static const char *const required[] = {"type", "managing_account", "consuming_account", NULL};
	return write_update(req, res, joining_rules_validate, required, joining_rules_db_update, 200);
}

struct problem *joining_rules_patch(struct request *req, struct response *res)
{
	return write_update(req, res, joining_rules_validate, NULL, joining_rules_db_update, 200);
}

struct problem *joining_rules_destroy(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = joining_rules_db_delete(req->app->pool, &a, req->params[0], &json);
	return response_from(res, 200, p, json);
}
