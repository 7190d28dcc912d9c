/*
 * Unit tests of MAC address normalisation.
 */
#include "core/mac.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void test_spellings(void **state)
{
	(void)state;
	const char *good[] = {"00:1B:21:3c:4d:5e", "00-1b-21-3c-4d-5e", "001b.213c.4d5e", "001B213C4D5E"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char out[18] = "";
		assert_int_equal(mac_normalise(good[i], out), MAC_OK);
		assert_string_equal(out, "00:1b:21:3c:4d:5e");
	}
	char out[18];
	assert_int_equal(mac_normalise("02:00:00:00:00:01", out), MAC_OK); /* locally administered unicast */
	assert_string_equal(out, "02:00:00:00:00:01");
}

static void test_refusals(void **state)
{
	(void)state;
	char out[18];
	assert_int_equal(mac_normalise("ff:ff:ff:ff:ff:ff", out), MAC_MULTICAST);
	assert_int_equal(mac_normalise("01:00:5e:00:00:01", out), MAC_MULTICAST);
	assert_int_equal(mac_normalise("33:33:00:00:00:01", out), MAC_MULTICAST);
	assert_int_equal(mac_normalise("00:00:00:00:00:00", out), MAC_ZERO);
	const char *bad[] = {"",
			     "00:1b:21:3c:4d",
			     "00:1b:21:3c:4d:5e:6f",
			     "00:1b-21:3c:4d:5e",
			     "0:1b:21:3c:4d:5e0",
			     "00:1g:21:3c:4d:5e",
			     "001b.213c:4d5e",
			     "001b213c4d5",
			     " 00:1b:21:3c:4d:5e",
			     "00:1b:21:3c:4d:5e "};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mac_normalise(bad[i], out), MAC_MALFORMED);
	assert_non_null(mac_verdict_reason(MAC_MULTICAST));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("mac", tests, NULL, NULL);
}
