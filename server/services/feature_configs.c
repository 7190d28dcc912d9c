/*
 * Network feature config handlers (see feature_configs.h).
 */
#include "services/feature_configs.h"

#include "app.h"
#include "bgp/bgp_rules.h"
#include "core/fields.h"
#include "core/json_body.h"
#include "core/states.h"
#include "core/util.h"
#include "services/feature_configs_db.h"

#include <stdlib.h>
#include <string.h>

static const char *const feature_types[] = {"route_server", NULL};
static const char *const session_modes[] = {"public", "collector", NULL};
static const char *const session_types[] = {"active", "passive", NULL};

/* flags: [{name, enabled}], at most one filtering mode enabled; none
 * enabled means the default mode. Other names are the feature's to know. */
static void validate_flags(struct validation *v, json_t *j_in, json_t *j)
{
	json_t *j_flags = json_object_get(j_in, "flags");
	if (!j_flags)
		return;
	if (!json_is_array(j_flags) || json_array_size(j_flags) > 16) {
		validation_fail(v, "flags", "Expected a list of at most 16 {name, enabled} objects.");
		return;
	}
	json_t *j_out = json_array();
	size_t i, modes = 0;
	json_t *j_flag;
	json_array_foreach (j_flags, i, j_flag) {
		const char *name = json_string_value(json_object_get(j_flag, "name"));
		json_t *j_enabled = json_object_get(j_flag, "enabled");
		if (!json_is_object(j_flag) || !name || strlen(name) == 0 || strlen(name) > 20 ||
		    !json_is_boolean(j_enabled)) {
			validation_fail(v, "flags", "Item %zu must be {\"name\": a flag name, \"enabled\": a boolean}.",
					i);
			continue;
		}
		if (bgp_filtering_mode_is_valid(name) && json_is_true(j_enabled))
			modes++;
		json_array_append_new(j_out, json_pack("{s:s, s:O}", "name", name, "enabled", j_enabled));
	}
	if (modes > 1)
		validation_fail(v, "flags", "Enable one filtering mode of the route servers at most.");
	if (modes == 0)
		json_array_append_new(j_out,
				      json_pack("{s:s, s:b}", "name", bgp_filtering_mode_default(), "enabled", 1));
	json_object_set_new(j, "flags", j_out);
}

/* A session stays on its feature and config; the state is the operators'.
 * asn and flags are the validator's own. */
static const struct field_spec feature_config_fields[] = {
	FIELD_ENUM("type", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT, feature_types),
	FIELD_ENUM("state", FIELD_REQUIRED | FIELD_OPERATOR | FIELD_LATER, ixapi_states),
	FIELD_REF("network_feature", FIELD_REQUIRED | FIELD_CREATE | FIELD_IMMUTABLE),
	FIELD_REF("network_service_config", FIELD_REQUIRED | FIELD_CREATE | FIELD_IMMUTABLE),
	FIELDS_OWNER,
	FIELDS_BILLING,
	FIELD_STRINGS("role_assignments", FIELD_REQUIRED, ID_MAX_LEN),
	FIELD_CUSTOM("asn", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT, 0),
	FIELD_REF("ip", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT),
	FIELD_STRING("password", FIELD_OPTIONAL, BGP_PASSWORD_MAX),
	FIELD_BOOL("insert_ixp_asn"),
	FIELD_ENUM("session_mode", FIELD_REQUIRED, session_modes),
	FIELD_ENUM("bgp_session_type", FIELD_REQUIRED, session_types),
	FIELD_STRING("as_set_v4", FIELD_NULLABLE, 100),
	FIELD_STRING("as_set_v6", FIELD_NULLABLE, 100),
	FIELD_INT("max_prefix_v4", FIELD_NULLABLE, 0, 10000000),
	FIELD_INT("max_prefix_v6", FIELD_NULLABLE, 0, 10000000),
	FIELD_CUSTOM("flags", FIELD_OPTIONAL, 0),
	FIELD_END,
};

struct problem *feature_configs_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, feature_config_fields);
	long long asn = 0;
	if (validation_has(j_in, "asn") &&
	    validation_int(&v, j_in, "asn", "asn", FIELD_REQUIRED, 0, 4294967295LL, &asn)) {
		const char *reason = bgp_asn_unusable_reason(asn);
		if (reason)
			validation_fail(&v, "asn", "AS%lld: %s", asn, reason);
		else
			json_object_set_new(j, "asn", json_integer(asn));
	}
	static const char *const sets[] = {"as_set_v4", "as_set_v6"};
	for (int i = 0; i < 2; i++) {
		const char *s = json_string_value(json_object_get(j, sets[i]));
		if (s && !bgp_as_set_is_valid(s))
			validation_fail(&v, sets[i], "Expected AS-SET@IRR such as AS-EXAMPLE@RIPE.");
	}
	/* The route servers must be able to use it (or the session would fail
	 * on the route server, and all others of it with it). */
	const char *pw = json_string_value(json_object_get(j, "password"));
	const char *reason = pw ? bgp_password_unusable_reason(pw) : NULL;
	if (reason)
		validation_fail(&v, "password", "Not usable as a TCP-MD5 key on the route servers: %s.", reason);
	/* A null limit stays null: no limit of the member's own, the exchange's
	 * dynamic per-AS rule applies (the route-server jobs compute it; the
	 * API shows the limit in force, 100 while the count is unknown). */
	validate_flags(&v, j_in, j);
	return validation_end(&v, j_in, j, j_out);
}

/* A new session without flags of its own: the exchange's filtering mode
 * (without limits of its own: the dynamic limit, see above). */
static void session_defaults(json_t *j_fields)
{
	if (!json_object_get(j_fields, "flags"))
		json_object_set_new(j_fields, "flags",
				    json_pack("[{s:s, s:b}]", "name", bgp_filtering_mode_default(), "enabled", 1));
}

const struct resource feature_configs_resource = {
	.title = "Network feature config",
	.object_type = "network_feature_config",
	.fields = feature_config_fields,
	.validate = feature_configs_validate,
	.listing = &feature_configs_listing,
	.owner = RESOURCE_ORDER,
	.defaults = session_defaults,
	.create = &feature_config_create,
	.update = &feature_config_update,
	.update_status = 202,
	.decommission = &feature_configs_decommission,
};
