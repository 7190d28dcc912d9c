/*
 * Integration test of issue 8, item 2: a BGP session password reaches
 * neither the audit trail (events), nor the job queue, nor the server's log
 * (run at debug level), through create, PUT, PATCH, decommission and the
 * service config's decommission cascade; the events say `has_password`
 * instead. What was stored before migration 015 is scrubbed by it.
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

/* Distinct secrets, so that a hit names the write that leaked it. */
static const char *const passwords[] = {"Pw-create-6f1d93ab", "Pw-put-27c04e51", "Pw-patch-b83a7710",
					"Pw-second-e5592c0d"};

static int setup(void **state)
{
	(void)state;
	setenv("IXAPI_LOG_LEVEL", "debug", 1); /* the most the server ever logs */
	return itest_start_with_tokens(&srv, &operator_token, &member_token);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

/* A LAN config of the member (contact, roles, connection, MAC); its id and
 * its IPv4 address's id. */
static void join_lan(char *nsc_out, char *ip4_out)
{
	char query[128];
	itest_join_lan(member_token, srv.member_creds.account, "02:11:22:33:66:01", 206238, nsc_out);
	snprintf(query, sizeof(query), "SELECT id FROM ips WHERE network_service_config = %s AND version = 4", nsc_out);
	sql(query, ip4_out, 16);
}

/* Rows of events and jobs, and bytes of the server's log, holding `secret`. */
static long long leaks(const char *secret)
{
	char query[512];
	snprintf(query, sizeof(query),
		 "SELECT (SELECT count(*) FROM events WHERE strpos(coalesce(old_value::text, '') ||"
		 "                                               coalesce(new_value::text, ''), '%s') > 0)"
		 "     + (SELECT count(*) FROM jobs WHERE strpos(payload::text, '%s') > 0)",
		 secret, secret);
	long long n = count(query);
	char path[512];
	snprintf(path, sizeof(path), "%s/server.log", srv.workdir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[8192];
	while (fgets(line, sizeof(line), f))
		if (strstr(line, secret)) {
			fprintf(stderr, "server.log: %s", line);
			n++;
		}
	fclose(f);
	return n;
}

static void test_passwords_stay_out_of_events_jobs_and_log(void **state)
{
	(void)state;
	char nsc[16], ip4[16], rs[16], body[1024], path[64], query[256];
	join_lan(nsc, ip4);
	sql("SELECT min(id) FROM network_features", rs, sizeof(rs));
	snprintf(body, sizeof(body),
		 "{\"type\": \"route_server\", \"network_feature\": \"%s\", \"network_service_config\": \"%s\","
		 " \"asn\": 206238, \"ip\": \"%s\", \"as_set_v4\": \"AS-DEMO@RIPE\", \"password\": \"%s\"}",
		 rs, nsc, ip4, passwords[0]);
	json_t *j = call("POST", "/network-feature-configs", member_token, body, 201);
	/* The response is the spec's RouteServerNetworkFeatureConfig: the
	 * owner reads its session's password back. */
	assert_string_equal(str(j, "password"), passwords[0]);
	char nfc[16];
	snprintf(nfc, sizeof(nfc), "%s", str(j, "id"));
	snprintf(path, sizeof(path), "/network-feature-configs/%s", nfc);
	json_decref(j);

	snprintf(body, sizeof(body),
		 "{\"type\": \"route_server\", \"managing_account\": \"%s\", \"consuming_account\": \"%s\","
		 " \"asn\": 206238, \"session_mode\": \"public\", \"bgp_session_type\": \"passive\", \"ip\": \"%s\","
		 " \"as_set_v4\": \"AS-DEMO@RIPE\", \"password\": \"%s\"}",
		 srv.member_creds.account, srv.member_creds.account, ip4, passwords[1]);
	json_decref(call("PUT", path, member_token, body, 202));
	snprintf(body, sizeof(body), "{\"password\": \"%s\", \"max_prefix_v4\": 500}", passwords[2]);
	j = call("PATCH", path, member_token, body, 202);
	assert_string_equal(str(j, "password"), passwords[2]);
	json_decref(j);
	json_decref(call("PATCH", path, operator_token, "{\"state\": \"production\"}", 202));
	json_decref(call("DELETE", path, member_token, NULL, 202));

	/* A session with the other route server, decommissioned by its
	 * config's cascade (the events written by the database functions). */
	sql("SELECT max(id) FROM network_features", rs, sizeof(rs));
	snprintf(body, sizeof(body),
		 "{\"type\": \"route_server\", \"network_feature\": \"%s\", \"network_service_config\": \"%s\","
		 " \"asn\": 206238, \"ip\": \"%s\", \"as_set_v4\": \"AS-DEMO@RIPE\", \"password\": \"%s\"}",
		 rs, nsc, ip4, passwords[3]);
	json_decref(call("POST", "/network-feature-configs", member_token, body, 201));
	snprintf(path, sizeof(path), "/network-service-configs/%s", nsc);
	json_decref(call("DELETE", path, member_token, NULL, 202));

	for (size_t i = 0; i < sizeof(passwords) / sizeof(passwords[0]); i++) {
		long long n = leaks(passwords[i]);
		if (n)
			fprintf(stderr, "%s: %lld leak(s)\n", passwords[i], n);
		assert_int_equal(n, 0);
	}
	/* What the audit trail says instead: that a password is set. */
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM events WHERE object_type = 'network_feature_config' AND object_id = '%s'"
		 " AND (new_value->'has_password')::boolean AND NOT new_value ? 'password'",
		 nfc);
	assert_int_equal(count(query), 5); /* create, PUT, PATCH, PATCH state, DELETE */
	snprintf(query, sizeof(query),
		 "SELECT count(*) FROM events WHERE object_type = 'network_feature_config' AND action = 'decommission'"
		 " AND (old_value->'has_password')::boolean");
	assert_int_equal(count(query), 2);
}

/* Events written before migration 015 (the trigger off, as it was then):
 * the migration's scrub rewrites them. */
static void test_stored_secrets_are_scrubbed(void **state)
{
	(void)state;
	assert_int_equal(itest_sql(&srv,
				   "ALTER TABLE events DISABLE TRIGGER events_without_secrets;"
				   " INSERT INTO events (action, object_type, object_id, old_value, new_value)"
				   " VALUES ('update', 'network_feature_config', '0', '{\"password\": \"Pw-old-1\"}',"
				   "         '{\"password\": \"\", \"peer\": {\"password\": \"Pw-old-2\"}}');"
				   " ALTER TABLE events ENABLE TRIGGER events_without_secrets",
				   NULL, 0),
			 0);
	assert_int_equal(count("SELECT count(*) FROM events WHERE strpos(old_value::text || new_value::text, 'Pw-old-')"
			       " > 0"),
			 1);
	assert_int_equal(itest_sql(&srv, "SELECT scrub_stored_secrets()", NULL, 0), 0);
	assert_int_equal(count("SELECT count(*) FROM events WHERE strpos(old_value::text || new_value::text, 'Pw-old-')"
			       " > 0"),
			 0);
	assert_int_equal(count("SELECT count(*) FROM events WHERE object_id = '0'"
			       " AND old_value = '{\"has_password\": true}'"
			       " AND new_value = '{\"has_password\": false, \"peer\": {\"has_password\": true}}'"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passwords_stay_out_of_events_jobs_and_log),
		cmocka_unit_test(test_stored_secrets_are_scrubbed),
	};
	return cmocka_run_group_tests_name("secrets (integration)", tests, setup, teardown);
}
