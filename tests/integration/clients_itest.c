/*
 * Client-shape tests: the request sequences real IX-API clients send, with
 * the JSON types they rely on checked exactly (string ids, integer numbers,
 * YYYY-MM-DD dates, RFC 3339 timestamps).
 *
 * - The Terraform provider (ixapi): contacts and role assignments, a
 *   connection with its port reservations: POST, GET, PATCH with only the
 *   changed fields, DELETE with a `null` body, destroyed in dependency order.
 * - Peering Manager (pyixapi): token, /health, /accounts, /accounts?id=X,
 *   then ips, macs and product offerings.
 * - Terraform's network_service_config_exchange_lan (POST with vlan_config
 *   and asns, PATCH with type and macs, DELETE with a null body) and
 *   ip_allocation_network_service_config (poll the config's IPs, then PATCH
 *   the fqdn); Peering Manager's MAC registration (POST /macs, then PATCH
 *   the config's macs); its destroy: config, MAC, connection, role
 *   assignments, contact.
 */
#include "harness.h"

#include "core/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;
static char *token;

static int setup(void **state)
{
	(void)state;
	return itest_start_with_tokens(&srv, NULL, &token);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, NULL, token);
}

static json_t *call(const char *method, const char *path, const char *body, long status)
{
	return itest_expect(&srv, method, path, token, body, status);
}

/* Every "id" and reference is a string; the listed keys are integers; the
 * listed dates are YYYY-MM-DD or null. */
static void assert_types(json_t *j, const char *const *strings, const char *const *integers, const char *const *dates)
{
	for (size_t i = 0; strings && strings[i]; i++) {
		json_t *v = json_object_get(j, strings[i]);
		if (!json_is_string(v))
			fprintf(stderr, "%s is not a string\n", strings[i]);
		assert_true(json_is_string(v));
	}
	for (size_t i = 0; integers && integers[i]; i++) {
		json_t *v = json_object_get(j, integers[i]);
		if (!json_is_integer(v))
			fprintf(stderr, "%s is not an integer\n", integers[i]);
		assert_true(json_is_integer(v));
	}
	for (size_t i = 0; dates && dates[i]; i++) {
		json_t *v = json_object_get(j, dates[i]);
		assert_true(json_is_null(v) || (json_is_string(v) && util_is_date(json_string_value(v))));
	}
}

