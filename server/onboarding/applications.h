/*
 * The applications extension (issue 12, onboarding): a new member or
 * customer applies (the member-portal backend's portal key, a reseller's
 * member key, or an operator), the exchange confirms the colocation and
 * approves (a member application twice, by two distinct operators) or
 * rejects, and the applicant takes the account's first API key once.
 * Listing and reading go through the generic listing handlers.
 */
#ifndef IXAPI_ONBOARDING_APPLICATIONS_H
#define IXAPI_ONBOARDING_APPLICATIONS_H

#include "core/problem.h"
#include "http/request.h"
#include "resource/listing.h"

#include <jansson.h>

extern const struct filter_spec applications_filters[];
extern const struct listing applications_listing;

/* Validates and normalises the body of POST /applications (pure): the
 * shape, the limits, public ASNs, the four required contact roles, the
 * articles for a member. *out (a new reference) on success. */
struct problem *applications_validate_submit(json_t *j_body, json_t **out);
/* True when asn is a public ASN: neither reserved (0, 23456, 65535,
 * 4294967295), nor for documentation (RFC 5398) nor private (RFC 6996). */
bool applications_asn_is_public(long long asn);

/* POST /applications */
struct problem *applications_create(struct request *req, struct response *res);
/* POST /applications/{id}/colocation-confirmation (operators) */
struct problem *applications_confirm_colocation(struct request *req, struct response *res);
/* POST /applications/{id}/approve (operators) */
struct problem *applications_approve(struct request *req, struct response *res);
/* POST /applications/{id}/reject (operators) */
struct problem *applications_reject(struct request *req, struct response *res);
/* POST /applications/{id}/credentials (the submitter or an operator) */
struct problem *applications_credentials(struct request *req, struct response *res);

#endif
