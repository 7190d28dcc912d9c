/*
 * The connection pool and statement execution (see db.h).
 */
#include "db/db.h"

#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <pthread.h>
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
	/* Timestamps leave the database in UTC, whatever the server's zone. */
	PGresult *res = PQexec(conn, "SET TIME ZONE 'UTC'");
	PQclear(res);
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

static struct problem *map_error(PGconn *conn, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(last_sqlstate, sizeof(last_sqlstate), "%s", state ? state : "");
	last_retryable = false;
	if (!state || PQstatus(conn) != CONNECTION_OK || strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0)
		return problem_new(PROBLEM_UNAVAILABLE, "The database is unavailable; try again shortly.");
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
		last_retryable = true;
		return problem_new(PROBLEM_UNAVAILABLE, "A concurrent change conflicted; try again.");
	}
	const char *constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	const char *column = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
	const char *name = column ? column : constraint ? constraint : "non_field_errors";
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
		PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
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
			if (PQstatus(conn) == CONNECTION_OK) {
				PGresult *tz = PQexec(conn, "SET TIME ZONE 'UTC'");
				PQclear(tz);
				continue;
			}
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

struct problem *db_query(struct db_pool *pool, const char *sql, int nparams, const char *const *params,
			 PGresult **out)
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
