/*
 * Revoked API keys and deleted accounts, so that their access tokens (JWTs,
 * otherwise valid until they expire) stop working at once on every node.
 *
 * The database records each revocation and announces it with NOTIFY
 * (migrations/017_token_revocations.sql). Every pooled connection LISTENs and
 * loads the recent revocations when it connects (revocations_on_connect);
 * after every statement the notifications that came along with its result
 * are folded into this process-wide set (revocations_after_statement). A
 * request whose bearer has been revoked is refused by the bearer check when
 * the set already knows, and otherwise by its first statement: the database
 * delivers a committed notification to a listening session before it answers
 * a later statement, so the request's first query carries the news with no
 * extra round trip.
 */
#ifndef IXAPI_AUTH_REVOCATIONS_H
#define IXAPI_AUTH_REVOCATIONS_H

#include "core/problem.h"

#include <libpq-fe.h>
#include <stdbool.h>

enum revocation_kind { REVOCATION_KEY, REVOCATION_ACCOUNT };

/* Tokens live at most window_s (the access-token lifetime plus leeway):
 * older revocations are forgotten. Call once before serving. */
void revocations_init(long long window_s);
/* Records a revocation that happened at at_s (seconds since the epoch). */
void revocations_note(enum revocation_kind kind, long long id, long long at_s);
/* True when the API key or the account has been revoked. */
bool revocations_contains(long long key_id, long long account_id);
/* Changes whenever an entry is added: read it before revocations_contains
 * and hand it to revocations_bearer_begin, so that nothing noted in between
 * goes unchecked. */
unsigned long revocations_generation(void);
/* Drops every entry (tests). */
void revocations_reset(void);

/* The bearer of the request this thread is running (key and account ids),
 * found not revoked at `checked_generation`: statements run between begin
 * and end fail with a 401 problem once the bearer is known to be revoked. */
void revocations_bearer_begin(long long key_id, long long account_id, unsigned long checked_generation);
void revocations_bearer_end(void);

/* Database session hooks (db_set_session_hooks): LISTEN and load the recent
 * revocations on a new connection; fold notifications in after a statement
 * and refuse the current bearer if it is now revoked. */
struct problem *revocations_on_connect(PGconn *conn);
struct problem *revocations_after_statement(PGconn *conn);
/* Parses a notification payload ("key:17", "account:4"); false if malformed. */
bool revocations_parse_payload(const char *payload, enum revocation_kind *kind, long long *id);

#endif
