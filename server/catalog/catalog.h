/*
 * The exchange's catalog (IX-API "catalog" and "service" reads): metro
 * areas, metro-area networks, facilities, points of presence, devices and
 * availability zones. Readable by every authenticated caller; written by
 * operators through the database (seed or import) for now.
 *
 * One generic list handler and one generic read handler serve every catalog
 * resource: the route's `data` names the resource (catalog_db.c describes
 * each: its filters, its list and read statements).
 */
#ifndef IXAPI_CATALOG_CATALOG_H
#define IXAPI_CATALOG_CATALOG_H

#include "db/db.h"
#include "http/filters.h"
#include "http/request.h"

struct catalog_resource {
	const char *title;                 /* for problems: "Facility" */
	const struct filter_spec *filters; /* the list's query parameters, in $n order, then the page */
	const char *list_sql;              /* $1..$n: filters; returns one JSON array text */
	const char *read_sql;              /* $1: id; returns one JSON object text or no row */
};

extern const struct catalog_resource catalog_metro_areas, catalog_metro_area_networks, catalog_facilities, catalog_pops,
	catalog_devices, catalog_availability_zones;
extern const struct filter_spec catalog_metro_area_filters[], catalog_metro_area_network_filters[],
	catalog_facility_filters[], catalog_pop_filters[], catalog_device_filters[],
	catalog_availability_zone_filters[];

/* Storage (catalog_db.c): the resource's rows matching the parsed filters
 * (a spec list ending with PAGINATION_FILTERS) as a JSON array text, or the
 * page of them with the total; and one row by id (404 problem when
 * absent). The caller frees *json_out. */
struct problem *catalog_db_list(struct db_pool *pool, const struct catalog_resource *r, const struct filter_values *v,
				const struct db_page *page, char **json_out, long long *total_out);
struct problem *catalog_db_read(struct db_pool *pool, const struct catalog_resource *r, const char *id,
				char **json_out);

/* GET /<resource>: the route's data is a struct catalog_resource. */
struct problem *catalog_list(struct request *req, struct response *res);
/* GET /<resource>/{id} */
struct problem *catalog_read(struct request *req, struct response *res);

#endif
