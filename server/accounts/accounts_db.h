/*
 * Storage of accounts. Every function is scoped by the actor through
 * account_in_scope(): an account outside the caller's subtree does not exist
 * for it (404, so ids do not leak). Results are IX-API JSON texts rendered by
 * PostgreSQL (account_json()), owned by the caller (free()).
 */
#ifndef IXAPI_ACCOUNTS_ACCOUNTS_DB_H
#define IXAPI_ACCOUNTS_ACCOUNTS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"
#include "db/page.h"
#include "db/write.h"

struct account_filter {
	const char *ids;              /* PostgreSQL text[] literal of ids, or NULL */
	const char *state;            /* or NULL */
	const char *state_is_not;     /* or NULL */
	const char *managing_account; /* or NULL */
	const char *name;             /* or NULL */
	const char *external_ref;     /* or NULL */
};

/* The caller's visible accounts matching the filter, as a JSON array text
 * (or the page asked for, with the total). */
struct problem *accounts_db_list(struct db_pool *pool, const struct actor *actor, const struct account_filter *f,
				 const struct db_page *page, char **json_out, long long *total_out);
/* One visible account as JSON text; 404 problem when absent or out of scope. */
struct problem *accounts_db_get(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out);
/* For the resource descriptor (accounts_resource): the create (from a
 * validated object text, keys as in AccountRequest, managing_account
 * already defaulted), the audited update of a visible account and the
 * delete of one (not the caller's own, none with connections or that
 * still manages others). */
extern const struct db_create account_create;
extern const struct db_update account_update;
extern const struct db_delete account_delete;

#endif
