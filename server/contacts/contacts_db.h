/*
 * Storage of contacts and role assignments. Every function is scoped by the
 * actor (contact_in_scope / account_in_scope); results are JSON texts the
 * caller frees.
 */
#ifndef IXAPI_CONTACTS_CONTACTS_DB_H
#define IXAPI_CONTACTS_CONTACTS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

/* Creates a contact from a validated object text whose accounts are set. */
struct problem *contacts_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
				   char **json_out);
/* Applies a validated partial object text to a visible contact. */
struct problem *contacts_db_update(struct db_pool *pool, const struct actor *actor, const char *id,
				   const char *patch_json, char **json_out);
/* Deletes a visible contact that holds no role assignment. */
struct problem *contacts_db_delete(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out);
/* Assigns a role to a visible contact ({"role", "contact"} object text). */
struct problem *role_assignments_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
					   char **json_out);
/* Removes a visible role assignment. */
struct problem *role_assignments_db_delete(struct db_pool *pool, const struct actor *actor, const char *id,
					   char **json_out);

#endif
