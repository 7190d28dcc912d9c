/*
 * Unit tests of Idempotency-Key replay memory: a key answers per method and
 * path, the oldest of more than AD_IDEM_KEEP is forgotten.
 */
#include "adapters/common/ad_idem.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

static void test_replay_per_method_and_path(void **state)
{
	(void)state;
	int status = 0;
	char *body = NULL;
	assert_false(ad_idem_find("job-1", "PUT", "/v1/ports/p1", &status, &body));
	ad_idem_store("job-1", "PUT", "/v1/ports/p1", 200, "{\"a\":1}");
	assert_true(ad_idem_find("job-1", "PUT", "/v1/ports/p1", &status, &body));
	assert_int_equal(status, 200);
	assert_string_equal(body, "{\"a\":1}");
	free(body);
	assert_false(ad_idem_find("job-1", "POST", "/v1/ports/p1/captures", &status, &body));
	assert_false(ad_idem_find("job-1", "PUT", "/v1/ports/p2", &status, &body));
	ad_idem_clear();
	assert_false(ad_idem_find("job-1", "PUT", "/v1/ports/p1", &status, &body));
}

static void test_oldest_forgotten(void **state)
{
	(void)state;
	char key[32];
	for (int i = 0; i <= AD_IDEM_KEEP; i++) {
		snprintf(key, sizeof(key), "job-%d", i);
		ad_idem_store(key, "PUT", "/v1/ports/p1", 200, key);
	}
	int status;
	char *body = NULL;
	assert_false(ad_idem_find("job-0", "PUT", "/v1/ports/p1", &status, &body));
	assert_true(ad_idem_find("job-1", "PUT", "/v1/ports/p1", &status, &body));
	assert_string_equal(body, "job-1");
	free(body);
	snprintf(key, sizeof(key), "job-%d", AD_IDEM_KEEP);
	assert_true(ad_idem_find(key, "PUT", "/v1/ports/p1", &status, &body));
	free(body);
	ad_idem_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_per_method_and_path),
		cmocka_unit_test(test_oldest_forgotten),
	};
	return cmocka_run_group_tests_name("ad_idem", tests, NULL, NULL);
}
