/*
 * THE ROUTE TABLE: the map of the API. One line per operation: method,
 * path below /api/v2, handler, who may call it, accepted query parameters,
 * largest body, IX-API operationId. openapi/ixapi.json must describe exactly
 * these routes (tests/openapi/check-routes.mjs fails the build otherwise),
 * and GET /implementation lists their operationIds.
 */
#include "accounts/accounts.h"
#include "auth/auth.h"
#include "http/router.h"
#include "meta/meta.h"

#define KIB ((size_t)1024)

const struct route routes_table[] = {
	/* method      path               handler              privilege    query  body       operationId */
	{HTTP_GET, "/health", meta_health, PRIV_PUBLIC, NULL, 0, "health_read", false, NULL},
	{HTTP_POST, "/auth/token", auth_token_create, PRIV_PUBLIC, NULL, 16 * KIB, "auth_token_create", false, NULL},
	{HTTP_POST, "/auth/refresh", auth_token_refresh, PRIV_PUBLIC, NULL, 16 * KIB, "auth_token_refresh", false,
	 NULL},
	{HTTP_GET, "/openapi.json", meta_openapi, PRIV_PUBLIC, NULL, 0, "openapi_read", true, NULL},
	{HTTP_GET, "/implementation", meta_implementation, PRIV_MEMBER, NULL, 0, "implementation_read", false, NULL},
	{HTTP_GET, "/extensions", meta_extensions, PRIV_MEMBER, NULL, 0, "extensions_list", false, NULL},

	{HTTP_GET, "/account", accounts_own, PRIV_MEMBER, NULL, 0, "account_read", false, NULL},
	{HTTP_GET, "/accounts", accounts_list, PRIV_MEMBER, accounts_list_query, 0, "accounts_list", false, NULL},
	{HTTP_POST, "/accounts", accounts_create, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_create", false, NULL},
	{HTTP_GET, "/accounts/{id}", accounts_read, PRIV_MEMBER, NULL, 0, "accounts_read", false, NULL},
	{HTTP_PUT, "/accounts/{id}", accounts_replace, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_update", false,
	 NULL},
	{HTTP_PATCH, "/accounts/{id}", accounts_patch, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_partial_update",
	 false, NULL},
	{HTTP_DELETE, "/accounts/{id}", accounts_destroy, PRIV_MEMBER, NULL, ROUTE_BODY_MAX, "accounts_destroy", false,
	 NULL},
};

const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);