static void id_of(json_t *j, char *out)
{
	snprintf(out, 16, "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
}

static void test_terraform_provider(void **state)
{
	(void)state;
	char contact[16], noc_ra[16], impl_ra[16], connection[16], path[96], body[640], role[16];
	/* resource "ixapi_contact" */
	json_t *j = call("POST", "/contacts",
			 "{\"managing_account\": null, \"consuming_account\": null, \"name\": \"TF Ops\","
			 " \"email\": \"tf@member.example\", \"telephone\": \"+31201112233\", \"external_ref\": null}",
			 400); /* Terraform sends the accounts: null is not an account */
	json_decref(j);
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"name\": \"TF Ops\","
		 " \"email\": \"tf@member.example\", \"telephone\": \"+31201112233\", \"external_ref\": null}",
		 srv.member_creds.account, srv.member_creds.account);
	j = call("POST", "/contacts", body, 201);
	static const char *const contact_strings[] = {"id", "managing_account", "consuming_account", NULL};
	assert_types(j, contact_strings, NULL, NULL);
	id_of(j, contact);
	snprintf(path, sizeof(path), "/contacts/%s", contact);
	json_decref(call("GET", path, NULL, 200));
	json_decref(call("PATCH", path, "{\"name\": \"TF Ops Desk\"}", 200));
	/* resource "ixapi_role_assignment" x2 (roles looked up by name) */
	const char *names[] = {"noc", "implementation"};
	char *targets[] = {noc_ra, impl_ra};
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/roles?name=%s", names[i]);
		j = call("GET", path, NULL, 200);
		snprintf(role, sizeof(role), "%s", json_string_value(json_object_get(json_array_get(j, 0), "id")));
		json_decref(j);
		snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", role, contact);
		id_of(call("POST", "/role-assignments", body, 201), targets[i]);
	}
	/* data "ixapi_product_offerings" + resource "ixapi_connection" */
	j = call("GET", "/product-offerings?type=connection&physical_port_speed=10000", NULL, 200);
	char offering[16];
	snprintf(offering, sizeof(offering), "%s", json_string_value(json_object_get(json_array_get(j, 0), "id")));
	json_decref(j);
	snprintf(
		body, sizeof(body),
		"{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"billing_account\": \"%s\","
		" \"role_assignments\": [\"%s\", \"%s\"], \"mode\": \"lag_lacp\", \"lacp_timeout\": \"fast\","
		" \"product_offering\": \"%s\", \"port_quantity\": 1, \"subscriber_side_demarcs\": [\"PP1:2\"],"
		" \"external_ref\": null, \"purchase_order\": \"\", \"contract_ref\": null, \"connecting_party\": null}",
		srv.member_creds.account, srv.member_creds.account, srv.member_creds.account, noc_ra, impl_ra,
		offering);
	j = call("POST", "/connections", body, 201);
	static const char *const conn_strings[] = {"id",
						   "state",
						   "managing_account",
						   "consuming_account",
						   "billing_account",
						   "mode",
						   "product_offering",
						   "name",
						   "metro_area",
						   "metro_area_network",
						   NULL};
	static const char *const conn_integers[] = {"port_quantity", "speed", "capacity_allocated", NULL};
	static const char *const conn_dates[] = {"decommission_at", "charged_until", "current_billing_start_date",
						 NULL};
	assert_types(j, conn_strings, conn_integers, conn_dates);
	assert_true(json_is_string(json_array_get(json_object_get(j, "port_reservations"), 0)));
	id_of(j, connection);
	snprintf(path, sizeof(path), "/connections/%s", connection);
	json_decref(call("GET", path, NULL, 200));
	/* resource "ixapi_port_reservation" reads its reservation */
	snprintf(path, sizeof(path), "/port-reservations?connection=%s", connection);
	j = call("GET", path, NULL, 200);
	static const char *const pr_strings[] = {"id", "state", "connection", "purchase_order", NULL};
	assert_types(json_array_get(j, 0), pr_strings, NULL, conn_dates);
	json_decref(j);
	/* terraform apply with one changed attribute: only it is sent */
	snprintf(path, sizeof(path), "/connections/%s", connection);
	json_decref(call("PATCH", path, "{\"purchase_order\": \"PO-2026-11\"}", 202));
	/* terraform destroy: connection (body null), then assignments, then the contact */
	j = call("DELETE", path, "null", 202);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "decommission_requested");
	assert_types(j, conn_strings, conn_integers, conn_dates);
	assert_true(util_is_date(json_string_value(json_object_get(j, "decommission_at"))));
	json_decref(j);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/role-assignments/%s", targets[i]);
		json_decref(call("DELETE", path, NULL, 200));
	}
	snprintf(path, sizeof(path), "/contacts/%s", contact);
	json_decref(call("DELETE", path, NULL, 200));
}

static void test_peering_manager(void **state)
{
	(void)state;
	/* pyixapi: a fresh token, then the health check it parses "version" of */
	char *fresh = itest_login(&srv, &srv.member_creds, NULL);
	assert_non_null(fresh);
	free(fresh);
	json_t *j = call("GET", "/health", NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j, "version")), "2");
	assert_int_equal(atoi(json_string_value(json_object_get(j, "version"))), 2);
	json_decref(j);
	j = call("GET", "/accounts", NULL, 200);
	assert_true(json_is_array(j));
	json_t *j_account = json_array_get(j, 0);
	static const char *const account_strings[] = {"id", "name", "state", NULL};
	assert_types(j_account, account_strings, NULL, NULL);
	char path[64];
	snprintf(path, sizeof(path), "/accounts?id=%s", json_string_value(json_object_get(j_account, "id")));
	json_decref(j);
	j = call("GET", path, NULL, 200);
	assert_int_equal(json_array_size(j), 1);
	json_t *j_asns = json_object_get(json_array_get(j, 0), "asns");
	for (size_t i = 0; i < json_array_size(j_asns); i++)
		assert_true(json_is_integer(json_array_get(j_asns, i)));
	json_decref(j);
	/* Its IX-API sync: ips, macs, product offerings. */
	json_decref(
		call("POST", "/ips", "{\"version\": 4, \"address\": \"198.51.100.9\", \"prefix_length\": 24}", 201));
	json_decref(call("POST", "/macs", "{\"address\": \"02:11:22:33:44:55\"}", 201));
	j = call("GET", "/ips", NULL, 200);
	static const char *const ip_strings[] = {"id", "address", "managing_account", "consuming_account", NULL};
	static const char *const ip_integers[] = {"version", "prefix_length", NULL};
	assert_types(json_array_get(j, 0), ip_strings, ip_integers, NULL);
	json_decref(j);
	j = call("GET", "/macs", NULL, 200);
	static const char *const mac_strings[] = {"id", "address", NULL};
	assert_types(json_array_get(j, 0), mac_strings, NULL, NULL);
	json_decref(j);
	j = call("GET", "/product-offerings", NULL, 200);
	static const char *const po_strings[] = {
		"id", "type", "name", "display_name", "handover_metro_area", "handover_metro_area_network", NULL};
	static const char *const po_integers[] = {"physical_port_speed", NULL};
	assert_types(json_array_get(j, 0), po_strings, po_integers, NULL);
	json_decref(j);
}

