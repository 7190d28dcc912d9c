/*
 * The connection pool and statement execution (see db.h).
 */
#include "db/db.h"

#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <libpq-events.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct db_pool {
	char *conninfo;
	int size;
	int acquire_timeout_ms;
	pthread_mutex_t lock;
	pthread_cond_t freed;
	PGconn **idle; /* stack of idle connections (may be NULL slots: not yet opened) */
	int idle_count;
};

/*
 * Prepared statements, per connection. Every statement the server runs is a
 * fixed string, so each is prepared once per connection (named after a hash
 * of its text) and executed with PQexecPrepared afterwards: measured, this
 * doubles the throughput of a simple read against re-parsing and
 * re-planning it each time. The cache hangs off the connection with
 * libpq's event mechanism, which also tells us when a reset or close
 * throws the server-side statements away.
 */
#define PREPARED_MAX 256

struct prepared_cache {
	size_t count;
	uint64_t hashes[PREPARED_MAX];
	char *texts[PREPARED_MAX]; /* owned copies, to rule out hash collisions */
};

static void cache_clear(struct prepared_cache *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->texts[i]);
	c->count = 0;
}

static int on_conn_event(PGEventId event, void *info, void *pass_through)
{
	(void)pass_through;
	if (event == PGEVT_REGISTER) {
		PGEventRegister *e = info;
		PQsetInstanceData(e->conn, on_conn_event, xcalloc(1, sizeof(struct prepared_cache)));
	} else if (event == PGEVT_CONNRESET) {
		PGEventConnReset *e = info;
		struct prepared_cache *c = PQinstanceData(e->conn, on_conn_event);
		if (c)
			cache_clear(c);
	} else if (event == PGEVT_CONNDESTROY) {
		PGEventConnDestroy *e = info;
		struct prepared_cache *c = PQinstanceData(e->conn, on_conn_event);
		if (c) {
			cache_clear(c);
			free(c);
		}
	}
	return 1;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Runs sql as a prepared statement (preparing it on first use on this
 * connection); falls back to PQexecParams when the cache is full. */
static PGresult *exec_prepared(PGconn *conn, const char *sql, int nparams, const char *const *params)
{
	struct prepared_cache *c = PQinstanceData(conn, on_conn_event);
	if (!c)
		return PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	uint64_t h = fnv1a(sql);
	char name[32];
	snprintf(name, sizeof(name), "ixapi_%016llx", (unsigned long long)h);
	for (size_t i = 0; i < c->count; i++)
		if (c->hashes[i] == h && strcmp(c->texts[i], sql) == 0)
			return PQexecPrepared(conn, name, nparams, params, NULL, NULL, 0);
	if (c->count == PREPARED_MAX)
		return PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	PGresult *prep = PQprepare(conn, name, sql, nparams, NULL);
	if (PQresultStatus(prep) != PGRES_COMMAND_OK)
		return prep; /* the caller maps the error */
	PQclear(prep);
	c->hashes[c->count] = h;
	c->texts[c->count] = xstrdup(sql);
	c->count++;
	return PQexecPrepared(conn, name, nparams, params, NULL, NULL, 0);
}

static struct db_session_hooks session_hooks;

void db_set_session_hooks(const struct db_session_hooks *hooks)
{
	session_hooks = *hooks;
}

/* What every connection needs before it serves; false if it cannot serve. */
static bool session_init(PGconn *conn)
{
	/* Timestamps leave the database in UTC, whatever the server's zone. */
	PGresult *res = PQexec(conn, "SET TIME ZONE 'UTC'");
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (ok && session_hooks.on_connect) {
		struct problem *p = session_hooks.on_connect(conn);
		ok = !p;
		problem_free(p);
	}
	return ok;
}

static __thread char last_sqlstate[6];
static __thread bool last_retryable;

struct db_pool *db_pool_new(const char *conninfo, int size, int acquire_timeout_ms)
{
	struct db_pool *pool = xcalloc(1, sizeof(*pool));
	pool->conninfo = xstrdup(conninfo ? conninfo : "");
	pool->size = size > 0 ? size : 1;
	pool->acquire_timeout_ms = acquire_timeout_ms;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&pool->freed, &attr);
	pthread_condattr_destroy(&attr);
	pool->idle = xcalloc((size_t)pool->size, sizeof(PGconn *));
	pool->idle_count = pool->size; /* all slots free, none opened yet */
	return pool;
}

