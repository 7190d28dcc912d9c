/*
 * Connection agreements (issue 12, step 3) against a real ixapid with its
 * workers and a real PostgreSQL: the agreement.issue job renders and stores
 * the agreement and queues its mail to the contract signer with the PDF;
 * the e-signature provider's callback (HMAC-signed, DocuSign Connect JSON)
 * records the signature and moves the application to port assignment; a
 * replayed, forged, stale or misdirected callback is refused and changes
 * nothing; an operator's upload of the signed copy does the same as the
 * callback (members: 403); an unsigned agreement keeps the application in
 * step `agreement` with the account's and the connection's status entries.
 * The applications API is another part's: the applications are made in SQL
 * (itest_sql_application).
 */
#include "harness.h"
#include "adapter_ctl.h"

#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fixtures.h"

#define HMAC_KEY   "itest-esign-connect-key-5bf0a1"
#define SIGNED_PDF "%PDF-1.4\n1 0 obj << /Signed (Erika Example) >> endobj\ntrailer << >>\n%%EOF\n"
#define CALLBACK   "/agreements/signature-callback"
#define DECLINED_Q                                                                                                     \
	"SELECT count(*) FROM status_entries s JOIN applications p ON p.id = %s"                                       \
	" WHERE s.object_type = 'account' AND s.object_id = p.account"                                                 \
	"   AND s.tag = 'onboarding.agreement_declined' AND s.severity = 4"

static struct test_adapter adapter;
static struct itest_server server;
static char *operator_token, *member_token;

/* An applicant whose application is approved (step agreement), with its
 * connection and the `agreement_unsigned` entries approval leaves, and
 * (after issue()) its agreement. */
struct applicant {
	char app[16], account[16], conn[16], agreement[16], envelope[80];
};

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&server, &operator_token, &member_token) != 0 ||
	    itest_adapter_for_devices(&server, &adapter, NULL) != 0 || sodium_init() < 0)
		return -1;
	setenv("IXAPI_WORKERS", "1", 1);
	setenv("IXAPI_JOB_POLL_MS", "200", 1);
	setenv("IXAPI_ESIGN_HMAC_KEY", HMAC_KEY, 1);
	itest_stop_server(&server);
	return itest_start_server(&server);
}

static int teardown(void **state)
{
	(void)state;
	test_adapter_stop(&adapter);
	return itest_finish_tokens(&server, operator_token, member_token);
}

/* An approved application of `type` submitted by the seeded member, whose
 * agreement.issue job has run. */
static void issue(struct applicant *a, const char *type, long long asn)
{
	char q[512], ra[16];
	memset(a, 0, sizeof(*a));
	itest_sql_application(server.member_creds.account, type, "agreement", asn, a->app, a->account);
	itest_make_connection(operator_token, a->account, a->conn, ra);
	snprintf(
		q, sizeof(q),
		"UPDATE applications SET connection = %s WHERE id = %s;"
		" SELECT status_set('account', %s, 'onboarding.agreement_unsigned', 4, 'unsigned', '{}');"
		" SELECT status_set('connection', %s, 'onboarding.agreement_unsigned', 4, 'unsigned', '{}');"
		" INSERT INTO jobs (kind, payload) VALUES ('agreement.issue', jsonb_build_object('application', '%s'))",
		a->conn, a->app, a->account, a->conn, a->app);
	sql(q, NULL, 0);
	snprintf(q, sizeof(q), "SELECT count(*) FROM agreements WHERE application = %s", a->app);
	assert_true(itest_wait_for(q, "1", 20000));
	snprintf(q, sizeof(q), "SELECT id FROM agreements WHERE application = %s", a->app);
	sql(q, a->agreement, sizeof(a->agreement));
	snprintf(q, sizeof(q), "SELECT envelope_id FROM agreements WHERE application = %s", a->app);
	sql(q, a->envelope, sizeof(a->envelope));
}

/* What a refused request must leave as it was: the agreements, the
 * applications, the onboarding status entries, the callbacks taken, the
 * onboarding jobs, the mails and the events of agreements and applications. */
