/*
 * Who acts on the storage layer: the scope every read is filtered by and the
 * name every audit event is written under. Storage functions take it as
 * their first argument after the pool; the tenant rule itself lives in one
 * SQL function, account_in_scope() (migrations/001_foundation.sql), which
 * every scoped query calls with the same two parameters built by
 * actor_scope_params().
 */
#ifndef IXAPI_DB_ACTOR_H
#define IXAPI_DB_ACTOR_H

#include <stdbool.h>

struct actor {
	bool is_operator;
	char account[24];   /* the caller's account id as text */
	const char *key_id; /* API key id as text, may be "" */
	const char *request_id;
};

/* The two parameters ($n viewer account, $n+1 is_operator) of account_in_scope(). */
static inline void actor_scope_params(const struct actor *a, const char **params)
{
	params[0] = a->account;
	params[1] = a->is_operator ? "t" : "f";
}

#endif
