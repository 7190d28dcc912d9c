/*
 * IX-API contacts, roles and role assignments. Reads go through the generic
 * listing handlers (descriptors in contacts_db.c); writes through the
 * generic handlers of the resource descriptors below.
 *
 * Rules: a contact's managing and consuming accounts default to the
 * caller's and must lie in its subtree (403 otherwise); a role's
 * required_fields must be filled on the contact when it is assigned, and
 * stay filled while it is assigned (400 naming the field); a contact that
 * still holds role assignments cannot be deleted (409).
 */
#ifndef IXAPI_CONTACTS_CONTACTS_H
#define IXAPI_CONTACTS_CONTACTS_H

#include "resource/listing.h"
#include "resource/resource.h"

extern const struct listing contacts_listing, roles_listing, role_assignments_listing;
extern const struct filter_spec contacts_filters[], roles_filters[], role_assignments_filters[];

/* The descriptors: contacts POST (201), PUT and PATCH (200), DELETE
 * (200); role assignments POST (201), DELETE (200). */
extern const struct resource contacts_resource, role_assignments_resource;

/* Validates a contact body into a normalised object (*j_out, caller owns);
 * `required` (NULL-terminated, or NULL) lists properties that must be
 * present. Pure: no I/O. */
struct problem *contacts_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
