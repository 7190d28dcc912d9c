/*
 * Objects owned through a managing and a consuming account (contacts,
 * MACs, IPs, connections...): the accounts a write names must lie in the
 * caller's subtree.
 */
#ifndef IXAPI_DB_OWNER_H
#define IXAPI_DB_OWNER_H

#include "core/problem.h"
#include "db/actor.h"

#include <libpq-fe.h>

/* Checks the managing_account, consuming_account and billing_account that
 * the validated input object text names (absent ones are not checked): a
 * 403 permission-denied problem naming the first one outside the actor's
 * subtree (or not existing). Runs inside the write's transaction. */
struct problem *db_check_owner_accounts(PGconn *conn, const struct actor *actor, const char *input_json);

/* Checks an account a write names that need not be the caller's own (the
 * account a member joining rule names, the joining member of a p2p_vc):
 * one in the caller's subtree or a discoverable one (IX-API: listed for
 * every member). Any other id, existing or not, is the same 400 naming
 * `property` (NULL `account`: nothing to check), so that a write never
 * tells a foreign account from a missing one. Runs inside the write's
 * transaction. */
struct problem *db_check_named_account(PGconn *conn, const struct actor *actor, const char *property,
				       const char *account);

#endif
