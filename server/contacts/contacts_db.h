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

/* For the resource descriptors (contacts_resource,
 * role_assignments_resource): the create of a contact (from a validated
 * object text whose accounts are set), the audited update of a visible
 * contact (which keeps what its roles require), the delete of one that
 * holds no role assignment; the assignment of a role to a visible contact
 * that has what the role requires, and the removal of one no live
 * connection needs. */
extern const struct db_create contact_create, role_assignment_create;
extern const struct db_update contact_update;
extern const struct db_delete contact_delete, role_assignment_delete;

#endif
