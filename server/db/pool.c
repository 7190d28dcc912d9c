/*
 * The connection pool and statement execution (see db.h).
 *
 * Every pooled connection carries statement_timeout, lock_timeout and
 * idle_in_transaction_session_timeout, so no request waits on the database
 * for longer than the settings say. Connection attempts go through one gate:
 * once an attempt fails the database counts as unreachable, and only one
 * attempt per interval (100 ms doubling to 1 s) reaches the network; every
 * other request gets its 503 at once. The change of state is logged once
 * each way, with how long it lasted and how many requests were refused.
 */
#include "db/db.h"

#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <libpq-events.h>
#include <poll.h>
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
	int statement_timeout_ms, lock_timeout_ms, idle_tx_timeout_ms; /* 0: none */
	/* The reachability gate (under lock). */
	bool is_down;
	bool attempt_running;       /* the one attempt of this interval is under way */
	long long down_since_us;    /* monotonic */
	long long next_attempt_us;  /* no attempt before this while down */
	int backoff_ms;             /* the current interval */
	unsigned long long refused; /* requests answered 503 during this outage */
};

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS   1000

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
	struct db_pool *pool; /* the pool the connection belongs to (for reconnects) */
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
	if (event == PGEVT_REGISTER) {
		PGEventRegister *e = info;
		struct prepared_cache *c = xcalloc(1, sizeof(struct prepared_cache));
		c->pool = pass_through;
		PQsetInstanceData(e->conn, on_conn_event, c);
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

void db_pool_set_timeouts(struct db_pool *pool, int statement_timeout_ms, int lock_timeout_ms, int idle_tx_timeout_ms)
{
	pool->statement_timeout_ms = statement_timeout_ms;
	pool->lock_timeout_ms = lock_timeout_ms;
	pool->idle_tx_timeout_ms = idle_tx_timeout_ms;
}

/* The session settings of every pooled connection (again after a reset). */
static bool session_setup(const struct db_pool *pool, PGconn *conn)
{
	char statement[16], lock[16], idle_tx[16];
	snprintf(statement, sizeof(statement), "%d", pool->statement_timeout_ms);
	snprintf(lock, sizeof(lock), "%d", pool->lock_timeout_ms);
	snprintf(idle_tx, sizeof(idle_tx), "%d", pool->idle_tx_timeout_ms);
	const char *const params[] = {statement, lock, idle_tx};
	/* Timestamps leave the database in UTC, whatever the server's zone. */
	PGresult *res = PQexecParams(conn,
				     "SELECT set_config('TimeZone', 'UTC', false),"
				     " set_config('statement_timeout', $1, false),"
				     " set_config('lock_timeout', $2, false),"
				     " set_config('idle_in_transaction_session_timeout', $3, false)",
				     3, NULL, params, NULL, NULL, 0);
	bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		LOG_WARN("cannot set the session settings: %s", PQresultErrorMessage(res));
	PQclear(res);
	if (ok && session_hooks.on_connect) {
		struct problem *p = session_hooks.on_connect(conn);
		ok = !p;
		problem_free(p);
	}
	return ok;
}

/* Whether this thread may try to reach the database now: always while it is
 * up; while it is down only the first caller after the interval. A caller
 * refused here counts as a refused request; *retry_after_s is when to come back. */
static bool gate_enter(struct db_pool *pool, int *retry_after_s)
{
	bool may = true;
	pthread_mutex_lock(&pool->lock);
	if (pool->is_down) {
		long long now = util_now_us();
		if (!pool->attempt_running && now >= pool->next_attempt_us)
			pool->attempt_running = true;
		else {
			may = false;
			pool->refused++;
			long long wait_us = pool->next_attempt_us - now;
			*retry_after_s = wait_us > 0 ? (int)((wait_us + 999999) / 1000000) : 1;
		}
	}
	pthread_mutex_unlock(&pool->lock);
	return may;
}

/* Records the outcome of an attempt let through by gate_enter. */
static void gate_leave(struct db_pool *pool, bool reached, const char *error)
{
	bool went_down = false, came_back = false;
	double down_s = 0;
	unsigned long long refused = 0;
	long long now = util_now_us();
	pthread_mutex_lock(&pool->lock);
	if (reached) {
		if (pool->is_down) {
			came_back = true;
			down_s = (double)(now - pool->down_since_us) / 1e6;
			refused = pool->refused;
		}
		pool->is_down = false;
		pool->attempt_running = false;
	} else {
		if (!pool->is_down) {
			went_down = true;
			pool->is_down = true;
			pool->down_since_us = now;
			pool->backoff_ms = BACKOFF_FIRST_MS;
			pool->refused = 0;
		} else if (pool->attempt_running) {
			pool->backoff_ms =
				pool->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : pool->backoff_ms * 2;
		}
		pool->attempt_running = false;
		pool->next_attempt_us = now + (long long)pool->backoff_ms * 1000;
		pool->refused++; /* the request that tried gets its 503 too */
	}
	pthread_mutex_unlock(&pool->lock);
	if (went_down)
		LOG_WARN("database unreachable: %s", error);
	else if (!reached)
		LOG_DEBUG("database still unreachable: %s", error);
	if (came_back)
		LOG_WARN("database reachable again after %.1f s, %llu requests refused", down_s, refused);
}

static struct problem *unavailable(int retry_after_s)
{
	struct problem *p = problem_new(PROBLEM_UNAVAILABLE, "The database is unavailable; try again shortly.");
	problem_set_retry_after(p, retry_after_s);
	return p;
}

static void first_line(const char *text, char *out, size_t out_len)
{
	snprintf(out, out_len, "%s", text);
	out[strcspn(out, "\n")] = '\0';
}

/* Opens a connection through the gate; NULL with *p set when it cannot. */
static PGconn *connect_new(struct db_pool *pool, struct problem **p)
{
	int retry_after_s = 1;
	if (!gate_enter(pool, &retry_after_s)) {
		*p = unavailable(retry_after_s);
		return NULL;
	}
	/* connect_timeout first so that one given in the conninfo wins. */
	const char *const keys[] = {"connect_timeout", "dbname", NULL};
	const char *const values[] = {"3", pool->conninfo, NULL};
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	char msg[256];
	if (PQstatus(conn) != CONNECTION_OK) {
		first_line(PQerrorMessage(conn), msg, sizeof(msg));
		PQfinish(conn);
		gate_leave(pool, false, msg);
		*p = unavailable(1);
		return NULL;
	}
	gate_leave(pool, true, NULL);
	if (!PQregisterEventProc(conn, on_conn_event, "ixapi_prepared", pool))
		LOG_WARN("cannot register the prepared-statement cache; statements will be re-planned");
	if (!session_setup(pool, conn)) {
		PQfinish(conn);
		*p = unavailable(1);
		return NULL;
	}
	return conn;
}

/* Re-opens a connection that died, through the gate. NULL when it is back. */
static struct problem *reset_dead(struct db_pool *pool, PGconn *conn)
{
	int retry_after_s = 1;
	if (!gate_enter(pool, &retry_after_s))
		return unavailable(retry_after_s);
	PQreset(conn);
	if (PQstatus(conn) != CONNECTION_OK) {
		char msg[256];
		first_line(PQerrorMessage(conn), msg, sizeof(msg));
		gate_leave(pool, false, msg);
		return unavailable(1);
	}
	gate_leave(pool, true, NULL);
	return session_setup(pool, conn) ? NULL : unavailable(1);
}

/* db_acquire with its own wait; *all_busy (may be NULL) tells a wait that
 * ran out from an unreachable database. */
static struct problem *acquire_within(struct db_pool *pool, int timeout_ms, PGconn **out, bool *all_busy)
{
	*out = NULL;
	if (all_busy)
		*all_busy = false;
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&pool->lock);
	while (pool->idle_count == 0) {
		int rc = pthread_cond_timedwait(&pool->freed, &pool->lock, &deadline);
		if (rc == ETIMEDOUT && pool->idle_count == 0) {
			pthread_mutex_unlock(&pool->lock);
			if (all_busy)
				*all_busy = true;
			return problem_new(PROBLEM_UNAVAILABLE, "All database connections are busy; try again.");
		}
	}
	PGconn *conn = pool->idle[--pool->idle_count];
	pthread_mutex_unlock(&pool->lock);

	if (conn && PQstatus(conn) != CONNECTION_OK) {
		PQfinish(conn);
		conn = NULL;
	}
	struct problem *p = NULL;
	if (!conn)
		conn = connect_new(pool, &p);
	if (!conn) {
		db_release(pool, NULL); /* give the slot back */
		return p;
	}
	*out = conn;
	return NULL;
}

