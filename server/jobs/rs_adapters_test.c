/*
 * Unit tests of the route-server adapters in the adapters file: parsed
 * beside (or without) the switch adapters, route servers found by name or
 * fqdn with the adapter's name for them, typos refused at start-up without
 * the secret in the message.
 */
#include "jobs/rs_adapters.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char dir[64];

static void test_rs_adapters(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ixapi-rs-adapters-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/rs.secret", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("rs-s3cr3t-value\n", f);
	fclose(f);
	struct switch_adapters list;
	char err[512];
	/* route-server adapters only: no switch adapter needed */
	assert_int_equal(
		adapters_parse("{\"route_server_adapters\": [{\"name\": \"rsd\", \"url\": \"http://127.0.0.1:8711/\","
			       " \"secret_file\": \"rs.secret\", \"route_servers\": [\"rs1.ix.example\","
			       " {\"network_feature\": \"rs2\", \"server\": \"b-2\"}]}]}",
			       dir, &list, err, sizeof(err)),
		0);
	assert_int_equal(list.count, 0);
	assert_int_equal(list.rs_count, 1);
	assert_string_equal(list.rs_items[0].http.secret, "rs-s3cr3t-value");
	assert_string_equal(list.rs_items[0].http.url, "http://127.0.0.1:8711");
	const char *server = NULL;
	assert_ptr_equal(rs_adapter_for(&list, "rs1", "rs1.ix.example", &server), &list.rs_items[0]);
	assert_string_equal(server, "rs1.ix.example");
	assert_ptr_equal(rs_adapter_for(&list, "rs2", NULL, &server), &list.rs_items[0]);
	assert_string_equal(server, "b-2");
	assert_null(rs_adapter_for(&list, "rs3", "rs3.ix.example", &server));
	adapters_free(&list);

	static const char *const bad[] = {
		"{}",
		"{\"route_server_adapters\": {}}",
		"{\"route_server_adapters\": [{\"name\": \"r\", \"url\": \"ftp://x\", \"secret_file\": \"rs.secret\","
		" \"route_servers\": [\"rs1\"]}]}",
		"{\"route_server_adapters\": [{\"name\": \"r\", \"url\": \"http://x\", \"secret_file\": \"rs.secret\","
		" \"route_servers\": []}]}",
		"{\"route_server_adapters\": [{\"name\": \"r\", \"url\": \"http://x\", \"secret_file\": \"rs.secret\","
		" \"route_servers\": [\"has/slash\"]}]}",
		"{\"route_server_adapters\": [{\"name\": \"r\", \"url\": \"http://x\", \"secret_file\": \"rs.secret\","
		" \"route_servers\": [{\"network_feature\": \"rs1\"}]}]}",
		"{\"route_server_adapters\": [{\"name\": \"r\", \"url\": \"http://x\", \"secret_file\": \"rs.secret\","
		" \"route_servers\": [\"rs1\"], \"devices\": []}]}",
		"{\"route_server_adapters\": [{\"name\": \"r\", \"url\": \"http://x\", \"secret_file\": \"missing\","
		" \"route_servers\": [\"rs1\"]}]}",
		"{\"route_server_adapters\": [{\"name\": \"a\", \"url\": \"http://x\", \"secret_file\": \"rs.secret\","
		" \"route_servers\": [\"rs1\"]}, {\"name\": \"b\", \"url\": \"http://y\", \"secret_file\": \"rs.secret\","
		" \"route_servers\": [\"rs2\", \"rs1\"]}]}",
		"{\"route_server_adapters\": [{\"name\": \"a\", \"url\": \"http://x\", \"secret_file\": \"rs.secret\","
		" \"route_servers\": [\"rs1\", \"rs1\"]}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (adapters_parse(bad[i], dir, &list, err, sizeof(err)) != -1)
			fail_msg("accepted %s", bad[i]);
		assert_true(err[0]);
		assert_null(strstr(err, "s3cr3t"));
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rs_adapters),
	};
	return cmocka_run_group_tests_name("rs_adapters", tests, NULL, NULL);
}
