/*
 * Agreement handlers (see agreements.h): input checks here, storage in
 * agreements_db.c. The callback is verified before anything is read from
 * it: its HMAC over the exact body, then its shape.
 */
#include "onboarding/agreements.h"

#include "app.h"
#include "core/json_body.h"
#include "core/util.h"
#include "loa/loa_pdf.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SIGNED_PDF_MAX (4u << 20) /* agreements.signed_document's CHECK */

const struct filter_spec agreements_signed_copy_query[] = {
	{"signer_name", FILTER_TEXT, NULL},
	{"signer_email", FILTER_TEXT, NULL},
	{"signed_at", FILTER_TIME, NULL},
	{NULL, 0, NULL},
};

struct problem *agreements_read(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = agreements_db_read(req->app->pool, &a, req->params[0], &json);
	return response_from(res, 200, p, json);
}

struct problem *agreements_document(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	unsigned char *pdf = NULL;
	size_t len = 0;
	struct problem *p = agreements_db_document(req->app->pool, &a, req->params[0], &pdf, &len);
	return response_pdf(res, p, pdf, len);
}

static bool is_email(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at > s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t\r\n<>") && strlen(s) <= 80;
}

/* Signer name and e-mail as the agreements table takes them. */
static struct problem *check_signer(const char *name, const char *email, const char *name_property,
				    const char *email_property)
{
	if (!name || !*name || strlen(name) > 128)
		return problem_invalid(name_property, "The signer's name: 1 to 128 characters.");
	if (!email || !is_email(email))
		return problem_invalid(email_property, "The signer's e-mail address (at most 80 characters).");
	return NULL;
}

struct problem *agreements_signed_copy_create(struct request *req, struct response *res)
{
	struct filter_values v;
	struct problem *p = filters_parse(req, agreements_signed_copy_query, &v);
	if (p)
		return p;
	const char *name = v.values[0], *email = v.values[1], *signed_at = v.values[2];
	if (!signed_at)
		p = problem_invalid("signed_at", "When the copy was signed (RFC 3339) is required.");
	if (!p)
		p = check_signer(name, email, "signer_name", "signer_email");
	if (!p && (req->raw_body_len > SIGNED_PDF_MAX ||
		   !loa_pdf_looks_valid((const unsigned char *)req->raw_body, req->raw_body_len)))
		p = problem_invalid("signed_copy", "Upload the whole signed PDF document (%%PDF- header to %%%%EOF).");
	char *json = NULL;
	if (!p) {
		struct actor a = request_actor(req);
		struct agreement_signature sig = {.signer_name = name,
						  .signer_email = email,
						  .signed_at = signed_at,
						  .pdf = (const unsigned char *)req->raw_body,
						  .pdf_len = req->raw_body_len};
		p = agreements_db_upload(req->app->pool, &a, req->params[0], &sig, &json);
	}
	filters_clear(&v);
	return response_from(res, 200, p, json);
}

bool agreements_signature_ok(const char *key, const char *body, size_t len, const char *header)
{
	unsigned char want[crypto_auth_hmacsha256_BYTES], got[crypto_auth_hmacsha256_BYTES + 1];
	size_t got_len = 0;
	if (!key || !*key || !header || sodium_init() < 0 ||
	    sodium_base642bin(got, sizeof(got), header, strlen(header), " ", &got_len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got_len != sizeof(want))
		return false;
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, want);
	return sodium_memcmp(want, got, sizeof(want)) == 0;
}

/* The signed document of a completed envelope: the first content document
 * of envelopeSummary.envelopeDocuments (DocuSign Connect's JSON SIM), else
 * the first of data.documents. */
static const char *signed_pdf_base64(json_t *data)
{
	json_t *docs = json_object_get(json_object_get(data, "envelopeSummary"), "envelopeDocuments");
	if (!json_is_array(docs))
		docs = json_object_get(data, "documents");
	size_t i;
	json_t *d;
	json_array_foreach (docs, i, d) {
		const char *type = json_string_value(json_object_get(d, "type"));
		const char *bytes = json_string_value(json_object_get(d, "PDFBytes"));
		if (bytes && (!type || strcmp(type, "summary") != 0))
			return bytes;
	}
	return NULL;
}

