/*
 * Agreements in PostgreSQL (see agreements_db.h).
 */
#include "onboarding/agreements_db.h"

#include "core/util.h"
#include "loa/loa_db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Who sees an agreement ($1 viewer, $2 is_operator, $3 the agreement):
 * operators, the account that submitted the application and the
 * applicant's account (each with the accounts managing them). */
#define AGREEMENT_VISIBLE                                                                                              \
	" FROM agreements a JOIN applications p ON p.id = a.application"                                               \
	" WHERE a.id = $3::bigint AND (account_in_scope(p.account, $1::bigint, $2::boolean)"                           \
	"      OR account_in_scope(p.submitted_by_account, $1::bigint, $2::boolean))"

static const char read_sql[] =
	"SELECT agreement_json(a.id, account_in_scope(p.submitted_by_account, $1::bigint, $2::boolean))::text" AGREEMENT_VISIBLE;

static const char document_sql[] = "SELECT encode(a.document, 'hex')" AGREEMENT_VISIBLE;

/* Runs a scoped one-value read of agreement id: the value into *out. */
static struct problem *read_one(struct db_pool *pool, const struct actor *actor, const char *sql, const char *id,
				PGresult **out)
{
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "Agreement %.40s was not found.", id);
	const char *params[3];
	actor_scope_params(actor, params);
	params[2] = id;
	PGresult *res = NULL;
	struct problem *p = db_query(pool, sql, 3, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return problem_new(PROBLEM_NOT_FOUND, "Agreement %s was not found.", id);
	}
	*out = res;
	return NULL;
}

struct problem *agreements_db_read(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out)
{
	PGresult *res = NULL;
	struct problem *p = read_one(pool, actor, read_sql, id, &res);
	if (p)
		return p;
	*json_out = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return NULL;
}

struct problem *agreements_db_document(struct db_pool *pool, const struct actor *actor, const char *id,
				       unsigned char **pdf_out, size_t *len_out)
{
	PGresult *res = NULL;
	struct problem *p = read_one(pool, actor, document_sql, id, &res);
	if (p)
		return p;
	*pdf_out = loa_bytea_decode_new(PQgetvalue(res, 0, 0), len_out);
	PQclear(res);
	return NULL;
}

/* The agreement and its application, locked; a 409 unless it waits for a
 * signature. The application's account into account (24 bytes) when not
 * NULL. */
static struct problem *lock_unsigned(PGconn *conn, const char *where_sql, const char *key, const char *title,
				     char *id_out, char *account_out)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT a.id::text AS id, a.state, p.step, p.account::text AS account"
		 "  FROM agreements a JOIN applications p ON p.id = a.application WHERE %s FOR UPDATE OF a, p",
		 where_sql);
	const char *params[] = {key};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, sql, 1, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", title, key);
	else if (strcmp(db_get(res, 0, "state"), "signed") == 0)
		p = problem_new(PROBLEM_CONFLICT, "Agreement %s is signed already.", db_get(res, 0, "id"));
	else if (strcmp(db_get(res, 0, "step"), "agreement") != 0)
		p = problem_new(PROBLEM_CONFLICT,
				"The application of agreement %s is in step %s: it waits for no signature.",
				db_get(res, 0, "id"), db_get(res, 0, "step"));
	if (!p) {
		snprintf(id_out, 24, "%s", db_get(res, 0, "id"));
		if (account_out)
			snprintf(account_out, 24, "%s", db_get(res, 0, "account"));
	}
	PQclear(res);
	return p;
}

/* agreement_sign() on the locked agreement; its JSON into *json_out. */
static struct problem *sign(PGconn *conn, const char *id, const char *source, const struct agreement_signature *sig,
			    const char *recorded_by, const char *actor_account, const char *request_id, char **json_out)
{
	char *hex = loa_bytea_hex_new(sig->pdf, sig->pdf_len);
	const char *params[] = {id,  source,      sig->signer_name, sig->signer_email, sig->signed_at,
				hex, recorded_by, actor_account,    recorded_by,       request_id};
	PGresult *res = NULL;
	struct problem *p =
		db_exec(conn,
			"SELECT agreement_sign($1::bigint, $2, $3, $4, $5::timestamptz, $6::bytea, $7::bigint,"
			" $8::bigint, $9::bigint, $10)::text",
			10, params, &res);
	free(hex);
	if (!p)
		*json_out = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return p;
}

/* A 400 naming `property` when the time lies more than `past` before now
 * or more than five minutes ahead (the clocks of two parties). */
static struct problem *check_time(PGconn *conn, const char *at, const char *past, const char *property)
{
	const char *params[] = {at, past};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn,
				    "SELECT $1::timestamptz < now() - $2::interval AS stale,"
				    "       $1::timestamptz > now() + interval '5 minutes' AS ahead",
				    2, params, &res);
	if (p && strncmp(problem_sqlstate(p), "22", 2) == 0) {
		problem_free(p);
		return problem_invalid(property, "Not a date-time.");
	}
	if (p)
		return p;
	if (db_get_bool(res, 0, "stale"))
		p = problem_invalid(property, "More than %s old.", past);
	else if (db_get_bool(res, 0, "ahead"))
		p = problem_invalid(property, "More than 5 minutes in the future.");
	PQclear(res);
	return p;
}

