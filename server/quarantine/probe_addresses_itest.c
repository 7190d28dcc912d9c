/*
 * Integration test of lan_probe_addresses() (migrations/functions/), the
 * addresses the quarantine gate's probes ask for: the highest host
 * addresses of the LAN's subnets that nobody holds, on the real schema
 * with a config that joined the LAN through the API.
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
static char nsc[16], lan[16];

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&srv, &operator_token, &member_token) != 0)
		return -1;
	itest_join_lan(member_token, srv.member_creds.account, "02:11:22:33:66:01", 206238, nsc);
	char query[128];
	snprintf(query, sizeof(query), "SELECT network_service FROM network_service_configs WHERE id = %s", nsc);
	sql(query, lan, sizeof(lan));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, operator_token, member_token);
}

/* The probe addresses of the LAN for `fam`, highest first, comma-separated. */
static void probes(int fam, int n, char *out, size_t len)
{
	char query[512];
	snprintf(query, sizeof(query),
		 "SELECT coalesce(string_agg(host(p.a), ',' ORDER BY p.o), '') FROM network_services s,"
		 " lan_probe_addresses(s, %d, %d) WITH ORDINALITY AS p(a, o) WHERE s.id = %s",
		 fam, n, lan);
	sql(query, out, len);
}

static void test_highest_free_addresses(void **state)
{
	(void)state;
	char got[256], query[256];
	/* DEMO-IX: 192.0.2.0/24 (route servers .1 and .2), 2001:db8:7f8::/64. */
	probes(4, 2, got, sizeof(got));
	assert_string_equal(got, "192.0.2.254,192.0.2.253");
	probes(6, 2, got, sizeof(got));
	assert_string_equal(got, "2001:db8:7f8:0:ffff:ffff:ffff:ffff,2001:db8:7f8:0:ffff:ffff:ffff:fffe");

	/* The config's IPv4 moved to .254 and a route server onto .253: both skipped. */
	snprintf(query, sizeof(query),
		 "UPDATE ips SET address = '192.0.2.254' WHERE network_service_config = %s AND family(address) = 4",
		 nsc);
	sql(query, NULL, 0);
	sql("UPDATE network_features SET ip_v4 = '192.0.2.253' WHERE id = (SELECT max(id) FROM network_features)", NULL,
	    0);
	snprintf(query, sizeof(query),
		 "UPDATE ips SET address = '2001:db8:7f8:0:ffff:ffff:ffff:ffff' WHERE network_service_config = %s"
		 " AND family(address) = 6",
		 nsc);
	sql(query, NULL, 0);
	probes(4, 3, got, sizeof(got));
	assert_string_equal(got, "192.0.2.252,192.0.2.251,192.0.2.250");
	probes(6, 1, got, sizeof(got));
	assert_string_equal(got, "2001:db8:7f8:0:ffff:ffff:ffff:fffe");

	/* Nothing asked, an unknown family: nothing. */
	probes(4, 0, got, sizeof(got));
	assert_string_equal(got, "");
	probes(5, 2, got, sizeof(got));
	assert_string_equal(got, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_highest_free_addresses),
	};
	return cmocka_run_group_tests_name("lan_probe_addresses", tests, setup, teardown);
}
