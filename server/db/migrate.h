/*
 * Schema migrations: numbered SQL files (NNN_name.sql) applied in order, each
 * in its own transaction, recorded in schema_migrations. Concurrent migrators
 * (several stateless nodes starting at once) serialise on an advisory lock.
 *
 * SQL functions are not in the numbered files: each lives in
 * functions/<name>.sql below the migrations folder, as its current
 * CREATE OR REPLACE FUNCTION text. After the migrations, every function file
 * whose SHA-256 differs from the one recorded in schema_functions is applied
 * (check_function_bodies off, one transaction for all of them, the same
 * lock) and recorded. A migration that calls a function while it runs (a
 * trigger, a CHECK, a generated column, a data step) lists it in a line
 * `-- needs: f, g` at its top: those files run just before it, in its
 * transaction.
 */
#ifndef IXAPI_DB_MIGRATE_H
#define IXAPI_DB_MIGRATE_H

#include "core/problem.h"

#include <libpq-fe.h>

/* Applies every pending migration of dir, then every changed function file
 * of dir/functions; *applied counts the migrations (may be NULL). Returns
 * NULL on success, else a problem naming the failing file. */
struct problem *migrate_apply(PGconn *conn, const char *dir, int *applied);

#endif
