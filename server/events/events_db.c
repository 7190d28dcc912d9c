/*
 * Storage of the events extension (see events_db.h). The tenant rule of
 * events is events_scope() (the caller's scope_accounts and the applicant
 * accounts of the applications its account submitted), computed once per
 * statement; a webhook belongs to its owner account and is seen by whoever
 * sees that account.
 */
#include "events/events_db.h"

#include "core/util.h"
#include "db/events.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rows' `json` column joined into one JSON array text (malloc'd). */
static char *join_rows(const PGresult *res)
{
	size_t len = 3;
	int n = PQntuples(res);
	for (int i = 0; i < n; i++)
		len += strlen(db_get(res, i, "json")) + 1;
	char *out = xmalloc(len);
	char *w = out;
	*w++ = '[';
	for (int i = 0; i < n; i++) {
		if (i)
			*w++ = ',';
		const char *j = db_get(res, i, "json");
		size_t l = strlen(j);
		memcpy(w, j, l);
		w += l;
	}
	*w++ = ']';
	*w = '\0';
	return out;
}

/* Operators: the events in id order (the primary key, or the object index
 * for a filter on the object). */
static const char events_all_sql[] = "SELECT e.id::text AS id, event_json(e)::text AS json FROM events e"
				     " WHERE e.id > coalesce($1::bigint, 0)"
				     "   AND ($2::text IS NULL OR e.account = id_or_null($2))"
				     "   AND ($3::text IS NULL OR e.object_type = $3)"
				     "   AND ($4::text IS NULL OR e.object_id = $4)"
				     " ORDER BY e.id LIMIT $5::int";

/* Members and portal keys: the page of each account of their events scope
 * from the (account, id) index, merged: it costs what the caller owns (at
 * most a page per account), not a walk over everyone's events. */
static const char events_scoped_sql[] =
	"SELECT (l.ev).id::text AS id, event_json(l.ev)::text AS json"
	"  FROM (SELECT DISTINCT a FROM unnest(events_scope($6::bigint)) AS u(a)) AS s"
	"  CROSS JOIN LATERAL (SELECT x AS ev FROM events x"
	"                       WHERE x.account = s.a AND x.id > coalesce($1::bigint, 0)"
	"                         AND ($2::text IS NULL OR x.account = id_or_null($2))"
	"                         AND ($3::text IS NULL OR x.object_type = $3)"
	"                         AND ($4::text IS NULL OR x.object_id = $4)"
	"                       ORDER BY x.id LIMIT $5::int) AS l"
	" ORDER BY (l.ev).id LIMIT $5::int";

struct problem *events_page(struct db_pool *pool, const struct actor *actor, const struct events_query *q,
			    char **json_out, char *next)
{
	char limit[16];
	snprintf(limit, sizeof(limit), "%d", q->limit);
	const char *params[] = {q->after, q->account, q->object_type, q->object_id, limit, actor->account};
	PGresult *res = NULL;
	struct problem *p = actor->is_operator ? db_query(pool, events_all_sql, 5, params, &res)
					       : db_query(pool, events_scoped_sql, 6, params, &res);
	if (p)
		return p;
	int n = PQntuples(res);
	snprintf(next, 24, "%s", n > 0 ? db_get(res, n - 1, "id") : (q->after ? q->after : "0"));
	*json_out = join_rows(res);
	PQclear(res);
	return NULL;
}

struct create {
	const struct actor *actor;
	const char *url;
	const char *types;
	char secret[65];
	char *json;
};

static struct problem *create_tx(PGconn *conn, void *arg)
{
	struct create *c = arg;
	const char *params[] = {
		c->actor->account,
		c->actor->is_operator ? "t" : "f",
		c->actor->key_id && *c->actor->key_id ? c->actor->key_id : NULL,
		c->url,
		c->secret,
		c->types,
	};
	PGresult *res = NULL;
	struct problem *p =
		db_exec(conn,
			"INSERT INTO webhooks (account, is_operator, created_by_key, url, secret, object_types)"
			" VALUES ($1::bigint, $2::boolean, $3::bigint, $4, $5, $6::text[])"
			" RETURNING id::text AS id, webhook_json(webhooks)::text AS json",
			6, params, &res);
	if (p)
		return p;
	char *id = xstrdup(db_get(res, 0, "id"));
	c->json = xstrdup(db_get(res, 0, "json"));
	PQclear(res);
	p = events_record(conn, c->actor, "create", "webhook", id, NULL, c->json);
	free(id);
	return p;
}

