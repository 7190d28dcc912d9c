/*
 * Unit tests of the parse of BIRD's `show protocols all` reply: a real
 * reply of BIRD 2.0.12 with a session its receive limit disabled
 * (tests/adapters/rs/show-protocols-limit-hit.txt) and an established one.
 */
#include "adapters/rs/rs_bird.h"

#include "adapters/common/ad_daemon.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static void test_limit_hit(void **state)
{
	(void)state;
	char *reply = ad_daemon_file_read("tests/adapters/rs/show-protocols-limit-hit.txt", 1024 * 1024);
	assert_non_null(reply);
	size_t n;
	struct rs_bird_protocol *p = rs_bird_parse_protocols(reply, &n);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].name, "s_m_irr_and_rpki_v4");
	assert_string_equal(p[0].state, "down");
	assert_string_equal(p[0].since, "2026-12-01 20:17:37");
	assert_string_equal(p[0].info, "Automatic shutdown: Route limit exceeded");
	assert_string_equal(p[0].bgp_state, "Down");
	assert_string_equal(p[0].last_error, "Automatic shutdown: Route limit exceeded");
	assert_int_equal(p[0].receive_limit, 1);
	assert_true(p[0].is_limit_hit);
	assert_int_equal(p[0].imported, -1); /* a down channel shows no routes */
	free(p);
	free(reply);
}

static void test_established(void **state)
{
	(void)state;
	const char *reply =
		"2002-Name       Proto      Table      State  Since         Info\n"
		"1002-s_101_v4   BGP        ---        up     2026-12-01 20:17:24  Established   \n"
		"1006-  Description:    AS1001 session 101\n"
		"   BGP state:          Established\n"
		"     Neighbor address: 192.0.2.1\n"
		"   Channel ipv4\n"
		"     State:          UP\n"
		"     Receive limit:  100\n"
		"       Action:       disable\n"
		"     Routes:         2 imported, 1 filtered, 5 exported, 2 preferred\n"
		" \n"
		"1002-s_101_v6   BGP        ---        start  2026-12-01 20:17:25  Active        Socket: Connection refused\n"
		"1006-  Description:    AS1001 session 101\n"
		"   BGP state:          Active\n"
		"     Last error:       Socket: Connection refused\n"
		"0000 \n";
	size_t n;
	struct rs_bird_protocol *p = rs_bird_parse_protocols(reply, &n);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].name, "s_101_v4");
	assert_string_equal(p[0].bgp_state, "Established");
	assert_string_equal(p[0].info, "Established");
	assert_int_equal(p[0].imported, 2);
	assert_int_equal(p[0].filtered, 1);
	assert_int_equal(p[0].exported, 5);
	assert_int_equal(p[0].receive_limit, 100);
	assert_false(p[0].is_limit_hit);
	assert_string_equal(p[0].last_error, "");
	assert_string_equal(p[1].state, "start");
	assert_string_equal(p[1].info, "Active        Socket: Connection refused");
	assert_string_equal(p[1].last_error, "Socket: Connection refused");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_hit),
		cmocka_unit_test(test_established),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
