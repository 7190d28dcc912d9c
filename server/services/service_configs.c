/*
 * Network service config handlers (see service_configs.h).
 */
#include "services/service_configs.h"

#include "app.h"
#include "bgp/bgp_rules.h"
#include "core/fields.h"
#include "core/json_body.h"
#include "core/states.h"
#include "core/util.h"
#include "services/service_configs_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const config_types[] = {"exchange_lan", "p2p_vc", "p2mp_vc", "mp2mp_vc", "cloud_vc", NULL};
static const char *const vlan_types[] = {"port", "dot1q", "qinq", NULL};
static const char *const ethertypes[] = {"0x8100", "0x88a8", "0x9100", NULL};

/* vlan_config: one of the three shapes, ids 1..4094, a null or absent
 * vlan (outer_vlan) asking the exchange to pick. */
static void validate_vlan_config(struct validation *v, json_t *j_in, json_t *j)
{
	json_t *j_vc = validation_object(v, j_in, "vlan_config", "vlan_config", FIELD_REQUIRED);
	if (!j_vc)
		return;
	json_t *j_out = json_object();
	const char *type = NULL;
	if (!validation_has(j_vc, "vlan_type"))
		validation_fail(v, "vlan_config.vlan_type", "This field is required.");
	else {
		const char *s = validation_string(v, j_vc, "vlan_type", "vlan_config.vlan_type", FIELD_REQUIRED, 10);
		for (size_t i = 0; s && vlan_types[i]; i++)
			if (strcmp(s, vlan_types[i]) == 0)
				type = vlan_types[i];
		if (s && !type)
			validation_fail(v, "vlan_config.vlan_type", "\"%.10s\" is not a valid choice.", s);
	}
	if (type)
		json_object_set_new(j_out, "vlan_type", json_string(type));
	long long id = 0;
	const char *ethertype = NULL;
	if (type && strcmp(type, "dot1q") == 0) {
		json_object_set_new(j_out, "vlan",
				    validation_int(v, j_vc, "vlan", "vlan_config.vlan", FIELD_NULLABLE, 1, 4094, &id)
					    ? json_integer(id)
					    : json_null());
		ethertype =
			validation_string(v, j_vc, "vlan_ethertype", "vlan_config.vlan_ethertype", FIELD_OPTIONAL, 8);
		json_object_set_new(j_out, "vlan_ethertype", json_string(ethertype ? ethertype : "0x8100"));
	} else if (type && strcmp(type, "qinq") == 0) {
		json_object_set_new(
			j_out, "outer_vlan",
			validation_int(v, j_vc, "outer_vlan", "vlan_config.outer_vlan", FIELD_NULLABLE, 1, 4094, &id)
				? json_integer(id)
				: json_null());
		if (validation_int(v, j_vc, "inner_vlan", "vlan_config.inner_vlan", FIELD_REQUIRED, 1, 4094, &id))
			json_object_set_new(j_out, "inner_vlan", json_integer(id));
		ethertype = validation_string(v, j_vc, "outer_vlan_ethertype", "vlan_config.outer_vlan_ethertype",
					      FIELD_OPTIONAL, 8);
		json_object_set_new(j_out, "outer_vlan_ethertype", json_string(ethertype ? ethertype : "0x8100"));
	}
	bool known = ethertype == NULL;
	for (size_t i = 0; !known && ethertypes[i]; i++)
		known = strcmp(ethertype, ethertypes[i]) == 0;
	if (!known)
		validation_fail(v, "vlan_config", "\"%.8s\" is not a valid ethertype.", ethertype);
	json_object_set_new(j, "vlan_config", j_out);
}

/* shared_statistics: {"policy": "allow", "accounts_denied": [...]} or
 * {"policy": "deny", "accounts_allowed": [...]}, normalised to that shape. */
