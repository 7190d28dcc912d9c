/*
 * The tenant-isolation matrix: for every route of the route table that
 * takes an {id} of a tenant's object, a member token trying the id of
 * another tenant's object gets 404 (or 403), and nothing changes in the
 * database. A new tenant-owned resource must add itself to `objects` below;
 * the test fails for a scoped route it does not know.
 */
#include "harness.h"
#include "fixtures.h"

#include "resource/listing.h"
#include "http/router.h"
#include "routes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;
static char *operator_token, *member_token;

/* Another tenant's objects, made by the operator: collection path -> id,
 * and a complete, valid body (for PUT/PATCH) that would hand the object to
 * the member (@ACCOUNT@ stands for the member's account). */
struct object {
	const char *collection;
	const char *body;
	char id[16];
};
#define ADDRESS "{\"country\": \"DE\", \"locality\": \"B\", \"postal_code\": \"1\", \"street_address\": \"S\"}"
static struct object objects[] = {
	{"/accounts",
	 "{\"name\": \"pwned\", \"address\": " ADDRESS ", \"metro_area_network_presence\": [],"
	 " \"managing_account\": \"@ACCOUNT@\"}",
	 ""},
	{"/contacts",
	 "{\"name\": \"pwned\", \"managing_account\": \"@ACCOUNT@\", \"consuming_account\": \"@ACCOUNT@\"}", ""},
	{"/role-assignments", "{}", ""},
	{"/macs", "{}", ""},
	{"/ips",
	 "{\"version\": 4, \"address\": \"192.0.2.66\", \"prefix_length\": 24, \"managing_account\": \"@ACCOUNT@\","
	 " \"consuming_account\": \"@ACCOUNT@\"}",
	 ""},
	{"/connections",
	 "{\"managing_account\": \"@ACCOUNT@\", \"consuming_account\": \"@ACCOUNT@\", \"billing_account\": \"@ACCOUNT@\","
	 " \"mode\": \"standalone\", \"product_offering\": \"1\", \"external_ref\": \"pwned\"}",
	 ""},
	{"/port-reservations", "{\"external_ref\": \"pwned\", \"subscriber_side_demarc\": \"pwned\"}", ""},
	{"/ports", "{}", ""},
	{"/network-services",
	 "{\"type\": \"mp2mp_vc\", \"managing_account\": \"@ACCOUNT@\", \"consuming_account\": \"@ACCOUNT@\","
	 " \"name\": \"pwned\", \"product_offering\": \"1\", \"capacity\": 100}",
	 ""},
	{"/network-service-configs",
	 "{\"type\": \"exchange_lan\", \"managing_account\": \"@ACCOUNT@\", \"consuming_account\": \"@ACCOUNT@\","
	 " \"vlan_config\": {\"vlan_type\": \"dot1q\", \"vlan\": 300}, \"asns\": [206238]}",
	 ""},
	{"/network-feature-configs",
	 "{\"type\": \"route_server\", \"managing_account\": \"@ACCOUNT@\", \"consuming_account\": \"@ACCOUNT@\","
	 " \"asn\": 206238, \"ip\": \"1\"}",
	 ""},
	{"/member-joining-rules",
	 "{\"type\": \"allow\", \"managing_account\": \"@ACCOUNT@\", \"consuming_account\": \"@ACCOUNT@\","
	 " \"capacity_max\": 1}",
	 ""},
	/* an application another applicant submitted (issue 12); its actions take these bodies */
	{"/applications", "{\"confirmation\": \"pwned\", \"reason\": \"pwned\"}", ""},
	{"/agreements", "{}", ""},
	{"/webhooks", "{\"url\": \"http://127.0.0.1:9/pwned\"}", ""},
};
#define OBJECT_COUNT (sizeof(objects) / sizeof(objects[0]))

/* Routes with an {id} that are not tenant data (the catalog, roles). */
static const char *const shared[] = {
	"/metro-areas/", "/metro-area-networks/", "/facilities/",      "/pops/", "/devices/", "/availability-zones/",
	"/roles/",       "/product-offerings/",   "/network-features/"};

/* Copies tmpl into out with every @ACCOUNT@ replaced by account. */
static void fill(const char *tmpl, const char *account, char *out, size_t len)
{
	size_t n = 0;
	for (const char *p = tmpl; *p && n + 1 < len;) {
		if (strncmp(p, "@ACCOUNT@", 9) == 0) {
			n += (size_t)snprintf(out + n, len - n, "%s", account);
			p += 9;
		} else
			out[n++] = *p++;
	}
	out[n < len ? n : len - 1] = '\0';
}

