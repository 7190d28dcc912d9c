/*
 * Integration tests of the addresses the exchange allocates from the
 * peering LAN (issue 8, item 1): a member changes only the fqdn of its own;
 * an operator re-addresses within the LAN's rules; the database itself
 * refuses two live configs holding one address on a LAN, and concurrent
 * re-addressing onto one free address lets exactly one request win.
 */
#include "harness.h"
#include "fixtures.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;
static char *operator_token, *member_token, *other_token;
static char member[24], other[24];

/* A config on the LAN and its two allocated addresses. */
struct lan_config {
	char id[16];
	char ip4[16], ip6[16];           /* ids */
	char addr4[64], addr6[64];       /* addresses */
	char ip4_path[64], ip6_path[64]; /* /ips/{id} */
};
static struct lan_config mine, theirs;

/* Joins the LAN over a new connection of `account`: the config and the
 * addresses the exchange allocated. */
static void join_lan(const char *token, const char *account, const char *mac, long asn, struct lan_config *out)
{
	char query[256];
	itest_join_lan(token, account, mac, asn, out->id);
	snprintf(query, sizeof(query), "/ips?network_service_config=%s", out->id);
	json_t *j = call("GET", query, token, NULL, 200);
	assert_int_equal(json_array_size(j), 2);
	json_t *j4 = json_array_get(j, 0), *j6 = json_array_get(j, 1);
	assert_int_equal(json_integer_value(json_object_get(j4, "version")), 4);
	snprintf(out->ip4, sizeof(out->ip4), "%s", str(j4, "id"));
	snprintf(out->ip6, sizeof(out->ip6), "%s", str(j6, "id"));
	snprintf(out->addr4, sizeof(out->addr4), "%s", str(j4, "address"));
	snprintf(out->addr6, sizeof(out->addr6), "%s", str(j6, "address"));
	snprintf(out->ip4_path, sizeof(out->ip4_path), "/ips/%s", out->ip4);
	snprintf(out->ip6_path, sizeof(out->ip6_path), "/ips/%s", out->ip6);
	json_decref(j);
}

/* The address an IP row holds now. */
static void address_of(const char *ip, char *out, size_t len)
{
	char query[128];
	snprintf(query, sizeof(query), "SELECT host(address) FROM ips WHERE id = %s", ip);
	sql(query, out, len);
}

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &operator_token, &member_token) != 0)
		return -1;
	snprintf(member, sizeof(member), "%s", srv.member_creds.account);
	other_token = itest_new_tenant(
		operator_token,
		"{\"name\": \"Other Networks\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		" \"postal_code\": \"1000\", \"street_address\": \"Dam 3\"}, \"billing_information\": {\"name\":"
		" \"Other Networks\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		" \"postal_code\": \"1000\", \"street_address\": \"Dam 3\"}}}",
		other);
	join_lan(member_token, member, "02:11:22:33:55:01", 206238, &mine);
	join_lan(other_token, other, "02:11:22:33:55:02", 212100, &theirs);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(other_token);
	return itest_finish_tokens(&srv, operator_token, member_token);
}

