/*
 * Unit tests of ixapictl's command line (global options anywhere, commands
 * of one or two words, required, repeatable and enumerated options, usage
 * errors), where it finds its key (ctl_config_resolve), and the pure parts
 * of its HTTP side (the problem line, a token's expiry, query strings).
 */
#include "ctl/ctl_args.h"
#include "ctl/ctl_config.h"
#include "ctl/ctl_http.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse(struct ctl_args *a, char *err, size_t len, const char *const *words)
{
	char *argv[32] = {"ixapictl"};
	int argc = 1;
	while (words[argc - 1])
		argv[argc] = (char *)words[argc - 1], argc++;
	return ctl_args_parse(argc, argv, a, err, len);
}

#define PARSE(a, err, ...) parse(a, err, sizeof(err), (const char *const[]){__VA_ARGS__, NULL})

static void test_globals_anywhere(void **state)
{
	(void)state;
	struct ctl_args a;
	char err[256];
	assert_int_equal(PARSE(&a, err, "--json", "jobs", "--state", "dead", "--url", "http://x/api/v2", "--kind=a.b"),
			 0);
	assert_int_equal(a.command->id, CTL_CMD_JOBS);
	assert_true(a.json);
	assert_string_equal(a.url, "http://x/api/v2");
	assert_string_equal(ctl_args_option(&a, "--state"), "dead");
	assert_string_equal(ctl_args_option(&a, "--kind"), "a.b");
	assert_null(ctl_args_option(&a, "--object"));
	assert_int_equal(a.n_args, 0);
}

static void test_two_word_command_and_required_options(void **state)
{
	(void)state;
	struct ctl_args a;
	char err[256];
	assert_int_equal(PARSE(&a, err, "agreement", "upload", "7", "signed.pdf", "--signer-name", "Jane Doe",
			       "--signer-email", "jane@example.net"),
			 0);
	assert_int_equal(a.command->id, CTL_CMD_AGREEMENT_UPLOAD);
	assert_int_equal(a.n_args, 2);
	assert_string_equal(a.args[0], "7");
	assert_string_equal(a.args[1], "signed.pdf");
	assert_string_equal(ctl_args_option(&a, "--signer-name"), "Jane Doe");
	assert_null(ctl_args_option(&a, "--signed-at"));

	assert_int_equal(PARSE(&a, err, "agreement", "7"), 0);
	assert_int_equal(a.command->id, CTL_CMD_AGREEMENT);
	assert_string_equal(a.args[0], "7");

	assert_int_equal(PARSE(&a, err, "agreement", "upload", "7", "signed.pdf", "--signer-name", "J"), 2);
	assert_non_null(strstr(err, "--signer-email is required"));
	assert_int_equal(PARSE(&a, err, "reject", "12"), 2);
	assert_non_null(strstr(err, "--reason is required"));
	assert_int_equal(PARSE(&a, err, "reject", "12", "--reason", "no colocation contract"), 0);
	assert_string_equal(ctl_args_option(&a, "--reason"), "no colocation contract");
}

static void test_repeatable_option(void **state)
{
	(void)state;
	struct ctl_args a;
	char err[256];
	assert_int_equal(PARSE(&a, err, "assign-ports", "3", "--port", "11", "--port", "12"), 0);
	assert_string_equal(ctl_args_option_at(&a, "--port", 0), "11");
	assert_string_equal(ctl_args_option_at(&a, "--port", 1), "12");
	assert_null(ctl_args_option_at(&a, "--port", 2));
	assert_int_equal(PARSE(&a, err, "assign-ports", "3"), 0);
	assert_null(ctl_args_option_at(&a, "--port", 0));
	assert_int_equal(PARSE(&a, err, "reject", "3", "--reason", "a", "--reason", "b"), 2);
	assert_non_null(strstr(err, "--reason given twice"));
}