struct upload_tx {
	const struct actor *actor;
	const char *id;
	const struct agreement_signature *sig;
	char *json;
};

static struct problem *upload_tx(PGconn *conn, void *arg)
{
	struct upload_tx *u = arg;
	char id[24];
	struct problem *p = check_time(conn, u->sig->signed_at, "100 years", "signed_at");
	if (!p)
		p = lock_unsigned(conn, "a.id = $1::bigint", u->id, "Agreement", id, NULL);
	if (!p)
		p = sign(conn, id, "upload", u->sig, u->actor->key_id && *u->actor->key_id ? u->actor->key_id : NULL,
			 u->actor->account, u->actor->request_id, &u->json);
	return p;
}

struct problem *agreements_db_upload(struct db_pool *pool, const struct actor *actor, const char *id,
				     const struct agreement_signature *sig, char **json_out)
{
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "Agreement %.40s was not found.", id);
	struct upload_tx u = {.actor = actor, .id = id, .sig = sig};
	struct problem *p = db_transaction(pool, upload_tx, &u);
	if (p) {
		free(u.json);
		return p;
	}
	*json_out = u.json;
	return NULL;
}

struct callback_tx {
	const char *request_id;
	const struct agreement_callback *cb;
	char *json;
};

static bool is_event(const char *event, const char *name)
{
	return strcmp(event, name) == 0;
}

static struct problem *callback_tx(PGconn *conn, void *arg)
{
	struct callback_tx *c = arg;
	const struct agreement_callback *cb = c->cb;
	free(c->json); /* a retried transaction starts afresh */
	c->json = NULL;
	struct problem *p = check_time(conn, cb->generated_at, "24 hours", "generatedDateTime");
	if (p)
		return p;
	const char *seen[] = {cb->body_sha256, cb->envelope_id};
	PGresult *res = NULL;
	p = db_exec(conn,
		    "INSERT INTO signature_callbacks (body_sha256, envelope_id) VALUES ($1, left($2, 200))"
		    " ON CONFLICT (body_sha256) DO NOTHING RETURNING 1",
		    2, seen, &res);
	if (!p && PQntuples(res) == 0)
		p = problem_new(PROBLEM_CONFLICT, "This callback was received before (a replay): nothing changed.");
	PQclear(res);
	res = NULL;
	if (p)
		return p;
	const char *env[] = {cb->envelope_id};
	p = db_exec(conn,
		    "SELECT a.id::text AS id, a.state, p.account::text AS account"
		    "  FROM agreements a JOIN applications p ON p.id = a.application WHERE a.envelope_id = $1",
		    1, env, &res);
	if (!p && PQntuples(res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "No agreement was sent in envelope %.64s.", cb->envelope_id);
	if (p) {
		PQclear(res);
		return p;
	}
	char id[24], account[24], state[16];
	snprintf(id, sizeof(id), "%s", db_get(res, 0, "id"));
	snprintf(account, sizeof(account), "%s", db_get(res, 0, "account"));
	snprintf(state, sizeof(state), "%s", db_get(res, 0, "state"));
	PQclear(res);
	res = NULL;
	if (is_event(cb->event, "envelope-completed")) {
		char *json = NULL;
		p = lock_unsigned(conn, "a.envelope_id = $1", cb->envelope_id, "Envelope", id, NULL);
		if (!p)
			p = sign(conn, id, "callback", &cb->sig, NULL, NULL, c->request_id, &json);
		free(json);
		if (p)
			return p;
		snprintf(state, sizeof(state), "signed");
	} else if ((is_event(cb->event, "envelope-declined") || is_event(cb->event, "envelope-voided")) &&
		   strcmp(state, "sent") == 0) {
		const char *params[] = {account, id, cb->event};
		p = db_exec(conn,
			    "SELECT status_set('account', $1::bigint, 'onboarding.agreement_declined', 4,"
			    "  CASE $3 WHEN 'envelope-declined' THEN 'The contract signer declined the agreement.'"
			    "  ELSE 'The e-signature envelope of the agreement was voided.' END ||"
			    "  ' Ask the exchange for a new one, or send the signed copy.',"
			    "  jsonb_build_object('agreement', $2::text, 'event', $3))",
			    3, params, NULL);
		if (p)
			return p;
	}
	json_t *j = json_pack("{s:s, s:s, s:s}", "agreement", id, "event", cb->event, "state", state);
	c->json = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return NULL;
}

struct problem *agreements_db_callback(struct db_pool *pool, const char *request_id,
				       const struct agreement_callback *cb, char **json_out)
{
	struct callback_tx c = {.request_id = request_id, .cb = cb};
	struct problem *p = db_transaction(pool, callback_tx, &c);
	if (p) {
		free(c.json);
		return p;
	}
	*json_out = c.json;
	return NULL;
}
