/*
 * Network service handlers (see network_services.h).
 */
#include "services/network_services.h"

#include "app.h"
#include "core/fields.h"
#include "core/json_body.h"
#include "core/states.h"
#include "core/util.h"
#include "services/network_services_db.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static const char *const service_types[] = {"exchange_lan", "p2p_vc", "p2mp_vc", "mp2mp_vc", "cloud_vc", NULL};

/* "192.0.2.0/24" for family 4, "2001:db8::/64" for 6: a network address
 * with no host bits set is the database's to check; here the shape. */
static bool is_cidr(const char *s, int family)
{
	const char *slash = strchr(s, '/');
	if (!slash || slash - s >= 64)
		return false;
	char host[64];
	memcpy(host, s, (size_t)(slash - s));
	host[slash - s] = '\0';
	unsigned char buf[16];
	long long len = 0;
	return inet_pton(family == 4 ? AF_INET : AF_INET6, host, buf) == 1 &&
	       util_parse_ll(slash + 1, 0, family == 4 ? 32 : 128, &len);
}

/* The type never changes; the state and the exchange's settings of a LAN
 * (not IX-API fields) are the operators'. */
static const struct field_spec network_service_fields[] = {
	FIELD_ENUM("type", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT | FIELD_IMMUTABLE, service_types),
	FIELD_ENUM("state", FIELD_REQUIRED | FIELD_OPERATOR, ixapi_states),
	FIELDS_OWNER,
	FIELDS_BILLING,
	FIELD_REF("product_offering", FIELD_REQUIRED),
	FIELD_STRING("name", FIELD_REQUIRED, 40),
	FIELD_STRING("display_name", FIELD_NULLABLE, 256),
	FIELD_REF("metro_area_network", FIELD_REQUIRED),
	FIELD_INT("peeringdb_ixid", FIELD_NULLABLE, 1, 2147483647),
	FIELD_INT("ixfdb_ixid", FIELD_NULLABLE, 1, 2147483647),
	FIELD_STRING("subnet_v4", FIELD_REQUIRED, 64),
	FIELD_STRING("subnet_v6", FIELD_REQUIRED, 64),
	FIELD_REF("joining_member_account", FIELD_REQUIRED),
	FIELD_INT("capacity", FIELD_NULLABLE, 1, 2147483647),
	FIELD_BOOL("public"),
	FIELD_STRING("cloud_key", FIELD_NULLABLE, 512),
	FIELD_INT("diversity", FIELD_NULLABLE, 1, 8),
	FIELD_INT("max_macs_per_config", FIELD_REQUIRED | FIELD_OPERATOR, 1, 64),
	FIELD_INT("max_prefix_ceiling_v4", FIELD_REQUIRED | FIELD_OPERATOR, 0, 10000000),
	FIELD_INT("max_prefix_ceiling_v6", FIELD_REQUIRED | FIELD_OPERATOR, 0, 10000000),
	FIELD_STRINGS("nsc_required_contact_roles", FIELD_REQUIRED | FIELD_OPERATOR, ID_MAX_LEN),
	FIELD_END,
};

struct problem *network_services_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, network_service_fields);
	static const char *const subnets[] = {"subnet_v4", "subnet_v6"};
	for (int i = 0; i < 2; i++) {
		const char *s = json_string_value(json_object_get(j, subnets[i]));
		if (s && !is_cidr(s, i == 0 ? 4 : 6))
			validation_fail(&v, subnets[i], "Expected an IPv%d network such as %s.", i == 0 ? 4 : 6,
					i == 0 ? "192.0.2.0/24" : "2001:db8::/64");
	}
	return validation_end(&v, j_in, j, j_out);
}

const struct resource network_services_resource = {
	.title = "Network service",
	.object_type = "network_service",
	.fields = network_service_fields,
	.validate = network_services_validate,
	.listing = &network_services_listing,
	.owner = RESOURCE_ORDER,
	.operator_sets_state = true, /* an operator may put a new peering LAN straight into production */
	.create = &network_service_create,
	.update = &network_service_update,
	.update_status = 202,
	.decommission = &network_services_decommission,
};

struct problem *network_services_change_request_read(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = network_services_db_change_request(req->app->pool, &a, req->params[0], NULL, false, &json);
	return response_from(res, 202, p, json);
}

struct problem *network_services_change_request_create(struct request *req, struct response *res)
{
	struct validation v = {0};
	json_t *j = json_object();
	json_t *j_in = req->j_body ? req->j_body : j;
	validation_string(&v, j_in, "product_offering", "product_offering", FIELD_REQUIRED, 80);
	long long capacity = 0;
	validation_int(&v, j_in, "capacity", "capacity", FIELD_NULLABLE, 1, 2147483647, &capacity);
	json_decref(j);
	if (v.problem)
		return v.problem;
	char *text = json_dumps(req->j_body, JSON_COMPACT);
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = network_services_db_change_request(req->app->pool, &a, req->params[0], text, false, &json);
	free(text);
	return response_from(res, 202, p, json);
}

struct problem *network_services_change_request_destroy(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = network_services_db_change_request(req->app->pool, &a, req->params[0], NULL, true, &json);
	return response_from(res, 202, p, json);
}