static void validate_shared_statistics(struct validation *v, json_t *j_in, json_t *j)
{
	json_t *j_ss = validation_object(v, j_in, "shared_statistics", "shared_statistics", FIELD_REQUIRED);
	if (!j_ss)
		return;
	const char *policy = validation_string(v, j_ss, "policy", "shared_statistics.policy", FIELD_REQUIRED, 8);
	if (!policy)
		return;
	bool allow = strcmp(policy, "allow") == 0;
	if (!allow && strcmp(policy, "deny") != 0) {
		validation_fail(v, "shared_statistics.policy", "\"%.8s\" is not a valid choice.", policy);
		return;
	}
	const char *list = allow ? "accounts_denied" : "accounts_allowed";
	json_t *j_list = json_array();
	if (validation_has(j_ss, list)) {
		char name[48];
		snprintf(name, sizeof(name), "shared_statistics.%s", list);
		json_t *j_given = validation_string_array(v, j_ss, list, name, FIELD_REQUIRED, 80);
		if (j_given)
			json_array_extend(j_list, j_given);
	}
	json_object_set_new(j, "shared_statistics", json_pack("{s:s, s:o}", "policy", policy, list, j_list));
}

/* asns: a list of public AS numbers (the IANA special-purpose registry). */
static void validate_asns(struct validation *v, json_t *j_in, json_t *j)
{
	json_t *j_list = json_object_get(j_in, "asns");
	if (!j_list)
		return;
	if (!json_is_array(j_list)) {
		validation_fail(v, "asns", "Expected a list of AS numbers.");
		return;
	}
	size_t i;
	json_t *j_asn;
	json_array_foreach (j_list, i, j_asn) {
		if (!json_is_integer(j_asn)) {
			validation_fail(v, "asns", "Item %zu is not an integer.", i);
			continue;
		}
		const char *reason = bgp_asn_unusable_reason(json_integer_value(j_asn));
		if (reason)
			validation_fail(v, "asns", "AS%lld: %s", (long long)json_integer_value(j_asn), reason);
	}
	if (json_array_size(j_list) > 16)
		validation_fail(v, "asns", "At most 16 ASNs per config.");
	json_object_set(j, "asns", j_list);
}

/* Type, service and connection are fixed (a new config moves); the state
 * is the operators'. vlan_config, asns and shared_statistics are the
 * validator's own. */
static const struct field_spec service_config_fields[] = {
	FIELD_ENUM("type", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT | FIELD_IMMUTABLE, config_types),
	FIELD_ENUM("state", FIELD_REQUIRED | FIELD_OPERATOR | FIELD_LATER, ixapi_states),
	FIELD_REF("network_service", FIELD_REQUIRED | FIELD_CREATE | FIELD_IMMUTABLE),
	FIELD_REF("connection", FIELD_REQUIRED | FIELD_CREATE | FIELD_IMMUTABLE),
	FIELDS_OWNER,
	FIELDS_BILLING,
	FIELD_REF("product_offering", FIELD_NULLABLE),
	FIELD_INT("capacity", FIELD_NULLABLE, 1, 2147483647),
	FIELD_BOOL("listed"),
	FIELD_BOOL("consumer_side_ready"),
	FIELD_STRINGS("macs", FIELD_REQUIRED, ID_MAX_LEN),
	FIELD_STRINGS("role_assignments", FIELD_REQUIRED, ID_MAX_LEN),
	FIELD_CUSTOM("vlan_config", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT, 0),
	FIELD_CUSTOM("asns", FIELD_OPTIONAL, 0),
	FIELD_CUSTOM("shared_statistics", FIELD_OPTIONAL, 0),
	FIELD_END,
};

struct problem *service_configs_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, service_config_fields);
	if (validation_has(j_in, "vlan_config"))
		validate_vlan_config(&v, j_in, j);
	validate_asns(&v, j_in, j);
	if (validation_has(j_in, "shared_statistics"))
		validate_shared_statistics(&v, j_in, j);
	return validation_end(&v, j_in, j, j_out);
}

const struct resource service_configs_resource = {
	.title = "Network service config",
	.object_type = "network_service_config",
	.fields = service_config_fields,
	.validate = service_configs_validate,
	.listing = &service_configs_listing,
	.owner = RESOURCE_ORDER,
	.create = &service_config_create,
	.update = &service_config_update,
	.update_status = 202,
	.decommission = &service_configs_decommission,
};