static void test_terraform_peering_lan(void **state)
{
	(void)state;
	char contact[16], noc_ra[16], impl_ra[16], connection[16], path[96], body[1024], lan[16], lan_offering[16];
	const char *me = srv.member_creds.account;
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"name\": \"TF NOC\","
		 " \"email\": \"noc@member.example\", \"telephone\": \"+31201112244\"}",
		 me, me);
	id_of(call("POST", "/contacts", body, 201), contact);
	const char *names[] = {"noc", "implementation"};
	char *targets[] = {noc_ra, impl_ra};
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/roles?name=%s", names[i]);
		json_t *j = call("GET", path, NULL, 200);
		snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}",
			 json_string_value(json_object_get(json_array_get(j, 0), "id")), contact);
		json_decref(j);
		id_of(call("POST", "/role-assignments", body, 201), targets[i]);
	}
	json_t *j = call("GET", "/product-offerings?type=connection&physical_port_speed=10000", NULL, 200);
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"billing_account\": \"%s\","
		 " \"role_assignments\": [\"%s\", \"%s\"], \"mode\": \"standalone\", \"product_offering\": \"%s\","
		 " \"port_quantity\": 1, \"subscriber_side_demarcs\": [\"PP9:1\"]}",
		 me, me, me, noc_ra, impl_ra, json_string_value(json_object_get(json_array_get(j, 0), "id")));
	json_decref(j);
	id_of(call("POST", "/connections", body, 201), connection);
	/* data "ixapi_network_service_exchange_lan" and its product offering */
	j = call("GET", "/network-services?type=exchange_lan", NULL, 200);
	json_t *j_lan = json_array_get(j, 0);
	assert_true(json_is_integer(json_object_get(j_lan, "peeringdb_ixid")));
	assert_true(json_is_string(json_object_get(j_lan, "subnet_v4")));
	assert_true(json_is_string(json_object_get(j_lan, "subnet_v6")));
	snprintf(lan, sizeof(lan), "%s", json_string_value(json_object_get(j_lan, "id")));
	snprintf(lan_offering, sizeof(lan_offering), "%s",
		 json_string_value(json_object_get(j_lan, "product_offering")));
	json_decref(j);
	/* resource "ixapi_network_service_config_exchange_lan" */
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"managing_account\": \"%s\", \"consuming_account\": \"%s\","
		 " \"billing_account\": \"%s\", \"role_assignments\": [\"%s\"], \"network_service\": \"%s\","
		 " \"connection\": \"%s\", \"product_offering\": \"%s\", \"capacity\": null, \"listed\": true,"
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\", \"vlan\": null, \"vlan_ethertype\": \"0x8100\"},"
		 " \"asns\": [206238], \"macs\": [], \"external_ref\": null, \"purchase_order\": \"\","
		 " \"contract_ref\": null}",
		 me, me, me, noc_ra, lan, connection, lan_offering);
	j = call("POST", "/network-service-configs", body, 201);
	static const char *const nsc_strings[] = {"id",
						  "type",
						  "state",
						  "network_service",
						  "connection",
						  "managing_account",
						  "consuming_account",
						  "billing_account",
						  "product_offering",
						  NULL};
	assert_types(j, nsc_strings, NULL, NULL);
	assert_true(json_is_integer(json_array_get(json_object_get(j, "asns"), 0)));
	assert_true(json_is_integer(json_object_get(json_object_get(j, "vlan_config"), "vlan")));
	assert_true(json_is_boolean(json_object_get(j, "listed")));
	char nsc[16];
	id_of(j, nsc);
	/* resource "ixapi_ip_allocation_network_service_config": poll, then fqdn */
	snprintf(path, sizeof(path), "/ips?network_service_config=%s", nsc);
	char ip[16] = "";
	for (int attempt = 0; attempt < 10 && !ip[0]; attempt++) {
		j = call("GET", path, NULL, 200);
		if (json_array_size(j) > 0) {
			static const char *const ip_strings[] = {"id", "address", "network_service_config", NULL};
			static const char *const ip_integers[] = {"version", "prefix_length", NULL};
			assert_types(json_array_get(j, 0), ip_strings, ip_integers, NULL);
			snprintf(ip, sizeof(ip), "%s", json_string_value(json_object_get(json_array_get(j, 0), "id")));
		}
		json_decref(j);
	}
	assert_true(ip[0]);
	snprintf(path, sizeof(path), "/ips/%s", ip);
	j = call("PATCH", path, "{\"fqdn\": \"ams.as206238.example.net\"}", 200);
	assert_string_equal(json_string_value(json_object_get(j, "fqdn")), "ams.as206238.example.net");
	json_decref(j);
	/* Peering Manager's MAC registration: POST /macs, PATCH the config */
	char mac[16];
	j = call("POST", "/macs", "{\"address\": \"0A:11:22:33:44:66\"}", 201);
	/* resource "ixapi_mac_address" compares what it sent with what it reads
	 * back: any difference is a planned change it cannot apply. */
	assert_string_equal(json_string_value(json_object_get(j, "address")), "0A:11:22:33:44:66");
	id_of(j, mac);
	snprintf(path, sizeof(path), "/macs/%s", mac);
	j = call("GET", path, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j, "address")), "0A:11:22:33:44:66");
	json_decref(j);
	snprintf(path, sizeof(path), "/network-service-configs/%s", nsc);
	snprintf(body, sizeof(body), "{\"type\": \"exchange_lan\", \"macs\": [\"%s\"]}", mac);
	j = call("PATCH", path, body, 202);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "macs"), 0)), mac);
	json_decref(j);
	/* terraform destroy, in dependency order: the config (body null) */
	j = call("DELETE", path, "null", 202);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "decommission_requested");
	assert_types(j, nsc_strings, NULL, NULL);
	const char *leaves = json_string_value(json_object_get(j, "decommission_at"));
	assert_true(util_is_date(leaves));
	char valid_until[32];
	snprintf(valid_until, sizeof(valid_until), "%sT00:00:00Z", leaves);
	json_decref(j);
	/* then what it used: the MAC (pyixapi's mac.delete() too) stays in
	 * force until the config leaves, */
	snprintf(path, sizeof(path), "/macs/%s", mac);
	j = call("DELETE", path, NULL, 200);
	assert_string_equal(json_string_value(json_object_get(j, "address")), "0A:11:22:33:44:66");
	assert_string_equal(json_string_value(json_object_get(j, "valid_not_after")), valid_until);
	json_decref(j);
	/* the connection, the role assignments, the contact. */
	snprintf(path, sizeof(path), "/connections/%s", connection);
	json_decref(call("DELETE", path, "null", 202));
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/role-assignments/%s", targets[i]);
		json_decref(call("DELETE", path, NULL, 200));
	}
	snprintf(path, sizeof(path), "/contacts/%s", contact);
	json_decref(call("DELETE", path, NULL, 200));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terraform_provider),
		cmocka_unit_test(test_peering_manager),
		cmocka_unit_test(test_terraform_peering_lan),
	};
	return cmocka_run_group_tests_name("client shapes (integration)", tests, setup, teardown);
}
