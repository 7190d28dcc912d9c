/* Unit tests of rs_ping_parse: iputils ping's summary, answered and not. */
#include "adapters/rs/rs_probe.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static void answered(void **state)
{
	(void)state;
	struct rs_ping_summary s;
	const char *out = "PING 10.9.0.2 (10.9.0.2) 56(84) bytes of data.\n\n--- 10.9.0.2 ping statistics ---\n"
			  "5 packets transmitted, 5 received, 0% packet loss, time 820ms\n"
			  "rtt min/avg/max/mdev = 0.063/0.118/0.293/0.087 ms\n";
	assert_int_equal(rs_ping_parse(out, &s), 0);
	assert_int_equal(s.tx, 5);
	assert_int_equal(s.rx, 5);
	assert_int_equal(s.time_ms, 820);
	assert_true(s.has_rtt);
	assert_float_equal(s.min_ms, 0.063, 1e-9);
	assert_float_equal(s.avg_ms, 0.118, 1e-9);
	assert_float_equal(s.max_ms, 0.293, 1e-9);
	assert_float_equal(s.mdev_ms, 0.087, 1e-9);
}

static void silent(void **state)
{
	(void)state;
	struct rs_ping_summary s;
	const char *out = "PING 2001:db8::99(2001:db8::99) 56 data bytes\n\n--- 2001:db8::99 ping statistics ---\n"
			  "3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2046ms\n";
	assert_int_equal(rs_ping_parse(out, &s), 0);
	assert_int_equal(s.tx, 3);
	assert_int_equal(s.rx, 0);
	assert_int_equal(s.time_ms, 2046);
	assert_false(s.has_rtt);
}

static void no_summary(void **state)
{
	(void)state;
	struct rs_ping_summary s;
	assert_int_equal(rs_ping_parse("ping: connect: Network is unreachable\n", &s), -1);
	assert_int_equal(rs_ping_parse("", &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(answered), cmocka_unit_test(silent),
					   cmocka_unit_test(no_summary)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
