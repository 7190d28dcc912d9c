/*
 * Service endpoints (see meta.h). /implementation is generated from the
 * route table so that it cannot claim an operation the router does not serve.
 */
#include "meta/meta.h"

#include "app.h"
#include "core/util.h"
#include "http/router.h"
#include "routes.h"

#include <string.h>

json_t *meta_supported_operations(void)
{
	json_t *j = json_array();
	for (size_t i = 0; i < routes_count; i++) {
		if (routes_table[i].is_extension)
			continue;
		bool seen = false;
		for (size_t k = 0; k < i; k++)
			if (strcmp(routes_table[k].operation_id, routes_table[i].operation_id) == 0)
				seen = true;
		if (!seen)
			json_array_append_new(j, json_string(routes_table[i].operation_id));
	}
	return j;
}

/* /health answers within about a second whatever the database does: a
 * stalled or saturated database is reported, not waited for. */
#define HEALTH_DB_TIMEOUT_MS 500

struct problem *meta_health(struct request *req, struct response *res)
{
	static const char *const names[] = {"pass", "warn", "fail"};
	long long started = util_now_us();
	char detail[256];
	enum db_health h = db_check(req->app->pool, HEALTH_DB_TIMEOUT_MS, detail, sizeof(detail));
	long long took_ms = (util_now_us() - started) / 1000;
	char now[32];
	util_rfc3339(util_now_s(), now, sizeof(now));
	const char *status = names[h];
	json_t *j_check = json_pack("{s:s, s:s, s:s, s:I, s:s}", "componentType", "datastore", "status", status, "time",
				    now, "observedValue", (json_int_t)took_ms, "observedUnit", "ms");
	if (h != DB_HEALTH_PASS)
		json_object_set_new(j_check, "output", json_string(detail));
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:[o]}}", "status", status, "version", "2", "releaseId",
			      IXAPI_SERVICE_VERSION, "serviceId", "ixapid", "description",
			      "IX-API v2 provisioning server", "checks", "postgresql:connection", j_check);
	if (h != DB_HEALTH_PASS)
		json_object_set_new(j, "output", json_string(detail));
	/* draft-inadarei-api-health-check: pass and warn are 2xx, fail is not. */
	response_json(res, h == DB_HEALTH_FAIL ? 503 : 200, j);
	return NULL;
}

struct problem *meta_implementation(struct request *req, struct response *res)
{
	(void)req;
	/* Every list operation takes page_limit/page_offset. */
	json_t *j = json_pack("{s:s, s:s, s:[s,s,s,s,s], s:[s,s,s,s,s], s:[s], s:[s], s:o, s:{s:b}}", "schema_version",
			      IXAPI_SCHEMA_VERSION, "service_version", IXAPI_SERVICE_VERSION,
			      "supported_network_service_types", "exchange_lan", "p2p_vc", "p2mp_vc", "mp2mp_vc",
			      "cloud_vc", "supported_network_service_config_types", "exchange_lan", "p2p_vc", "p2mp_vc",
			      "mp2mp_vc", "cloud_vc", "supported_network_feature_types", "route_server",
			      "supported_network_feature_config_types", "route_server", "supported_operations",
			      meta_supported_operations(), "supported_features", "pagination", 1);
	response_json(res, 200, j);
	return NULL;
}

struct problem *meta_extensions(struct request *req, struct response *res)
{
	(void)req;
	/* Operators re-drive the outbox here; members see the announcement
	 * only (the routes are operator-only). Members ask for a new quarantine
	 * test of their config (POST /network-service-configs/{id}/quarantine-test). */
	json_t *j = json_pack("[{s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s}]", "name", "jobs", "publisher",
			      "ixapid", "documentation_url",
			      "https://github.com/ixapid/ixapid#workers-the-network-follows-the-api", "base_url",
			      "/api/v2/jobs", "spec_url", "/api/v2/openapi.json", "name", "quarantine", "publisher",
			      "ixapid", "documentation_url", "https://github.com/ixapid/ixapid#quarantine-gate",
			      "base_url", "/api/v2/network-service-configs", "spec_url", "/api/v2/openapi.json");
	/* Operators load the route servers' IRR and RPKI data and re-enable a
	 * session its max-prefix limit disabled. */
	json_array_append_new(
		j, json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "route_servers", "publisher", "ixapid",
			     "documentation_url", "https://github.com/ixapid/ixapid#route-server-sessions-from-the-api",
			     "base_url", "/api/v2/route-server-data", "spec_url", "/api/v2/openapi.json"));
	/* Issue 12, onboarding: applications (portal keys, resellers, operators'
	 * review), connection agreements, the audit events with a cursor and the
	 * outgoing webhooks a member portal follows progress with. */
	static const char *const onboarding[][3] = {
		{"applications", "onboarding", "/api/v2/applications"},
		{"agreements", "onboarding", "/api/v2/agreements"},
		{"events", "events-and-webhooks", "/api/v2/events"},
		{"webhooks", "events-and-webhooks", "/api/v2/webhooks"},
		{"mails", "mail", "/api/v2/mails"},
	};
	for (size_t i = 0; i < sizeof onboarding / sizeof onboarding[0]; i++) {
		char doc_url[128];
		snprintf(doc_url, sizeof doc_url, "https://github.com/ixapid/ixapid#%s", onboarding[i][1]);
		json_array_append_new(j, json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", onboarding[i][0], "publisher",
						   "ixapid", "documentation_url", doc_url, "base_url", onboarding[i][2],
						   "spec_url", "/api/v2/openapi.json"));
	}
	response_json(res, 200, j);
	return NULL;
}

struct problem *meta_openapi(struct request *req, struct response *res)
{
	const struct app *app = req->app;
	char *copy = xmalloc(app->openapi_len + 1);
	memcpy(copy, app->openapi_json, app->openapi_len);
	copy[app->openapi_len] = '\0';
	response_raw(res, 200, copy, app->openapi_len);
	return NULL;
}
