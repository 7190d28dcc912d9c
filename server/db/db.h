/*
 * PostgreSQL access: a capped pool of libpq connections with a wait, one
 * function to run a parameterised statement, SQLSTATE-based error mapping and
 * a transaction runner that retries serialization failures.
 *
 * Connections that died (database restart) are reset when they are next
 * taken from the pool, and a statement that fails because its connection
 * died outside a transaction is retried once on a fresh connection, so a
 * restart of PostgreSQL costs clients nothing more than 503s while it is down.
 * While it is down, one connection attempt per interval (100 ms doubling to
 * 1 s) reaches the network; other requests get their 503 at once.
 */
#ifndef IXAPI_DB_DB_H
#define IXAPI_DB_DB_H

#include "core/problem.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

struct db_pool;

/* Process-wide hooks on every pooled session (set once, before serving):
 * on_connect runs on each new or re-established connection before it serves
 * (a problem makes the connection unusable); after_statement runs after each
 * successful statement of db_exec (a problem fails the statement). */
struct db_session_hooks {
	struct problem *(*on_connect)(PGconn *conn);
	struct problem *(*after_statement)(PGconn *conn);
};
void db_set_session_hooks(const struct db_session_hooks *hooks);

/* A pool of at most `size` connections; connections open lazily. Caller owns. */
struct db_pool *db_pool_new(const char *conninfo, int size, int acquire_timeout_ms);
/* Session limits of the pool's connections, set before first use (0: none):
 * statement_timeout, lock_timeout, idle_in_transaction_session_timeout. */
void db_pool_set_timeouts(struct db_pool *pool, int statement_timeout_ms, int lock_timeout_ms, int idle_tx_timeout_ms);
/* Closes every connection; no connection may be checked out. */
void db_pool_free(struct db_pool *pool);
/* Takes a connection, waiting up to the pool's timeout; 503 problem when none
 * frees up or the database cannot be reached. Give it back with db_release. */
struct problem *db_acquire(struct db_pool *pool, PGconn **out);
/* Returns a connection to the pool (rolling back an open transaction). */
void db_release(struct db_pool *pool, PGconn *conn);

/* Runs one parameterised statement (text parameters; NULL = SQL NULL). On
 * success *out (may be NULL if unwanted) is a result the caller PQclear()s.
 * Errors become problems in one place (db_problem_of_error), which also
 * records the SQLSTATE in the problem (problem_sqlstate). */
struct problem *db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params, PGresult **out);

/*
 * Rule failures raised by SQL. A trigger or SQL function that refuses a
 * write for a reason the client can fix raises the one SQLSTATE
 * DB_SQLSTATE_RULE ('IX400') with COLUMN naming the IX-API property (or
 * 'non_field_errors') and MESSAGE the reason the client reads:
 *
 *   RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'address',
 *       MESSAGE = 'Must lie in the peering LAN''s subnet 192.0.2.0/24.';
 *
 * which is answered 400 validation-error naming that property with that
 * reason. Constraint violations are mapped from the constraint's name.
 */
#define DB_SQLSTATE_RULE "IX400"

/* PostgreSQL's error fields of a failed statement (any may be NULL). */
struct db_error_fields {
	const char *sqlstate, *table, *constraint, *column, *message;
};
/* The problem a statement error on a live connection is answered with (the
 * one place SQL errors are mapped; caller owns it): DB_SQLSTATE_RULE → 400
 * naming COLUMN with MESSAGE; 23505/23503/23514/23502/22xxx → 400 naming the
 * property of the constraint (db_property_of_error, or a unique index's own
 * message from a table); 40001/40P01 → retryable 503; 57014/55P03 (statement
 * or lock timeout) and class 08/57P0x (connection) → 503; others → 500. */
struct problem *db_problem_of_error(const struct db_error_fields *e);
/* True when p came from a serialization failure or deadlock: the whole
 * transaction may be run again (db_transaction does). */
bool db_problem_is_retryable(const struct problem *p);

/* The request property a constraint violation is about, from PostgreSQL's
 * error fields (table, constraint, column; any may be NULL):
 * "contacts_email_check" on contacts gives "email". */
void db_property_of_error(const char *table, const char *constraint, const char *column, char *out, size_t out_len);

/* The value of `column` (a lower-case name of the statement's SELECT list or
 * RETURNING clause) in `row` of res, NULL for SQL NULL; borrowed from res.
 * A name the result does not have, or has twice, is a programming error:
 * logged, then abort(). Results of more than one column are read by name,
 * never by position. */
const char *db_get(const PGresult *res, int row, const char *column);
/* db_get of a boolean column: true when it is true (false for false and NULL). */
bool db_get_bool(const PGresult *res, int row, const char *column);

/* A transaction body: runs on conn inside BEGIN/COMMIT; returns NULL to commit. */
typedef struct problem *(*db_tx_fn)(PGconn *conn, void *ctx);
/* Acquires a connection, runs fn in a transaction, commits or rolls back,
 * retries up to 3 times on serialization failure, releases. */
struct problem *db_transaction(struct db_pool *pool, db_tx_fn fn, void *ctx);
/* Runs one statement on a pooled connection (acquire, exec, release). */
struct problem *db_query(struct db_pool *pool, const char *sql, int nparams, const char *const *params, PGresult **out);
enum db_health { DB_HEALTH_PASS, DB_HEALTH_WARN, DB_HEALTH_FAIL };
/* A round trip to the database that takes at most about timeout_ms (the
 * wait for a connection included): PASS when it answered, WARN when every
 * connection is busy or it did not answer in time, FAIL when it cannot be
 * reached. detail gets a sentence (empty on PASS). */
enum db_health db_check(struct db_pool *pool, int timeout_ms, char *detail, size_t detail_len);

#endif
