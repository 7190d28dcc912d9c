/*
 * Integration tests of the peering LAN as IX-API describes it: network
 * services and features, service configs (VLANs, MACs, ASNs, IP
 * allocation), route-server sessions (feature configs), decommission
 * cascades, change requests, joining rules of private VLANs, and the jobs
 * every change queues (exactly once; none for a refused request).
 */
#include "harness.h"
#include "fixtures.h"

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
static char lan[16], rs1[16], connection[16], ra_noc[16], member[24];

static char *mac_new(const char *token, const char *address)
{
	char id[16];
	itest_new_mac(token, address, id);
	return strdup(id);
}

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &operator_token, &member_token) != 0)
		return -1;
	snprintf(member, sizeof(member), "%s", srv.member_creds.account);
	itest_sql(&srv, "SELECT id FROM network_services WHERE type = 'exchange_lan'", lan, sizeof(lan));
	itest_sql(&srv, "SELECT min(id) FROM network_features", rs1, sizeof(rs1));
	make_connection(member_token, member, connection, ra_noc);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

static void test_lan_and_route_servers_are_published(void **state)
{
	(void)state;
	json_t *j = call("GET", "/network-services?type=exchange_lan", member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	json_t *j_lan = json_array_get(j, 0);
	assert_string_equal(str(j_lan, "subnet_v4"), "192.0.2.0/24");
	assert_string_equal(str(j_lan, "subnet_v6"), "2001:db8:7f8::/64");
	assert_true(json_is_integer(json_object_get(j_lan, "peeringdb_ixid")));
	assert_int_equal(json_array_size(json_object_get(j_lan, "network_features")), 2);
	json_decref(j);
	j = call("GET", "/network-features?required=false", member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 2);
	json_t *j_rs = json_array_get(j, 0);
	assert_string_equal(str(j_rs, "ip_v4"), "192.0.2.1");
	assert_int_equal(json_array_size(json_object_get(j_rs, "flags")), 4);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j_rs, "available_bgp_session_types"), 0)),
			    "passive");
	json_decref(j);
	/* One feature by id reads as it lists; an unknown id is a 404. */
	char path[64];
	snprintf(path, sizeof(path), "/network-features/%s", rs1);
	j = call("GET", path, member_token, NULL, 200);
	assert_string_equal(str(j, "id"), rs1);
	assert_string_equal(str(j, "type"), "route_server");
	assert_string_equal(str(j, "network_service"), lan);
	assert_string_equal(str(j, "ip_v4"), "192.0.2.1");
	assert_int_equal(json_array_size(json_object_get(j, "flags")), 4);
	json_decref(j);
	json_decref(call("GET", "/network-features/999999999", member_token, NULL, 404));
	json_decref(call("GET", "/network-services?type=bogus", member_token, NULL, 400));
	/* Only operators run peering LANs. */
	json_decref(call("POST", "/network-services", member_token,
			 "{\"type\": \"exchange_lan\", \"name\": \"X\", \"metro_area_network\": \"1\","
			 " \"subnet_v4\": \"198.51.100.0/24\", \"subnet_v6\": \"2001:db8:1::/64\"}",
			 403));
	j = call("GET", "/implementation", member_token, NULL, 200);
	assert_int_equal(json_array_size(json_object_get(j, "supported_network_service_types")), 5);
	json_decref(j);
}

