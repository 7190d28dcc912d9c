/*
 * The agreements extension (issue 12, step 3): read an application's
 * connection agreement and its document, take the e-signature provider's
 * callback (DocuSign Connect's JSON, HMAC-signed) and an operator's upload
 * of the signed copy. The agreement itself is rendered and sent by the
 * `agreement.issue` job (agreements_job.h).
 */
#ifndef IXAPI_ONBOARDING_AGREEMENTS_H
#define IXAPI_ONBOARDING_AGREEMENTS_H

#include "http/filters.h"
#include "http/request.h"
#include "onboarding/agreements_db.h"

#include <jansson.h>

#include <stdbool.h>
#include <stddef.h>

/* The query of the signed-copy upload (signer_name, signer_email, signed_at). */
extern const struct filter_spec agreements_signed_copy_query[];

/* GET /agreements/{id}: the agreement (JSON). */
struct problem *agreements_read(struct request *req, struct response *res);
/* GET /agreements/{id}/document: the agreement as issued (application/pdf). */
struct problem *agreements_document(struct request *req, struct response *res);
/* POST /agreements/{id}/signed-copy (operators): the signed copy (application/pdf). */
struct problem *agreements_signed_copy_create(struct request *req, struct response *res);
/* POST /agreements/signature-callback (public, HMAC-verified). */
struct problem *agreements_signature_callback(struct request *req, struct response *res);

/* True when header (X-DocuSign-Signature-1: the base64 of the HMAC-SHA256
 * of body under key) signs body; constant-time. False for a NULL or
 * malformed header or an empty key. */
bool agreements_signature_ok(const char *key, const char *body, size_t len, const char *header);

/* Reads a callback body (its signature verified): the event, its time,
 * the envelope and, for envelope-completed, the signer and the signed PDF
 * (checked to be one). On success cb's strings borrow from *j_out (the
 * parsed body: caller decrefs) and cb->sig.pdf is malloc'd (caller frees);
 * a 400 naming the property otherwise (nothing to free). */
struct problem *agreements_callback_parse(const char *body, size_t len, struct agreement_callback *cb, json_t **j_out);

#endif
