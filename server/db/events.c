/*
 * Audit events (see events.h).
 */
#include "db/events.h"

#include "db/db.h"

struct problem *events_record(PGconn *conn, const struct actor *actor, const char *action, const char *object_type,
			      const char *object_id, const char *old_json, const char *new_json)
{
	const char *params[] = {
		actor && actor->account[0] ? actor->account : NULL,
		actor && actor->key_id && actor->key_id[0] ? actor->key_id : NULL,
		actor ? actor->request_id : NULL,
		action,
		object_type,
		object_id,
		old_json,
		new_json,
	};
	return db_exec(conn,
		       "INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type,"
		       " object_id, old_value, new_value)"
		       " VALUES ($1::bigint, $2::bigint, $3, $4, $5, $6, $7::jsonb, $8::jsonb)",
		       8, params, NULL);
}
