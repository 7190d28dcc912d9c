/*
 * One write of a resource, as storage modules run it: who acts, on which
 * object (NULL for a create), with what validated input (a normalised JSON
 * object text from the handler, or NULL), and the object's JSON afterwards.
 */
#ifndef IXAPI_DB_WRITE_H
#define IXAPI_DB_WRITE_H

#include "core/json_body.h"
#include "db/actor.h"
#include "db/db.h"

struct db_write {
	const struct actor *actor;
	const char *id;
	const char *input_json;
	char *json_out; /* set by the transaction body on success (malloc'd) */
	/* The resource's field table, whose flags db_create_run and
	 * db_update_run enforce (operator only, immutable), or NULL. */
	const struct field_spec *fields;
};

/* Runs fn(conn, w) in a transaction (db_transaction: retried on
 * serialization failures); on success hands w->json_out to *json_out, which
 * the caller frees. */
struct problem *db_write_run(struct db_pool *pool, db_tx_fn fn, struct db_write *w, char **json_out);

/* The end of every write, inside its transaction: records the audit event
 * (`action` on object_type/object_id, JSON texts before and after, either
 * may be NULL) and keeps the object's JSON for the response (the after
 * text, or the before text of a delete) in w->json_out. */
struct problem *db_write_record(PGconn *conn, struct db_write *w, const char *action, const char *object_type,
				const char *object_id, const char *old_json, const char *new_json);
/* What the rules of a write hand to its writes. */
struct db_update_input {
	char *json;  /* what the writes take as $2 instead of the patch (malloc'd), or NULL */
	bool flag;   /* $3 of the writes that name it ("t"/"f") */
	char *aside; /* a hook's own text for a later hook (malloc'd), or NULL */
};

/* A rule as a statement: $1 the input (and, when the statement names
 * them, $2 the viewer and $3 is_operator); one row with one boolean: true
 * to go on; false, NULL or no row is a 400 naming `property`. */
struct db_rule {
	const char *sql;
	const char *property;
	const char *reason;
};

/* Runs rules (ending with a NULL sql) on input_json, the first failing
 * one's problem, or NULL. */
struct problem *db_rules_run(PGconn *conn, const struct actor *actor, const struct db_rule *rules,
			     const char *input_json);

/* An audited create, as a table: the resource's rules (C hooks where a
 * rule locks or reads more than a boolean, statements otherwise), the
 * INSERT, the writes that follow (link tables, child rows, the outbox
 * job), the render, the event. The one template every resource's POST
 * runs. In order: the fields only operators set (w->fields), `first`,
 * the owner accounts, `check`, `rules`, the insert, `writes`, `after`,
 * the render and the create event. */
struct db_create {
	const char *title;       /* for problems: "Connection" */
	const char *object_type; /* for events: "connection" */
	/* Optional C hooks given w->input_json, NULL to go on; `check` may set
	 * in->json (the input everything after takes), in->flag, in->aside. */
	struct problem *(*first)(PGconn *conn, struct db_write *w, struct db_update_input *in);
	bool check_owner; /* managing, consuming, billing accounts in the caller's subtree (db/owner.h) */
	struct problem *(*check)(PGconn *conn, struct db_write *w, struct db_update_input *in);
	const struct db_rule *rules; /* or NULL */
	/* $1 the input: one row, the new id as text. */
	const char *insert_sql;
	/* In order, $1 the id, $2 the input, $3 in->flag, as far as a statement
	 * names them. NULL ends. */
	const char *const *writes;
	/* Optional, after the writes, given the new id. */
	struct problem *(*after)(PGconn *conn, struct db_write *w, const char *id, const struct db_update_input *in);
	/* $1 the id: the object's JSON text. */
	const char *render_sql;
};

/* Inside a write's transaction: the create c of w->input_json; records
 * the create event and keeps the new JSON in w->json_out. */
struct problem *db_create_run(PGconn *conn, struct db_write *w, const struct db_create *c);