static void test_usage_errors(void **state)
{
	(void)state;
	struct ctl_args a;
	char err[256];
	assert_int_equal(PARSE(&a, err, "jobs", "--state", "asleep"), 2);
	assert_non_null(strstr(err, "not one of pending, running, failed, dead, done"));
	assert_int_equal(PARSE(&a, err, "applications", "--step", "done"), 2);
	assert_non_null(strstr(err, "not one of review, agreement"));
	assert_int_equal(PARSE(&a, err, "jobs", "--color", "red"), 2);
	assert_non_null(strstr(err, "--color: not an option of jobs"));
	assert_int_equal(PARSE(&a, err, "approve", "--reason", "x", "1"), 2);
	assert_int_equal(PARSE(&a, err, "approve"), 2);
	assert_non_null(strstr(err, "usage: ixapictl approve ID"));
	assert_int_equal(PARSE(&a, err, "approve", "1", "2"), 2);
	assert_int_equal(PARSE(&a, err, "frobnicate"), 2);
	assert_non_null(strstr(err, "frobnicate: no such command"));
	assert_int_equal(PARSE(&a, err, "jobs", "--state"), 2);
	assert_non_null(strstr(err, "--state needs a value"));
	assert_int_equal(PARSE(&a, err, "--json=1", "jobs"), 2);
	const char *none[] = {NULL};
	assert_int_equal(parse(&a, err, sizeof(err), none), 2);
	assert_non_null(strstr(err, "no command"));
}

static void test_help(void **state)
{
	(void)state;
	struct ctl_args a;
	char err[256];
	assert_int_equal(PARSE(&a, err, "--help"), 0);
	assert_true(a.help);
	assert_null(a.command);
	assert_int_equal(PARSE(&a, err, "reject", "--help"), 0); /* no --reason needed to ask */
	assert_true(a.help);
	assert_int_equal(a.command->id, CTL_CMD_REJECT);
	assert_int_equal(PARSE(&a, err, "help", "agreement", "upload"), 0);
	assert_true(a.help);
	assert_int_equal(a.command->id, CTL_CMD_AGREEMENT_UPLOAD);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ctl_usage(f, NULL);
	fclose(f);
	for (const struct ctl_command *c = ctl_commands; c->name; c++)
		assert_non_null(strstr(text, c->name));
	free(text);
}

/* A credentials file as make run writes it, with a second operator. */
static void write_credentials(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"operator\": {\"api_key\": \"OPKEY\", \"api_secret\": \"OPSECRET\", \"account\": \"1\"},"
	      " \"operator2\": {\"api_key\": \"OP2KEY\", \"api_secret\": \"OP2SECRET\"}}",
	      f);
	fclose(f);
}