static int setup(void **state)
{
	(void)state;
	return itest_start_with_tokens(&srv, &operator_token, &member_token);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

/* A fingerprint of every tenant table: any change shows. */
static void fingerprint(char *out, size_t len)
{
	assert_int_equal(itest_sql(&srv,
				   "SELECT md5(concat("
				   " (SELECT string_agg(a::text, ',' ORDER BY a.id) FROM accounts a),"
				   " (SELECT string_agg(c::text, ',' ORDER BY c.id) FROM contacts c),"
				   " (SELECT string_agg(r::text, ',' ORDER BY r.id) FROM role_assignments r),"
				   " (SELECT string_agg(m::text, ',' ORDER BY m.id) FROM macs m),"
				   " (SELECT string_agg(i::text, ',' ORDER BY i.id) FROM ips i),"
				   " (SELECT string_agg(n::text, ',' ORDER BY n.id) FROM connections n),"
				   " (SELECT string_agg(r::text, ',' ORDER BY r.id) FROM port_reservations r),"
				   " (SELECT string_agg(l::text, ',' ORDER BY l.id) FROM port_reservation_loas l),"
				   " (SELECT string_agg(l::text, ',' ORDER BY l.id) FROM connection_loas l),"
				   " (SELECT string_agg(p::text, ',' ORDER BY p.id) FROM ports p),"
				   " (SELECT string_agg(j::text, ',' ORDER BY j.id) FROM jobs j),"
				   " (SELECT string_agg(k::text, ',' ORDER BY k.id) FROM api_keys k),"
				   " (SELECT string_agg(s::text, ',' ORDER BY s.id) FROM network_services s),"
				   " (SELECT string_agg(c::text, ',' ORDER BY c.id) FROM network_service_configs c),"
				   " (SELECT string_agg(f::text, ',' ORDER BY f.id) FROM network_feature_configs f),"
				   " (SELECT string_agg(x::text, ',' ORDER BY x.network_service)"
				   "    FROM network_service_change_requests x),"
				   " (SELECT string_agg(r::text, ',' ORDER BY r.id) FROM member_joining_rules r),"
				   " (SELECT string_agg(a::text, ',' ORDER BY a.id) FROM agreements a),"
				   " (SELECT string_agg(p::text, ',' ORDER BY p.id) FROM applications p),"
				   " (SELECT string_agg(w::text, ',' ORDER BY w.id) FROM webhooks w),"
				   " (SELECT string_agg(d::text, ',' ORDER BY d.id) FROM webhook_deliveries d),"
				   " (SELECT string_agg(e::text, ',' ORDER BY e.id) FROM events e)))",
				   out, len),
			 0);
}

static void test_every_id_route_refuses_other_tenants(void **state)
{
	(void)state;
	char body[1024], role[16];
	itest_create("/accounts", operator_token,
		     "{\"name\": \"Isolated Tenant\", \"address\": {\"country\": \"DE\", \"locality\": \"Berlin\","
		     " \"postal_code\": \"10115\", \"street_address\": \"Str. 1\"}, \"billing_information\": {\"name\":"
		     " \"Isolated Tenant\", \"address\": {\"country\": \"DE\", \"locality\": \"Berlin\","
		     " \"postal_code\": \"10115\", \"street_address\": \"Str. 1\"}}}",
		     objects[0].id);
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"email\": \"x@isolated.example\"}",
		 objects[0].id, objects[0].id);
	itest_create("/contacts", operator_token, body, objects[1].id);
	assert_int_equal(itest_sql(&srv, "SELECT id FROM roles WHERE name = 'peering'", role, sizeof(role)), 0);
	snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", role, objects[1].id);
	itest_create("/role-assignments", operator_token, body, objects[2].id);
	snprintf(body, sizeof(body),
		 "{\"address\": \"02:00:00:00:00:42\", \"managing_account\": \"%s\", \"consuming_account\": \"%s\"}",
		 objects[0].id, objects[0].id);
	itest_create("/macs", operator_token, body, objects[3].id);
	snprintf(body, sizeof(body),
		 "{\"version\": 4, \"address\": \"192.0.2.42\", \"prefix_length\": 24, \"managing_account\": \"%s\","
		 " \"consuming_account\": \"%s\"}",
		 objects[0].id, objects[0].id);
	itest_create("/ips", operator_token, body, objects[4].id);
	/* A connection of theirs (its contact holds the roles the offering needs). */
	char contact[16], impl[16], noc[16], ra_impl[16], ra_noc[16], offering[16];
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"name\": \"Ops\","
		 " \"email\": \"ops@isolated.example\", \"telephone\": \"+4930123456\"}",
		 objects[0].id, objects[0].id);
	itest_create("/contacts", operator_token, body, contact);
	assert_int_equal(itest_sql(&srv, "SELECT id FROM roles WHERE name = 'implementation'", impl, sizeof(impl)), 0);
	assert_int_equal(itest_sql(&srv, "SELECT id FROM roles WHERE name = 'noc'", noc, sizeof(noc)), 0);
	snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", impl, contact);
	itest_create("/role-assignments", operator_token, body, ra_impl);
	snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", noc, contact);
	itest_create("/role-assignments", operator_token, body, ra_noc);
	assert_int_equal(itest_sql(&srv, "SELECT min(id) FROM product_offerings WHERE type = 'connection'", offering,
				   sizeof(offering)),
			 0);
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"billing_account\": \"%s\","
		 " \"mode\": \"standalone\", \"product_offering\": \"%s\", \"port_quantity\": 1,"
		 " \"role_assignments\": [\"%s\", \"%s\"], \"subscriber_side_demarcs\": [\"X\"]}",
		 objects[0].id, objects[0].id, objects[0].id, offering, ra_impl, ra_noc);
	itest_create("/connections", operator_token, body, objects[5].id);
	assert_int_equal(itest_sql(&srv, "SELECT min(id) FROM port_reservations", objects[6].id, sizeof(objects[6].id)),
			 0);
	assert_int_equal(itest_sql(&srv, "SELECT min(id) FROM ports", objects[7].id, sizeof(objects[7].id)), 0);
	/* Their private VLAN, their config on the peering LAN, their session. */
	assert_int_equal(
		itest_sql(&srv,
			  "INSERT INTO product_offerings (type, name, display_name, resource_type,"
			  " handover_metro_area_network, handover_metro_area, service_provider, provider_vlans)"
			  " SELECT 'mp2mp_vc', 'MP2MP', 'CUG', 'network_service', n.id, n.metro_area, 'IX', 'multi'"
			  " FROM metro_area_networks n ORDER BY n.id LIMIT 1 RETURNING id",
			  offering, sizeof(offering)),
		0);
	snprintf(body, sizeof(body),
		 "{\"type\": \"mp2mp_vc\", \"managing_account\": \"%s\", \"consuming_account\": \"%s\","
		 " \"billing_account\": \"%s\", \"product_offering\": \"%s\", \"name\": \"their-cug\"}",
		 objects[0].id, objects[0].id, objects[0].id, offering);
	itest_create("/network-services", operator_token, body, objects[8].id);
	char lan[16], rs[16], ip[16];
	assert_int_equal(
		itest_sql(&srv, "SELECT id FROM network_services WHERE type = 'exchange_lan'", lan, sizeof(lan)), 0);
	assert_int_equal(itest_sql(&srv, "SELECT min(id) FROM network_features", rs, sizeof(rs)), 0);
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"billing_account\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\"}, \"asns\": [3320], \"macs\": [\"%s\"],"
		 " \"role_assignments\": [\"%s\"]}",
		 lan, objects[5].id, objects[0].id, objects[0].id, objects[0].id, objects[3].id, ra_noc);
	itest_create("/network-service-configs", operator_token, body, objects[9].id);
	snprintf(body, sizeof(body), "SELECT min(id) FROM ips WHERE network_service_config = %s", objects[9].id);
	assert_int_equal(itest_sql(&srv, body, ip, sizeof(ip)), 0);
	snprintf(body, sizeof(body),
		 "{\"type\": \"route_server\", \"network_feature\": \"%s\", \"network_service_config\": \"%s\","
		 " \"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"billing_account\": \"%s\","
		 " \"asn\": 3320, \"ip\": \"%s\"}",
		 rs, objects[9].id, objects[0].id, objects[0].id, objects[0].id, ip);
	itest_create("/network-feature-configs", operator_token, body, objects[10].id);
	/* A joining rule on their private VLAN, naming themselves. */
	snprintf(body, sizeof(body),
		 "{\"type\": \"allow\", \"network_service\": \"%s\", \"managing_account\": \"%s\","
		 " \"consuming_account\": \"%s\"}",
		 objects[8].id, objects[0].id, objects[0].id);
	itest_create("/member-joining-rules", operator_token, body, objects[11].id);
	/* An application the operator submitted for an applicant of its own. */
	char facility[16], conn_offering[16];
	assert_int_equal(itest_sql(&srv, "SELECT min(facility) FROM pops", facility, sizeof(facility)), 0);
	assert_int_equal(itest_sql(&srv,
				   "SELECT min(id) FROM product_offerings WHERE type = 'connection'"
				   " AND coalesce(orderable_not_before, '-infinity') <= now()"
				   " AND coalesce(orderable_not_after, 'infinity') > now()",
				   conn_offering, sizeof(conn_offering)),
			 0);
	snprintf(
		body, sizeof(body),
		"{\"type\": \"customer\", \"legal_entity\": {\"name\": \"Other B.V.\", \"registration_number\": \"1\","
		" \"address\": " ADDRESS "}, \"asns\": [{\"asn\": 196700, \"registry\": \"ripe_ncc\"}],"
		" \"facility\": \"%s\", \"colocation_statement\": \"Rack 1\", \"contacts\": ["
		"{\"role\": \"contract_signer\", \"name\": \"A\", \"email\": \"a@other.example\"},"
		"{\"role\": \"technical\", \"name\": \"T\", \"email\": \"t@other.example\", \"telephone\": \"+4930123\"},"
		"{\"role\": \"noc\", \"email\": \"n@other.example\", \"telephone\": \"+4930124\"},"
		"{\"role\": \"billing\", \"name\": \"B\", \"email\": \"b@other.example\"}],"
		" \"port_order\": {\"product_offering\": \"%s\", \"quantity\": 1}}",
		facility, conn_offering);
	itest_create("/applications", operator_token, body, objects[12].id);
	/* An agreement of their application (submitted by themselves). */
	char app[16], applicant[16];
	itest_sql_application(objects[0].id, "member", "agreement", 196699, app, applicant);
	itest_sql_agreement(app, "env-isolation-0001", objects[13].id);
	/* A webhook of theirs (the events extension: owned by the account of the key that made it). */
	snprintf(body, sizeof(body),
		 "INSERT INTO webhooks (account, url, secret) VALUES (%s, 'http://127.0.0.1:9/theirs', repeat('a', 64))"
		 " RETURNING id",
		 objects[0].id);
	assert_int_equal(itest_sql(&srv, body, objects[14].id, sizeof(objects[14].id)), 0);

	char before[64], after[64];
	fingerprint(before, sizeof(before));
	size_t tried = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *route = &routes_table[i];
		const char *brace = strstr(route->pattern, "/{id}");
		if (!brace || route->privilege == PRIV_PUBLIC)
			continue;
		bool is_shared = false;
		for (size_t k = 0; k < sizeof(shared) / sizeof(shared[0]); k++)
			if (strncmp(route->pattern, shared[k], strlen(shared[k])) == 0)
				is_shared = true;
		if (is_shared)
			continue;
		if (route->privilege == PRIV_OPERATOR) { /* not the members' at all (e.g. /jobs/{id}/retry) */
			char path[256];
			snprintf(path, sizeof(path), "%.*s/1%s", (int)(brace - route->pattern), route->pattern,
				 brace + strlen("/{id}"));
			struct http_result r;
			assert_int_equal(
				http_call(&srv, http_method_name(route->method), path, member_token, NULL, NULL, &r),
				0);
			assert_int_equal(r.status, 403);
			http_result_free(&r);
			tried++;
			continue;
		}
		const struct object *o = NULL;
		for (size_t k = 0; k < OBJECT_COUNT; k++)
			if (strlen(objects[k].collection) == (size_t)(brace - route->pattern) &&
			    strncmp(route->pattern, objects[k].collection, strlen(objects[k].collection)) == 0)
				o = &objects[k];
		if (!o)
			fprintf(stderr, "isolation matrix: add an object for %s\n", route->pattern);
		assert_non_null(o);
		char path[256];
		snprintf(path, sizeof(path), "%s/%s%s", o->collection, o->id, brace + strlen("/{id}"));
		const char *method = http_method_name(route->method);
		/* The object's own valid body, taking it over for the member. */
		fill(o->body, srv.member_creds.account, body, sizeof(body));
		struct http_result r;
		if (route->body_media_type) { /* a raw body: a minimal document of that type */
			char ct[96];
			snprintf(ct, sizeof(ct), "Content-Type: %s", route->body_media_type);
			const char *headers[] = {ct, NULL};
			assert_int_equal(http_call(&srv, method, path, member_token,
						   "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", headers, &r),
					 0);
			assert_true(r.status == 404 || r.status == 403);
			http_result_free(&r);
			tried++;
			continue;
		}
		assert_int_equal(http_call(&srv, method, path, member_token,
					   route->method == HTTP_GET || route->method == HTTP_DELETE ? NULL : body,
					   NULL, &r),
				 0);
		if (r.status != 404 && r.status != 403)
			fprintf(stderr, "isolation matrix: %s %s answered %ld: %s\n", method, path, r.status, r.body);
		assert_true(r.status == 404 || r.status == 403);
		assert_true(itest_is_problem(&r, r.status, NULL));
		http_result_free(&r);
		tried++;
	}
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	assert_true(tried >= 10); /* the matrix really ran */
	/* Control: the operator reaches the same objects. */
	for (size_t k = 0; k < OBJECT_COUNT; k++) {
		char path[64];
		snprintf(path, sizeof(path), "%s/%s", objects[k].collection, objects[k].id);
		struct http_result r;
		assert_int_equal(http_call(&srv, "GET", path, operator_token, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		http_result_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_id_route_refuses_other_tenants),
	};
	return cmocka_run_group_tests_name("tenant isolation (integration)", tests, setup, teardown);
}