static void fingerprint(char *out, size_t len)
{
	sql("SELECT md5(concat("
	    " (SELECT string_agg(a::text, ',' ORDER BY a.id) FROM agreements a),"
	    " (SELECT string_agg(p::text, ',' ORDER BY p.id) FROM applications p),"
	    " (SELECT string_agg(s::text, ',' ORDER BY s.id) FROM status_entries s WHERE s.tag LIKE 'onboarding.%'),"
	    " (SELECT string_agg(c::text, ',' ORDER BY c.body_sha256) FROM signature_callbacks c),"
	    " (SELECT string_agg(j.id || j.kind || j.payload::text, ',' ORDER BY j.id) FROM jobs j"
	    "   WHERE j.kind LIKE 'onboarding.%' OR j.kind LIKE 'agreement.%' OR j.kind = 'mail.send'),"
	    " (SELECT string_agg(m.id || m.recipient, ',' ORDER BY m.id) FROM mails m),"
	    " (SELECT string_agg(e::text, ',' ORDER BY e.id) FROM events e"
	    "   WHERE e.object_type IN ('agreement', 'application'))))",
	    out, len);
}

/* RFC 3339 UTC, `ago_s` seconds ago, with DocuSign's 7 fractional digits. */
static void time_ago(long ago_s, char *out, size_t len)
{
	time_t t = time(NULL) - ago_s;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%S.1234567Z", &tm);
}

static char *base64_of(const void *data, size_t len)
{
	size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(n);
	sodium_bin2base64(b64, n, data, len, sodium_base64_VARIANT_ORIGINAL);
	return b64;
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, data, len);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

/* A DocuSign Connect (JSON SIM) event about `envelope` (caller frees). */
static char *connect_event(const char *event, const char *envelope, long generated_ago_s, const char *pdf)
{
	char generated[48], signed_at[48];
	time_ago(generated_ago_s, generated, sizeof(generated));
	time_ago(generated_ago_s + 60, signed_at, sizeof(signed_at));
	char *b64 = pdf ? base64_of(pdf, strlen(pdf)) : NULL;
	json_t *signer = json_pack("{s:s, s:s, s:s, s:s}", "name", "Erika Example", "email", "erika@applicant.example",
				   "signedDateTime", signed_at, "status", "completed");
	json_t *docs = json_array();
	json_array_append_new(docs, json_pack("{s:s, s:s}", "type", "summary", "PDFBytes", "bm90IHRoaXMgb25l"));
	if (b64)
		json_array_append_new(docs, json_pack("{s:s, s:s, s:s}", "type", "content", "name", "agreement.pdf",
						      "PDFBytes", b64));
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:{s:s, s:s, s:{s:[o]}, s:o}}}", "event", event,
			      "apiVersion", "v2.1", "uri", "/restapi/v2.1/accounts/1/envelopes", "generatedDateTime",
			      generated, "data", "accountId", "1", "envelopeId", envelope, "envelopeSummary", "status",
			      strcmp(event, "envelope-completed") == 0 ? "completed" : "sent", "completedDateTime",
			      signed_at, "recipients", "signers", signer, "envelopeDocuments", docs);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	free(b64);
	return text;
}

/* The base64 HMAC-SHA256 of body with key (DocuSign's header value). */
static char *signature_of(const char *key, const char *body)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	return base64_of(mac, sizeof(mac));
}

/* POSTs body to the callback route signed with key (NULL: no signature
 * header); asserts `status` (and a problem for 4xx). Returns the answer. */
static json_t *post_callback(const char *body, const char *key, long status)
{
	char sig[128] = "";
	if (key) {
		char *b64 = signature_of(key, body);
		snprintf(sig, sizeof(sig), "X-DocuSign-Signature-1: %s", b64);
		free(b64);
	}
	const char *headers[] = {"Content-Type: application/json", key ? sig : NULL, NULL};
	struct http_result r;
	assert_int_equal(http_call(&server, "POST", CALLBACK, NULL, body, headers, &r), 0);
	if (r.status != status)
		fail_msg("callback answered %ld, wanted %ld: %s", r.status, status, r.body);
	if (status >= 400)
		assert_true(itest_is_problem(&r, status, NULL));
	json_t *j = json_incref(r.j);
	http_result_free(&r);
	return j;
}

