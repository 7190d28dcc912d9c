/*
 * Catalog storage: for each resource its filters and the set-based form of
 * its listing (see resource/listing.h): the table, one predicate per filter
 * and the set renderer. Adding a catalog resource is adding one block
 * here, a render function in a migration and two lines in the route table.
 */
#include "catalog/catalog.h"

/* Filters 1-6 of facilities, pops and devices: the capability filters. */
#define CAPABILITY_FILTERS                                                                                             \
	{"capability_speed", FILTER_INT, NULL}, {"capability_speed_lt", FILTER_INT, NULL},                             \
		{"capability_speed_lte", FILTER_INT, NULL}, {"capability_speed_gt", FILTER_INT, NULL},                 \
		{"capability_speed_gte", FILTER_INT, NULL},                                                            \
	{                                                                                                              \
		"capability_media_type", FILTER_TEXT, NULL                                                             \
	}
/* The capability filters (filters 1-6 of facilities, pops and devices) hold
 * together: one capability of a device meets every one given. Each takes
 * its own value as $? and the others' as $[k]. */
#define CAPABILITY_ARGS(speed, lt, lte, gt, gte, media)                                                                \
	speed "::int, " lt "::int, " lte "::int, " gt "::int, " gte "::int, " media "::text"
#define CAPABILITY_PREDICATES(exists_device_with)                                                                      \
	exists_device_with(CAPABILITY_ARGS("$?", "$[2]", "$[3]", "$[4]", "$[5]", "$[6]")),                             \
		exists_device_with(CAPABILITY_ARGS("$[1]", "$?", "$[3]", "$[4]", "$[5]", "$[6]")),                     \
		exists_device_with(CAPABILITY_ARGS("$[1]", "$[2]", "$?", "$[4]", "$[5]", "$[6]")),                     \
		exists_device_with(CAPABILITY_ARGS("$[1]", "$[2]", "$[3]", "$?", "$[5]", "$[6]")),                     \
		exists_device_with(CAPABILITY_ARGS("$[1]", "$[2]", "$[3]", "$[4]", "$?", "$[6]")),                     \
		exists_device_with(CAPABILITY_ARGS("$[1]", "$[2]", "$[3]", "$[4]", "$[5]", "$?"))
#define FACILITY_DEVICE_WITH(args)                                                                                     \
	"EXISTS (SELECT 1 FROM pops p JOIN devices d ON d.pop = p.id"                                                  \
	" WHERE p.facility = t.id AND device_has_capability(d.id, " args "))"
#define POP_DEVICE_WITH(args)                                                                                          \
	"EXISTS (SELECT 1 FROM devices d WHERE d.pop = t.id AND device_has_capability(d.id, " args "))"
#define DEVICE_WITH(args) "device_has_capability(t.id, " args ")"
#define END_OF_FILTERS                                                                                                 \
	{                                                                                                              \
		NULL, FILTER_TEXT, NULL                                                                                \
	}

const struct filter_spec catalog_metro_area_filters[] = {{"id", FILTER_LIST, NULL}, PAGINATION_FILTERS, END_OF_FILTERS};

static const char *const metro_area_predicates[] = {"t.id = ANY ($?::bigint[])"};

const struct listing catalog_metro_areas = {
	.title = "Metro area",
	.filters = catalog_metro_area_filters,
	.table = "metro_areas",
	.render = "metro_areas_render",
	.predicates = metro_area_predicates,
	.sql = LISTING_SQL,
};

const struct filter_spec catalog_metro_area_network_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"name", FILTER_TEXT, NULL},
	{"metro_area", FILTER_TEXT, NULL},
	{"service_provider", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

static const char *const metro_area_network_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	"t.name = $?",
	"t.metro_area = id_or_null($?)",
	"t.service_provider = $?",
};

const struct listing catalog_metro_area_networks = {
	.title = "Metro area network",
	.filters = catalog_metro_area_network_filters,
	.table = "metro_area_networks",
	.render = "metro_area_networks_render",
	.predicates = metro_area_network_predicates,
	.sql = LISTING_SQL,
};