struct problem *db_acquire(struct db_pool *pool, PGconn **out)
{
	return acquire_within(pool, pool->acquire_timeout_ms, out, NULL);
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

/* Unique constraints and indexes whose violation deserves its own words
 * (the property and the reason the client reads). */
static const struct {
	const char *constraint, *property, *reason;
} constraint_reasons[] = {
	{"role_assignments_contact_role_key", "role", "The contact already holds this role."},
	{"ips_address_key", "address", "The address is held by another config on this LAN."},
};

static struct problem *problem_of_error(const struct db_error_fields *e)
{
	const char *state = e->sqlstate;
	if (!state || strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
	    strcmp(state, "57P03") == 0)
		return unavailable(1);
	/* A rule failure raised by SQL: its COLUMN and MESSAGE are the answer. */
	if (strcmp(state, DB_SQLSTATE_RULE) == 0)
		return problem_invalid(e->column ? e->column : "non_field_errors", "%s",
				       e->message ? e->message : "Invalid value.");
	/* statement_timeout (query_canceled) or lock_timeout (lock_not_available):
	 * the database is busy, not broken; the client may come back. */
	if (strcmp(state, "57014") == 0 || strcmp(state, "55P03") == 0) {
		LOG_WARN("SQLSTATE %s: %s", state, strcmp(state, "57014") == 0 ? "statement timeout" : "lock timeout");
		struct problem *p = problem_new(PROBLEM_UNAVAILABLE, "The database is busy; try again shortly.");
		problem_set_retry_after(p, 1);
		return p;
	}
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return problem_new(PROBLEM_UNAVAILABLE, "A concurrent change conflicted; try again.");
	if (strncmp(state, "23", 2) == 0 && e->constraint)
		for (size_t i = 0; i < sizeof(constraint_reasons) / sizeof(constraint_reasons[0]); i++)
			if (strcmp(e->constraint, constraint_reasons[i].constraint) == 0)
				return problem_invalid(constraint_reasons[i].property, "%s",
						       constraint_reasons[i].reason);
	char name[64];
	db_property_of_error(e->table, e->constraint, e->column, name, sizeof(name));
	if (strcmp(state, "23505") == 0)
		return problem_invalid(name, "An object with this value already exists.");
	if (strcmp(state, "23503") == 0)
		return problem_invalid(name, "Refers to an object that does not exist or is still in use.");
	if (strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0 || strncmp(state, "22", 2) == 0)
		return problem_invalid(name, "Invalid value.");
	LOG_ERROR("SQLSTATE %s: %s", state, e->message ? e->message : "?");
	return problem_new(PROBLEM_INTERNAL, "The request could not be processed.");
}

struct problem *db_problem_of_error(const struct db_error_fields *e)
{
	struct problem *p = problem_of_error(e);
	problem_set_sqlstate(p, e->sqlstate);
	return p;
}

bool db_problem_is_retryable(const struct problem *p)
{
	const char *state = p ? problem_sqlstate(p) : "";
	return strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0;
}

static struct problem *map_error(PGconn *conn, const PGresult *res)
{
	if (!res || PQstatus(conn) != CONNECTION_OK)
		return unavailable(1);
	struct db_error_fields e = {
		.sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE),
		.table = PQresultErrorField(res, PG_DIAG_TABLE_NAME),
		.constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME),
		.column = PQresultErrorField(res, PG_DIAG_COLUMN_NAME),
		.message = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
	};
	return db_problem_of_error(&e);
}

