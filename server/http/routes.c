/*
 * THE ROUTE TABLE: the map of the API. One line per operation: method,
 * path below /api/v2, handler, who may call it, accepted query parameters,
 * largest body, IX-API operationId. openapi/ixapi.json must describe exactly
 * these routes (tests/openapi/check-routes.mjs fails the build otherwise),
 * and GET /implementation lists their operationIds.
 */
#include "accounts/accounts.h"
#include "auth/auth.h"
#include "catalog/catalog.h"
#include "connections/connections.h"
#include "contacts/contacts.h"
#include "http/router.h"
#include "ips/ips.h"
#include "macs/macs.h"
#include "meta/meta.h"
#include "services/joining_rules.h"

#define KIB ((size_t)1024)

const struct route routes_table[] = {
	/* method      path               handler              privilege    query  body       operationId */
	{HTTP_GET, "/health", meta_health, PRIV_PUBLIC, NULL, 0, "api_health_read", false, NULL, NULL},
	{HTTP_POST, "/auth/token", auth_token_create, PRIV_PUBLIC, NULL, 16 * KIB, "auth_token_create", false, NULL,
	 NULL},
	{HTTP_POST, "/auth/refresh", auth_token_refresh, PRIV_PUBLIC, NULL, 16 * KIB, "auth_token_refresh", false, NULL,
	 NULL},
	{HTTP_GET, "/openapi.json", meta_openapi, PRIV_PUBLIC, NULL, 0, "openapi_read", true, NULL, NULL},
	{HTTP_GET, "/implementation", meta_implementation, PRIV_MEMBER, NULL, 0, "api_implementation_read", false, NULL,
	 NULL},
	{HTTP_GET, "/extensions", meta_extensions, PRIV_MEMBER, NULL, 0, "api_extensions_list", false, NULL, NULL},

	/* the catalog: the generic listing handlers, the resource in `data` */
	{HTTP_GET, "/metro-areas", listing_list, PRIV_MEMBER, catalog_metro_area_filters, 0, "metro_areas_list", false,
	 &catalog_metro_areas, NULL},
	{HTTP_GET, "/metro-areas/{id}", listing_read, PRIV_MEMBER, NULL, 0, "metro_areas_read", false,
	 &catalog_metro_areas, NULL},
	{HTTP_GET, "/metro-area-networks", listing_list, PRIV_MEMBER, catalog_metro_area_network_filters, 0,
	 "metro_area_networks_list", false, &catalog_metro_area_networks, NULL},
	{HTTP_GET, "/metro-area-networks/{id}", listing_read, PRIV_MEMBER, NULL, 0, "metro_area_networks_read", false,
	 &catalog_metro_area_networks, NULL},
	{HTTP_GET, "/facilities", listing_list, PRIV_MEMBER, catalog_facility_filters, 0, "facilities_list", false,
	 &catalog_facilities, NULL},
	{HTTP_GET, "/facilities/{id}", listing_read, PRIV_MEMBER, NULL, 0, "facilities_read", false,
	 &catalog_facilities, NULL},
	{HTTP_GET, "/pops", listing_list, PRIV_MEMBER, catalog_pop_filters, 0, "pops_list", false, &catalog_pops, NULL},
	{HTTP_GET, "/pops/{id}", listing_read, PRIV_MEMBER, NULL, 0, "pops_read", false, &catalog_pops, NULL},
	{HTTP_GET, "/devices", listing_list, PRIV_MEMBER, catalog_device_filters, 0, "devices_list", false,
	 &catalog_devices, NULL},
	{HTTP_GET, "/devices/{id}", listing_read, PRIV_MEMBER, NULL, 0, "devices_read", false, &catalog_devices, NULL},
	{HTTP_GET, "/availability-zones", listing_list, PRIV_MEMBER, catalog_availability_zone_filters, 0,
	 "availability_zones_list", false, &catalog_availability_zones, NULL},
	{HTTP_GET, "/availability-zones/{id}", listing_read, PRIV_MEMBER, NULL, 0, "availability_zones_read", false,
	 &catalog_availability_zones, NULL},

	{HTTP_GET, "/product-offerings", listing_list, PRIV_MEMBER, catalog_product_offering_filters, 0,
	 "product_offerings_list", false, &catalog_product_offerings, NULL},
	{HTTP_GET, "/product-offerings/{id}", listing_read, PRIV_MEMBER, NULL, 0, "product_offerings_read", false,
	 &catalog_product_offerings, NULL},

	/* roles, contacts, role assignments: scoped listings, writes of their own */
	{HTTP_GET, "/roles", listing_list, PRIV_MEMBER, roles_filters, 0, "roles_list", false, &roles_listing, NULL},
	{HTTP_GET, "/roles/{id}", listing_read, PRIV_MEMBER, NULL, 0, "roles_read", false, &roles_listing, NULL},
	{HTTP_GET, "/contacts", listing_list, PRIV_MEMBER, contacts_filters, 0, "contacts_list", false,
	 &contacts_listing, NULL},
	{HTTP_POST, "/contacts", contacts_create, PRIV_MEMBER, NULL, 64 * KIB, "contacts_create", false, NULL, NULL},
	{HTTP_GET, "/contacts/{id}", listing_read, PRIV_MEMBER, NULL, 0, "contacts_read", false, &contacts_listing,
	 NULL},
	{HTTP_PUT, "/contacts/{id}", contacts_replace, PRIV_MEMBER, NULL, 64 * KIB, "contacts_update", false, NULL,
	 NULL},
	{HTTP_PATCH, "/contacts/{id}", contacts_patch, PRIV_MEMBER, NULL, 64 * KIB, "contacts_partial_update", false,
	 NULL, NULL},
	{HTTP_DELETE, "/contacts/{id}", contacts_destroy, PRIV_MEMBER, NULL, 0, "contacts_destroy", false, NULL, NULL},
	{HTTP_GET, "/role-assignments", listing_list, PRIV_MEMBER, role_assignments_filters, 0, "role_assignments_list",
	 false, &role_assignments_listing, NULL},
	{HTTP_POST, "/role-assignments", role_assignments_create, PRIV_MEMBER, NULL, 64 * KIB,
	 "role_assignments_create", false, NULL, NULL},
	{HTTP_GET, "/role-assignments/{id}", listing_read, PRIV_MEMBER, NULL, 0, "role_assignments_read", false,
	 &role_assignments_listing, NULL},
	{HTTP_DELETE, "/role-assignments/{id}", role_assignments_destroy, PRIV_MEMBER, NULL, 0,
	 "role_assignments_destroy", false, NULL, NULL},

	/* ports (inventory), connections and their port reservations */
	{HTTP_GET, "/ports", listing_list, PRIV_MEMBER, ports_filters, 0, "ports_list", false, &ports_listing, NULL},
	{HTTP_GET, "/ports/{id}", listing_read, PRIV_MEMBER, NULL, 0, "ports_read", false, &ports_listing, NULL},
	{HTTP_GET, "/connections", listing_list, PRIV_MEMBER, connections_filters, 0, "connections_list", false,
	 &connections_listing, NULL},
	{HTTP_POST, "/connections", connections_create, PRIV_MEMBER, NULL, 64 * KIB, "connections_create", false, NULL,
	 NULL},
	{HTTP_GET, "/connections/{id}", listing_read, PRIV_MEMBER, NULL, 0, "connections_read", false,
	 &connections_listing, NULL},
	{HTTP_PUT, "/connections/{id}", connections_replace, PRIV_MEMBER, NULL, 64 * KIB, "connections_update", false,
	 NULL, NULL},
	{HTTP_PATCH, "/connections/{id}", connections_patch, PRIV_MEMBER, NULL, 64 * KIB, "connections_partial_update",
	 false, NULL, NULL},
	{HTTP_DELETE, "/connections/{id}", connections_decommission, PRIV_MEMBER, NULL, 16 * KIB, "connections_destroy",
	 false, NULL, NULL},
	{HTTP_GET, "/connections/{id}/cancellation-policy", connections_cancellation_policy, PRIV_MEMBER,
	 cancellation_policy_query, 0, "connections_cancellation_policy_read", false, NULL, NULL},
	{HTTP_GET, "/connections/{id}/loa", connections_loa_read, PRIV_MEMBER, NULL, 0, "connections_loa_read", false,
	 NULL, NULL},
	{HTTP_POST, "/connections/{id}/loa", connections_loa_upload, PRIV_MEMBER, NULL, ROUTE_BODY_MAX,
	 "connections_loa_create", false, NULL, "application/pdf"},
	{HTTP_GET, "/port-reservations", listing_list, PRIV_MEMBER, port_reservations_filters, 0,
	 "port_reservations_list", false, &port_reservations_listing, NULL},
	{HTTP_GET, "/port-reservations/{id}", listing_read, PRIV_MEMBER, NULL, 0, "port_reservations_read", false,
	 &port_reservations_listing, NULL},

	{HTTP_GET, "/ips", listing_list, PRIV_MEMBER, ips_filters, 0, "ips_list", false, &ips_listing, NULL},
	{HTTP_POST, "/ips", ips_create, PRIV_MEMBER, NULL, 16 * KIB, "ips_create", false, NULL, NULL},
	{HTTP_GET, "/ips/{id}", listing_read, PRIV_MEMBER, NULL, 0, "ips_read", false, &ips_listing, NULL},
	{HTTP_PUT, "/ips/{id}", ips_replace, PRIV_MEMBER, NULL, 16 * KIB, "ips_update", false, NULL, NULL},
	{HTTP_PATCH, "/ips/{id}", ips_patch, PRIV_MEMBER, NULL, 16 * KIB, "ips_partial_update", false, NULL, NULL},
	{HTTP_GET, "/macs", listing_list, PRIV_MEMBER, macs_filters, 0, "macs_list", false, &macs_listing, NULL},
	{HTTP_POST, "/macs", macs_create, PRIV_MEMBER, NULL, 16 * KIB, "macs_create", false, NULL, NULL},
	{HTTP_GET, "/macs/{id}", listing_read, PRIV_MEMBER, NULL, 0, "macs_read", false, &macs_listing, NULL},
	{HTTP_DELETE, "/macs/{id}", macs_destroy, PRIV_MEMBER, NULL, 0, "macs_destroy", false, NULL, NULL},

	{HTTP_GET, "/account", accounts_own, PRIV_MEMBER, NULL, 0, "account_read", false, NULL, NULL},
	{HTTP_GET, "/accounts", accounts_list, PRIV_MEMBER, accounts_list_query, 0, "accounts_list", false, NULL, NULL},
	{HTTP_POST, "/accounts", accounts_create, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_create", false, NULL,
	 NULL},
	{HTTP_GET, "/accounts/{id}", accounts_read, PRIV_MEMBER, NULL, 0, "accounts_read", false, NULL, NULL},
	{HTTP_PUT, "/accounts/{id}", accounts_replace, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_update", false,
	 NULL, NULL},
	{HTTP_PATCH, "/accounts/{id}", accounts_patch, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_partial_update",
	 false, NULL, NULL},
	{HTTP_DELETE, "/accounts/{id}", accounts_destroy, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_destroy", false,
	 NULL, NULL},

	/* member joining rules */
	{HTTP_GET, "/member-joining-rules", listing_list, PRIV_MEMBER, joining_rules_filters, 0,
	 "member_joining_rules_list", false, &joining_rules_listing, NULL},
	{HTTP_POST, "/member-joining-rules", joining_rules_create, PRIV_MEMBER, NULL, 16 * KIB,
	 "member_joining_rules_create", false, NULL, NULL},
	{HTTP_GET, "/member-joining-rules/{id}", listing_read, PRIV_MEMBER, NULL, 0, "member_joining_rules_read", false,
	 &joining_rules_listing, NULL},
	{HTTP_PUT, "/member-joining-rules/{id}", joining_rules_replace, PRIV_MEMBER, NULL, 16 * KIB,
	 "member_joining_rules_update", false, NULL, NULL},
	{HTTP_PATCH, "/member-joining-rules/{id}", joining_rules_patch, PRIV_MEMBER, NULL, 16 * KIB,
	 "member_joining_rules_partial_update", false, NULL, NULL},
	{HTTP_DELETE, "/member-joining-rules/{id}", joining_rules_destroy, PRIV_MEMBER, NULL, 0,
	 "member_joining_rules_destroy", false, NULL, NULL},
};

const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);
