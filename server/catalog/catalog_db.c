/*
 * Catalog storage: for each resource its filters (in the order of the list
 * statement's parameters) and its list and read statements. Adding a
 * catalog resource is adding one block here, a JSON function in a
 * migration and two lines in the route table.
 */
#include "catalog/catalog.h"

/* $2..$7 of facilities, pops and devices: the capability filters. */
#define CAPABILITY_FILTERS                                                                                             \
	{"capability_speed", FILTER_INT, NULL}, {"capability_speed_lt", FILTER_INT, NULL},                             \
		{"capability_speed_lte", FILTER_INT, NULL}, {"capability_speed_gt", FILTER_INT, NULL},                 \
		{"capability_speed_gte", FILTER_INT, NULL},                                                            \
	{                                                                                                              \
		"capability_media_type", FILTER_TEXT, NULL                                                             \
	}
#define CAPABILITY_GIVEN      "num_nonnulls($2::int, $3::int, $4::int, $5::int, $6::int, $7::text) > 0"
#define CAPABILITY_OF(device) "device_has_capability(" device ", $2::int, $3::int, $4::int, $5::int, $6::int, $7::text)"
#define END_OF_FILTERS                                                                                                 \
	{                                                                                                              \
		NULL, FILTER_TEXT, NULL                                                                                \
	}

const struct filter_spec catalog_metro_area_filters[] = {{"id", FILTER_LIST, NULL}, PAGINATION_FILTERS, END_OF_FILTERS};

const struct listing catalog_metro_areas = {
	.title = "Metro area",
	.is_scoped = false,
	.filters = catalog_metro_area_filters,
	.list_sql = "SELECT coalesce(jsonb_agg(metro_area_json(m) ORDER BY m.id), '[]')::text FROM metro_areas m"
	" WHERE ($1::text[] IS NULL OR m.id::text = ANY ($1::text[]))",
	.read_sql = "SELECT metro_area_json(m)::text FROM metro_areas m WHERE m.id = $1::bigint",
};