struct problem *db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params, PGresult **out)
{
	if (out)
		*out = NULL;
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
		struct prepared_cache *c = PQinstanceData(conn, on_conn_event);
		if (PQstatus(conn) == CONNECTION_BAD && was_idle && attempt == 0 && c && c->pool) {
			PQclear(res);
			struct problem *p = reset_dead(c->pool, conn);
			if (!p)
				continue;
			return p;
		}
		struct problem *p = map_error(conn, res);
		PQclear(res);
		return p;
	}
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
		bool retry = db_problem_is_retryable(p);
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

/* Runs "SELECT 1" on conn and waits at most until deadline_us. */
static enum db_health ping_until(PGconn *conn, long long deadline_us, char *detail, size_t detail_len)
{
	if (!PQsendQuery(conn, "SELECT 1")) {
		first_line(PQerrorMessage(conn), detail, detail_len);
		return DB_HEALTH_FAIL;
	}
	while (PQisBusy(conn)) {
		long long left_ms = (deadline_us - util_now_us()) / 1000;
		if (left_ms <= 0) {
			snprintf(detail, detail_len, "The database did not answer in time.");
			return DB_HEALTH_WARN;
		}
		struct pollfd pfd = {.fd = PQsocket(conn), .events = POLLIN};
		if (poll(&pfd, 1, (int)left_ms) < 0 && errno != EINTR) {
			snprintf(detail, detail_len, "poll: %s", strerror(errno));
			return DB_HEALTH_FAIL;
		}
		if (!PQconsumeInput(conn)) {
			first_line(PQerrorMessage(conn), detail, detail_len);
			return DB_HEALTH_FAIL;
		}
	}
	enum db_health h = DB_HEALTH_PASS;
	PGresult *res;
	while ((res = PQgetResult(conn))) {
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			first_line(PQresultErrorMessage(res), detail, detail_len);
			h = DB_HEALTH_FAIL;
		}
		PQclear(res);
	}
	return h;
}