static void test_member_changes_only_the_fqdn(void **state)
{
	(void)state;
	char body[512], now[64];
	long long events = count("SELECT count(*) FROM events"), jobs = count("SELECT count(*) FROM jobs");
	/* The moves: onto another member's address, a route server's,
	 * outside the subnet. And the rest of what the exchange decided. */
	const char *moves[][2] = {
		{"address", theirs.addr4}, {"address", "192.0.2.1"}, {"address", "10.9.9.9"},
		{"address", "192.0.2.77"}, {"prefix_length", "8"},   {"prefix_length", "32"},
	};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i][0], "address") == 0)
			snprintf(body, sizeof(body), "{\"address\": \"%s\"}", moves[i][1]);
		else
			snprintf(body, sizeof(body), "{\"%s\": %s}", moves[i][0], moves[i][1]);
		expect_naming("PATCH", mine.ip4_path, member_token, body, 403, moves[i][0]);
	}
	snprintf(body, sizeof(body), "{\"version\": 6, \"address\": \"%s\"}", theirs.addr6);
	expect_naming("PATCH", mine.ip4_path, member_token, body, 403, "address");
	snprintf(body, sizeof(body), "{\"address\": \"%s\"}", theirs.addr6);
	expect_naming("PATCH", mine.ip6_path, member_token, body, 403, "address");
	snprintf(body, sizeof(body), "{\"managing_account\": \"%s\"}", other);
	expect_naming("PATCH", mine.ip4_path, member_token, body, 403, "managing_account");
	expect_naming("PATCH", mine.ip4_path, member_token, "{\"external_ref\": \"moved\"}", 403, "external_ref");
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"version\": 4,"
		 " \"address\": \"192.0.2.99\", \"prefix_length\": 24}",
		 member, member);
	expect_naming("PUT", mine.ip4_path, member_token, body, 403, "address");
	address_of(mine.ip4, now, sizeof(now));
	assert_string_equal(now, mine.addr4);
	assert_int_equal(count("SELECT count(*) FROM events"), events);
	assert_int_equal(count("SELECT count(*) FROM jobs"), jobs);

	/* The fqdn is the member's; a PUT repeating the rest is fine. */
	json_t *j = call("PATCH", mine.ip4_path, member_token, "{\"fqdn\": \"rtr1.as206238.example.net\"}", 200);
	assert_string_equal(str(j, "fqdn"), "rtr1.as206238.example.net");
	assert_string_equal(str(j, "address"), mine.addr4);
	json_decref(j);
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"version\": 4,"
		 " \"address\": \"%s\", \"prefix_length\": 24, \"fqdn\": \"rtr2.as206238.example.net\","
		 " \"external_ref\": null, \"valid_not_before\": null, \"valid_not_after\": null}",
		 member, member, mine.addr4);
	j = call("PUT", mine.ip4_path, member_token, body, 200);
	assert_string_equal(str(j, "fqdn"), "rtr2.as206238.example.net");
	json_decref(j);

	/* A route-server session therefore never carries another's address:
	 * the member's session is on its own. */
	char rs[16], nfc_body[512];
	sql("SELECT min(id) FROM network_features", rs, sizeof(rs));
	snprintf(nfc_body, sizeof(nfc_body),
		 "{\"type\": \"route_server\", \"network_feature\": \"%s\", \"network_service_config\": \"%s\","
		 " \"asn\": 206238, \"ip\": \"%s\", \"as_set_v4\": \"AS-DEMO@RIPE\"}",
		 rs, mine.id, mine.ip4);
	j = call("POST", "/network-feature-configs", member_token, nfc_body, 201);
	char q[256];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = 'route_server.session'"
		 " AND payload->>'network_feature_config' = '%s' AND payload->'peer'->>'ip' = '%s'",
		 str(j, "id"), mine.addr4);
	assert_int_equal(count(q), 1);
	json_decref(j);

	/* An address the member created itself is still its own to change. */
	j = call("POST", "/ips", member_token, "{\"version\": 4, \"address\": \"198.51.100.7\", \"prefix_length\": 24}",
		 201);
	char path[64];
	snprintf(path, sizeof(path), "/ips/%s", str(j, "id"));
	json_decref(j);
	json_decref(call("PATCH", path, member_token, "{\"address\": \"198.51.100.8\", \"prefix_length\": 25}", 200));
}

