/*
 * Storage of the events extension: the audit events a caller may see (GET
 * /events, a cursor over event ids), and the webhooks that POST them (their
 * deliveries written by the events' own transactions: migration 040).
 */
#ifndef IXAPI_EVENTS_EVENTS_DB_H
#define IXAPI_EVENTS_EVENTS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

#define EVENTS_LIMIT_MAX     1000
#define EVENTS_LIMIT_DEFAULT 100
#define WEBHOOK_URL_MAX      2000

/* What GET /events asks for; NULL members are absent filters. */
struct events_query {
	const char *after; /* an event id: only later events */
	int limit;         /* 1 .. EVENTS_LIMIT_MAX */
	const char *account;
	const char *object_type;
	const char *object_id;
};

/* The caller's events after q->after in ascending id order, at most
 * q->limit: a JSON array text into *json_out (malloc'd) and the id of its
 * last event (or q->after, or "0", when the page is empty) into next
 * (24 bytes). */
struct problem *events_page(struct db_pool *pool, const struct actor *actor, const struct events_query *q,
			    char **json_out, char *next);

/* A new webhook of the caller's account (audited without its secret): its
 * JSON with the secret into *json_out (malloc'd). object_types_literal is a
 * text[] literal ("{}" for all). */
struct problem *webhooks_create(struct db_pool *pool, const struct actor *actor, const char *url,
				const char *object_types_literal, char **json_out);
/* The webhooks of the caller's scope (operators: all), by id. */
struct problem *webhooks_list(struct db_pool *pool, const struct actor *actor, char **json_out);
/* One webhook of the caller's scope (404 otherwise). */
struct problem *webhooks_read(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out);
/* Deletes one (and its deliveries), audited; its last JSON into *json_out. */
struct problem *webhooks_delete(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out);
/* Its deliveries, newest first, at most 1000. */
struct problem *webhooks_deliveries(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out);

#endif