static void test_join_the_lan_with_a_route_server_session(void **state)
{
	(void)state;
	char *mac = mac_new(member_token, "02:11:22:33:44:01");
	char body[1024], path[96], nsc[16], ip4[16];
	long long jobs_before = count("SELECT count(*) FROM jobs");
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\", \"vlan\": null}, \"asns\": [206238],"
		 " \"macs\": [\"%s\"], \"role_assignments\": [\"%s\"], \"listed\": true}",
		 lan, connection, mac, ra_noc);
	json_t *j = call("POST", "/network-service-configs", member_token, body, 201);
	snprintf(nsc, sizeof(nsc), "%s", str(j, "id"));
	assert_string_equal(str(j, "state"), "requested");
	json_t *j_vc = json_object_get(j, "vlan_config");
	assert_string_equal(str(j_vc, "vlan_type"), "dot1q");
	assert_true(json_is_integer(json_object_get(j_vc, "vlan")));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(j, "asns"), 0)), 206238);
	assert_int_equal(json_array_size(json_object_get(j, "ips")), 2);
	json_decref(j);
	/* One job for the switch, in the same transaction. */
	assert_int_equal(count("SELECT count(*) FROM jobs") - jobs_before, 1);
	snprintf(
		body, sizeof(body),
		"SELECT count(*) FROM jobs WHERE kind = 'switch.port_vlan' AND payload->>'network_service_config' = '%s'"
		" AND payload->>'action' = 'configure' AND payload->'macs'->>0 = '02:11:22:33:44:01'",
		nsc);
	assert_int_equal(count(body), 1);
	/* Terraform's ip_allocation: poll the config's IPs, then set an fqdn. */
	snprintf(path, sizeof(path), "/ips?network_service_config=%s", nsc);
	j = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 2);
	json_t *j_ip = json_array_get(j, 0);
	assert_int_equal(json_integer_value(json_object_get(j_ip, "version")), 4);
	/* .1 and .2 are the route servers': the lowest free address is .3 */
	assert_string_equal(str(j_ip, "address"), "192.0.2.3");
	assert_int_equal(json_integer_value(json_object_get(j_ip, "prefix_length")), 24);
	assert_string_equal(str(json_array_get(j, 1), "address"), "2001:db8:7f8::3");
	snprintf(ip4, sizeof(ip4), "%s", str(j_ip, "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/ips/%s", ip4);
	json_decref(call("PATCH", path, member_token, "{\"fqdn\": \"demo.as206238.example.net\"}", 200));

	/* A route-server session: passive, the default filtering mode and limit. */
	snprintf(body, sizeof(body),
		 "{\"type\": \"route_server\", \"network_feature\": \"%s\", \"network_service_config\": \"%s\","
		 " \"asn\": 206238, \"ip\": \"%s\", \"as_set_v4\": \"AS-DEMO@RIPE\", \"password\": \"s3cret\"}",
		 rs1, nsc, ip4);
	j = call("POST", "/network-feature-configs", member_token, body, 201);
	char nfc[16];
	snprintf(nfc, sizeof(nfc), "%s", str(j, "id"));
	assert_int_equal(json_integer_value(json_object_get(j, "max_prefix_v4")), 100);
	assert_int_equal(json_integer_value(json_object_get(j, "max_prefix_v6")), 100);
	assert_string_equal(str(j, "bgp_session_type"), "passive");
	json_t *j_flag = json_array_get(json_object_get(j, "flags"), 0);
	assert_string_equal(str(j_flag, "name"), "irrdb_rpki");
	assert_true(json_is_true(json_object_get(j_flag, "enabled")));
	json_decref(j);
	/* Listed for its owner and the operators; the filters select it. */
	const char *tokens[] = {member_token, operator_token};
	for (size_t t = 0; t < 2; t++) {
		j = call("GET", "/network-feature-configs", tokens[t], NULL, 200);
		size_t i, found = 0;
		json_t *j_item;
		json_array_foreach (j, i, j_item) {
			if (strcmp(str(j_item, "id"), nfc) != 0)
				continue;
			found++;
			assert_string_equal(str(j_item, "type"), "route_server");
			assert_string_equal(str(j_item, "network_service_config"), nsc);
			assert_string_equal(str(j_item, "network_feature"), rs1);
		}
		assert_int_equal(found, 1);
		json_decref(j);
	}
	snprintf(path, sizeof(path), "/network-feature-configs?network_service_config=%s", nsc);
	j = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	assert_string_equal(str(json_array_get(j, 0), "id"), nfc);
	json_decref(j);
	snprintf(path, sizeof(path), "/network-feature-configs?network_service_config=%s&state=production", nsc);
	j = call("GET", path, member_token, NULL, 200);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	snprintf(
		body, sizeof(body),
		"SELECT count(*) FROM jobs WHERE kind = 'route_server.session' AND payload->>'network_feature_config' = '%s'"
		" AND payload->'peer'->>'ip' = '192.0.2.3' AND NOT payload::text LIKE '%%s3cret%%'",
		nfc);
	assert_int_equal(count(body), 1);
	/* Refusals, each naming its property; none queues a job. */
	jobs_before = count("SELECT count(*) FROM jobs");
	const char *bad[] = {
		"\"bgp_session_type\": \"active\"",
		"\"asn\": 64512",
		"\"asn\": 3320",
		"\"as_set_v4\": \"AS-DEMO\"",
		"\"as_set_v6\": \"AS DEMO@RIPE\"",
		"\"max_prefix_v4\": 400000",
		"\"session_mode\": \"collector\"",
		"\"flags\": [{\"name\": \"rpki\", \"enabled\": true}, {\"name\": \"irrdb\", \"enabled\": true}]",
		"\"flags\": [{\"name\": \"nonsense\", \"enabled\": true}]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body),
			 "{\"type\": \"route_server\", \"network_feature\": \"%s\", \"network_service_config\": \"%s\","
			 " \"asn\": 206238, \"ip\": \"%s\", %s}",
			 rs1, nsc, ip4, bad[i]);
		struct http_result r;
		assert_int_equal(http_call(&srv, "POST", "/network-feature-configs", member_token, body, NULL, &r), 0);
		if (r.status != 400)
			fprintf(stderr, "%s -> %ld %s\n", bad[i], r.status, r.body);
		assert_true(itest_is_problem(&r, 400, "validation-error.html"));
		http_result_free(&r);
	}
	assert_int_equal(count("SELECT count(*) FROM jobs"), jobs_before);
	/* The same session twice is refused. */
	json_decref(call("POST", "/network-feature-configs", member_token, body, 400));
	/* Passwords the route servers cannot take as a TCP-MD5 key (at most 80
	 * printable ASCII characters without " and \\): refused at once, the
	 * problem names `password` alone, nothing changes (no job, the stored
	 * password stays). */
	char too_long[96];
	memset(too_long, 'k', 81);
	too_long[81] = '\0';
	const char *bad_passwords[] = {too_long,    "s3c\\\"ret",    "s3c\\\\ret",
				       "s3c\\tret", "s3c\\u0001ret", "s3c\\u00e9ret"};
	for (size_t i = 0; i < sizeof(bad_passwords) / sizeof(bad_passwords[0]); i++) {
		for (int patch = 0; patch < 2; patch++) {
			if (patch) {
				snprintf(path, sizeof(path), "/network-feature-configs/%s", nfc);
				snprintf(body, sizeof(body), "{\"type\": \"route_server\", \"password\": \"%s\"}",
					 bad_passwords[i]);
			} else {
				snprintf(path, sizeof(path), "/network-feature-configs");
				snprintf(body, sizeof(body),
					 "{\"type\": \"route_server\", \"network_feature\": \"%s\","
					 " \"network_service_config\": \"%s\", \"asn\": 206238, \"ip\": \"%s\","
					 " \"password\": \"%s\"}",
					 rs1, nsc, ip4, bad_passwords[i]);
			}
			struct http_result r;
			assert_int_equal(http_call(&srv, patch ? "PATCH" : "POST", path, member_token, body, NULL, &r),
					 0);
			assert_true(itest_is_problem(&r, 400, "validation-error.html"));
			json_t *j_props = json_object_get(r.j, "properties");
			assert_int_equal(json_array_size(j_props), 1);
			assert_string_equal(str(json_array_get(j_props, 0), "name"), "password");
			http_result_free(&r);
		}
	}
	assert_int_equal(count("SELECT count(*) FROM jobs"), jobs_before);
	snprintf(
		body, sizeof(body),
		"SELECT count(*) FROM network_feature_configs WHERE network_service_config = %s AND password = 's3cret'",
		nsc);
	assert_int_equal(count(body), 1);
	/* Migration 031's entry on a session whose stored password it removed
	 * goes when the member sets a new one. */
	snprintf(body, sizeof(body),
		 "INSERT INTO status_entries (object_type, object_id, severity, tag, message)"
		 " VALUES ('network_feature_config', %s, 3, 'password', 'The BGP password was removed')",
		 nfc);
	assert_int_equal(itest_sql(&srv, body, NULL, 0), 0);
	snprintf(path, sizeof(path), "/network-feature-configs/%s", nfc);
	j = call("GET", path, member_token, NULL, 200);
	assert_string_equal(str(json_array_get(json_object_get(j, "status"), 0), "tag"), "password");
	json_decref(j);
	json_decref(call("PATCH", path, member_token, "{\"type\": \"route_server\", \"password\": \"s3cret\"}", 202));
	snprintf(body, sizeof(body), "SELECT count(*) FROM status_entries WHERE object_id = %s AND tag = 'password'",
		 nfc);
	assert_int_equal(count(body), 0);
	snprintf(path, sizeof(path), "/network-feature-configs/%s", nfc);
	j = call("PATCH", path, member_token,
		 "{\"type\": \"route_server\", \"flags\": [{\"name\": \"rpki\", \"enabled\": true}],"
		 " \"max_prefix_v4\": 5000}",
		 202);
	assert_int_equal(json_integer_value(json_object_get(j, "max_prefix_v4")), 5000);
	json_decref(j);
	snprintf(body, sizeof(body),
		 "SELECT count(*) FROM jobs WHERE kind = 'route_server.session' AND payload->>'filtering_mode' = 'rpki'"
		 " AND payload->>'network_feature_config' = '%s'",
		 nfc);
	assert_int_equal(count(body), 1);

	/* The account's ASNs come from its configs too. */
	j = call("GET", "/account", member_token, NULL, 200);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(j, "asns"), 0)), 206238);
	json_decref(j);

	/* State: operators only. */
	snprintf(path, sizeof(path), "/network-service-configs/%s", nsc);
	json_decref(call("PATCH", path, member_token, "{\"state\": \"production\"}", 403));
	j = call("PATCH", path, operator_token, "{\"state\": \"production\"}", 202);
	assert_string_equal(str(j, "state"), "production");
	json_decref(j);
	snprintf(path, sizeof(path), "/network-service-configs/%s/cancellation-policy?decommission_at=2099-01-01", nsc);
	j = call("GET", path, member_token, NULL, 200);
	assert_string_equal(str(j, "decommission_at"), "2099-01-01");
	json_decref(j);

	/* Decommissioning cascades to the session, with a job for each. */
	snprintf(path, sizeof(path), "/network-service-configs/%s", nsc);
	jobs_before = count("SELECT count(*) FROM jobs");
	struct http_result r;
	assert_int_equal(http_call(&srv, "DELETE", path, member_token, "null", NULL, &r), 0);
	assert_int_equal(r.status, 202);
	assert_string_equal(str(r.j, "state"), "decommission_requested");
	http_result_free(&r);
	assert_int_equal(count("SELECT count(*) FROM jobs") - jobs_before, 2);
	snprintf(path, sizeof(path), "/network-feature-configs/%s", nfc);
	j = call("GET", path, member_token, NULL, 200);
	assert_string_equal(str(j, "state"), "decommission_requested");
	json_decref(j);
	snprintf(body, sizeof(body),
		 "SELECT count(*) FROM events WHERE object_type = 'network_feature_config' AND object_id = '%s'"
		 " AND action = 'decommission'",
		 nfc);
	assert_int_equal(count(body), 1);
	snprintf(path, sizeof(path), "/network-service-configs/%s", nsc);
	json_decref(call("DELETE", path, member_token, NULL, 400));
	free(mac);
}