struct problem *webhooks_create(struct db_pool *pool, const struct actor *actor, const char *url,
				const char *object_types_literal, char **json_out)
{
	struct create c = {.actor = actor, .url = url, .types = object_types_literal};
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(c.secret, sizeof(c.secret), raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	struct problem *p = db_transaction(pool, create_tx, &c);
	if (p) {
		free(c.json);
		sodium_memzero(c.secret, sizeof(c.secret));
		return p;
	}
	/* the secret joins the answer here, after the event was written */
	json_t *j = json_loads(c.json, 0, NULL);
	free(c.json);
	json_object_set_new(j, "secret", json_string(c.secret));
	sodium_memzero(c.secret, sizeof(c.secret));
	*json_out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return NULL;
}

struct problem *webhooks_list(struct db_pool *pool, const struct actor *actor, char **json_out)
{
	const char *params[] = {actor->is_operator ? "t" : "f", actor->account};
	PGresult *res = NULL;
	struct problem *p =
		db_query(pool,
			 "SELECT webhook_json(w)::text AS json FROM webhooks w"
			 " WHERE $1::boolean OR w.account = ANY ((SELECT scope_accounts($2::bigint))::bigint[])"
			 " ORDER BY w.id LIMIT 1000",
			 2, params, &res);
	if (p)
		return p;
	*json_out = join_rows(res);
	PQclear(res);
	return NULL;
}

/* The webhook `id` if the actor sees it: 1 found (JSON into *json), 0 not. */
static struct problem *find(PGconn *conn, const struct actor *actor, const char *id, bool lock, char **json)
{
	const char *params[] = {id, actor->is_operator ? "t" : "f", actor->account};
	PGresult *res = NULL;
	struct problem *p = db_exec(
		conn,
		lock ? "SELECT webhook_json(w)::text AS json FROM webhooks w"
		       " WHERE w.id = id_or_null($1) AND ($2::boolean OR account_in_scope(w.account, $3::bigint, false))"
		       " FOR UPDATE"
		     : "SELECT webhook_json(w)::text AS json FROM webhooks w"
		       " WHERE w.id = id_or_null($1) AND ($2::boolean OR account_in_scope(w.account, $3::bigint, false))",
		3, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return problem_new(PROBLEM_NOT_FOUND, "Webhook %s does not exist.", id);
	}
	*json = xstrdup(db_get(res, 0, "json"));
	PQclear(res);
	return NULL;
}

struct one {
	const struct actor *actor;
	const char *id;
	char *json;
};

static struct problem *read_tx(PGconn *conn, void *arg)
{
	struct one *o = arg;
	return find(conn, o->actor, o->id, false, &o->json);
}

static struct problem *delete_tx(PGconn *conn, void *arg)
{
	struct one *o = arg;
	struct problem *p = find(conn, o->actor, o->id, true, &o->json);
	if (p)
		return p;
	const char *params[] = {o->id};
	p = db_exec(conn, "DELETE FROM webhooks WHERE id = $1::bigint", 1, params, NULL);
	if (!p)
		p = events_record(conn, o->actor, "delete", "webhook", o->id, o->json, NULL);
	return p;
}

static struct problem *run_one(struct db_pool *pool, db_tx_fn fn, const struct actor *actor, const char *id,
			       char **json_out)
{
	struct one o = {.actor = actor, .id = id};
	struct problem *p = db_transaction(pool, fn, &o);
	if (p) {
		free(o.json);
		return p;
	}
	*json_out = o.json;
	return NULL;
}

struct problem *webhooks_read(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out)
{
	return run_one(pool, read_tx, actor, id, json_out);
}

struct problem *webhooks_delete(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out)
{
	return run_one(pool, delete_tx, actor, id, json_out);
}

static struct problem *deliveries_tx(PGconn *conn, void *arg)
{
	struct one *o = arg;
	char *hook = NULL;
	struct problem *p = find(conn, o->actor, o->id, false, &hook);
	free(hook);
	if (p)
		return p;
	const char *params[] = {o->id};
	PGresult *res = NULL;
	p = db_exec(conn,
		    "SELECT webhook_delivery_json(d)::text AS json FROM webhook_deliveries d"
		    " WHERE d.webhook = $1::bigint ORDER BY d.id DESC LIMIT 1000",
		    1, params, &res);
	if (p)
		return p;
	o->json = join_rows(res);
	PQclear(res);
	return NULL;
}

struct problem *webhooks_deliveries(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out)
{
	return run_one(pool, deliveries_tx, actor, id, json_out);
}