const struct filter_spec catalog_facility_filters[] = {
	{"id", FILTER_LIST, NULL},
	CAPABILITY_FILTERS,
	{"organisation_name", FILTER_TEXT, NULL},
	{"metro_area", FILTER_TEXT, NULL},
	{"metro_area_network", FILTER_TEXT, NULL},
	{"address_country", FILTER_TEXT, NULL},
	{"address_locality", FILTER_TEXT, NULL},
	{"postal_code", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

static const char *const facility_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	CAPABILITY_PREDICATES(FACILITY_DEVICE_WITH),
	"t.organisation_name = $?",
	"t.metro_area = id_or_null($?)",
	"EXISTS (SELECT 1 FROM pops p WHERE p.facility = t.id AND p.metro_area_network = id_or_null($?))",
	"t.address_country = $?",
	"t.address_locality = $?",
	"t.postal_code = $?",
};

const struct listing catalog_facilities = {
	.title = "Facility",
	.filters = catalog_facility_filters,
	.table = "facilities",
	.render = "facilities_render",
	.predicates = facility_predicates,
	.sql = LISTING_SQL,
};

const struct filter_spec catalog_pop_filters[] = {
	{"id", FILTER_LIST, NULL},
	CAPABILITY_FILTERS,
	{"facility", FILTER_TEXT, NULL},
	{"metro_area_network", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

static const char *const pop_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	CAPABILITY_PREDICATES(POP_DEVICE_WITH),
	"t.facility = id_or_null($?)",
	"t.metro_area_network = id_or_null($?)",
};

const struct listing catalog_pops = {
	.title = "Point of presence",
	.filters = catalog_pop_filters,
	.table = "pops",
	.render = "pops_render",
	.predicates = pop_predicates,
	.sql = LISTING_SQL,
};

const struct filter_spec catalog_device_filters[] = {
	{"id", FILTER_LIST, NULL},   CAPABILITY_FILTERS,
	{"name", FILTER_TEXT, NULL}, {"facility", FILTER_TEXT, NULL},
	{"pop", FILTER_TEXT, NULL},  {"metro_area_network", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,          END_OF_FILTERS,
};

static const char *const device_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	CAPABILITY_PREDICATES(DEVICE_WITH),
	"t.name = $?",
	"EXISTS (SELECT 1 FROM pops p WHERE p.id = t.pop AND p.facility = id_or_null($?))",
	"t.pop = id_or_null($?)",
	"EXISTS (SELECT 1 FROM pops p WHERE p.id = t.pop AND p.metro_area_network = id_or_null($?))",
};

const struct listing catalog_devices = {
	.title = "Device",
	.filters = catalog_device_filters,
	.table = "devices",
	.render = "devices_render",
	.predicates = device_predicates,
	.sql = LISTING_SQL,
};

const struct filter_spec catalog_availability_zone_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"name", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

static const char *const availability_zone_predicates[] = {"t.id = ANY ($?::bigint[])", "t.name = $?"};

const struct listing catalog_availability_zones = {
	.title = "Availability zone",
	.filters = catalog_availability_zone_filters,
	.table = "availability_zones",
	.render = "availability_zones_render",
	.predicates = availability_zone_predicates,
	.sql = LISTING_SQL,
};

static const char *const offering_types[] = {"connection", "exchange_lan", "p2p_vc",           "p2mp_vc",
					     "mp2mp_vc",   "cloud_vc",     "routing_function", NULL};
static const char *const resource_types[] = {
	"connection", "port_reservation", "network_service", "network_service_config", "routing_function", NULL};
static const char *const delivery_methods[] = {"dedicated", "shared", NULL};

const struct filter_spec catalog_product_offering_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"type", FILTER_ENUM, offering_types},
	{"resource_type", FILTER_ENUM, resource_types},
	{"name", FILTER_TEXT, NULL},
	{"handover_metro_area", FILTER_TEXT, NULL},
	{"handover_metro_area_network", FILTER_TEXT, NULL},
	{"handover_pop", FILTER_TEXT, NULL},
	{"service_metro_area", FILTER_TEXT, NULL},
	{"service_metro_area_network", FILTER_TEXT, NULL},
	{"service_provider", FILTER_TEXT, NULL},
	{"downgrade_allowed", FILTER_BOOL, NULL},
	{"upgrade_allowed", FILTER_BOOL, NULL},
	{"bandwidth", FILTER_INT, NULL},
	{"physical_port_speed", FILTER_INT, NULL},
	{"service_provider_region", FILTER_TEXT, NULL},
	{"service_provider_pop", FILTER_TEXT, NULL},
	{"delivery_method", FILTER_ENUM, delivery_methods},
	{"cloud_key", FILTER_TEXT, NULL},
	{"contract_initial_period", FILTER_TEXT, NULL},
	{"contract_initial_notice_period", FILTER_TEXT, NULL},
	{"contract_renewal_period", FILTER_TEXT, NULL},
	{"contract_renewal_notice_period", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

/* The cloud filters (region, pop, delivery method, cloud key) match only
 * cloud_vc offerings; a cloud key matches the provider_first offerings
 * whose (unpublished) key pattern it fits. */
static const char *const product_offering_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	"t.type = $?",
	"t.resource_type = $?",
	"t.name = $?",
	"t.handover_metro_area = id_or_null($?)",
	"t.handover_metro_area_network = id_or_null($?)",
	"t.handover_pop = id_or_null($?)",
	"t.service_metro_area = id_or_null($?)",
	"t.service_metro_area_network = id_or_null($?)",
	"t.service_provider = $?",
	"t.downgrade_allowed = $?::boolean",
	"t.upgrade_allowed = $?::boolean",
	"$?::int >= coalesce(t.bandwidth_min, 0) AND $?::int <= coalesce(t.bandwidth_max, 2147483647)"
	" AND t.type <> 'connection'",
	"t.physical_port_speed = $?::int",
	"t.type = 'cloud_vc' AND t.service_provider_region = $?",
	"t.type = 'cloud_vc' AND t.service_provider_pop = $?",
	"t.type = 'cloud_vc' AND t.delivery_method = $?",
	"t.type = 'cloud_vc' AND t.service_provider_workflow = 'provider_first' AND $? ~ t.cloud_key_pattern",
	"t.contract_initial_period = $?",
	"t.contract_initial_notice_period = $?",
	"t.contract_renewal_period = $?",
	"t.contract_renewal_notice_period = $?",
};

const struct listing catalog_product_offerings = {
	.title = "Product offering",
	.filters = catalog_product_offering_filters,
	.table = "product_offerings",
	.render = "product_offerings_render",
	.predicates = product_offering_predicates,
	.sql = LISTING_SQL,
};