static void test_exchange_rules(void **state)
{
	(void)state;
	char body[1024], path[96], first[16];
	char *mac_a = mac_new(member_token, "02:11:22:33:44:0a");
	char *mac_b = mac_new(member_token, "02:11:22:33:44:0b");
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\", \"vlan\": 100}, \"asns\": [206238],"
		 " \"macs\": [\"%s\"], \"role_assignments\": [\"%s\"]}",
		 lan, connection, mac_a, ra_noc);
	json_t *j = call("POST", "/network-service-configs", member_token, body, 201);
	snprintf(first, sizeof(first), "%s", str(j, "id"));
	json_decref(j);
	long long configs = count("SELECT count(*) FROM network_service_configs");
	long long jobs = count("SELECT count(*) FROM jobs");
	long long ips = count("SELECT count(*) FROM ips");
	/* Each refusal names what to fix and writes nothing. */
	struct {
		const char *vlan, *asns, *macs, *property;
	} bad[] = {
		{"{\"vlan_type\": \"dot1q\", \"vlan\": 100}", "[206238]", "[]", "vlan_config"},
		{"{\"vlan_type\": \"dot1q\", \"vlan\": 4095}", "[206238]", "[]", "vlan_config.vlan"},
		{"{\"vlan_type\": \"qinq\", \"outer_vlan\": 100, \"inner_vlan\": 5}", "[206238]", "[]", "vlan_config"},
		{"{\"vlan_type\": \"port\"}", "[206238]", "[]", "vlan_config"},
		{"{\"vlan_type\": \"dot1q\"}", "[]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[0]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[23456]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[64496]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[64512]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[65535]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[65551]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[131071]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[4200000000]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[4294967295]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[\"AS206238\"]", "[]", "asns"},
		{"{\"vlan_type\": \"dot1q\"}", "[206238]", "[\"@A\", \"@B\"]", "macs"},
		{"{\"vlan_type\": \"dot1q\"}", "[206238]", "[\"999999\"]", "macs"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char macs[64];
		snprintf(macs, sizeof(macs), "%s", bad[i].macs);
		if (strstr(macs, "@A"))
			snprintf(macs, sizeof(macs), "[\"%s\", \"%s\"]", mac_a, mac_b);
		snprintf(body, sizeof(body),
			 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
			 " \"vlan_config\": %s, \"asns\": %s, \"macs\": %s, \"role_assignments\": [\"%s\"]}",
			 lan, connection, bad[i].vlan, bad[i].asns, macs, ra_noc);
		struct http_result r;
		assert_int_equal(http_call(&srv, "POST", "/network-service-configs", member_token, body, NULL, &r), 0);
		const char *name = json_string_value(
			json_object_get(json_array_get(json_object_get(r.j, "properties"), 0), "name"));
		if (r.status != 400 || !name || strcmp(name, bad[i].property) != 0)
			fprintf(stderr, "case %zu: %ld %s\n", i, r.status, r.body);
		assert_true(itest_is_problem(&r, 400, "validation-error.html"));
		assert_string_equal(name, bad[i].property);
		http_result_free(&r);
	}
	/* Roles the LAN requires (noc), type and service must match. */
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\"}, \"asns\": [206238]}",
		 lan, connection);
	json_decref(call("POST", "/network-service-configs", member_token, body, 400));
	snprintf(body, sizeof(body),
		 "{\"type\": \"p2p_vc\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\"}}",
		 lan, connection);
	json_decref(call("POST", "/network-service-configs", member_token, body, 400));
	assert_int_equal(count("SELECT count(*) FROM network_service_configs"), configs);
	assert_int_equal(count("SELECT count(*) FROM jobs"), jobs);
	assert_int_equal(count("SELECT count(*) FROM ips"), ips);

	/* The operator raises the LAN's MAC limit: two MACs are fine then. */
	snprintf(path, sizeof(path), "/network-services/%s", lan);
	json_decref(call("PATCH", path, member_token, "{\"max_macs_per_config\": 2}", 403));
	json_decref(call("PATCH", path, operator_token, "{\"max_macs_per_config\": 2}", 202));
	snprintf(path, sizeof(path), "/network-service-configs/%s", first);
	snprintf(body, sizeof(body), "{\"type\": \"exchange_lan\", \"macs\": [\"%s\", \"%s\"]}", mac_a, mac_b);
	j = call("PATCH", path, member_token, body, 202);
	assert_int_equal(json_array_size(json_object_get(j, "macs")), 2);
	json_decref(j);
	/* Statistics are private until the member shares them. */
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(j = call("GET", path, member_token, NULL, 200), "shared_statistics"),
			"policy")),
		"deny");
	json_decref(j);
	j = call("PATCH", path, member_token,
		 "{\"shared_statistics\": {\"policy\": \"allow\", \"accounts_denied\": [\"1\"]}}", 202);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(json_object_get(j, "shared_statistics"), "accounts_denied"), 0)),
			    "1");
	json_decref(j);
	json_decref(call("PATCH", path, member_token, "{\"shared_statistics\": {\"policy\": \"some\"}}", 400));
	/* Production needs a MAC: without one the operator is told why. */
	snprintf(body, sizeof(body), "{\"type\": \"exchange_lan\", \"macs\": []}");
	json_decref(call("PATCH", path, member_token, body, 202));
	json_decref(call("PATCH", path, operator_token, "{\"state\": \"production\"}", 400));
	snprintf(body, sizeof(body), "{\"type\": \"exchange_lan\", \"macs\": [\"%s\"]}", mac_a);
	json_decref(call("PATCH", path, member_token, body, 202));
	/* Lists page like every list. */
	struct http_result page;
	assert_int_equal(
		http_call(&srv, "GET", "/network-service-configs?page_limit=1", member_token, NULL, NULL, &page), 0);
	assert_int_equal(page.status, 206);
	assert_int_equal(json_array_size(page.j), 1);
	assert_true(atoi(page.total_count) >= 2);
	http_result_free(&page);
	json_decref(call("PATCH", path, member_token, "{\"connection\": \"999\"}", 400));
	json_decref(call("PATCH", path, member_token, "{\"type\": \"p2p_vc\"}", 400));
	snprintf(path, sizeof(path), "/network-services/%s", lan);
	json_decref(call("PATCH", path, operator_token, "{\"max_macs_per_config\": 1}", 202));

	/* Another member: its ASN and its MAC address are its own. */
	char other[16], other_conn[16], other_ra[16];
	char *other_token = itest_new_tenant(
		operator_token,
		"{\"name\": \"Other Networks\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		" \"postal_code\": \"1000\", \"street_address\": \"Dam 1\"}, \"billing_information\": {\"name\":"
		" \"Other\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\", \"postal_code\": \"1000\","
		" \"street_address\": \"Dam 1\"}}}",
		other);
	make_connection(other_token, other, other_conn, other_ra);
	snprintf(body, sizeof(body), "INSERT INTO account_asns VALUES (%s, 3320)", other);
	sql(body, NULL, 0);
	char *other_mac = mac_new(other_token, "02:11:22:33:44:0a");
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\"}, \"asns\": [3320], \"macs\": [\"%s\"],"
		 " \"role_assignments\": [\"%s\"]}",
		 lan, other_conn, other_mac, other_ra);
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/network-service-configs", other_token, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_non_null(strstr(r.body, "in use by another member"));
	http_result_free(&r);
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\"}, \"asns\": [3320], \"role_assignments\": [\"%s\"]}",
		 lan, connection, ra_noc);
	assert_int_equal(http_call(&srv, "POST", "/network-service-configs", member_token, body, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	assert_non_null(strstr(r.body, "another account"));
	http_result_free(&r);
	/* Someone else's connection is not the member's to use. */
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\"}, \"asns\": [206238], \"role_assignments\": [\"%s\"]}",
		 lan, other_conn, ra_noc);
	json_decref(call("POST", "/network-service-configs", member_token, body, 400));
	/* The other member cannot see the member's config. */
	snprintf(path, sizeof(path), "/network-service-configs/%s", first);
	json_decref(call("GET", path, other_token, NULL, 404));
	json_decref(call("PATCH", path, other_token, "{\"listed\": false}", 404));
	free(other_token);
	free(other_mac);
	free(mac_a);
	free(mac_b);
}