static void test_operator_readdresses_within_the_lan(void **state)
{
	(void)state;
	char body[256], now[64];
	long long events = count("SELECT count(*) FROM events");
	const char *bad4[] = {"192.0.2.0",  "192.0.2.255", "192.0.2.1",   "192.0.2.2",
			      theirs.addr4, "10.9.9.9",    "198.51.100.1"};
	for (size_t i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		snprintf(body, sizeof(body), "{\"address\": \"%s\"}", bad4[i]);
		expect_naming("PATCH", mine.ip4_path, operator_token, body, 400, "address");
	}
	const char *bad6[] = {"2001:db8:7f8::", "2001:db8:7f9::10", theirs.addr6, "2001:db8:7f8::1"};
	for (size_t i = 0; i < sizeof(bad6) / sizeof(bad6[0]); i++) {
		snprintf(body, sizeof(body), "{\"address\": \"%s\"}", bad6[i]);
		expect_naming("PATCH", mine.ip6_path, operator_token, body, 400, "address");
	}
	expect_naming("PATCH", mine.ip4_path, operator_token, "{\"prefix_length\": 16}", 400, "prefix_length");
	snprintf(body, sizeof(body), "{\"version\": 6, \"address\": \"2001:db8:7f8::99\"}");
	expect_naming("PATCH", mine.ip4_path, operator_token, body, 400, "version");
	address_of(mine.ip4, now, sizeof(now));
	assert_string_equal(now, mine.addr4);
	assert_int_equal(count("SELECT count(*) FROM events"), events);

	/* Within the subnet, free: fine, and audited. */
	json_t *j = call("PATCH", mine.ip4_path, operator_token, "{\"address\": \"192.0.2.200\"}", 200);
	assert_string_equal(str(j, "address"), "192.0.2.200");
	json_decref(j);
	j = call("PATCH", mine.ip6_path, operator_token, "{\"address\": \"2001:db8:7f8::ffff\"}", 200);
	json_decref(j);
	assert_int_equal(count("SELECT count(*) FROM events"), events + 2);
	/* and back */
	snprintf(body, sizeof(body), "{\"address\": \"%s\"}", mine.addr4);
	json_decref(call("PATCH", mine.ip4_path, operator_token, body, 200));
	snprintf(body, sizeof(body), "{\"address\": \"%s\"}", mine.addr6);
	json_decref(call("PATCH", mine.ip6_path, operator_token, body, 200));
}

static void test_the_database_refuses_a_shared_address(void **state)
{
	(void)state;
	char query[512], now[64];
	/* Past the storage layer's checks, and past the trigger: the unique
	 * index alone refuses it. */
	snprintf(query, sizeof(query), "UPDATE ips SET address = '%s' WHERE id = %s", theirs.addr4, mine.ip4);
	assert_int_not_equal(itest_sql(&srv, query, NULL, 0), 0);
	snprintf(query, sizeof(query),
		 "ALTER TABLE ips DISABLE TRIGGER ips_lan_guard; UPDATE ips SET address = '%s' WHERE id = %s",
		 theirs.addr4, mine.ip4);
	assert_int_not_equal(itest_sql(&srv, query, NULL, 0), 0);
	snprintf(query, sizeof(query),
		 "INSERT INTO ips (managing_account, consuming_account, version, address, prefix_length,"
		 " network_service, network_service_config)"
		 " SELECT managing_account, consuming_account, 4, '%s', 24, network_service, network_service_config"
		 "   FROM ips WHERE id = %s",
		 theirs.addr4, mine.ip4);
	assert_int_not_equal(itest_sql(&srv, query, NULL, 0), 0);
	/* The route server's address, outside the subnet: the trigger. */
	snprintf(query, sizeof(query), "UPDATE ips SET address = '192.0.2.1' WHERE id = %s", mine.ip4);
	assert_int_not_equal(itest_sql(&srv, query, NULL, 0), 0);
	snprintf(query, sizeof(query), "UPDATE ips SET address = '10.9.9.9' WHERE id = %s", mine.ip4);
	assert_int_not_equal(itest_sql(&srv, query, NULL, 0), 0);
	address_of(mine.ip4, now, sizeof(now));
	assert_string_equal(now, mine.addr4);

	/* An archived config gives its addresses back: another may take them,
	 * and the archived one cannot come back onto a taken address. */
	struct lan_config gone;
	join_lan(other_token, other, "02:11:22:33:55:03", 212100, &gone);
	char path[64], body[128];
	snprintf(path, sizeof(path), "/network-service-configs/%s", gone.id);
	json_decref(call("PATCH", path, operator_token, "{\"state\": \"archived\"}", 202));
	snprintf(body, sizeof(body), "{\"address\": \"%s\"}", gone.addr4);
	json_decref(call("PATCH", mine.ip4_path, operator_token, body, 200));
	expect_naming("PATCH", path, operator_token, "{\"state\": \"production\"}", 400, "address");
	snprintf(body, sizeof(body), "{\"address\": \"%s\"}", mine.addr4);
	json_decref(call("PATCH", mine.ip4_path, operator_token, body, 200));
}

