/*
 * One write of a resource, as storage modules run it: who acts, on which
 * object (NULL for a create), with what validated input (a normalised JSON
 * object text from the handler, or NULL), and the object's JSON afterwards.
 */
#ifndef IXAPI_DB_WRITE_H
#define IXAPI_DB_WRITE_H

#include "db/actor.h"
#include "db/db.h"

struct db_write {
	const struct actor *actor;
	const char *id;
	const char *input_json;
	char *json_out; /* set by the transaction body on success (malloc'd) */
};

/* Runs fn(conn, w) in a transaction (db_transaction: retried on
 * serialization failures); on success hands w->json_out to *json_out, which
 * the caller frees. */
struct problem *db_write_run(struct db_pool *pool, db_tx_fn fn, struct db_write *w, char **json_out);

#endif