static void test_ip_exhaustion(void **state)
{
	(void)state;
	char man[16], body[1024], small[16];
	sql("SELECT min(id) FROM metro_area_networks", man, sizeof(man));
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"name\": \"TINY-IX\", \"metro_area_network\": \"%s\","
		 " \"subnet_v4\": \"198.51.100.0/30\", \"subnet_v6\": \"2001:db8:99::/64\", \"peeringdb_ixid\": 42,"
		 " \"state\": \"production\"}",
		 man);
	json_t *j = call("POST", "/network-services", operator_token, body, 201);
	snprintf(small, sizeof(small), "%s", str(j, "id"));
	assert_string_equal(str(j, "subnet_v4"), "198.51.100.0/30");
	json_decref(j);
	/* Configs are sold through an offering: without one, a clear refusal. */
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\"}, \"asns\": [206238]}",
		 small, connection);
	json_decref(call("POST", "/network-service-configs", member_token, body, 400));
	char offering[16];
	snprintf(
		body, sizeof(body),
		"INSERT INTO product_offerings (type, name, display_name, resource_type, handover_metro_area_network,"
		" handover_metro_area, service_provider, provider_vlans, exchange_lan_network_service)"
		" SELECT 'exchange_lan', 'TINY-IX', 'Tiny', 'network_service_config', n.id, n.metro_area, 'IX', 'single', %s"
		" FROM metro_area_networks n ORDER BY n.id LIMIT 1 RETURNING id",
		small);
	sql(body, offering, sizeof(offering));
	snprintf(body, sizeof(body), "{\"product_offering\": \"%s\"}", offering);
	char svc_path[64];
	snprintf(svc_path, sizeof(svc_path), "/network-services/%s", small);
	json_decref(call("PATCH", svc_path, operator_token, body, 202));
	/* A /30 has two host addresses: two configs, then a clear refusal. */
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof(body),
			 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
			 " \"vlan_config\": {\"vlan_type\": \"dot1q\"}, \"asns\": [206238]}",
			 small, connection);
		long long before = count("SELECT count(*) FROM network_service_configs");
		long long jobs_before = count("SELECT count(*) FROM jobs");
		long long events_before = count("SELECT count(*) FROM events");
		struct http_result r;
		assert_int_equal(http_call(&srv, "POST", "/network-service-configs", member_token, body, NULL, &r), 0);
		if (i == 2) {
			assert_true(itest_is_problem(&r, 400, "validation-error.html"));
			assert_non_null(strstr(r.body, "IPv4 subnet has no free address"));
			assert_int_equal(count("SELECT count(*) FROM network_service_configs"), before);
			/* the job was written, then rolled back with the request */
			assert_int_equal(count("SELECT count(*) FROM jobs"), jobs_before);
			assert_int_equal(count("SELECT count(*) FROM events"), events_before);
		} else {
			assert_int_equal(r.status, 201);
			assert_int_equal(count("SELECT count(*) FROM jobs") - jobs_before, 1);
		}
		http_result_free(&r);
	}
	snprintf(body, sizeof(body),
		 "SELECT string_agg(host(i.address), ',' ORDER BY i.address) FROM ips i JOIN network_service_configs c"
		 " ON c.id = i.network_service_config WHERE c.network_service = %s AND i.version = 4",
		 small);
	char addresses[64];
	sql(body, addresses, sizeof(addresses));
	assert_string_equal(addresses, "198.51.100.1,198.51.100.2");
	/* Decommissioning the LAN cascades to its configs. */
	char path[64];
	snprintf(path, sizeof(path), "/network-services/%s", small);
	json_decref(call("DELETE", path, member_token, NULL, 403));
	j = call("DELETE", path, operator_token, "{}", 202);
	assert_string_equal(str(j, "state"), "decommission_requested");
	json_decref(j);
	snprintf(body, sizeof(body),
		 "SELECT count(*) FROM network_service_configs WHERE network_service = %s"
		 " AND state <> 'decommission_requested'",
		 small);
	assert_int_equal(count(body), 0);
}

