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

#endif
