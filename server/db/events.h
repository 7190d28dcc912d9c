/*
 * The audit trail: one row per change, written in the transaction of the
 * change itself, so the history and the data cannot disagree.
 */
#ifndef IXAPI_DB_EVENTS_H
#define IXAPI_DB_EVENTS_H

#include "core/problem.h"
#include "db/actor.h"

#include <libpq-fe.h>

/* Records `action` on object_type/object_id with the JSON texts before and
 * after (either may be NULL). Must run inside the change's transaction.
 * The table keeps no secrets: a "password" key becomes "has_password"
 * (trigger of migration 015). */
struct problem *events_record(PGconn *conn, const struct actor *actor, const char *action, const char *object_type,
			      const char *object_id, const char *old_json, const char *new_json);

#endif
