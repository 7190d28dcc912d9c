/* Unit tests of core/netguard.c: which receiver addresses a webhook may reach. */
#include "core/netguard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static bool allows(const struct netguard *g, const char *addr, char *why, size_t why_len)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, addr, &a->sin6_addr), 1);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, addr, &a->sin_addr), 1);
	}
	return netguard_allows(g, (struct sockaddr *)&ss, why, why_len);
}

static void test_default_refuses_the_exchange_s_own_networks(void **state)
{
	(void)state;
	struct netguard g;
	char err[200], why[200];
	assert_int_equal(netguard_parse("", &g, err, sizeof(err)), 0);
	static const char *const refused[] = {"127.0.0.1",
					      "127.9.9.9",
					      "10.1.2.3",
					      "172.16.0.1",
					      "172.31.255.255",
					      "192.168.1.1",
					      "169.254.1.1",
					      "100.64.0.1",
					      "0.0.0.0",
					      "224.0.0.5",
					      "240.0.0.1",
					      "198.18.0.1",
					      "::1",
					      "::",
					      "fe80::1",
					      "fd00::1",
					      "ff02::1",
					      "::ffff:127.0.0.1",
					      "::ffff:10.0.0.1"};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		why[0] = '\0';
		assert_false(allows(&g, refused[i], why, sizeof(why)));
		assert_non_null(strstr(why, "IXAPI_WEBHOOK_ALLOW_NETS"));
	}
	assert_false(allows(&g, "127.0.0.2", why, sizeof(why)));
	assert_string_equal(why,
			    "127.0.0.2 is a loopback address; not allowed unless IXAPI_WEBHOOK_ALLOW_NETS names its "
			    "network");
	static const char *const public[] = {"192.0.2.1",   "8.8.8.8",      "172.32.0.1",    "100.128.0.1",
					     "2001:db8::1", "2a00:1450::1", "::ffff:8.8.8.8"};
	for (size_t i = 0; i < sizeof(public) / sizeof(public[0]); i++)
		assert_true(allows(&g, public[i], NULL, 0));
}

static void test_allowed_networks(void **state)
{
	(void)state;
	struct netguard g;
	char err[200];
	assert_int_equal(netguard_parse("127.0.0.1/32, 10.20.0.0/16,fd00:1::/32", &g, err, sizeof(err)), 0);
	assert_int_equal(g.allow_count, 3);
	assert_true(allows(&g, "127.0.0.1", NULL, 0));
	assert_false(allows(&g, "127.0.0.2", NULL, 0));
	assert_true(allows(&g, "10.20.255.1", NULL, 0));
	assert_false(allows(&g, "10.21.0.1", NULL, 0));
	assert_true(allows(&g, "::ffff:10.20.1.1", NULL, 0));
	assert_true(allows(&g, "fd00:1:ffff::1", NULL, 0));
	assert_false(allows(&g, "fd00:2::1", NULL, 0));
	assert_int_equal(netguard_parse("::1", &g, err, sizeof(err)), 0);
	assert_true(allows(&g, "::1", NULL, 0));
	assert_false(allows(&g, "127.0.0.1", NULL, 0));
}

static void test_bad_lists_refused(void **state)
{
	(void)state;
	struct netguard g;
	char err[200];
	assert_int_equal(netguard_parse("localhost", &g, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'localhost' is not an IPv4 or IPv6 address"));
	assert_int_equal(netguard_parse("10.0.0.0/33", &g, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad prefix length"));
	assert_int_equal(netguard_parse("10.0.0.0/", &g, err, sizeof(err)), -1);
	assert_int_equal(netguard_parse("10.0.0.0/8x", &g, err, sizeof(err)), -1);
	assert_int_equal(netguard_parse("1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5,6.6.6.6,7.7.7.7,8.8.8.8,9.9.9.9,"
					"10.0.0.1,11.0.0.1,12.0.0.1,13.0.0.1,14.0.0.1,15.0.0.1,16.0.0.1,17.0.0.1",
					&g, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "more than 16"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_refuses_the_exchange_s_own_networks),
		cmocka_unit_test(test_allowed_networks),
		cmocka_unit_test(test_bad_lists_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
