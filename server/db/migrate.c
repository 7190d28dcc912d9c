/*
 * Migration runner (see migrate.h). Migration files are our own code, not
 * user input, so they run as multi-statement scripts with PQexec; everything
 * else in the server uses parameterised statements.
 */
#include "db/migrate.h"

#include "core/log.h"
#include "core/util.h"
#include "db/db.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arbitrary constant shared by every node: the migration lock. */
#define MIGRATE_LOCK_KEY "8101972"

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_migration_name(const char *name)
{
	size_t len = strlen(name);
	return len > 8 && name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' && name[2] >= '0' &&
	       name[2] <= '9' && name[3] == '_' && strcmp(name + len - 4, ".sql") == 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 8192, len = 0;
	char *buf = xmalloc(cap);
	size_t n;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static struct problem *exec_script(PGconn *conn, const char *sql, const char *what)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	struct problem *p = NULL;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(res));
		msg[strcspn(msg, "\n")] = '\0';
		p = problem_new(PROBLEM_INTERNAL, "%s: %s", what, msg);
	}
	PQclear(res);
	return p;
}

static struct problem *apply_one(PGconn *conn, const char *dir, const char *name, bool *applied)
{
	*applied = false;
	char version[4] = {name[0], name[1], name[2], '\0'};
	const char *params[] = {version, name};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, "BEGIN", 0, NULL, NULL);
	if (p)
		return p;
	p = db_exec(conn, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY ")", 0, NULL, NULL);
	if (p)
		goto out;
	p = db_exec(conn, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, params, &res);
	if (p)
		goto out;
	if (PQntuples(res) > 0)
		goto out; /* already applied (perhaps by another node meanwhile) */
	char *path = xasprintf("%s/%s", dir, name);
	char *sql = read_file(path);
	free(path);
	if (!sql) {
		p = problem_new(PROBLEM_INTERNAL, "%s: cannot read: %s", name, strerror(errno));
		goto out;
	}
	p = exec_script(conn, sql, name);
	free(sql);
	if (p)
		goto out;
	p = db_exec(conn, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", 2, params, NULL);
	if (p)
		goto out;
	*applied = true;
out:
	PQclear(res);
	if (!p)
		p = db_exec(conn, "COMMIT", 0, NULL, NULL);
	if (p) {
		PGresult *rb = PQexec(conn, "ROLLBACK");
		PQclear(rb);
		*applied = false;
	}
	return p;
}

struct problem *migrate_apply(PGconn *conn, const char *dir, int *applied_count)
{
	int count = 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct problem *p = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return problem_new(PROBLEM_INTERNAL, "migrations folder %s: %s", dir, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_migration_name(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), compare_names);
	for (size_t i = 1; i < n; i++)
		if (strncmp(names[i - 1], names[i], 3) == 0) {
			p = problem_new(PROBLEM_INTERNAL, "two migrations share number %.3s", names[i]);
			goto out;
		}

	p = exec_script(conn,
			"BEGIN; SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY
			");CREATE TABLE IF NOT EXISTS schema_migrations ("
			" version text PRIMARY KEY,"
			" name text NOT NULL,"
			" applied_at timestamptz NOT NULL DEFAULT now()); COMMIT",
			"schema_migrations");
	if (p)
		goto out;
	for (size_t i = 0; i < n; i++) {
		bool applied = false;
		p = apply_one(conn, dir, names[i], &applied);
		if (p)
			goto out;
		if (applied) {
			LOG_INFO("applied migration %s", names[i]);
			count++;
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (applied_count)
		*applied_count = count;
	return p;
}