void db_pool_free(struct db_pool *pool)
{
	if (!pool)
		return;
	for (int i = 0; i < pool->idle_count; i++)
		if (pool->idle[i])
			PQfinish(pool->idle[i]);
	pthread_mutex_destroy(&pool->lock);
	pthread_cond_destroy(&pool->freed);
	free(pool->idle);
	free(pool->conninfo);
	free(pool);
}

static PGconn *connect_new(const struct db_pool *pool)
{
	/* connect_timeout first so that one given in the conninfo wins. */
	const char *const keys[] = {"connect_timeout", "dbname", NULL};
	const char *const values[] = {"3", pool->conninfo, NULL};
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	if (PQstatus(conn) != CONNECTION_OK) {
		char msg[256];
		snprintf(msg, sizeof(msg), "%s", PQerrorMessage(conn));
		msg[strcspn(msg, "\n")] = '\0';
		LOG_WARN("cannot connect to PostgreSQL: %s", msg);
		PQfinish(conn);
		return NULL;
	}
	if (!PQregisterEventProc(conn, on_conn_event, "ixapi_prepared", NULL))
		LOG_WARN("cannot register the prepared-statement cache; statements will be re-planned");
	if (!session_init(conn)) {
		LOG_WARN("cannot prepare a new PostgreSQL session");
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

/* Makes sure conn is usable; returns it, a fresh one, or NULL. */
static PGconn *ensure_healthy(const struct db_pool *pool, PGconn *conn)
{
	if (conn && PQstatus(conn) == CONNECTION_OK)
		return conn;
	if (conn)
		PQfinish(conn);
	return connect_new(pool);
}

struct problem *db_acquire(struct db_pool *pool, PGconn **out)
{
	*out = NULL;
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += pool->acquire_timeout_ms / 1000;
	deadline.tv_nsec += (long)(pool->acquire_timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&pool->lock);
	while (pool->idle_count == 0) {
		int rc = pthread_cond_timedwait(&pool->freed, &pool->lock, &deadline);
		if (rc == ETIMEDOUT && pool->idle_count == 0) {
			pthread_mutex_unlock(&pool->lock);
			return problem_new(PROBLEM_UNAVAILABLE, "All database connections are busy; try again.");
		}
	}
	PGconn *conn = pool->idle[--pool->idle_count];
	pthread_mutex_unlock(&pool->lock);

	conn = ensure_healthy(pool, conn);
	if (!conn) {
		db_release(pool, NULL); /* give the slot back */
		return problem_new(PROBLEM_UNAVAILABLE, "The database is unavailable; try again shortly.");
	}
	*out = conn;
	return NULL;
}

void db_release(struct db_pool *pool, PGconn *conn)
{
	if (conn && PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(conn, "ROLLBACK");
		PQclear(res);
	}
	pthread_mutex_lock(&pool->lock);
	pool->idle[pool->idle_count++] = conn; /* a NULL slot is reopened on next acquire */
	pthread_cond_signal(&pool->freed);
	pthread_mutex_unlock(&pool->lock);
}

void db_property_of_error(const char *table, const char *constraint, const char *column, char *out, size_t out_len)
{
	if (column) {
		snprintf(out, out_len, "%s", column);
		return;
	}
	if (!constraint) {
		snprintf(out, out_len, "non_field_errors");
		return;
	}
	/* PostgreSQL names constraints <table>_<column>_{check,fkey,key}. */
	const char *start = constraint;
	size_t table_len = table ? strlen(table) : 0;
	if (table_len && strncmp(constraint, table, table_len) == 0 && constraint[table_len] == '_')
		start += table_len + 1;
	size_t len = strlen(start);
	if (start != constraint &&
	    (strcmp(start, "check") == 0 || strcmp(start, "fkey") == 0 || strcmp(start, "key") == 0)) {
		snprintf(out, out_len, "non_field_errors"); /* a table-wide constraint names no property */
		return;
	}
	static const char *const suffixes[] = {"_check", "_fkey", "_key"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t n = strlen(suffixes[i]);
		if (len > n && strcmp(start + len - n, suffixes[i]) == 0) {
			len -= n;
			break;
		}
	}
	snprintf(out, out_len, "%.*s", (int)len, start);
}

static struct problem *map_error(PGconn *conn, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(last_sqlstate, sizeof(last_sqlstate), "%s", state ? state : "");
	last_retryable = false;
	if (!state || PQstatus(conn) != CONNECTION_OK || strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	    strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0)
		return problem_new(PROBLEM_UNAVAILABLE, "The database is unavailable; try again shortly.");
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
		last_retryable = true;
		return problem_new(PROBLEM_UNAVAILABLE, "A concurrent change conflicted; try again.");
	}
	char name[64];
	db_property_of_error(PQresultErrorField(res, PG_DIAG_TABLE_NAME),
			     PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME),
			     PQresultErrorField(res, PG_DIAG_COLUMN_NAME), name, sizeof(name));
	if (strcmp(state, "23505") == 0)
		return problem_invalid(name, "An object with this value already exists.");
	if (strcmp(state, "23503") == 0)
		return problem_invalid(name, "Refers to an object that does not exist or is still in use.");
	if (strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0 || strncmp(state, "22", 2) == 0)
		return problem_invalid(name, "Invalid value.");
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	LOG_ERROR("SQLSTATE %s: %s", state, msg ? msg : "?");
	return problem_new(PROBLEM_INTERNAL, "The request could not be processed.");
}

