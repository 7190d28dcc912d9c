/*
 * The agreement.issue job (see agreements_job.h). The facts are read here,
 * the PDF rendered outside any transaction; what is stored and sent is
 * written by agreement_issue() when the job is marked done, so a crash
 * between the two leaves the job to run again, never a half-issued
 * agreement.
 */
#include "onboarding/agreements_job.h"

#include "core/log.h"
#include "core/util.h"
#include "onboarding/agreement_pdf.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the agreement says, read by name. No row: nothing to issue. */
static const char facts_sql[] =
	"SELECT p.id::text AS application, p.type,"
	"       o.service_provider AS exchange,"
	"       'AGR-' || p.id || '-' || to_char(current_date, 'YYYYMMDD') AS reference,"
	"       to_char(current_date, 'YYYY-MM-DD') AS date,"
	"       p.legal_name, p.registration_number,"
	"       concat_ws(', ', nullif(p.address->>'street_address', ''),"
	"                 nullif(concat_ws(' ', nullif(p.address->>'postal_code', ''),"
	"                                  nullif(p.address->>'locality', '')), ''),"
	"                 nullif(p.address->>'region', ''), nullif(p.address->>'country', '')) AS address,"
	"       (SELECT string_agg('AS' || x.asn || ' (' || CASE x.registry WHEN 'ripe_ncc' THEN 'RIPE NCC'"
	"                           ELSE upper(x.registry) END || ')', ', ' ORDER BY x.asn)"
	"          FROM application_asns x WHERE x.application = p.id) AS asns,"
	"       p.port_quantity || ' x ' || coalesce((o.physical_port_speed / 1000) || 'G', '?')"
	"       || ' port(s) of ' || o.display_name AS port_order,"
	"       f.name || ', ' || f.street_address || ', ' || f.postal_code || ' ' || f.address_locality AS facility,"
	"       p.colocation_statement AS colocation,"
	"       to_char(p.envisioned_assignment_date, 'YYYY-MM-DD') AS envisioned_date,"
	"       c.name AS signer_name, c.email AS signer_email"
	"  FROM applications p JOIN product_offerings o ON o.id = p.product_offering"
	"  JOIN facilities f ON f.id = p.facility"
	"  LEFT JOIN application_contacts ac ON ac.application = p.id AND ac.role = 'contract_signer'"
	"  LEFT JOIN contacts c ON c.id = ac.contact"
	" WHERE p.id = $1::bigint AND p.step = 'agreement'"
	"   AND NOT EXISTS (SELECT 1 FROM agreements a WHERE a.application = p.id)";

static const char *fact(const PGresult *res, const char *column)
{
	return db_get(res, 0, column);
}

/* The mail to the contract signer (caller frees). */
static char *mail_body(const PGresult *res)
{
	return xasprintf("Dear %s,\n\n"
			 "attached is the connection agreement (%s variant) between %s and %s, reference %s.\n\n"
			 "Please sign it through the e-signature envelope you receive from our signing provider, or\n"
			 "send us the signed copy. Once it is signed, the exchange assigns your ports%s%s.\n\n"
			 "Invoicing starts on the date your connection enters production, and at the latest 30 days\n"
			 "after the ports are assigned.\n\n"
			 "-- \n%s\n",
			 fact(res, "signer_name") ? fact(res, "signer_name") : "contract signer", fact(res, "type"),
			 fact(res, "exchange"), fact(res, "legal_name"), fact(res, "reference"),
			 fact(res, "envisioned_date") ? " on " : "",
			 fact(res, "envisioned_date") ? fact(res, "envisioned_date") : "", fact(res, "exchange"));
}

int agreements_handle_issue(const struct job_context *ctx, const char *job_id, json_t *payload,
			    struct job_outcome *outcome, char *err, size_t err_len)
{
	json_t *j_app = json_object_get(payload, "application");
	char application[24];
	if (json_is_integer(j_app))
		snprintf(application, sizeof(application), "%lld", (long long)json_integer_value(j_app));
	else
		snprintf(application, sizeof(application), "%s",
			 json_string_value(j_app) ? json_string_value(j_app) : "");
	if (!util_is_id(application)) {
		snprintf(err, err_len, "payload names no application");
		return -1;
	}
	const char *params[] = {application};
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool, facts_sql, 1, params, &res);
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	int rc = -1;
	unsigned char *pdf = NULL;
	size_t len = 0;
	char *b64 = NULL, *body = NULL;
	if (PQntuples(res) == 0) {
		LOG_INFO("job %s: application %s waits for no agreement (issued already, or not approved)", job_id,
			 application);
		rc = 0;
		goto out;
	}
	if (!fact(res, "signer_email")) {
		snprintf(err, err_len, "application %s names no contract signer with an e-mail address", application);
		goto out;
	}
	struct agreement_facts f = {.is_member = strcmp(fact(res, "type"), "member") == 0,
				    .exchange = fact(res, "exchange"),
				    .reference = fact(res, "reference"),
				    .date = fact(res, "date"),
				    .legal_name = fact(res, "legal_name"),
				    .registration_number = fact(res, "registration_number"),
				    .address = fact(res, "address"),
				    .asns = fact(res, "asns"),
				    .port_order = fact(res, "port_order"),
				    .facility = fact(res, "facility"),
				    .colocation = fact(res, "colocation"),
				    .envisioned_date = fact(res, "envisioned_date"),
				    .signer_name = fact(res, "signer_name"),
				    .signer_email = fact(res, "signer_email")};
	if (!agreement_pdf_render(&f, &pdf, &len)) {
		snprintf(err, err_len, "the agreement of application %s could not be rendered", application);
		goto out;
	}
	unsigned char nonce[16];
	char envelope[4 + 2 * sizeof(nonce) + 1] = "env-";
	if (sodium_init() < 0) {
		snprintf(err, err_len, "libsodium could not start");
		goto out;
	}
	randombytes_buf(nonce, sizeof(nonce));
	sodium_bin2hex(envelope + 4, sizeof(envelope) - 4, nonce, sizeof(nonce));
	size_t b64_len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	b64 = xmalloc(b64_len);
	sodium_bin2base64(b64, b64_len, pdf, len, sodium_base64_VARIANT_ORIGINAL);
	body = mail_body(res);
	char subject[200];
	snprintf(subject, sizeof(subject), "Connection agreement %s: please sign", fact(res, "reference"));
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "application", application, "pdf", b64, "envelope_id",
			      envelope, "recipient", fact(res, "signer_email"), "subject", subject, "body", body);
	outcome->kind = OUTCOME_CALL;
	outcome->call_sql = "SELECT agreement_issue($1::bigint, $2::jsonb)";
	outcome->entries = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	LOG_INFO("job %s: agreement of application %s rendered (%s variant, %zu bytes, envelope %s)", job_id,
		 application, fact(res, "type"), len, envelope);
	rc = 0;
out:
	free(pdf);
	free(b64);
	free(body);
	PQclear(res);
	return rc;
}