enum db_health db_check(struct db_pool *pool, int timeout_ms, char *detail, size_t detail_len)
{
	long long deadline_us = util_now_us() + (long long)timeout_ms * 1000;
	detail[0] = '\0';
	for (int attempt = 0; attempt < 2; attempt++) {
		PGconn *conn = NULL;
		bool busy = false;
		long long left_ms = (deadline_us - util_now_us()) / 1000;
		struct problem *p = acquire_within(pool, left_ms > 0 ? (int)left_ms : 1, &conn, &busy);
		if (p) {
			snprintf(detail, detail_len, "%s", problem_detail(p));
			problem_free(p);
			return busy ? DB_HEALTH_WARN : DB_HEALTH_FAIL;
		}
		enum db_health h = ping_until(conn, deadline_us, detail, detail_len);
		if (h == DB_HEALTH_PASS) {
			db_release(pool, conn);
			return h;
		}
		/* A connection in an unknown state (no answer yet, or broken) is
		 * not given back: the slot reopens on its next use. */
		bool was_dead = PQstatus(conn) == CONNECTION_BAD;
		PQfinish(conn);
		db_release(pool, NULL);
		if (!was_dead || util_now_us() >= deadline_us)
			return h;
		/* A connection that died while idle (a database restart): one more
		 * try on a fresh one, as db_exec does. */
	}
	return DB_HEALTH_FAIL;
}
