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
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arbitrary constant shared by every node: the migration lock. */
#define MIGRATE_LOCK_KEY "8101972"
/* The folder of function files, below the migrations folder. */
#define FUNCTIONS_DIR   "functions"
#define NEEDS_DIRECTIVE "-- needs:"

/* A sorted list of file names. */
struct names {
	char **v;
	size_t n, cap;
};

static void names_add(struct names *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	char *copy = xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	l->v[l->n++] = copy;
}

static void names_free(struct names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct names){0};
}

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

/* A function name as our files spell them: lower case, digits, underscores
 * (so that a name can never reach outside the functions folder). */
static bool is_function_name(const char *s, size_t len)
{
	if (len == 0 || len > 63 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool is_function_file_name(const char *name)
{
	size_t len = strlen(name);
	return len > 4 && strcmp(name + len - 4, ".sql") == 0 && is_function_name(name, len - 4);
}

/* The names of dir that match, sorted. A missing folder is an empty list
 * when missing_ok. */
static struct problem *list_dir(const char *dir, bool (*match)(const char *), bool missing_ok, struct names *out)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (missing_ok && errno == ENOENT)
			return NULL;
		return problem_new(PROBLEM_INTERNAL, "migrations folder %s: %s", dir, strerror(errno));
	}
	struct dirent *e;
	while ((e = readdir(d)))
		if (match(e->d_name))
			names_add(out, e->d_name, strlen(e->d_name));
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), compare_names);
	return NULL;
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

/* A script of only comments (a migration whose functions moved to function
 * files) is an empty query: fine. */
static struct problem *exec_script(PGconn *conn, const char *sql, const char *what)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	struct problem *p = NULL;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(res));
		msg[strcspn(msg, "\n")] = '\0';
		p = problem_new(PROBLEM_INTERNAL, "%s: %s", what, msg);
	}
	PQclear(res);
	return p;
}

/* The function names of the `-- needs: f, g` lines in the comment block a
 * migration starts with. */
static struct problem *parse_needs(const char *sql, const char *migration, struct names *out)
{
	const char *line = sql;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		size_t lead = strspn(line, " \t\r");
		if (lead < len && strncmp(line + lead, "--", 2) != 0)
			break; /* the first statement: the directives are above it */
		size_t dlen = strlen(NEEDS_DIRECTIVE);
		if (len >= dlen && strncmp(line, NEEDS_DIRECTIVE, dlen) == 0) {
			for (size_t i = dlen; i < len;) {
				i += strspn(line + i, " \t\r,");
				size_t n = strcspn(line + i, " \t\r,\n");
				if (n == 0)
					break;
				if (!is_function_name(line + i, n))
					return problem_new(PROBLEM_INTERNAL, "%s: %s names no function file: '%.*s'",
							   migration, NEEDS_DIRECTIVE, (int)n, line + i);
				names_add(out, line + i, n);
				i += n;
			}
		}
		line += end ? len + 1 : len;
	}
	return NULL;
}

/* Runs one function file (its current text) in the open transaction. */
static struct problem *exec_function_file(PGconn *conn, const char *dir, const char *name, const char *why)
{
	char *path = xasprintf("%s/" FUNCTIONS_DIR "/%s.sql", dir, name);
	char *what = xasprintf("%sfunction file %s", why, path);
	struct problem *p = NULL;
	char *sql = read_file(path);
	if (!sql)
		p = problem_new(PROBLEM_INTERNAL, "%s: cannot read: %s", what, strerror(errno));
	else
		p = exec_script(conn, sql, what);
	free(sql);
	free(what);
	free(path);
	return p;
}

/* The functions a migration needs at its own run time, in their current
 * text, just before it in its transaction. */
static struct problem *apply_needs(PGconn *conn, const char *dir, const char *name, const char *sql)
{
	struct names needs = {0};
	struct problem *p = parse_needs(sql, name, &needs);
	if (p || needs.n == 0)
		goto out;
	p = db_exec(conn, "SET LOCAL check_function_bodies = off", 0, NULL, NULL);
	for (size_t i = 0; !p && i < needs.n; i++) {
		char *why = xasprintf("%s needs %s: ", name, needs.v[i]);
		p = exec_function_file(conn, dir, needs.v[i], why);
		free(why);
	}
out:
	names_free(&needs);
	return p;
}

