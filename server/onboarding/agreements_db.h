/*
 * Storage of connection agreements (issue 12, step 3): reads scoped to the
 * operators, the submitter and the applicant's account; the signature,
 * recorded once, from the e-signature provider's callback or an operator's
 * upload, in one transaction with the application's move to port
 * assignment (agreement_sign.sql).
 */
#ifndef IXAPI_ONBOARDING_AGREEMENTS_DB_H
#define IXAPI_ONBOARDING_AGREEMENTS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

#include <stddef.h>

/* The agreement `id` as its JSON text (*json_out, caller frees), or 404
 * when the caller does not see it. */
struct problem *agreements_db_read(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out);
/* The agreement's document as issued (*pdf_out malloc'd, caller frees). */
struct problem *agreements_db_document(struct db_pool *pool, const struct actor *actor, const char *id,
				       unsigned char **pdf_out, size_t *len_out);

/* A signature: who signed, when (RFC 3339), the signed document. */
struct agreement_signature {
	const char *signer_name;
	const char *signer_email;
	const char *signed_at;
	const unsigned char *pdf;
	size_t pdf_len;
};

/* An operator's upload of the signed copy of agreement `id`: 404 when it
 * does not exist, 409 when it is signed already or its application waits
 * for no signature; *json_out the agreement's JSON (caller frees). */
struct problem *agreements_db_upload(struct db_pool *pool, const struct actor *actor, const char *id,
				     const struct agreement_signature *sig, char **json_out);

/* One verified callback of the e-signature provider. */
struct agreement_callback {
	char body_sha256[65];           /* hex SHA-256 of the exact body: a body seen before is a replay (409) */
	const char *event;              /* envelope-completed, envelope-declined, ... */
	const char *generated_at;       /* RFC 3339; more than 24 h old (or 5 min ahead) is a 400 */
	const char *envelope_id;        /* unknown: 404 */
	struct agreement_signature sig; /* envelope-completed only */
};

/* Takes the callback in one transaction: the replay and age checks, then
 * for envelope-completed the signature (409 when signed already or the
 * application waits for none), for envelope-declined and -voided a status
 * entry on the account, for other events nothing. *json_out (caller frees):
 * {"agreement", "event", "state"}. */
struct problem *agreements_db_callback(struct db_pool *pool, const char *request_id,
				       const struct agreement_callback *cb, char **json_out);

#endif