static void test_private_vlans(void **state)
{
	(void)state;
	char body[1024], path[96], offering[16], offering2[16], other[16], p2p[16];
	sql("INSERT INTO product_offerings (type, name, display_name, resource_type, handover_metro_area_network,"
	    " handover_metro_area, service_provider, provider_vlans, bandwidth_min, bandwidth_max)"
	    " SELECT 'p2p_vc', 'P2P ' || b, 'Point to point', 'network_service', n.id, n.metro_area, 'Demo IX', 'single',"
	    "        100, b FROM metro_area_networks n, (VALUES (1000), (10000)) AS v(b) ORDER BY b",
	    NULL, 0);
	sql("SELECT id FROM product_offerings WHERE name = 'P2P 1000'", offering, sizeof(offering));
	sql("SELECT id FROM product_offerings WHERE name = 'P2P 10000'", offering2, sizeof(offering2));
	/* the member may name the joining account: it is discoverable */
	sql("UPDATE accounts SET discoverable = true WHERE name = 'Demo IXP Operator' RETURNING id", other,
	    sizeof(other));
	snprintf(body, sizeof(body),
		 "{\"type\": \"p2p_vc\", \"product_offering\": \"%s\", \"joining_member_account\": \"%s\","
		 " \"capacity\": 500, \"display_name\": \"to the operator\"}",
		 offering, other);
	json_t *j = call("POST", "/network-services", member_token, body, 201);
	snprintf(p2p, sizeof(p2p), "%s", str(j, "id"));
	assert_string_equal(str(j, "state"), "requested");
	assert_int_equal(json_integer_value(json_object_get(j, "capacity")), 500);
	json_decref(j);
	snprintf(body, sizeof(body),
		 "{\"type\": \"p2p_vc\", \"product_offering\": \"%s\", \"joining_member_account\": \"%s\","
		 " \"capacity\": 5000}",
		 offering, other);
	json_decref(call("POST", "/network-services", member_token, body, 400)); /* above bandwidth_max */
	/* A change request needs production; one at a time. */
	snprintf(path, sizeof(path), "/network-services/%s/change-request", p2p);
	snprintf(body, sizeof(body), "{\"product_offering\": \"%s\", \"capacity\": 2000}", offering2);
	json_decref(call("POST", path, member_token, body, 400));
	char svc[64];
	snprintf(svc, sizeof(svc), "/network-services/%s", p2p);
	json_decref(call("PATCH", svc, member_token, "{\"capacity\": 900}", 400));
	json_decref(call("PATCH", svc, operator_token, "{\"state\": \"production\"}", 202));
	json_decref(call("GET", path, member_token, NULL, 404));
	j = call("POST", path, member_token, body, 202);
	assert_int_equal(json_integer_value(json_object_get(j, "capacity")), 2000);
	json_decref(j);
	json_decref(call("POST", path, member_token, body, 400));
	j = call("GET", svc, member_token, NULL, 200);
	assert_string_equal(str(j, "state"), "production_change_pending");
	json_decref(j);
	json_decref(call("DELETE", path, member_token, NULL, 202));
	j = call("GET", svc, member_token, NULL, 200);
	assert_string_equal(str(j, "state"), "production");
	json_decref(j);
	json_decref(call("POST", path, member_token, body, 202));
	j = call("PATCH", svc, operator_token, "{\"state\": \"production\"}", 202);
	assert_int_equal(json_integer_value(json_object_get(j, "capacity")), 2000);
	assert_string_equal(str(j, "product_offering"), offering2);
	json_decref(j);
	/* An mp2mp_vc: others join by its joining rules only. */
	sql("INSERT INTO product_offerings (type, name, display_name, resource_type, handover_metro_area_network,"
	    " handover_metro_area, service_provider, provider_vlans)"
	    " SELECT 'mp2mp_vc', 'MP2MP', 'Closed user group', 'network_service', n.id, n.metro_area, 'Demo IX',"
	    "        'multi' FROM metro_area_networks n ORDER BY n.id LIMIT 1",
	    NULL, 0);
	sql("SELECT min(id) FROM product_offerings WHERE type = 'mp2mp_vc'", offering, sizeof(offering));
	snprintf(body, sizeof(body), "{\"type\": \"mp2mp_vc\", \"product_offering\": \"%s\", \"name\": \"cug-1\"}",
		 offering);
	j = call("POST", "/network-services", member_token, body, 201);
	char mp[16];
	snprintf(mp, sizeof(mp), "%s", str(j, "id"));
	json_decref(j);
	char joiner[16], joiner_conn[16], joiner_ra[16];
	char *joiner_token = itest_new_tenant(
		operator_token,
		"{\"name\": \"Joiner\", \"discoverable\": true, \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		" \"postal_code\": \"1000\", \"street_address\": \"Dam 2\"}, \"billing_information\": {\"name\":"
		" \"Joiner\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\", \"postal_code\": \"1000\","
		" \"street_address\": \"Dam 2\"}}}",
		joiner);
	make_connection(joiner_token, joiner, joiner_conn, joiner_ra);
	snprintf(path, sizeof(path), "/network-services/%s", mp);
	json_decref(call("GET", path, joiner_token, NULL, 404));
	snprintf(body, sizeof(body),
		 "{\"type\": \"mp2mp_vc\", \"network_service\": \"%s\", \"connection\": \"%s\", \"capacity\": 100,"
		 " \"vlan_config\": {\"vlan_type\": \"qinq\", \"inner_vlan\": 7}}",
		 mp, joiner_conn);
	json_decref(call("POST", "/network-service-configs", joiner_token, body, 400)); /* invisible */
	char rule[256];
	snprintf(rule, sizeof(rule),
		 "INSERT INTO member_joining_rules (type, network_service, managing_account, consuming_account,"
		 " capacity_min, capacity_max) VALUES ('allow', %s, %s, %s, 200, 1000)",
		 mp, member, joiner);
	sql(rule, NULL, 0);
	json_decref(call("POST", "/network-service-configs", joiner_token, body, 400)); /* capacity below the rule */
	snprintf(body, sizeof(body),
		 "{\"type\": \"mp2mp_vc\", \"network_service\": \"%s\", \"connection\": \"%s\", \"capacity\": 300,"
		 " \"vlan_config\": {\"vlan_type\": \"qinq\", \"inner_vlan\": 7}}",
		 mp, joiner_conn);
	j = call("POST", "/network-service-configs", joiner_token, body, 201);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "vlan_config"), "outer_vlan")), 1);
	assert_null(json_object_get(j, "ips"));
	json_decref(j);
	snprintf(rule, sizeof(rule),
		 "UPDATE member_joining_rules SET type = 'deny', capacity_min = NULL,"
		 " capacity_max = NULL WHERE network_service = %s",
		 mp);
	sql(rule, NULL, 0);
	snprintf(body, sizeof(body),
		 "{\"type\": \"mp2mp_vc\", \"network_service\": \"%s\", \"connection\": \"%s\", \"capacity\": 300,"
		 " \"vlan_config\": {\"vlan_type\": \"qinq\", \"inner_vlan\": 8}}",
		 mp, joiner_conn);
	json_decref(call("POST", "/network-service-configs", joiner_token, body, 403)); /* a deny rule */
	/* The owner decommissions the VLAN: the joiner's config follows. */
	j = call("DELETE", path, member_token, NULL, 202);
	assert_string_equal(str(j, "state"), "decommission_requested");
	json_decref(j);
	snprintf(rule, sizeof(rule),
		 "SELECT count(*) FROM network_service_configs WHERE network_service = %s"
		 " AND state = 'decommission_requested'",
		 mp);
	assert_int_equal(count(rule), 1);
	free(joiner_token);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan_and_route_servers_are_published),
		cmocka_unit_test(test_join_the_lan_with_a_route_server_session),
		cmocka_unit_test(test_exchange_rules),
		cmocka_unit_test(test_ip_exhaustion),
		cmocka_unit_test(test_private_vlans),
	};
	return cmocka_run_group_tests_name("network services (integration)", tests, setup, teardown);
}
