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
	"Metro area",
	false,
	catalog_metro_area_filters,
	"SELECT coalesce(jsonb_agg(metro_area_json(m) ORDER BY m.id), '[]')::text FROM metro_areas m"
	" WHERE ($1::text[] IS NULL OR m.id::text = ANY ($1::text[]))",
	"SELECT metro_area_json(m)::text FROM metro_areas m WHERE m.id = $1::bigint",
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
	"Metro area network",
	false,
	catalog_metro_area_network_filters,
	"SELECT coalesce(jsonb_agg(metro_area_network_json(n) ORDER BY n.id), '[]')::text"
	"  FROM metro_area_networks n"
	" WHERE ($1::text[] IS NULL OR n.id::text = ANY ($1::text[]))"
	"   AND ($2::text IS NULL OR n.name = $2)"
	"   AND ($3::text IS NULL OR n.metro_area::text = $3)"
	"   AND ($4::text IS NULL OR n.service_provider = $4)",
	"SELECT metro_area_network_json(n)::text FROM metro_area_networks n WHERE n.id = $1::bigint",
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
	"Facility",
	false,
	catalog_facility_filters,
	"SELECT coalesce(jsonb_agg(facility_json(f) ORDER BY f.id), '[]')::text FROM facilities f"
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
	"SELECT facility_json(f)::text FROM facilities f WHERE f.id = $1::bigint",
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
	"Point of presence",
	false,
	catalog_pop_filters,
	"SELECT coalesce(jsonb_agg(pop_json(p) ORDER BY p.id), '[]')::text FROM pops p"
	" WHERE ($1::text[] IS NULL OR p.id::text = ANY ($1::text[]))"
	"   AND (NOT " CAPABILITY_GIVEN " OR EXISTS ("
	"        SELECT 1 FROM devices d WHERE d.pop = p.id AND " CAPABILITY_OF(
		"d.id") "))"
			"   AND ($8::text IS NULL OR p.facility::text = $8)"
			"   AND ($9::text IS NULL OR p.metro_area_network::text = $9)",
	"SELECT pop_json(p)::text FROM pops p WHERE p.id = $1::bigint",
};

const struct filter_spec catalog_device_filters[] = {
	{"id", FILTER_LIST, NULL},   CAPABILITY_FILTERS,
	{"name", FILTER_TEXT, NULL}, {"facility", FILTER_TEXT, NULL},
	{"pop", FILTER_TEXT, NULL},  {"metro_area_network", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,          END_OF_FILTERS,
};

const struct listing catalog_devices = {
	"Device",
	false,
	catalog_device_filters,
	"SELECT coalesce(jsonb_agg(device_json(d) ORDER BY d.id), '[]')::text"
	"  FROM devices d JOIN pops p ON p.id = d.pop"
	" WHERE ($1::text[] IS NULL OR d.id::text = ANY ($1::text[]))"
	"   AND (NOT " CAPABILITY_GIVEN
	" OR " CAPABILITY_OF("d.id") ")"
				     "   AND ($8::text IS NULL OR d.name = $8)"
				     "   AND ($9::text IS NULL OR p.facility::text = $9)"
				     "   AND ($10::text IS NULL OR d.pop::text = $10)"
				     "   AND ($11::text IS NULL OR p.metro_area_network::text = $11)",
	"SELECT device_json(d)::text FROM devices d WHERE d.id = $1::bigint",
};

const struct filter_spec catalog_availability_zone_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"name", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

const struct listing catalog_availability_zones = {
	"Availability zone",
	false,
	catalog_availability_zone_filters,
	"SELECT coalesce(jsonb_agg(availability_zone_json(z) ORDER BY z.id), '[]')::text FROM availability_zones z"
	" WHERE ($1::text[] IS NULL OR z.id::text = ANY ($1::text[]))"
	"   AND ($2::text IS NULL OR z.name = $2)",
	"SELECT availability_zone_json(z)::text FROM availability_zones z WHERE z.id = $1::bigint",
};
