/*
 * Unit tests of the workers' pure parts: the backoff with full jitter and
 * the adapters file's parser (strict; the secret read from its file and
 * never in a message).
 */
#include "jobs/adapters.h"
#include "jobs/worker.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static void test_backoff_full_jitter(void **state)
{
	(void)state;
	assert_int_equal(jobs_backoff_ms(1, 1000, 300000, 0.0), 0);
	assert_int_equal(jobs_backoff_ms(1, 1000, 300000, 0.999999), 1000);
	assert_int_equal(jobs_backoff_ms(3, 1000, 300000, 0.5), 2000);         /* half of 4000 */
	assert_int_equal(jobs_backoff_ms(30, 1000, 300000, 0.999999), 300000); /* capped */
	assert_true(jobs_backoff_ms(4, 100, 400, 0.999999) <= 400);
	for (int a = 1; a < 20; a++) /* the ceiling doubles until the cap */
		assert_true(jobs_backoff_ms(a, 100, 5000, 0.999999) <= jobs_backoff_ms(a + 1, 100, 5000, 0.999999));
}

static char dir[64];

static void write_secret(const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/s.secret", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_adapters_parse(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ixapi-adapters-XXXXXX");
	assert_non_null(mkdtemp(dir));
	write_secret("s3cr3t-value\n");
	struct switch_adapters list;
	char err[512];
	assert_int_equal(adapters_parse("{\"switch_adapters\": [{\"name\": \"lab\", \"url\": \"https://a.example/\","
					" \"secret_file\": \"s.secret\", \"devices\": [\"sw1\", \"sw2\"],"
					" \"model\": \"vlan-filtering\"}]}",
					dir, &list, err, sizeof(err)),
			 0);
	assert_int_equal(list.count, 1);
	assert_string_equal(list.items[0].secret, "s3cr3t-value");
	assert_string_equal(list.items[0].url, "https://a.example");
	assert_true(list.items[0].vlan_filtering);
	assert_ptr_equal(adapters_for_device(&list, "sw2"), &list.items[0]);
	assert_null(adapters_for_device(&list, "sw3"));
	adapters_free(&list);

	static const char *const bad[] = {
		"[]",
		"{\"switch_adapters\": [{\"name\": \"lab\", \"url\": \"ftp://x\", \"secret_file\": \"s.secret\","
		" \"devices\": [\"sw1\"]}]}",
		"{\"switch_adapters\": [{\"name\": \"lab\", \"url\": \"http://x\", \"secret_file\": \"s.secret\","
		" \"devices\": []}]}",
		"{\"switch_adapters\": [{\"name\": \"lab\", \"url\": \"http://x\", \"secret_file\": \"missing\","
		" \"devices\": [\"sw1\"]}]}",
		"{\"switch_adapters\": [{\"name\": \"lab\", \"url\": \"http://x\", \"secret_file\": \"s.secret\","
		" \"devices\": [\"sw1\"], \"model\": \"magic\"}]}",
		"{\"switch_adapters\": [{\"name\": \"a\", \"url\": \"http://x\", \"secret_file\": \"s.secret\","
		" \"devices\": [\"sw1\"]}, {\"name\": \"b\", \"url\": \"http://y\", \"secret_file\": \"s.secret\","
		" \"devices\": [\"sw1\"]}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(adapters_parse(bad[i], dir, &list, err, sizeof(err)), -1);
		assert_true(err[0]);
		assert_null(strstr(err, "s3cr3t"));
	}
	write_secret("\n"); /* an empty secret is refused */
	assert_int_equal(adapters_parse("{\"switch_adapters\": [{\"name\": \"lab\", \"url\": \"http://x\","
					" \"secret_file\": \"s.secret\", \"devices\": [\"sw1\"]}]}",
					dir, &list, err, sizeof(err)),
			 -1);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_full_jitter),
		cmocka_unit_test(test_adapters_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
