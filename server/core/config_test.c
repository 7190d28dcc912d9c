/*
 * Unit tests of configuration loading: defaults, file, environment
 * precedence, strict parsing.
 */
#include "core/config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_defaults(void **state)
{
	(void)state;
	unsetenv("IXAPI_PORT");
	unsetenv("IXAPI_CONFIG");
	struct config cfg;
	char err[256];
	assert_int_equal(config_load(&cfg, NULL, err, sizeof(err)), 0);
	assert_int_equal(cfg.port, 8080);
	assert_string_equal(cfg.listen_addr, "127.0.0.1");
	assert_int_equal(cfg.access_token_ttl_s, 3600);
	assert_int_equal(cfg.refresh_token_ttl_s, 604800);
	assert_true(cfg.threads >= 1);
	assert_int_equal(cfg.workers, 2);
	assert_int_equal(cfg.db_pool_size, cfg.threads + 2 + cfg.workers); /* the workers take pooled connections too */
	assert_string_equal(cfg.port_assignment, "auto");
	config_free(&cfg);
}

static void test_file_then_environment(void **state)
{
	(void)state;
	char path[] = "/tmp/ixapi-config-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fputs("# comment\n\nIXAPI_PORT=9000\nIXAPI_LOG_LEVEL=debug\nDATABASE_URL=host=/tmp dbname=x\n", f);
	fclose(f);
	setenv("IXAPI_LOG_LEVEL", "error", 1);
	struct config cfg;
	char err[256];
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	assert_int_equal(cfg.port, 9000);
	assert_string_equal(cfg.database_url, "host=/tmp dbname=x");
	assert_int_equal(cfg.log_level, 3); /* the environment wins over the file */
	config_free(&cfg);
	unsetenv("IXAPI_LOG_LEVEL");
	unlink(path);
}

static void test_strict_values(void **state)
{
	(void)state;
	const char *bad[][2] = {{"IXAPI_PORT", "80a"},
				{"IXAPI_PORT", "70000"},
				{"IXAPI_THREADS", "0"},
				{"IXAPI_MIGRATE_ON_START", "maybe"},
				{"IXAPI_LOG_LEVEL", "loud"},
				{"IXAPI_ACCESS_TOKEN_TTL", ""},
				{"IXAPI_PORT_ASSIGNMENT", "manual"}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv(bad[i][0], bad[i][1], 1);
		struct config cfg;
		char err[256] = "";
		assert_int_equal(config_load(&cfg, NULL, err, sizeof(err)), -1);
		assert_non_null(strstr(err, bad[i][0]));
		config_free(&cfg);
		unsetenv(bad[i][0]);
	}
	char path[] = "/tmp/ixapi-config-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fputs("IXAPI_NOPE=1\n", f);
	fclose(f);
	struct config cfg;
	char err[256];
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown setting"));
	config_free(&cfg);
	unlink(path);
}

/* Mail: the URL's scheme and no credentials in it, the password from its
 * file (never in a message), IXAPI_MAIL_FROM a plain address. */
static void test_mail_settings(void **state)
{
	(void)state;
	struct config cfg;
	char err[256] = "";
	assert_int_equal(config_load(&cfg, NULL, err, sizeof(err)), 0);
	assert_string_equal(cfg.smtp_url, "");
	assert_string_equal(cfg.mail_from, "noc@localhost");
	assert_false(cfg.smtp_starttls);
	assert_int_equal(cfg.smtp_timeout_ms, 30000);
	config_free(&cfg);

	char path[] = "/tmp/ixapi-smtp-pw-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fputs("pw-from-file-77\nsecond line\n", f);
	fclose(f);
	setenv("IXAPI_SMTP_URL", "smtps://mail.example:465", 1);
	setenv("IXAPI_SMTP_STARTTLS", "1", 1);
	setenv("IXAPI_SMTP_PASSWORD_FILE", path, 1);
	setenv("IXAPI_MAIL_FROM", "noc@ix.example", 1);
	assert_int_equal(config_load(&cfg, NULL, err, sizeof(err)), 0);
	assert_string_equal(cfg.smtp_password, "pw-from-file-77");
	assert_true(cfg.smtp_starttls);
	config_free(&cfg);

	setenv("IXAPI_SMTP_PASSWORD", "pw-in-env-88", 1); /* both: refused, neither in the message */
	assert_int_equal(config_load(&cfg, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "IXAPI_SMTP_PASSWORD_FILE"));
	assert_null(strstr(err, "pw-"));
	config_free(&cfg);
	unsetenv("IXAPI_SMTP_PASSWORD");
	unlink(path);
	assert_int_equal(config_load(&cfg, NULL, err, sizeof(err)), -1); /* the file is gone */
	assert_non_null(strstr(err, "IXAPI_SMTP_PASSWORD_FILE"));
	config_free(&cfg);
	unsetenv("IXAPI_SMTP_PASSWORD_FILE");

	const char *bad[][2] = {{"IXAPI_SMTP_URL", "http://mail.example"},
				{"IXAPI_SMTP_URL", "smtp://user:pw-in-url-99@mail.example:587"},
				{"IXAPI_SMTP_URL", "smtp://mail.example\r\n"},
				{"IXAPI_MAIL_FROM", "noc"},
				{"IXAPI_MAIL_FROM", "NOC <noc@ix.example>"},
				{"IXAPI_MAIL_FROM", "noc@ix.example\r\nBcc: x@y"},
				{"IXAPI_SMTP_TIMEOUT_MS", "0"}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *keep = getenv(bad[i][0]);
		char saved[128] = "";
		if (keep)
			snprintf(saved, sizeof(saved), "%s", keep);
		setenv(bad[i][0], bad[i][1], 1);
		assert_int_equal(config_load(&cfg, NULL, err, sizeof(err)), -1);
		assert_non_null(strstr(err, bad[i][0]));
		assert_null(strstr(err, "pw-in-url"));
		config_free(&cfg);
		if (*saved)
			setenv(bad[i][0], saved, 1);
		else
			unsetenv(bad[i][0]);
	}
	unsetenv("IXAPI_SMTP_URL");
	unsetenv("IXAPI_SMTP_STARTTLS");
	unsetenv("IXAPI_MAIL_FROM");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file_then_environment),
		cmocka_unit_test(test_strict_values),
		cmocka_unit_test(test_mail_settings),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
