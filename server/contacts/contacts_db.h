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
#include "db/write.h"

/* For the resource descriptor (contacts_resource): the create (from a
 * validated object text whose accounts are set) and the audited update of
 * a visible contact (which keeps what its roles require). */
extern const struct db_create contact_create;
extern const struct db_update contact_update;
/* Deletes a visible contact that holds no role assignment. */
struct problem *contacts_db_delete(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out);
/* Assigns a role to a visible contact ({"role", "contact"} object text). */
struct problem *role_assignments_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
					   char **json_out);
/* Removes a visible role assignment. */
struct problem *role_assignments_db_delete(struct db_pool *pool, const struct actor *actor, const char *id,
					   char **json_out);

#endif
