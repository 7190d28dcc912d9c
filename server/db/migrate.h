/*
 * Schema migrations: numbered SQL files (NNN_name.sql) applied in order, each
 * in its own transaction, recorded in schema_migrations. Concurrent migrators
 * (several stateless nodes starting at once) serialise on an advisory lock.
 */
#ifndef IXAPI_DB_MIGRATE_H
#define IXAPI_DB_MIGRATE_H

#include "core/problem.h"

#include <libpq-fe.h>

/* Applies every pending migration of dir; *applied counts them (may be NULL).
 * Returns NULL on success, else a problem naming the failing file. */
struct problem *migrate_apply(PGconn *conn, const char *dir, int *applied);

#endif
