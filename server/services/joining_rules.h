/*
 * IX-API member joining rules (/member-joining-rules): `allow` and `deny`
 * rules naming an account that may (or may not) join a private VLAN
 * (p2mp_vc or mp2mp_vc). Reads go through the generic listing handlers
 * (descriptor in joining_rules_db.c); writes through the generic handlers
 * of the resource descriptor.
 *
 * Rules: the service must be a p2mp_vc or mp2mp_vc the caller owns (400
 * when it is of another type or not visible, 403 when visible but not
 * owned); managing_account defaults to the caller's and must lie in its
 * subtree (403); consuming_account is the account the rule names, any
 * existing account of the exchange (400 otherwise); one rule per service
 * and account (400). `type` and `network_service` never change; a deny rule
 * has no capacities. The named account reads the rule but cannot change it
 * (403); anyone else gets 404.
 */
#ifndef IXAPI_SERVICES_JOINING_RULES_H
#define IXAPI_SERVICES_JOINING_RULES_H

#include "resource/listing.h"
#include "resource/resource.h"

extern const struct listing joining_rules_listing;
extern const struct filter_spec joining_rules_filters[];

/* The descriptor: POST (201), PUT and PATCH (200), DELETE (200). */
extern const struct resource joining_rules_resource;

/* Validates a rule body into a normalised object (*j_out, caller owns):
 * strings checked, capacities integers >= 1 or null, min <= max when both
 * are given, no non-null capacity on a body of type deny. `required`
 * (NULL-terminated, or NULL) lists properties that must be present. Pure:
 * checks against the stored rule (its type, its capacities) are storage's. */
struct problem *joining_rules_validate(json_t *j_body, const char *const *required, json_t **j_out);

#endif