static struct problem *apply_one(PGconn *conn, const char *dir, const char *name, bool *applied)
{
	*applied = false;
	char version[4] = {name[0], name[1], name[2], '\0'};
	const char *params[] = {version, name};
	PGresult *res = NULL;
	char *sql = NULL;
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
	sql = read_file(path);
	free(path);
	if (!sql) {
		p = problem_new(PROBLEM_INTERNAL, "%s: cannot read: %s", name, strerror(errno));
		goto out;
	}
	p = apply_needs(conn, dir, name, sql);
	if (p)
		goto out;
	p = exec_script(conn, sql, name);
	if (p)
		goto out;
	p = db_exec(conn, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", 2, params, NULL);
	if (p)
		goto out;
	*applied = true;
out:
	free(sql);
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

/* One function file read for apply_functions. */
struct function_file {
	char *name; /* without .sql */
	char *sql;
	char sha256[crypto_hash_sha256_BYTES * 2 + 1];
	bool applied;
};

static const char *recorded_sha256(PGresult *res, const char *name)
{
	for (int i = 0; i < PQntuples(res); i++)
		if (strcmp(db_get(res, i, "name"), name) == 0)
			return db_get(res, i, "sha256");
	return NULL;
}

/* Every function file whose text differs from the one recorded in
 * schema_functions: applied and recorded in one transaction (all or none),
 * with the migrations' lock. Rows of files that are gone are forgotten. */
static struct problem *apply_functions(PGconn *conn, const char *dir, int *applied_count)
{
	struct names files = {0};
	struct function_file *ff = NULL;
	PGresult *res = NULL;
	struct strbuf present = {0};
	int count = 0;
	char *fdir = xasprintf("%s/" FUNCTIONS_DIR, dir);
	struct problem *p = list_dir(fdir, is_function_file_name, true, &files);
	if (p)
		goto done;
	if (sodium_init() < 0) {
		p = problem_new(PROBLEM_INTERNAL, "libsodium cannot start");
		goto done;
	}
	ff = xcalloc(files.n ? files.n : 1, sizeof(*ff));
	strbuf_puts(&present, "{");
	for (size_t i = 0; i < files.n; i++) {
		char *path = xasprintf("%s/%s", fdir, files.v[i]);
		ff[i].name = xstrdup(files.v[i]);
		ff[i].name[strlen(ff[i].name) - 4] = '\0';
		ff[i].sql = read_file(path);
		free(path);
		if (!ff[i].sql) {
			p = problem_new(PROBLEM_INTERNAL, "function file %s/%s: cannot read: %s", fdir, files.v[i],
					strerror(errno));
			goto done;
		}
		unsigned char hash[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(hash, (const unsigned char *)ff[i].sql, strlen(ff[i].sql));
		sodium_bin2hex(ff[i].sha256, sizeof(ff[i].sha256), hash, sizeof(hash));
		if (i)
			strbuf_puts(&present, ",");
		strbuf_puts(&present, ff[i].name); /* is_function_name: safe in an array literal */
	}
	strbuf_puts(&present, "}");

	p = db_exec(conn, "BEGIN", 0, NULL, NULL);
	if (p)
		goto done;
	p = db_exec(conn, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY ")", 0, NULL, NULL);
	if (p)
		goto out;
	/* read under the lock: another node may have applied them meanwhile */
	p = db_exec(conn, "SELECT name, sha256 FROM schema_functions", 0, NULL, &res);
	if (p)
		goto out;
	p = db_exec(conn, "SET LOCAL check_function_bodies = off", 0, NULL, NULL);
	for (size_t i = 0; !p && i < files.n; i++) {
		const char *recorded = recorded_sha256(res, ff[i].name);
		if (recorded && strcmp(recorded, ff[i].sha256) == 0)
			continue;
		char *what = xasprintf("function file %s/%s.sql", fdir, ff[i].name);
		p = exec_script(conn, ff[i].sql, what); /* the text hashed, not a second read */
		free(what);
		if (p)
			break;
		const char *params[] = {ff[i].name, ff[i].sha256};
		p = db_exec(conn,
			    "INSERT INTO schema_functions (name, sha256) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE"
			    " SET sha256 = EXCLUDED.sha256, applied_at = now()",
			    2, params, NULL);
		ff[i].applied = true;
	}
	if (!p) {
		const char *params[] = {present.text};
		p = db_exec(conn, "DELETE FROM schema_functions WHERE name <> ALL ($1::text[])", 1, params, NULL);
	}
out:
	if (!p)
		p = db_exec(conn, "COMMIT", 0, NULL, NULL);
	if (p) {
		PGresult *rb = PQexec(conn, "ROLLBACK");
		PQclear(rb);
	} else {
		for (size_t i = 0; i < files.n; i++)
			if (ff[i].applied) {
				LOG_INFO("applied function file %s.sql", ff[i].name);
				count++;
			}
	}
done:
	PQclear(res);
	for (size_t i = 0; ff && i < files.n; i++) {
		free(ff[i].name);
		free(ff[i].sql);
	}
	free(ff);
	free(present.text);
	names_free(&files);
	free(fdir);
	*applied_count = count;
	return p;
}

struct problem *migrate_apply(PGconn *conn, const char *dir, int *applied_count)
{
	int count = 0, functions = 0;
	struct names names = {0};
	struct problem *p = list_dir(dir, is_migration_name, false, &names);
	if (p)
		goto out;
	for (size_t i = 1; i < names.n; i++)
		if (strncmp(names.v[i - 1], names.v[i], 3) == 0) {
			p = problem_new(PROBLEM_INTERNAL, "two migrations share number %.3s", names.v[i]);
			goto out;
		}

	p = exec_script(conn,
			"BEGIN; SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY
			");CREATE TABLE IF NOT EXISTS schema_migrations ("
			" version text PRIMARY KEY,"
			" name text NOT NULL,"
			" applied_at timestamptz NOT NULL DEFAULT now());"
			"CREATE TABLE IF NOT EXISTS schema_functions ("
			" name text PRIMARY KEY,"
			" sha256 text NOT NULL,"
			" applied_at timestamptz NOT NULL DEFAULT now()); COMMIT",
			"schema_migrations");
	if (p)
		goto out;
	for (size_t i = 0; i < names.n; i++) {
		bool applied = false;
		p = apply_one(conn, dir, names.v[i], &applied);
		if (p)
			goto out;
		if (applied) {
			LOG_INFO("applied migration %s", names.v[i]);
			count++;
		}
	}
	p = apply_functions(conn, dir, &functions);
	if (!p && functions)
		LOG_INFO("%d function file(s) applied", functions);
out:
	names_free(&names);
	if (applied_count)
		*applied_count = count;
	return p;
}
