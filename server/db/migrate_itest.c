/*
 * Integration tests of the function files (db/migrate.h): the server runs
 * on a copy of the migrations folder (IXAPI_MIGRATIONS_DIR) and migrates on
 * start. A function file whose text changed is applied when the server
 * starts again and recorded in schema_functions; an unchanged one is not
 * applied again; a broken one stops start-up with a message naming the file
 * and PostgreSQL's reason, and nothing of that start is applied.
 */
#include "harness.h"

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

static struct itest_server srv;
static char dir[256]; /* the copy of the migrations folder */

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = calloc(1, (size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void write_all(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

/* Replaces the one occurrence of from in function file name of the copy. */
static void edit_function_file(const char *name, const char *from, const char *to)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/functions/%s.sql", dir, name);
	char *text = read_all(path);
	assert_non_null(text);
	char *at = strstr(text, from);
	assert_non_null(at);
	size_t len = strlen(text) - strlen(from) + strlen(to) + 1;
	char *edited = malloc(len);
	assert_non_null(edited);
	snprintf(edited, len, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	write_all(path, edited);
	free(edited);
	free(text);
}

static void sql_value(const char *sql, char *out, size_t len)
{
	assert_int_equal(itest_sql(&srv, sql, out, len), 0);
}

static long log_size(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/server.log", srv.workdir);
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* What the server logged since offset (a new string). */
static char *log_since(long offset)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/server.log", srv.workdir);
	char *text = read_all(path);
	assert_non_null(text);
	char *tail = strdup(text + offset);
	free(text);
	return tail;
}

static int count(const char *haystack, const char *needle)
{
	int n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static int setup(void **state)
{
	(void)state;
	const char *from = getenv("IXAPI_MIGRATIONS_DIR");
	snprintf(dir, sizeof(dir), "/tmp/ixapi-migrations-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char cmd[768];
	snprintf(cmd, sizeof(cmd), "cp -R '%s'/. '%s'", from && *from ? from : "migrations", dir);
	if (system(cmd) != 0)
		return -1;
	setenv("IXAPI_MIGRATIONS_DIR", dir, 1); /* for the migrate tool and every start of the server */
	return itest_start(&srv);
}

static int teardown(void **state)
{
	(void)state;
	int rc = itest_finish(&srv);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = -1;
	return rc;
}

static void test_changed_file_is_applied_unchanged_is_not(void **state)
{
	(void)state;
	char v[256], sha_before[80], sha_after[80], at_before[64], at_after[64], other_before[64], other_after[64];
	/* the migrate tool applied every file and recorded it */
	sql_value("SELECT count(*) FROM schema_functions", v, sizeof(v));
	assert_true(atoi(v) > 50);
	sql_value("SELECT id_or_null('123456')", v, sizeof(v));
	assert_string_equal(v, "123456");
	sql_value("SELECT sha256 FROM schema_functions WHERE name = 'id_or_null'", sha_before, sizeof(sha_before));
	sql_value("SELECT applied_at::text FROM schema_functions WHERE name = 'id_or_null'", at_before,
		  sizeof(at_before));
	sql_value("SELECT applied_at::text FROM schema_functions WHERE name = 'rfc3339'", other_before,
		  sizeof(other_before));
	assert_int_equal(strlen(sha_before), 64);

	assert_int_equal(itest_stop_server(&srv), 0);
	edit_function_file("id_or_null", "{1,18}", "{1,5}");
	long offset = log_size();
	assert_int_equal(itest_start_server(&srv), 0);

	char *log = log_since(offset);
	assert_non_null(strstr(log, "applied function file id_or_null.sql"));
	assert_int_equal(count(log, "applied function file"), 1); /* the unchanged ones are not applied again */
	free(log);
	sql_value("SELECT id_or_null('123456') IS NULL", v, sizeof(v));
	assert_string_equal(v, "t");
	sql_value("SELECT pg_get_functiondef('id_or_null(text)'::regprocedure) LIKE '%{1,5}%'", v, sizeof(v));
	assert_string_equal(v, "t");
	sql_value("SELECT sha256 FROM schema_functions WHERE name = 'id_or_null'", sha_after, sizeof(sha_after));
	sql_value("SELECT applied_at::text FROM schema_functions WHERE name = 'id_or_null'", at_after,
		  sizeof(at_after));
	sql_value("SELECT applied_at::text FROM schema_functions WHERE name = 'rfc3339'", other_after,
		  sizeof(other_after));
	assert_string_not_equal(sha_after, sha_before);
	assert_int_equal(strlen(sha_after), 64);
	assert_string_not_equal(at_after, at_before);
	assert_string_equal(other_after, other_before);
}

/* Runs after the test above: id_or_null is the {1,5} version. */
static void test_broken_file_stops_start_up_and_changes_nothing(void **state)
{
	(void)state;
	char v[256], sha_before[80], sha_after[80], at_before[64], at_after[64];
	sql_value("SELECT sha256 FROM schema_functions WHERE name = 'id_or_null'", sha_before, sizeof(sha_before));
	sql_value("SELECT applied_at::text FROM schema_functions WHERE name = 'id_or_null'", at_before,
		  sizeof(at_before));

	assert_int_equal(itest_stop_server(&srv), 0);
	/* a change applied first (id_or_null sorts before scope_accounts), then
	 * a file PostgreSQL refuses: neither may stay */
	edit_function_file("id_or_null", "{1,5}", "{1,7}");
	edit_function_file("scope_accounts", "FROM tree\n", "FROM tree\n$$;\nSELECT * FROM no_such_table_here;\n--");
	long offset = log_size();
	assert_int_not_equal(itest_start_server(&srv), 0);

	char *log = log_since(offset);
	assert_non_null(strstr(log, "functions/scope_accounts.sql"));
	assert_non_null(strstr(log, "relation \"no_such_table_here\" does not exist"));
	assert_null(strstr(log, "applied function file"));
	free(log);
	sql_value("SELECT id_or_null('123456') IS NULL", v, sizeof(v));
	assert_string_equal(v, "t");
	sql_value("SELECT pg_get_functiondef('id_or_null(text)'::regprocedure) LIKE '%{1,5}%'", v, sizeof(v));
	assert_string_equal(v, "t");
	sql_value("SELECT sha256 FROM schema_functions WHERE name = 'id_or_null'", sha_after, sizeof(sha_after));
	sql_value("SELECT applied_at::text FROM schema_functions WHERE name = 'id_or_null'", at_after,
		  sizeof(at_after));
	assert_string_equal(sha_after, sha_before);
	assert_string_equal(at_after, at_before);

	/* mended: the next start applies what changed, and serves */
	edit_function_file("scope_accounts", "FROM tree\n$$;\nSELECT * FROM no_such_table_here;\n--", "FROM tree\n");
	offset = log_size();
	assert_int_equal(itest_start_server(&srv), 0);
	log = log_since(offset);
	assert_non_null(strstr(log, "applied function file id_or_null.sql"));
	assert_int_equal(count(log, "applied function file"), 1);
	free(log);
	sql_value("SELECT id_or_null('123456')", v, sizeof(v));
	assert_string_equal(v, "123456");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changed_file_is_applied_unchanged_is_not),
		cmocka_unit_test(test_broken_file_stops_start_up_and_changes_nothing),
	};
	return cmocka_run_group_tests_name("function files (integration)", tests, setup, teardown);
}