/* The completed envelope's signature out of data (sig->pdf malloc'd). */
static struct problem *completed_signature(json_t *data, struct agreement_signature *sig)
{
	json_t *summary = json_object_get(data, "envelopeSummary");
	const char *status = json_string_value(json_object_get(summary, "status"));
	if (!status || strcmp(status, "completed") != 0)
		return problem_invalid("data.envelopeSummary.status",
				       "An envelope-completed event says \"completed\".");
	json_t *signer = json_array_get(json_object_get(json_object_get(summary, "recipients"), "signers"), 0);
	sig->signer_name = json_string_value(json_object_get(signer, "name"));
	sig->signer_email = json_string_value(json_object_get(signer, "email"));
	struct problem *p = check_signer(sig->signer_name, sig->signer_email, "data.envelopeSummary.recipients.signers",
					 "data.envelopeSummary.recipients.signers");
	if (p)
		return p;
	sig->signed_at = json_string_value(json_object_get(signer, "signedDateTime"));
	if (!sig->signed_at)
		sig->signed_at = json_string_value(json_object_get(summary, "completedDateTime"));
	if (!sig->signed_at || !util_is_rfc3339(sig->signed_at))
		return problem_invalid("data.envelopeSummary.recipients.signers",
				       "The signer's signedDateTime (RFC 3339) is required.");
	const char *b64 = signed_pdf_base64(data);
	size_t b64_len = b64 ? strlen(b64) : 0;
	unsigned char *pdf = xmalloc(b64_len / 4 * 3 + 3);
	size_t len = 0;
	if (!b64 ||
	    sodium_base642bin(pdf, b64_len / 4 * 3 + 3, b64, b64_len, "\r\n ", &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len > SIGNED_PDF_MAX || !loa_pdf_looks_valid(pdf, len)) {
		free(pdf);
		return problem_invalid("data.envelopeSummary.envelopeDocuments",
				       "The signed document (PDFBytes: base64 of a whole PDF) is required.");
	}
	sig->pdf = pdf;
	sig->pdf_len = len;
	return NULL;
}

struct problem *agreements_callback_parse(const char *body, size_t len, struct agreement_callback *cb, json_t **j_out)
{
	json_t *j = NULL;
	memset(cb, 0, sizeof(*cb));
	struct problem *p = json_body_parse(body, len, JSON_BODY_MAX_DEPTH, true, &j);
	if (p)
		return p;
	if (!j)
		return problem_invalid("event", "The body is empty.");
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)body, len);
	sodium_bin2hex(cb->body_sha256, sizeof(cb->body_sha256), digest, sizeof(digest));
	json_t *data = json_object_get(j, "data");
	cb->event = json_string_value(json_object_get(j, "event"));
	cb->generated_at = json_string_value(json_object_get(j, "generatedDateTime"));
	cb->envelope_id = json_string_value(json_object_get(data, "envelopeId"));
	if (!cb->event || !*cb->event || strlen(cb->event) > 64)
		p = problem_invalid("event", "The Connect event (envelope-completed, ...) is required.");
	else if (!cb->generated_at || !util_is_rfc3339(cb->generated_at))
		p = problem_invalid("generatedDateTime", "When the provider sent the event (RFC 3339) is required.");
	else if (!cb->envelope_id || !*cb->envelope_id || strlen(cb->envelope_id) > 64)
		p = problem_invalid("data.envelopeId", "The envelope's id is required.");
	else if (strcmp(cb->event, "envelope-completed") == 0)
		p = completed_signature(data, &cb->sig);
	if (p) {
		json_decref(j);
		memset(cb, 0, sizeof(*cb));
		return p;
	}
	*j_out = j;
	return NULL;
}

/* DocuSign Connect signs the body once per HMAC key of the account, one
 * header each (X-DocuSign-Signature-1, -2, ...): while the exchange rotates
 * its key, by the old and the new one, and ours may be either. The first
 * SIGNATURE_HEADERS are looked at, so that a forger's many headers cost
 * few HMACs. */
enum { SIGNATURE_HEADERS = 5 };

static bool signed_with(const struct request *req, const char *key, const char *body)
{
	for (int i = 1; i <= SIGNATURE_HEADERS; i++) {
		char name[40];
		snprintf(name, sizeof(name), "X-DocuSign-Signature-%d", i);
		const char *header = request_header(req, name);
		if (header && agreements_signature_ok(key, body, req->raw_body_len, header))
			return true;
	}
	return false;
}

struct problem *agreements_signature_callback(struct request *req, struct response *res)
{
	const char *key = req->app->cfg->esign_hmac_key;
	if (!key || !*key)
		return problem_new(PROBLEM_UNAVAILABLE,
				   "E-signature callbacks are not configured here (IXAPI_ESIGN_HMAC_KEY).");
	const char *body = req->raw_body ? req->raw_body : "";
	if (!signed_with(req, key, body))
		return problem_new(PROBLEM_AUTHENTICATION,
				   "No X-DocuSign-Signature-N header (N = 1 to 5) signs this body with this exchange's"
				   " key.");
	struct agreement_callback cb;
	json_t *j = NULL;
	struct problem *p = agreements_callback_parse(body, req->raw_body_len, &cb, &j);
	if (p)
		return p;
	char *json = NULL;
	p = agreements_db_callback(req->app->pool, req->id, &cb, &json);
	free((void *)cb.sig.pdf);
	json_decref(j);
	return response_from(res, 200, p, json);
}