__attribute__((format(printf, 1, 2))) static long long count_of(const char *fmt, ...)
{
	char q[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	return count(q);
}

__attribute__((format(printf, 3, 4))) static void value_of(char *out, size_t len, const char *fmt, ...)
{
	char q[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	sql(q, out, len);
}

/* The job renders and stores the agreement, queues its mail to the contract
 * signer with the PDF attached, and does nothing the second time; until it
 * is signed the application stays in `agreement` with the status entries.
 * Reads: operators, the submitter (with the envelope), the applicant's
 * account (without), nobody else. */
static void test_issue_stores_and_mails(void **state)
{
	(void)state;
	struct applicant a;
	issue(&a, "member", 196611);
	char v[256], path[96];
	value_of(v, sizeof(v), "SELECT variant || ' ' || state FROM agreements WHERE id = %s", a.agreement);
	assert_string_equal(v, "member sent");
	assert_int_equal(count_of("SELECT count(*) FROM agreements WHERE id = %s AND substr(document, 1, 5) = '%%PDF-'"
				  " AND octet_length(document) > 1000"
				  " AND document_sha256 = encode(sha256(document), 'hex')"
				  " AND envelope_id ~ '^env-[0-9a-f]{32}$'",
				  a.agreement),
			 1);
	/* the mail: to the contract signer, the PDF attached, its send job queued */
	assert_int_equal(
		count_of("SELECT count(*) FROM mails m JOIN agreements a ON a.id = m.object_id"
			 " WHERE m.object_type = 'agreement' AND a.id = %s"
			 "   AND m.recipient = 'contract_signer-196611@applicant.example'"
			 "   AND m.attachment_name = 'agreement.pdf' AND m.attachment = a.document"
			 "   AND m.subject LIKE 'Connection agreement AGR-%%' AND m.body LIKE '%%member variant%%'"
			 "   AND EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'mail.send'"
			 "               AND j.payload->>'id' = m.id::text)",
			 a.agreement),
		1);
	assert_int_equal(count_of("SELECT count(*) FROM events WHERE object_type = 'agreement' AND object_id = '%s'"
				  " AND action = 'create' AND new_value->>'state' = 'sent'"
				  " AND NOT new_value ? 'document' AND new_value->>'envelope_id' IS NULL",
				  a.agreement),
			 1);
	/* unsigned: the application waits, its account and connection say so */
	value_of(v, sizeof(v), "SELECT step FROM applications WHERE id = %s", a.app);
	assert_string_equal(v, "agreement");
	assert_int_equal(
		count_of(
			"SELECT count(*) FROM status_entries s JOIN applications p ON p.id = %s"
			" WHERE s.tag = 'onboarding.agreement_unsigned' AND ((s.object_type = 'account'"
			" AND s.object_id = p.account) OR (s.object_type = 'connection' AND s.object_id = p.connection))",
			a.app),
		2);
	json_t *conn;
	snprintf(path, sizeof(path), "/connections/%s", a.conn);
	conn = call("GET", path, operator_token, NULL, 200);
	assert_string_equal(str(conn, "state"), "requested");
	assert_non_null(itest_tagged(json_object_get(conn, "status"), "onboarding.agreement_unsigned"));
	json_decref(conn);

	/* a second run of the job: nothing more */
	char q[256];
	snprintf(q, sizeof(q),
		 "INSERT INTO jobs (kind, payload) VALUES ('agreement.issue', jsonb_build_object('application', %s))"
		 " RETURNING id",
		 a.app);
	char job[16];
	sql(q, job, sizeof(job));
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	assert_true(itest_wait_for(q, "done", 20000));
	assert_int_equal(count_of("SELECT count(*) FROM agreements WHERE application = %s", a.app), 1);
	assert_int_equal(
		count_of("SELECT count(*) FROM mails WHERE object_type = 'agreement' AND object_id = %s", a.agreement),
		1);

	/* reads */
	snprintf(path, sizeof(path), "/agreements/%s", a.agreement);
	json_t *j = call("GET", path, member_token, NULL, 200); /* the submitter */
	assert_string_equal(str(j, "id"), a.agreement);
	assert_string_equal(str(j, "application"), a.app);
	assert_string_equal(str(j, "variant"), "member");
	assert_string_equal(str(j, "state"), "sent");
	assert_string_equal(str(j, "envelope_id"), a.envelope);
	assert_true(json_is_null(json_object_get(j, "signed_at")));
	char sha[65];
	snprintf(sha, sizeof(sha), "%s", str(j, "document_sha256"));
	json_decref(j);
	j = call("GET", path, operator_token, NULL, 200);
	assert_string_equal(str(j, "envelope_id"), a.envelope);
	json_decref(j);
	struct itest_credentials creds;
	assert_int_equal(itest_create_key(&server, a.account, false, &creds), 0);
	char *applicant_token = itest_login(&server, &creds, NULL);
	assert_non_null(applicant_token);
	j = call("GET", path, applicant_token, NULL, 200); /* the applicant's account: no envelope */
	assert_true(json_is_null(json_object_get(j, "envelope_id")));
	json_decref(j);
	char other_account[16];
	char *other = itest_new_tenant(operator_token,
				       "{\"name\": \"Other Tenant\", \"address\": " ITEST_APPLICANT_ADDRESS "}",
				       other_account);
	json_decref(call("GET", path, other, NULL, 404));
	json_decref(call("GET", "/agreements/99999999", member_token, NULL, 404));
	/* the document, byte for byte what document_sha256 says */
	snprintf(path, sizeof(path), "/agreements/%s/document", a.agreement);
	struct http_result r;
	assert_int_equal(http_call(&server, "GET", path, applicant_token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/pdf");
	char got[65];
	sha256_hex(r.body, r.body_len, got);
	assert_string_equal(got, sha);
	http_result_free(&r);
	json_decref(call("GET", path, other, NULL, 404));
	free(other);
	free(applicant_token);

	/* a customer's agreement is the customer variant */
	struct applicant c;
	issue(&c, "customer", 196612);
	value_of(v, sizeof(v), "SELECT variant FROM agreements WHERE id = %s", c.agreement);
	assert_string_equal(v, "customer");
}

/* The signed callback records the signature and moves the application on;
 * the same body again is a replay: 409, nothing changes. */
static void test_callback_signs_then_replay_refused(void **state)
{
	(void)state;
	struct applicant a;
	issue(&a, "member", 196613);
	char *body = connect_event("envelope-completed", a.envelope, 30, SIGNED_PDF);
	json_t *j = post_callback(body, HMAC_KEY, 200);
	assert_string_equal(str(j, "agreement"), a.agreement);
	assert_string_equal(str(j, "state"), "signed");
	assert_string_equal(str(j, "event"), "envelope-completed");
	json_decref(j);

	char sha[65], q[512], v[256];
	sha256_hex(SIGNED_PDF, strlen(SIGNED_PDF), sha);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM agreements WHERE id = %s AND state = 'signed' AND signature_source = 'callback'"
		 " AND signer_name = 'Erika Example' AND signer_email = 'erika@applicant.example'"
		 " AND signed_at BETWEEN now() - interval '3 minutes' AND now() AND signed_sha256 = '%s'"
		 " AND signed_document = convert_to(E'%s', 'UTF8') AND signed_recorded_by_key IS NULL",
		 a.agreement, sha,
		 "%PDF-1.4\\n1 0 obj << /Signed (Erika Example) >> endobj\\ntrailer << >>\\n%%EOF\\n");
	assert_int_equal(count(q), 1);
	value_of(v, sizeof(v), "SELECT step FROM applications WHERE id = %s", a.app);
	assert_string_equal(v, "port_assignment");
	/* the unsigned entries are gone; the account shows the port assignment, due at the envisioned date */
	assert_int_equal(
		count_of(
			"SELECT count(*) FROM status_entries s JOIN applications p ON p.id = %s"
			" WHERE s.tag = 'onboarding.agreement_unsigned' AND ((s.object_type = 'account'"
			" AND s.object_id = p.account) OR (s.object_type = 'connection' AND s.object_id = p.connection))",
			a.app),
		0);
	assert_int_equal(
		count_of("SELECT count(*) FROM status_entries s JOIN applications p ON p.id = %s"
			 " WHERE s.object_type = 'account' AND s.object_id = p.account"
			 "   AND s.tag = 'onboarding.port_assignment' AND s.severity = 5"
			 "   AND s.attrs->>'application' = p.id::text"
			 "   AND (s.attrs->>'due_at')::timestamptz = p.envisioned_assignment_date::timestamptz",
			 a.app),
		1);
	assert_int_equal(count_of("SELECT count(*) FROM jobs j JOIN applications p ON p.id = %s"
				  " WHERE j.kind = 'onboarding.assign' AND j.payload->>'application' = p.id::text"
				  "   AND j.run_after = p.envisioned_assignment_date::timestamptz",
				  a.app),
			 1);
	assert_int_equal(count_of("SELECT count(*) FROM events WHERE action = 'update' AND object_type = 'agreement'"
				  " AND object_id = '%s' AND new_value->>'state' = 'signed' AND actor_api_key IS NULL",
				  a.agreement),
			 1);
	assert_int_equal(count_of("SELECT count(*) FROM events WHERE action = 'update' AND object_type = 'application'"
				  " AND object_id = '%s' AND new_value->>'step' = 'port_assignment'",
				  a.app),
			 1);
	char path[64];
	snprintf(path, sizeof(path), "/agreements/%s", a.agreement);
	j = call("GET", path, member_token, NULL, 200);
	assert_string_equal(str(j, "state"), "signed");
	assert_string_equal(str(j, "signature_source"), "callback");
	assert_string_equal(str(j, "signed_sha256"), sha);
	assert_string_equal(str(j, "signer_name"), "Erika Example");
	json_decref(j);

	/* the replay */
	char before[64], after[64];
	fingerprint(before, sizeof(before));
	j = post_callback(body, HMAC_KEY, 409);
	assert_non_null(strstr(str(j, "detail"), "replay"));
	json_decref(j);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	/* a fresh callback about the signed envelope: 409 too */
	char *again = connect_event("envelope-completed", a.envelope, 10, SIGNED_PDF);
	json_decref(post_callback(again, HMAC_KEY, 409));
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	free(again);
	free(body);
}

/* A forged or missing signature: 401, nothing changes, the agreement waits. */
static void test_forged_signature_refused(void **state)
{
	(void)state;
	struct applicant a;
	issue(&a, "customer", 196614);
	char before[64], after[64], v[64];
	fingerprint(before, sizeof(before));
	char *body = connect_event("envelope-completed", a.envelope, 30, SIGNED_PDF);
	json_decref(post_callback(body, "not-the-key", 401));
	json_decref(post_callback(body, NULL, 401));
	/* the right signature of another body: the same event and a space
	 * (not an event made a second later: within the same clock second the
	 * two would be the same text) */
	size_t n = strlen(body);
	char *other = malloc(n + 2);
	assert_non_null(other);
	memcpy(other, body, n);
	memcpy(other + n, " ", 2);
	char *b64 = signature_of(HMAC_KEY, other), sig[128];
	snprintf(sig, sizeof(sig), "X-DocuSign-Signature-1: %s", b64);
	const char *headers[] = {"Content-Type: application/json", sig, NULL};
	struct http_result r;
	assert_int_equal(http_call(&server, "POST", CALLBACK, NULL, body, headers, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	free(b64);
	free(other);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	value_of(v, sizeof(v),
		 "SELECT state || ' ' || p.step FROM agreements a JOIN applications p ON p.id = a.application"
		 " WHERE a.id = %s",
		 a.agreement);
	assert_string_equal(v, "sent agreement");
	free(body);
}

/* DocuSign during a key rotation: one signature per key of the account,
 * and ours is the second header (X-DocuSign-Signature-2); the first
 * (another key's) does not sign with ours. Accepted. Ours as the sixth
 * header is not looked at: 401, nothing changed. */
static void test_rotated_key_signs_in_a_later_header(void **state)
{
	(void)state;
	struct applicant a;
	issue(&a, "customer", 196620);
	char *body = connect_event("envelope-completed", a.envelope, 30, SIGNED_PDF);
	char *ours = signature_of(HMAC_KEY, body), *theirs = signature_of("the-account's-other-key", body);
	char h1[128], h2[128], h6[128];
	snprintf(h1, sizeof(h1), "X-DocuSign-Signature-1: %s", theirs);
	snprintf(h6, sizeof(h6), "X-DocuSign-Signature-6: %s", ours);
	const char *too_late[] = {"Content-Type: application/json", h1, h6, NULL};
	char before[64], after[64];
	fingerprint(before, sizeof(before));
	struct http_result r;
	assert_int_equal(http_call(&server, "POST", CALLBACK, NULL, body, too_late, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);

	snprintf(h2, sizeof(h2), "X-DocuSign-Signature-2: %s", ours);
	const char *rotating[] = {"Content-Type: application/json", h1, h2, NULL};
	assert_int_equal(http_call(&server, "POST", CALLBACK, NULL, body, rotating, &r), 0);
	if (r.status != 200)
		fail_msg("callback answered %ld: %s", r.status, r.body);
	assert_string_equal(str(r.j, "state"), "signed");
	http_result_free(&r);
	free(ours);
	free(theirs);
	free(body);
}

/* Signed right but refused: a stale event, one from the future, an unknown
 * envelope, a completed envelope without its document, a malformed body.
 * Nothing changes (the callback is not remembered either). */
static void test_bad_callbacks_refused(void **state)
{
	(void)state;
	struct applicant a;
	issue(&a, "member", 196615);
	char before[64], after[64];
	fingerprint(before, sizeof(before));
	char *stale = connect_event("envelope-completed", a.envelope, 25 * 3600, SIGNED_PDF);
	json_t *j = post_callback(stale, HMAC_KEY, 400);
	assert_string_equal(str(json_array_get(json_object_get(j, "properties"), 0), "name"), "generatedDateTime");
	json_decref(j);
	char *ahead = connect_event("envelope-completed", a.envelope, -3600, SIGNED_PDF);
	json_decref(post_callback(ahead, HMAC_KEY, 400));
	char *unknown = connect_event("envelope-completed", "env-00000000000000000000000000000000", 30, SIGNED_PDF);
	json_decref(post_callback(unknown, HMAC_KEY, 404));
	char *no_doc = connect_event("envelope-completed", a.envelope, 30, NULL);
	j = post_callback(no_doc, HMAC_KEY, 400);
	assert_string_equal(str(json_array_get(json_object_get(j, "properties"), 0), "name"),
			    "data.envelopeSummary.envelopeDocuments");
	json_decref(j);
	char *not_pdf = connect_event("envelope-completed", a.envelope, 30, "GIF89a and not a PDF at all");
	json_decref(post_callback(not_pdf, HMAC_KEY, 400));
	json_decref(post_callback("{\"event\": \"envelope-completed\", \"data\": ", HMAC_KEY, 400));
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	/* the stale body was not remembered: nothing of it was taken */
	assert_int_equal(count("SELECT count(*) FROM signature_callbacks"),
			 count("SELECT count(*) FROM signature_callbacks WHERE received_at < now()"));
	free(stale);
	free(ahead);
	free(unknown);
	free(no_doc);
	free(not_pdf);
}

/* Other events are acknowledged: envelope-sent changes nothing of the
 * agreement; envelope-declined leaves a status entry on the account (which
 * the signature later clears). */
static void test_other_events(void **state)
{
	(void)state;
	struct applicant a;
	issue(&a, "customer", 196616);
	char *sent = connect_event("envelope-sent", a.envelope, 30, NULL);
	json_t *j = post_callback(sent, HMAC_KEY, 200);
	assert_string_equal(str(j, "state"), "sent");
	json_decref(j);
	/* its replay: refused, nothing changes */
	char before[64], after[64];
	fingerprint(before, sizeof(before));
	json_decref(post_callback(sent, HMAC_KEY, 409));
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
	char *declined = connect_event("envelope-declined", a.envelope, 20, NULL);
	json_decref(post_callback(declined, HMAC_KEY, 200));
	assert_int_equal(count_of(DECLINED_Q, a.app), 1);
	char v[64];
	value_of(v, sizeof(v),
		 "SELECT a.state || ' ' || p.step FROM agreements a JOIN applications p ON p.id = a.application"
		 " WHERE a.id = %s",
		 a.agreement);
	assert_string_equal(v, "sent agreement");
	char *completed = connect_event("envelope-completed", a.envelope, 10, SIGNED_PDF);
	json_decref(post_callback(completed, HMAC_KEY, 200));
	assert_int_equal(count_of(DECLINED_Q, a.app), 0);
	free(sent);
	free(declined);
	free(completed);
}

/* The operator's upload of the signed copy: members 403; the query and the
 * document checked; recorded as the callback records, by the operator's
 * key; a second upload (or a callback afterwards) 409. */
static void test_signed_copy(void **state)
{
	(void)state;
	struct applicant a;
	issue(&a, "member", 196617);
	const char *pdf_type[] = {"Content-Type: application/pdf", NULL};
	char path[256], before[64], after[64];
	struct http_result r;
	fingerprint(before, sizeof(before));
	snprintf(path, sizeof(path),
		 "/agreements/%s/signed-copy?signer_name=Erika%%20Example&signer_email=erika@applicant.example"
		 "&signed_at=2026-11-30T10:00:00Z",
		 a.agreement);
	assert_int_equal(http_call(&server, "POST", path, member_token, SIGNED_PDF, pdf_type, &r), 0);
	assert_true(itest_is_problem(&r, 403, "permission-denied.html"));
	http_result_free(&r);
	assert_int_equal(http_call(&server, "POST", path, operator_token, "GIF89a not a pdf", pdf_type, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	http_result_free(&r);
	char bad[256];
	snprintf(bad, sizeof(bad), "/agreements/%s/signed-copy?signer_name=Erika&signer_email=erika@applicant.example",
		 a.agreement);
	expect_naming("POST", bad, operator_token, NULL, 400, "signed_at");
	snprintf(bad, sizeof(bad),
		 "/agreements/%s/signed-copy?signer_name=Erika&signer_email=nobody&signed_at=2026-11-30T10:00:00Z",
		 a.agreement);
	assert_int_equal(http_call(&server, "POST", bad, operator_token, SIGNED_PDF, pdf_type, &r), 0);
	assert_true(itest_is_problem(&r, 400, "validation-error.html"));
	http_result_free(&r);
	snprintf(
		bad, sizeof(bad),
		"/agreements/99999999/signed-copy?signer_name=E&signer_email=e@x.example&signed_at=2026-11-30T10:00:00Z");
	assert_int_equal(http_call(&server, "POST", bad, operator_token, SIGNED_PDF, pdf_type, &r), 0);
	assert_true(itest_is_problem(&r, 404, "not-found.html"));
	http_result_free(&r);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);

	assert_int_equal(http_call(&server, "POST", path, operator_token, SIGNED_PDF, pdf_type, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.j, "state"), "signed");
	assert_string_equal(str(r.j, "signature_source"), "upload");
	assert_string_equal(str(r.j, "signed_at"), "2026-11-30T10:00:00Z");
	http_result_free(&r);
	char q[512], sha[65], v[64];
	sha256_hex(SIGNED_PDF, strlen(SIGNED_PDF), sha);
	snprintf(
		q, sizeof(q),
		"SELECT count(*) FROM agreements a JOIN api_keys k ON k.id = a.signed_recorded_by_key"
		" WHERE a.id = %s AND k.role = 'operator' AND a.signed_sha256 = '%s' AND a.signer_name = 'Erika Example'",
		a.agreement, sha);
	assert_int_equal(count(q), 1);
	value_of(v, sizeof(v), "SELECT step FROM applications WHERE id = %s", a.app);
	assert_string_equal(v, "port_assignment");
	assert_int_equal(count_of("SELECT count(*) FROM events e JOIN api_keys k ON k.id = e.actor_api_key"
				  " WHERE e.object_type = 'agreement' AND e.object_id = '%s' AND e.action = 'update'",
				  a.agreement),
			 1);

	fingerprint(before, sizeof(before));
	assert_int_equal(http_call(&server, "POST", path, operator_token, SIGNED_PDF, pdf_type, &r), 0);
	assert_true(itest_is_problem(&r, 409, NULL));
	http_result_free(&r);
	char *body = connect_event("envelope-completed", a.envelope, 30, SIGNED_PDF);
	json_decref(post_callback(body, HMAC_KEY, 409));
	free(body);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
}

/* A rejected application waits for no signature: both ways 409, nothing
 * changes. */
static void test_rejected_application_refuses(void **state)
{
	(void)state;
	struct applicant a;
	issue(&a, "member", 196618);
	char q[128];
	snprintf(q, sizeof(q), "UPDATE applications SET step = 'rejected' WHERE id = %s", a.app);
	sql(q, NULL, 0);
	char before[64], after[64], path[256];
	fingerprint(before, sizeof(before));
	const char *pdf_type[] = {"Content-Type: application/pdf", NULL};
	snprintf(path, sizeof(path),
		 "/agreements/%s/signed-copy?signer_name=E&signer_email=e@x.example&signed_at=2026-11-30T10:00:00Z",
		 a.agreement);
	struct http_result r;
	assert_int_equal(http_call(&server, "POST", path, operator_token, SIGNED_PDF, pdf_type, &r), 0);
	assert_true(itest_is_problem(&r, 409, NULL));
	http_result_free(&r);
	char *body = connect_event("envelope-completed", a.envelope, 30, SIGNED_PDF);
	json_decref(post_callback(body, HMAC_KEY, 409));
	free(body);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
}

/* Without IXAPI_ESIGN_HMAC_KEY the callback is not taken: 503 (the
 * provider retries), nothing changes. Runs last: it restarts the server. */
static void test_without_key_unavailable(void **state)
{
	(void)state;
	struct applicant a;
	issue(&a, "member", 196619);
	char before[64], after[64];
	fingerprint(before, sizeof(before));
	unsetenv("IXAPI_ESIGN_HMAC_KEY");
	itest_stop_server(&server);
	assert_int_equal(itest_start_server(&server), 0);
	char *body = connect_event("envelope-completed", a.envelope, 30, SIGNED_PDF);
	json_decref(post_callback(body, HMAC_KEY, 503));
	json_decref(post_callback(body, "", 503));
	free(body);
	fingerprint(after, sizeof(after));
	assert_string_equal(before, after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_stores_and_mails),
		cmocka_unit_test(test_callback_signs_then_replay_refused),
		cmocka_unit_test(test_forged_signature_refused),
		cmocka_unit_test(test_rotated_key_signs_in_a_later_header),
		cmocka_unit_test(test_bad_callbacks_refused),
		cmocka_unit_test(test_other_events),
		cmocka_unit_test(test_signed_copy),
		cmocka_unit_test(test_rejected_application_refuses),
		cmocka_unit_test(test_without_key_unavailable),
	};
	return cmocka_run_group_tests_name("agreements", tests, setup, teardown);
}
