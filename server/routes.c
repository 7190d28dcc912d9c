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
#include "connections/port_reservations.h"
#include "contacts/contacts.h"
#include "ips/ips.h"
#include "events/events_api.h"
#include "jobs/jobs_api.h"
#include "mail/mails_api.h"
#include "macs/macs.h"
#include "quarantine/quarantine_api.h"
#include "meta/meta.h"
#include "onboarding/agreements.h"
#include "onboarding/applications.h"
#include "onboarding/assignment.h"
#include "routes.h"
#include "routeservers/rsdata_api.h"
#include "services/feature_configs.h"
#include "services/network_services.h"
#include "services/service_configs.h"
#include "services/joining_rules.h"
#include "statistics/peer_stats.h"
#include "statistics/stats_api.h"

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

	/* the jobs extension: the outbox the workers carry out (operators only) */
	{HTTP_GET, "/jobs", jobs_list, PRIV_OPERATOR, jobs_filters, 0, "jobs_list", true, NULL, NULL},
	{HTTP_POST, "/jobs/{id}/retry", jobs_retry, PRIV_OPERATOR, NULL, 0, "jobs_retry", true, NULL, NULL},

	/* issue 12, mail (m3): the outgoing mail and its jobs (operators only) */
	{HTTP_GET, "/mails", mails_list, PRIV_OPERATOR, mails_filters, 0, "mails_list", true, NULL, NULL},
	/* the events extension (issue 12, m4: server/events/): audit events with a
	 * cursor, outgoing webhooks with HMAC signatures and delivery status */
	{HTTP_GET, "/events", events_list, PRIV_PORTAL, events_query_spec, 0, "events_list", true, NULL, NULL},
	{HTTP_GET, "/webhooks", webhooks_list_handler, PRIV_PORTAL, NULL, 0, "webhooks_list", true, NULL, NULL},
	{HTTP_POST, "/webhooks", webhooks_create_handler, PRIV_PORTAL, NULL, 16 * KIB, "webhooks_create", true, NULL,
	 NULL},
	{HTTP_GET, "/webhooks/{id}", webhooks_read_handler, PRIV_PORTAL, NULL, 0, "webhooks_read", true, NULL, NULL},
	{HTTP_DELETE, "/webhooks/{id}", webhooks_delete_handler, PRIV_PORTAL, NULL, 0, "webhooks_destroy", true, NULL,
	 NULL},
	{HTTP_GET, "/webhooks/{id}/deliveries", webhooks_deliveries_handler, PRIV_PORTAL, NULL, 0,
	 "webhooks_deliveries_list", true, NULL, NULL},

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

	/* roles, contacts, role assignments: scoped listings, writes by descriptor */
	{HTTP_GET, "/roles", listing_list, PRIV_MEMBER, roles_filters, 0, "roles_list", false, &roles_listing, NULL},
	{HTTP_GET, "/roles/{id}", listing_read, PRIV_MEMBER, NULL, 0, "roles_read", false, &roles_listing, NULL},
	{HTTP_GET, "/contacts", listing_list, PRIV_MEMBER, contacts_filters, 0, "contacts_list", false,
	 &contacts_listing, NULL},
	{HTTP_POST, "/contacts", resource_create, PRIV_MEMBER, NULL, 64 * KIB, "contacts_create", false,
	 &contacts_resource, NULL},
	{HTTP_GET, "/contacts/{id}", listing_read, PRIV_MEMBER, NULL, 0, "contacts_read", false, &contacts_listing,
	 NULL},
	{HTTP_PUT, "/contacts/{id}", resource_replace, PRIV_MEMBER, NULL, 64 * KIB, "contacts_update", false,
	 &contacts_resource, NULL},
	{HTTP_PATCH, "/contacts/{id}", resource_patch, PRIV_MEMBER, NULL, 64 * KIB, "contacts_partial_update", false,
	 &contacts_resource, NULL},
	{HTTP_DELETE, "/contacts/{id}", resource_destroy, PRIV_MEMBER, NULL, 0, "contacts_destroy", false,
	 &contacts_resource, NULL},
	{HTTP_GET, "/role-assignments", listing_list, PRIV_MEMBER, role_assignments_filters, 0, "role_assignments_list",
	 false, &role_assignments_listing, NULL},
	{HTTP_POST, "/role-assignments", resource_create, PRIV_MEMBER, NULL, 64 * KIB, "role_assignments_create", false,
	 &role_assignments_resource, NULL},
	{HTTP_GET, "/role-assignments/{id}", listing_read, PRIV_MEMBER, NULL, 0, "role_assignments_read", false,
	 &role_assignments_listing, NULL},
	{HTTP_DELETE, "/role-assignments/{id}", resource_destroy, PRIV_MEMBER, NULL, 0, "role_assignments_destroy",
	 false, &role_assignments_resource, NULL},

	/* ports (inventory), connections and their port reservations */
	{HTTP_GET, "/ports", listing_list, PRIV_MEMBER, ports_filters, 0, "ports_list", false, &ports_listing, NULL},
	{HTTP_GET, "/ports/{id}", listing_read, PRIV_MEMBER, NULL, 0, "ports_read", false, &ports_listing, NULL},
	{HTTP_GET, "/connections", listing_list, PRIV_MEMBER, connections_filters, 0, "connections_list", false,
	 &connections_listing, NULL},
	{HTTP_POST, "/connections", resource_create, PRIV_MEMBER, NULL, 64 * KIB, "connections_create", false,
	 &connections_resource, NULL},
	{HTTP_GET, "/connections/{id}", listing_read, PRIV_MEMBER, NULL, 0, "connections_read", false,
	 &connections_listing, NULL},
	{HTTP_PUT, "/connections/{id}", resource_replace, PRIV_MEMBER, NULL, 64 * KIB, "connections_update", false,
	 &connections_resource, NULL},
	{HTTP_PATCH, "/connections/{id}", resource_patch, PRIV_MEMBER, NULL, 64 * KIB, "connections_partial_update",
	 false, &connections_resource, NULL},
	{HTTP_DELETE, "/connections/{id}", resource_destroy, PRIV_MEMBER, NULL, 16 * KIB, "connections_destroy", false,
	 &connections_resource, NULL},
	{HTTP_GET, "/connections/{id}/cancellation-policy", decommission_policy, PRIV_MEMBER, decommission_policy_query,
	 0, "connections_cancellation_policy_read", false, &connections_decommission, NULL},
	{HTTP_GET, "/connections/{id}/loa", connections_loa_read, PRIV_MEMBER, NULL, 0, "connections_loa_read", false,
	 NULL, NULL},
	{HTTP_POST, "/connections/{id}/loa", connections_loa_upload, PRIV_MEMBER, NULL, ROUTE_BODY_MAX,
	 "connections_loa_create", false, NULL, "application/pdf"},
	{HTTP_GET, "/port-reservations", listing_list, PRIV_MEMBER, port_reservations_filters, 0,
	 "port_reservations_list", false, &port_reservations_listing, NULL},
	{HTTP_GET, "/port-reservations/{id}", listing_read, PRIV_MEMBER, NULL, 0, "port_reservations_read", false,
	 &port_reservations_listing, NULL},
	{HTTP_POST, "/port-reservations", resource_create, PRIV_MEMBER, NULL, 64 * KIB, "port_reservations_create",
	 false, &port_reservations_resource, NULL},
	{HTTP_PUT, "/port-reservations/{id}", resource_replace, PRIV_MEMBER, NULL, 64 * KIB, "port_reservations_update",
	 false, &port_reservations_resource, NULL},
	{HTTP_PATCH, "/port-reservations/{id}", resource_patch, PRIV_MEMBER, NULL, 64 * KIB,
	 "port_reservations_partial_update", false, &port_reservations_resource, NULL},
	{HTTP_DELETE, "/port-reservations/{id}", resource_destroy, PRIV_MEMBER, NULL, 16 * KIB,
	 "port_reservations_destroy", false, &port_reservations_resource, NULL},
	{HTTP_GET, "/port-reservations/{id}/cancellation-policy", decommission_policy, PRIV_MEMBER,
	 decommission_policy_query, 0, "port_reservations_cancellation_policy_read", false,
	 &port_reservations_decommission, NULL},
	{HTTP_GET, "/port-reservations/{id}/loa", port_reservations_loa_read, PRIV_MEMBER, NULL, 0,
	 "port_reservations_loa_read", false, NULL, NULL},
	{HTTP_POST, "/port-reservations/{id}/loa", port_reservations_loa_upload, PRIV_MEMBER, NULL, ROUTE_BODY_MAX,
	 "port_reservations_loa_create", false, NULL, "application/pdf"},

	{HTTP_GET, "/ips", listing_list, PRIV_MEMBER, ips_filters, 0, "ips_list", false, &ips_listing, NULL},
	{HTTP_POST, "/ips", resource_create, PRIV_MEMBER, NULL, 16 * KIB, "ips_create", false, &ips_resource, NULL},
	{HTTP_GET, "/ips/{id}", listing_read, PRIV_MEMBER, NULL, 0, "ips_read", false, &ips_listing, NULL},
	{HTTP_PUT, "/ips/{id}", resource_replace, PRIV_MEMBER, NULL, 16 * KIB, "ips_update", false, &ips_resource,
	 NULL},
	{HTTP_PATCH, "/ips/{id}", resource_patch, PRIV_MEMBER, NULL, 16 * KIB, "ips_partial_update", false,
	 &ips_resource, NULL},
	{HTTP_GET, "/macs", listing_list, PRIV_MEMBER, macs_filters, 0, "macs_list", false, &macs_listing, NULL},
	{HTTP_POST, "/macs", resource_create, PRIV_MEMBER, NULL, 16 * KIB, "macs_create", false, &macs_resource, NULL},
	{HTTP_GET, "/macs/{id}", listing_read, PRIV_MEMBER, NULL, 0, "macs_read", false, &macs_listing, NULL},
	{HTTP_DELETE, "/macs/{id}", resource_destroy, PRIV_MEMBER, NULL, 0, "macs_destroy", false, &macs_resource,
	 NULL},

	/* the peering LAN, private VLANs, route servers and members' configs of them */
	{HTTP_GET, "/network-services", listing_list, PRIV_MEMBER, network_services_filters, 0, "network_services_list",
	 false, &network_services_listing, NULL},
	{HTTP_POST, "/network-services", resource_create, PRIV_MEMBER, NULL, 64 * KIB, "network_services_create", false,
	 &network_services_resource, NULL},
	{HTTP_GET, "/network-services/{id}", listing_read, PRIV_MEMBER, NULL, 0, "network_services_read", false,
	 &network_services_listing, NULL},
	{HTTP_PUT, "/network-services/{id}", resource_replace, PRIV_MEMBER, NULL, 64 * KIB, "network_services_update",
	 false, &network_services_resource, NULL},
	{HTTP_PATCH, "/network-services/{id}", resource_patch, PRIV_MEMBER, NULL, 64 * KIB,
	 "network_services_partial_update", false, &network_services_resource, NULL},
	{HTTP_DELETE, "/network-services/{id}", resource_destroy, PRIV_MEMBER, NULL, 16 * KIB,
	 "network_services_destroy", false, &network_services_resource, NULL},
	{HTTP_GET, "/network-services/{id}/cancellation-policy", decommission_policy, PRIV_MEMBER,
	 decommission_policy_query, 0, "network_service_cancellation_policy_read", false,
	 &network_services_decommission, NULL},
	{HTTP_GET, "/network-services/{id}/rtt-statistics", rtt_statistics_list, PRIV_MEMBER, rtt_statistics_filters, 0,
	 "network_services_rtt_statistics_read", false, NULL, NULL},
	{HTTP_GET, "/network-services/{id}/change-request", network_services_change_request_read, PRIV_MEMBER, NULL, 0,
	 "network_service_change_request_read", false, NULL, NULL},
	{HTTP_POST, "/network-services/{id}/change-request", network_services_change_request_create, PRIV_MEMBER, NULL,
	 16 * KIB, "network-service-change-request_create", false, NULL, NULL},
	{HTTP_DELETE, "/network-services/{id}/change-request", network_services_change_request_destroy, PRIV_MEMBER,
	 NULL, 0, "network_service_change_request_destroy", false, NULL, NULL},
	{HTTP_GET, "/network-features", listing_list, PRIV_MEMBER, network_features_filters, 0, "network_features_list",
	 false, &network_features_listing, NULL},
	{HTTP_GET, "/network-features/{id}", listing_read, PRIV_MEMBER, NULL, 0, "network_features_read", false,
	 &network_features_listing, NULL},
	{HTTP_GET, "/network-service-configs", listing_list, PRIV_MEMBER, service_configs_filters, 0,
	 "network_service_configs_list", false, &service_configs_listing, NULL},
	{HTTP_POST, "/network-service-configs", resource_create, PRIV_MEMBER, NULL, 64 * KIB,
	 "network_service_configs_create", false, &service_configs_resource, NULL},
	{HTTP_GET, "/network-service-configs/{id}", listing_read, PRIV_MEMBER, NULL, 0, "network_service_configs_read",
	 false, &service_configs_listing, NULL},
	{HTTP_PUT, "/network-service-configs/{id}", resource_replace, PRIV_MEMBER, NULL, 64 * KIB,
	 "network_service_configs_update", false, &service_configs_resource, NULL},
	{HTTP_PATCH, "/network-service-configs/{id}", resource_patch, PRIV_MEMBER, NULL, 64 * KIB,
	 "network_service_configs_partial_update", false, &service_configs_resource, NULL},
	{HTTP_DELETE, "/network-service-configs/{id}", resource_destroy, PRIV_MEMBER, NULL, 16 * KIB,
	 "network_service_configs_destroy", false, &service_configs_resource, NULL},
	/* onboarding (issue 12), m5: port assignment by an operator (named ports or the auto-assign policy) */
	{HTTP_POST, "/applications/{id}/port-assignment", assignment_request, PRIV_OPERATOR, NULL, 16 * KIB,
	 "applications_port_assignment", true, NULL, NULL},

	/* the quarantine-test extension: a new test of a config in testing */
	{HTTP_POST, "/network-service-configs/{id}/quarantine-test", quarantine_test_request, PRIV_MEMBER, NULL, 0,
	 "network_service_configs_quarantine_test", true, NULL, NULL},
	/* peer statistics (issue 13, statistics/peer_stats.c) */
	{HTTP_GET, "/network-service-configs/{id}/peer-statistics", peer_statistics_list, PRIV_MEMBER,
	 peer_statistics_filters, 0, "network_service_configs_peer_statistics_read", false, NULL, NULL},
	{HTTP_GET, "/network-service-configs/{id}/peer-statistics/{aggregate}/timeseries", peer_statistics_timeseries,
	 PRIV_MEMBER, peer_timeseries_filters, 0, "network_service_configs_peer_statistics_timeseries_read", false,
	 NULL, NULL},
	{HTTP_GET, "/network-service-configs/{id}/cancellation-policy", decommission_policy, PRIV_MEMBER,
	 decommission_policy_query, 0, "network_service_config_cancellation_policy_read", false,
	 &service_configs_decommission, NULL},
	{HTTP_GET, "/network-feature-configs", listing_list, PRIV_MEMBER, feature_configs_filters, 0,
	 "network_feature_configs_list", false, &feature_configs_listing, NULL},
	{HTTP_POST, "/network-feature-configs", resource_create, PRIV_MEMBER, NULL, 64 * KIB,
	 "network_feature_configs_create", false, &feature_configs_resource, NULL},
	{HTTP_GET, "/network-feature-configs/{id}", listing_read, PRIV_MEMBER, NULL, 0, "network_feature_configs_read",
	 false, &feature_configs_listing, NULL},
	{HTTP_PUT, "/network-feature-configs/{id}", resource_replace, PRIV_MEMBER, NULL, 64 * KIB,
	 "network_feature_configs_update", false, &feature_configs_resource, NULL},
	{HTTP_PATCH, "/network-feature-configs/{id}", resource_patch, PRIV_MEMBER, NULL, 64 * KIB,
	 "network_feature_configs_partial_update", false, &feature_configs_resource, NULL},
	{HTTP_DELETE, "/network-feature-configs/{id}", resource_destroy, PRIV_MEMBER, NULL, 16 * KIB,
	 "network_feature_configs_destroy", false, &feature_configs_resource, NULL},
	/* the route-servers extension (operators): IRR/RPKI data, re-enabling a session */
	{HTTP_POST, "/network-feature-configs/{id}/enable-session", rsdata_enable_session, PRIV_OPERATOR, NULL, 0,
	 "network_feature_configs_enable_session", true, NULL, NULL},
	{HTTP_PUT, "/route-server-data/as-sets/{as_set}", rsdata_as_set_put, PRIV_OPERATOR, NULL, ROUTE_BODY_MAX,
	 "route_server_as_sets_update", true, NULL, NULL},
	{HTTP_PUT, "/route-server-data/roas", rsdata_roas_put, PRIV_OPERATOR, NULL, ROUTE_BODY_MAX,
	 "route_server_roas_update", true, NULL, NULL},

	/* statistics (issue 13): the route's data names the object */
	{HTTP_GET, "/ports/{id}/statistics", stats_read, PRIV_MEMBER, stats_query, 0, "ports_statistics_read", false,
	 &stats_of_port, NULL},
	{HTTP_GET, "/ports/{id}/statistics/{aggregate}/timeseries", stats_timeseries_read, PRIV_MEMBER,
	 stats_timeseries_query, 0, "ports_statistics_timeseries_read", false, &stats_of_port, NULL},
	{HTTP_GET, "/connections/{id}/statistics", stats_read, PRIV_MEMBER, stats_query, 0,
	 "connections_statistics_read", false, &stats_of_connection, NULL},
	{HTTP_GET, "/connections/{id}/statistics/{aggregate}/timeseries", stats_timeseries_read, PRIV_MEMBER,
	 stats_timeseries_query, 0, "connections_statistics_timeseries_read", false, &stats_of_connection, NULL},
	{HTTP_GET, "/network-service-configs/{id}/statistics", stats_read, PRIV_MEMBER, stats_query, 0,
	 "network_service_configs_statistics_read", false, &stats_of_config, NULL},
	{HTTP_GET, "/network-service-configs/{id}/statistics/{aggregate}/timeseries", stats_timeseries_read,
	 PRIV_MEMBER, stats_timeseries_query, 0, "network_service_configs_statistics_timeseries_read", false,
	 &stats_of_config, NULL},
	{HTTP_GET, "/network-services/{id}/statistics", stats_read, PRIV_MEMBER, stats_query, 0,
	 "network_services_statistics_read", false, &stats_of_service, NULL},
	{HTTP_GET, "/network-services/{id}/statistics/{aggregate}/timeseries", stats_timeseries_read, PRIV_MEMBER,
	 stats_timeseries_query, 0, "network_services_statistics_timeseries_read", false, &stats_of_service, NULL},

	{HTTP_GET, "/account", accounts_own, PRIV_MEMBER, NULL, 0, "account_read", false, NULL, NULL},
	{HTTP_GET, "/accounts", accounts_list, PRIV_MEMBER, accounts_list_query, 0, "accounts_list", false, NULL, NULL},
	{HTTP_POST, "/accounts", resource_create, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_create", false,
	 &accounts_resource, NULL},
	{HTTP_GET, "/accounts/{id}", accounts_read, PRIV_MEMBER, NULL, 0, "accounts_read", false, NULL, NULL},
	{HTTP_PUT, "/accounts/{id}", resource_replace, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_update", false,
	 &accounts_resource, NULL},
	{HTTP_PATCH, "/accounts/{id}", resource_patch, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_partial_update",
	 false, &accounts_resource, NULL},
	{HTTP_DELETE, "/accounts/{id}", resource_destroy, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_destroy", false,
	 &accounts_resource, NULL},

	/* the applications extension (issue 12, onboarding/applications.c): submitted by the
	 * member portal (portal key), a reseller or an operator; reviewed by operators */
	{HTTP_GET, "/applications", listing_list, PRIV_PORTAL, applications_filters, 0, "applications_list", true,
	 &applications_listing, NULL},
	{HTTP_POST, "/applications", applications_create, PRIV_PORTAL, NULL, 64 * KIB, "applications_create", true,
	 NULL, NULL},
	{HTTP_GET, "/applications/{id}", listing_read, PRIV_PORTAL, NULL, 0, "applications_read", true,
	 &applications_listing, NULL},
	{HTTP_POST, "/applications/{id}/colocation-confirmation", applications_confirm_colocation, PRIV_OPERATOR, NULL,
	 16 * KIB, "applications_colocation_confirmation_create", true, NULL, NULL},
	{HTTP_POST, "/applications/{id}/approve", applications_approve, PRIV_OPERATOR, NULL, 0, "applications_approve",
	 true, NULL, NULL},
	{HTTP_POST, "/applications/{id}/reject", applications_reject, PRIV_OPERATOR, NULL, 16 * KIB,
	 "applications_reject", true, NULL, NULL},
	{HTTP_POST, "/applications/{id}/credentials", applications_credentials, PRIV_PORTAL, NULL, 0,
	 "applications_credentials_create", true, NULL, NULL},

	/* member joining rules */
	{HTTP_GET, "/member-joining-rules", listing_list, PRIV_MEMBER, joining_rules_filters, 0,
	 "member_joining_rules_list", false, &joining_rules_listing, NULL},
	{HTTP_POST, "/member-joining-rules", resource_create, PRIV_MEMBER, NULL, 16 * KIB,
	 "member_joining_rules_create", false, &joining_rules_resource, NULL},
	{HTTP_GET, "/member-joining-rules/{id}", listing_read, PRIV_MEMBER, NULL, 0, "member_joining_rules_read", false,
	 &joining_rules_listing, NULL},
	{HTTP_PUT, "/member-joining-rules/{id}", resource_replace, PRIV_MEMBER, NULL, 16 * KIB,
	 "member_joining_rules_update", false, &joining_rules_resource, NULL},
	{HTTP_PATCH, "/member-joining-rules/{id}", resource_patch, PRIV_MEMBER, NULL, 16 * KIB,
	 "member_joining_rules_partial_update", false, &joining_rules_resource, NULL},
	{HTTP_DELETE, "/member-joining-rules/{id}", resource_destroy, PRIV_MEMBER, NULL, 0,
	 "member_joining_rules_destroy", false, &joining_rules_resource, NULL},

	/* onboarding (issue 12), m2: connection agreements and their signatures. The callback is public (the
	 * e-signature provider signs its body with IXAPI_ESIGN_HMAC_KEY); its JSON is taken raw to verify that. */
	{HTTP_POST, "/agreements/signature-callback", agreements_signature_callback, PRIV_PUBLIC, NULL, ROUTE_BODY_MAX,
	 "agreements_signature_callback", true, NULL, "application/json"},
	{HTTP_GET, "/agreements/{id}", agreements_read, PRIV_PORTAL, NULL, 0, "agreements_read", true, NULL, NULL},
	{HTTP_GET, "/agreements/{id}/document", agreements_document, PRIV_PORTAL, NULL, 0, "agreements_document_read",
	 true, NULL, NULL},
	{HTTP_POST, "/agreements/{id}/signed-copy", agreements_signed_copy_create, PRIV_OPERATOR,
	 agreements_signed_copy_query, ROUTE_BODY_MAX, "agreements_signed_copy_create", true, NULL, "application/pdf"},
};

const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);