/* An audited update of one object, as a table: lock the object the caller
 * sees, check the resource's rules on it, run the writes, render, record
 * the event. The one template every resource's PUT/PATCH runs. */
struct db_update {
	const char *title;       /* for problems: "Connection" */
	const char *object_type; /* for events: "connection" */
	/* Optional, before the lock: what is locked before the object (an IP's
	 * peering LAN, as allocating on it does); may fill *in. */
	struct problem *(*first)(PGconn *conn, struct db_write *w, struct db_update_input *in);
	/* $1 viewer, $2 is_operator, $3 id, $4 (if named) the patch: one row, locked,
	 * when the caller sees the object: its JSON text as a column named json,
	 * and whatever `check` reads (by name). */
	const char *lock_sql;
	/* Optional, first on the locked row: whether the caller may change the
	 * object at all (NULL to go on). Then db_update_run enforces the
	 * field table's flags: what is immutable (compared with the JSON
	 * text), what only operators set. */
	struct problem *(*guard)(const struct db_write *w, const PGresult *old);
	/* The resource's rules, given the locked row and w->input_json (the
	 * patch): NULL to go on. May fill *in. */
	struct problem *(*check)(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in);
	/* In order, with $1 the id, $2 the input (in->json or the patch) and
	 * $3 in->flag, as far as a statement names them: the UPDATE, link
	 * tables, jobs (a statement skips itself with a WHERE on $2). NULL ends. */
	const char *const *writes;
	/* Optional, after the writes: what depends on which fields the patch
	 * (w->input_json) names, and rules on the result. NULL to go on. */
	struct problem *(*after)(PGconn *conn, struct db_write *w, const struct db_update_input *in);
	/* $1 the id: the object's JSON text afterwards. */
	const char *render_sql;
};

/* Inside a write's transaction: the update u of object w->id with the
 * patch w->input_json; a 404 naming u->title when the caller does not see
 * it; records the update event and keeps the new JSON in w->json_out. */
struct problem *db_update_run(PGconn *conn, struct db_write *w, const struct db_update *u);

/* A refusal of a delete as a statement: $1 the id, $2 the viewer, $3
 * is_operator, as far as the statement names them, after the
 * lock: one row whose one column is NULL to go on, or the detail of a
 * problem of `kind` (why the object cannot go: still in use). */
struct db_refusal {
	const char *sql;
	enum problem_kind kind;
};

/* An audited delete of one object, as a table: lock the object the caller
 * sees, the refusals, the delete, the event. The one template every
 * resource's DELETE runs that does not decommission. */
struct db_delete {
	const char *title;       /* for problems: "Contact" */
	const char *object_type; /* for events: "contact" */
	/* $1 viewer, $2 is_operator, $3 id: one row, locked, when the caller
	 * sees the object: its JSON text first, then whatever `guard` reads. */
	const char *lock_sql;
	/* Optional, on the locked row: whether the caller may delete the
	 * object at all (NULL to go on), as db_update's. */
	struct problem *(*guard)(const struct db_write *w, const PGresult *old);
	const struct db_refusal *refusals; /* in order, up to a NULL sql; or NULL */
	/* $1 the id: removes the object (no row, or a row with NULL: the
	 * `delete` event), or keeps it until what uses it is gone: a row with
	 * its JSON text afterwards and a boolean column `changed`, true when this DELETE changed it (the
	 * `decommission` event; 'f': asked before, no event). */
	const char *delete_sql;
};

/* Inside a write's transaction: the delete d of object w->id; a 404
 * naming d->title when the caller does not see it; records the event and
 * keeps the object's JSON (as it was, or afterwards) in w->json_out. */
struct problem *db_delete_run(PGconn *conn, struct db_write *w, const struct db_delete *d);

/* Runs a statement whose one row has one boolean column: NULL when it is
 * true; otherwise (false, NULL or no row) a validation problem naming
 * `property` with `reason`. */
struct problem *db_expect_true(PGconn *conn, const char *sql, int n, const char *const *params, const char *property,
			       const char *reason);

#endif