/* A rule only the database's trigger (migration 015) sees: the operator
 * widened the LAN's subnet, so an address allocated before keeps its /24
 * while the subnet is a /23. Re-addressing it passes the storage layer's
 * checks (inside the subnet, free) and the trigger refuses it with the rule
 * failure convention (SQLSTATE IX400): a 400 naming prefix_length with the
 * trigger's reason, nothing written. */
static void test_a_rule_failure_raised_by_the_trigger(void **state)
{
	(void)state;
	char query[256], now[64];
	snprintf(query, sizeof(query),
		 "UPDATE network_services SET subnet_v4 = '192.0.2.0/23'"
		 " WHERE id = (SELECT network_service FROM ips WHERE id = %s)",
		 mine.ip4);
	assert_int_equal(itest_sql(&srv, query, NULL, 0), 0);
	long long events = count("SELECT count(*) FROM events");
	json_t *j = call("PATCH", mine.ip4_path, operator_token, "{\"address\": \"192.0.3.10\"}", 400);
	/* back to the /24 first, so that a failure here spoils no other test */
	snprintf(query, sizeof(query),
		 "UPDATE network_services SET subnet_v4 = '192.0.2.0/24'"
		 " WHERE id = (SELECT network_service FROM ips WHERE id = %s)",
		 mine.ip4);
	assert_int_equal(itest_sql(&srv, query, NULL, 0), 0);
	json_t *j_props = json_object_get(j, "properties");
	assert_int_equal(json_array_size(j_props), 1);
	assert_string_equal(str(json_array_get(j_props, 0), "name"), "prefix_length");
	assert_string_equal(str(json_array_get(j_props, 0), "reason"),
			    "An address allocated from the peering LAN keeps the subnet's prefix length, /23.");
	json_decref(j);
	address_of(mine.ip4, now, sizeof(now));
	assert_string_equal(now, mine.addr4);
	assert_int_equal(count("SELECT count(*) FROM events"), events);
}

struct racer {
	pthread_barrier_t *start;
	const char *path;
	const char *body;
	long status;
	bool clean_problem;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	pthread_barrier_wait(r->start);
	struct http_result res;
	if (http_call(&srv, "PATCH", r->path, operator_token, r->body, NULL, &res) == 0) {
		r->status = res.status;
		r->clean_problem = res.status == 400 && itest_is_problem(&res, 400, "validation-error.html") &&
				   strstr(res.body, "\"name\":\"address\"") != NULL;
	}
	http_result_free(&res);
	return NULL;
}

/* Two operators move two configs' addresses onto one free address at
 * once: exactly one wins, the other gets a clean 400, never a 500. */
static void test_concurrent_readdressing(void **state)
{
	(void)state;
	for (int round = 0; round < 8; round++) {
		char address[32], body[64], query[256];
		snprintf(address, sizeof(address), "192.0.2.%d", 150 + round);
		snprintf(body, sizeof(body), "{\"address\": \"%s\"}", address);
		pthread_barrier_t start;
		pthread_barrier_init(&start, NULL, 2);
		struct racer a = {&start, mine.ip4_path, body, 0, false};
		struct racer b = {&start, theirs.ip4_path, body, 0, false};
		pthread_t ta, tb;
		assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
		assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		pthread_barrier_destroy(&start);
		if (!((a.status == 200 && b.status == 400) || (a.status == 400 && b.status == 200)))
			fprintf(stderr, "round %d: %ld and %ld\n", round, a.status, b.status);
		assert_true((a.status == 200 && b.status == 400) || (a.status == 400 && b.status == 200));
		assert_true(a.clean_problem || b.clean_problem);
		snprintf(query, sizeof(query), "SELECT count(*) FROM ips WHERE address = '%s'", address);
		assert_int_equal(count(query), 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_changes_only_the_fqdn),
		cmocka_unit_test(test_operator_readdresses_within_the_lan),
		cmocka_unit_test(test_the_database_refuses_a_shared_address),
		cmocka_unit_test(test_a_rule_failure_raised_by_the_trigger),
		cmocka_unit_test(test_concurrent_readdressing),
	};
	return cmocka_run_group_tests_name("peering-LAN addresses (integration)", tests, setup, teardown);
}