const struct filter_spec catalog_metro_area_network_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"name", FILTER_TEXT, NULL},
	{"metro_area", FILTER_TEXT, NULL},
	{"service_provider", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

const struct listing catalog_metro_area_networks = {
	.title = "Metro area network",
	.is_scoped = false,
	.filters = catalog_metro_area_network_filters,
	.list_sql = "SELECT coalesce(jsonb_agg(metro_area_network_json(n) ORDER BY n.id), '[]')::text"
	"  FROM metro_area_networks n"
	" WHERE ($1::text[] IS NULL OR n.id::text = ANY ($1::text[]))"
	"   AND ($2::text IS NULL OR n.name = $2)"
	"   AND ($3::text IS NULL OR n.metro_area::text = $3)"
	"   AND ($4::text IS NULL OR n.service_provider = $4)",
	.read_sql = "SELECT metro_area_network_json(n)::text FROM metro_area_networks n WHERE n.id = $1::bigint",
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

const struct listing catalog_facilities = {
	.title = "Facility",
	.is_scoped = false,
	.filters = catalog_facility_filters,
	.list_sql = "SELECT coalesce(jsonb_agg(facility_json(f) ORDER BY f.id), '[]')::text FROM facilities f"
	" WHERE ($1::text[] IS NULL OR f.id::text = ANY ($1::text[]))"
	"   AND (NOT " CAPABILITY_GIVEN " OR EXISTS ("
	"        SELECT 1 FROM pops p JOIN devices d ON d.pop = p.id"
	"         WHERE p.facility = f.id AND " CAPABILITY_OF(
		"d.id") "))"
			"   AND ($8::text IS NULL OR f.organisation_name = $8)"
			"   AND ($9::text IS NULL OR f.metro_area::text = $9)"
			"   AND ($10::text IS NULL OR EXISTS ("
			"        SELECT 1 FROM pops p WHERE p.facility = f.id AND p.metro_area_network::text = $10))"
			"   AND ($11::text IS NULL OR f.address_country = $11)"
			"   AND ($12::text IS NULL OR f.address_locality = $12)"
			"   AND ($13::text IS NULL OR f.postal_code = $13)",
	.read_sql = "SELECT facility_json(f)::text FROM facilities f WHERE f.id = $1::bigint",
};

const struct filter_spec catalog_pop_filters[] = {
	{"id", FILTER_LIST, NULL},
	CAPABILITY_FILTERS,
	{"facility", FILTER_TEXT, NULL},
	{"metro_area_network", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

const struct listing catalog_pops = {
	.title = "Point of presence",
	.is_scoped = false,
	.filters = catalog_pop_filters,
	.list_sql = "SELECT coalesce(jsonb_agg(pop_json(p) ORDER BY p.id), '[]')::text FROM pops p"
	" WHERE ($1::text[] IS NULL OR p.id::text = ANY ($1::text[]))"
	"   AND (NOT " CAPABILITY_GIVEN " OR EXISTS ("
	"        SELECT 1 FROM devices d WHERE d.pop = p.id AND " CAPABILITY_OF(
		"d.id") "))"
			"   AND ($8::text IS NULL OR p.facility::text = $8)"
			"   AND ($9::text IS NULL OR p.metro_area_network::text = $9)",
	.read_sql = "SELECT pop_json(p)::text FROM pops p WHERE p.id = $1::bigint",
};

const struct filter_spec catalog_device_filters[] = {
	{"id", FILTER_LIST, NULL},   CAPABILITY_FILTERS,
	{"name", FILTER_TEXT, NULL}, {"facility", FILTER_TEXT, NULL},
	{"pop", FILTER_TEXT, NULL},  {"metro_area_network", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,          END_OF_FILTERS,
};

const struct listing catalog_devices = {
	.title = "Device",
	.is_scoped = false,
	.filters = catalog_device_filters,
	.list_sql = "SELECT coalesce(jsonb_agg(device_json(d) ORDER BY d.id), '[]')::text"
	"  FROM devices d JOIN pops p ON p.id = d.pop"
	" WHERE ($1::text[] IS NULL OR d.id::text = ANY ($1::text[]))"
	"   AND (NOT " CAPABILITY_GIVEN
	" OR " CAPABILITY_OF("d.id") ")"
				     "   AND ($8::text IS NULL OR d.name = $8)"
				     "   AND ($9::text IS NULL OR p.facility::text = $9)"
				     "   AND ($10::text IS NULL OR d.pop::text = $10)"
				     "   AND ($11::text IS NULL OR p.metro_area_network::text = $11)",
	.read_sql = "SELECT device_json(d)::text FROM devices d WHERE d.id = $1::bigint",
};

const struct filter_spec catalog_availability_zone_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"name", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

const struct listing catalog_availability_zones = {
	.title = "Availability zone",
	.is_scoped = false,
	.filters = catalog_availability_zone_filters,
	.list_sql = "SELECT coalesce(jsonb_agg(availability_zone_json(z) ORDER BY z.id), '[]')::text FROM availability_zones z"
	" WHERE ($1::text[] IS NULL OR z.id::text = ANY ($1::text[]))"
	"   AND ($2::text IS NULL OR z.name = $2)",
	.read_sql = "SELECT availability_zone_json(z)::text FROM availability_zones z WHERE z.id = $1::bigint",
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
const struct listing catalog_product_offerings = {
	.title = "Product offering",
	.is_scoped = false,
	.filters = catalog_product_offering_filters,
	.list_sql = "SELECT coalesce(jsonb_agg(product_offering_json(o) ORDER BY o.id), '[]')::text FROM product_offerings o"
	" WHERE ($1::text[] IS NULL OR o.id::text = ANY ($1::text[]))"
	"   AND ($2::text IS NULL OR o.type = $2)"
	"   AND ($3::text IS NULL OR o.resource_type = $3)"
	"   AND ($4::text IS NULL OR o.name = $4)"
	"   AND ($5::text IS NULL OR o.handover_metro_area::text = $5)"
	"   AND ($6::text IS NULL OR o.handover_metro_area_network::text = $6)"
	"   AND ($7::text IS NULL OR o.handover_pop::text = $7)"
	"   AND ($8::text IS NULL OR o.service_metro_area::text = $8)"
	"   AND ($9::text IS NULL OR o.service_metro_area_network::text = $9)"
	"   AND ($10::text IS NULL OR o.service_provider = $10)"
	"   AND ($11::boolean IS NULL OR o.downgrade_allowed = $11::boolean)"
	"   AND ($12::boolean IS NULL OR o.upgrade_allowed = $12::boolean)"
	"   AND ($13::int IS NULL OR ($13::int >= coalesce(o.bandwidth_min, 0)"
	"                             AND $13::int <= coalesce(o.bandwidth_max, 2147483647)"
	"                             AND o.type <> 'connection'))"
	"   AND ($14::int IS NULL OR o.physical_port_speed = $14::int)"
	"   AND ($15::text IS NULL OR (o.type = 'cloud_vc' AND o.service_provider_region = $15))"
	"   AND ($16::text IS NULL OR (o.type = 'cloud_vc' AND o.service_provider_pop = $16))"
	"   AND ($17::text IS NULL OR (o.type = 'cloud_vc' AND o.delivery_method = $17))"
	"   AND ($18::text IS NULL OR (o.type = 'cloud_vc' AND o.service_provider_workflow = 'provider_first'"
	"                              AND $18 ~ o.cloud_key_pattern))"
	"   AND ($19::text IS NULL OR o.contract_initial_period = $19)"
	"   AND ($20::text IS NULL OR o.contract_initial_notice_period = $20)"
	"   AND ($21::text IS NULL OR o.contract_renewal_period = $21)"
	"   AND ($22::text IS NULL OR o.contract_renewal_notice_period = $22)",
	.read_sql = "SELECT product_offering_json(o)::text FROM product_offerings o WHERE o.id = $1::bigint",
};
