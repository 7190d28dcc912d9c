/*
 * What the storage of LOAs shares, whichever object an LOA belongs to
 * (connections, port reservations): PDF bytes to and from PostgreSQL's
 * bytea text forms, and the rendering of the exchange's LOA from one row of
 * facts a query selected.
 */
#ifndef IXAPI_LOA_LOA_DB_H
#define IXAPI_LOA_LOA_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

#include <libpq-fe.h>
#include <stddef.h>

/* The bytea input text of data ("\x" and two hex digits a byte); the
 * caller frees it. */
char *loa_bytea_hex_new(const unsigned char *data, size_t len);
/* The bytes of hex (the output of encode(pdf, 'hex')) into a new buffer
 * (caller frees) and *len_out. */
unsigned char *loa_bytea_decode_new(const char *hex, size_t *len_out);
/* Renders the exchange's LOA from row 0 of res, whose columns (read by
 * name) are exchange, member, reference, date, facility, pop, device,
 * connection and demarcs (separated by newlines). *pdf_out is malloc'd
 * (caller frees). */
struct problem *loa_render_row(PGresult *res, unsigned char **pdf_out, size_t *len_out);

/* The LOAs of one kind of object (connections, port reservations). Every
 * statement but insert_sql takes the caller's scope as $1/$2 and the
 * object's id as $3, and answers nothing for an object the caller does
 * not see. */
struct loa_spec {
	const char *title;      /* for the 404: "Connection" */
	const char *event_type; /* audit events: "connection_loa" */
	const char *lock_sql;   /* a row when visible (locks it for an upload) */
	const char *insert_sql; /* $1 id, $2 bytea text, $3 uploader: RETURNING the upload's JSON text */
	const char *latest_sql; /* the latest upload as encode(pdf, 'hex'), or no row */
	const char *facts_sql;  /* the row loa_render_row() renders */
};

/* Stores an uploaded LOA (already checked to be a PDF) for the visible
 * object `id` in one audited transaction; *json_out (caller frees)
 * describes the upload. */
struct problem *loa_db_store(struct db_pool *pool, const struct loa_spec *spec, const struct actor *actor,
			     const char *id, const unsigned char *data, size_t len, char **json_out);
/* The LOA of the visible object `id`: the member's latest upload, else
 * the exchange's rendering. *pdf_out is malloc'd (caller frees). */
struct problem *loa_db_read(struct db_pool *pool, const struct loa_spec *spec, const struct actor *actor,
			    const char *id, unsigned char **pdf_out, size_t *len_out);

#endif