static void test_config_sources(void **state)
{
	(void)state;
	char dir[] = "/tmp/ctl-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/creds.json", dir);
	write_credentials(path);
	char cwd[512];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0); /* no var/demo-credentials.json here */
	unsetenv("IXAPI_URL");
	unsetenv("IXAPI_API_KEY");
	unsetenv("IXAPI_API_SECRET");
	unsetenv("IXAPI_CREDENTIALS");

	struct ctl_args a;
	struct ctl_config cfg;
	char err[256];
	assert_int_equal(PARSE(&a, err, "jobs"), 0);
	assert_int_equal(ctl_config_resolve(&a, &cfg, err, sizeof(err)), 2);
	assert_non_null(strstr(err, "no API key"));

	assert_int_equal(PARSE(&a, err, "jobs", "--credentials", path), 0);
	assert_int_equal(ctl_config_resolve(&a, &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.url, CTL_DEFAULT_URL);
	assert_string_equal(cfg.key, "OPKEY");
	assert_string_equal(cfg.secret, "OPSECRET");
	assert_int_equal(PARSE(&a, err, "jobs", "--credentials", path, "--as", "operator2"), 0);
	assert_int_equal(ctl_config_resolve(&a, &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.key, "OP2KEY");
	assert_int_equal(PARSE(&a, err, "jobs", "--credentials", path, "--as", "portal"), 0);
	assert_int_equal(ctl_config_resolve(&a, &cfg, err, sizeof(err)), 2);
	assert_non_null(strstr(err, "no entry \"portal\""));

	setenv("IXAPI_API_KEY", "ENVKEY", 1);
	setenv("IXAPI_API_SECRET", "ENVSECRET", 1);
	setenv("IXAPI_URL", "https://ix.example.net/api/v2", 1);
	assert_int_equal(PARSE(&a, err, "jobs"), 0);
	assert_int_equal(ctl_config_resolve(&a, &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.key, "ENVKEY");
	assert_string_equal(cfg.url, "https://ix.example.net/api/v2");
	/* the command line wins over the environment */
	assert_int_equal(PARSE(&a, err, "jobs", "--key", "K", "--secret", "S", "--url", "http://h/api/v2"), 0);
	assert_int_equal(ctl_config_resolve(&a, &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.key, "K");
	assert_string_equal(cfg.secret, "S");
	assert_string_equal(cfg.url, "http://h/api/v2");
	assert_int_equal(PARSE(&a, err, "jobs", "--key", "K"), 0);
	assert_int_equal(ctl_config_resolve(&a, &cfg, err, sizeof(err)), 2);
	assert_int_equal(PARSE(&a, err, "jobs", "--url", "ftp://h"), 0);
	assert_int_equal(ctl_config_resolve(&a, &cfg, err, sizeof(err)), 2);
	unsetenv("IXAPI_API_KEY");
	unsetenv("IXAPI_API_SECRET");
	unsetenv("IXAPI_URL");

	/* make run's file in the working folder, as the last resort */
	assert_int_equal(mkdir("var", 0700), 0);
	write_credentials("var/demo-credentials.json");
	assert_int_equal(PARSE(&a, err, "jobs", "--as", "operator2"), 0);
	assert_int_equal(ctl_config_resolve(&a, &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.key, "OP2KEY");
	unlink("var/demo-credentials.json");
	rmdir("var");
	unlink(path);
	assert_int_equal(chdir(cwd), 0);
	rmdir(dir);
}

static char *problem_text(long status, const char *body)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ctl_print_problem(status, body, f);
	fclose(f);
	return text;
}

static void test_problem_line(void **state)
{
	(void)state;
	char *t = problem_text(409, "{\"type\": \"about:blank\", \"title\": \"Conflict\", \"status\": 409,"
				    " \"detail\": \"management approval must come from a second operator\"}");
	assert_string_equal(t, "error 409: Conflict: management approval must come from a second operator\n");
	free(t);
	t = problem_text(400, "{\"title\": \"Validation Error\", \"status\": 400, \"detail\": \"Invalid body.\","
			      " \"properties\": [{\"name\": \"reason\", \"reason\": \"is required\"}]}");
	assert_string_equal(t, "error 400: Validation Error: Invalid body.\n  reason: is required\n");
	free(t);
	t = problem_text(400, "{\"title\": \"Some fields did not validate.\", \"status\": 400,"
			      " \"detail\": \"ports: Port 9 does not exist.\","
			      " \"properties\": [{\"name\": \"ports\", \"reason\": \"Port 9 does not exist.\"}]}");
	assert_string_equal(t, "error 400: Some fields did not validate.: ports: Port 9 does not exist.\n");
	free(t);
	t = problem_text(502, "<html>bad gateway</html>");
	assert_string_equal(t, "error 502: Bad Gateway: <html>bad gateway</html>\n");
	free(t);
}

static void test_jwt_exp_and_query(void **state)
{
	(void)state;
	/* {"alg":"HS256"} . {"sub":"1","exp":1893456000} . signature */
	assert_int_equal(ctl_jwt_exp("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxODkzNDU2MDAwfQ.c2ln"), 1893456000);
	assert_int_equal(ctl_jwt_exp("not-a-token"), 0);
	assert_int_equal(ctl_jwt_exp("a.!!!.b"), 0);
	char *p = ctl_query_add(strdup("/jobs"), "state", "dead");
	p = ctl_query_add(p, "kind", NULL);
	p = ctl_query_add(p, "object", "network_service_config:1 &x=y");
	assert_string_equal(p, "/jobs?state=dead&object=network_service_config%3A1%20%26x%3Dy");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_globals_anywhere),
		cmocka_unit_test(test_two_word_command_and_required_options),
		cmocka_unit_test(test_repeatable_option),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_config_sources),
		cmocka_unit_test(test_problem_line),
		cmocka_unit_test(test_jwt_exp_and_query),
	};
	return cmocka_run_group_tests_name("ctl_args", tests, NULL, NULL);
}