struct problem *db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params, PGresult **out)
{
	if (out)
		*out = NULL;
	last_sqlstate[0] = '\0';
	last_retryable = false;
	bool was_idle = PQtransactionStatus(conn) == PQTRANS_IDLE;
	for (int attempt = 0;; attempt++) {
		PGresult *res = exec_prepared(conn, sql, nparams, params);
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
			struct problem *hp = session_hooks.after_statement ? session_hooks.after_statement(conn) : NULL;
			if (hp) {
				PQclear(res);
				return hp;
			}
			if (out)
				*out = res;
			else
				PQclear(res);
			return NULL;
		}
		/* A dead connection outside a transaction: nothing was lost, so
		 * reconnect and run the statement once more. */
		if (PQstatus(conn) == CONNECTION_BAD && was_idle && attempt == 0) {
			PQclear(res);
			PQreset(conn);
			if (PQstatus(conn) == CONNECTION_OK && session_init(conn))
				continue;
			return problem_new(PROBLEM_UNAVAILABLE, "The database is unavailable; try again shortly.");
		}
		struct problem *p = map_error(conn, res);
		PQclear(res);
		return p;
	}
}

bool db_last_error_is_retryable(void)
{
	return last_retryable;
}

const char *db_last_sqlstate(void)
{
	return last_sqlstate;
}

struct problem *db_transaction(struct db_pool *pool, db_tx_fn fn, void *ctx)
{
	struct problem *p = NULL;
	for (int attempt = 0; attempt < 3; attempt++) {
		problem_free(p);
		PGconn *conn = NULL;
		p = db_acquire(pool, &conn);
		if (p)
			return p;
		p = db_exec(conn, "BEGIN", 0, NULL, NULL);
		if (!p)
			p = fn(conn, ctx);
		if (!p)
			p = db_exec(conn, "COMMIT", 0, NULL, NULL);
		bool retry = p && db_last_error_is_retryable();
		db_release(pool, conn); /* rolls back if still open */
		if (!retry)
			return p;
	}
	return p;
}

struct problem *db_query(struct db_pool *pool, const char *sql, int nparams, const char *const *params, PGresult **out)
{
	PGconn *conn = NULL;
	struct problem *p = db_acquire(pool, &conn);
	if (p)
		return p;
	p = db_exec(conn, sql, nparams, params, out);
	db_release(pool, conn);
	return p;
}

struct problem *db_ping(struct db_pool *pool)
{
	return db_query(pool, "SELECT 1", 0, NULL, NULL);
}
