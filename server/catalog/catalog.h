/*
 * The exchange's catalog (IX-API catalog reads): metro areas, metro-area
 * networks, facilities, points of presence, devices, availability zones and
 * product offerings.
 * Readable by every authenticated caller; written by operators through the
 * database (seed or import) for now. Each resource is a `struct listing`
 * served by the generic handlers of resource/listing.c.
 */
#ifndef IXAPI_CATALOG_CATALOG_H
#define IXAPI_CATALOG_CATALOG_H

#include "resource/listing.h"

extern const struct listing catalog_metro_areas, catalog_metro_area_networks, catalog_facilities, catalog_pops,
	catalog_devices, catalog_availability_zones, catalog_product_offerings;
extern const struct filter_spec catalog_metro_area_filters[], catalog_metro_area_network_filters[],
	catalog_facility_filters[], catalog_pop_filters[], catalog_device_filters[],
	catalog_availability_zone_filters[], catalog_product_offering_filters[];

#endif
