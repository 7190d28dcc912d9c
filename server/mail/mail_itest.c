/*
 * Mail through the outbox against a real ixapid (its workers, no switch or
 * route-server adapter), a real PostgreSQL and a real SMTP server (the sink,
 * tests/tools/smtp-sink.py on aiosmtpd), the messages read back with
 * Python's MIME parser: a mail queued with mail_queue() arrives once with
 * its sender, recipient, subject (UTF-8, RFC 2047), body and PDF attachment
 * byte-exact, and is marked sent with its Message-ID; STARTTLS is required
 * (a server without it gets nothing) with the certificate checked against
 * IXAPI_SMTP_CA_FILE and AUTH (a wrong password or an untrusted certificate
 * sends nothing; the password is in no log, job or event); smtps:// works;
 * GET /mails shows the mail and its job to operators; refusals are
 * retried with backoff and the mail arrives once; a dead mail job is
 * re-driven by an operator; without IXAPI_SMTP_URL the mail waits (pending,
 * no attempt) and goes once a server is configured; a recipient that could
 * inject a header is refused by the worker.
 */
#include "harness.h"
#include "smtp_sink.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixtures.h"

static struct itest_server server;
static char *operator_token, *member_token;
static struct itest_smtp_sink sink;
static char certs[256]; /* cert.pem and key.pem */

#define WRONG_PASSWORD "wrong-Pw-4711-zz"
#define RIGHT_PASSWORD "s3cret-Smtp-Pw-0815"

/* Restarts ixapid with mail settings: url NULL unsets IXAPI_SMTP_URL; the
 * other settings are "KEY=VALUE" strings, NULL-terminated. */
static void restart(const char *url, ...)
{
	assert_int_equal(itest_stop_server(&server), 0); /* a sanitizer's report or a leak is not 0 */
	static const char *const mail_keys[] = {"IXAPI_SMTP_URL",      "IXAPI_SMTP_STARTTLS",      "IXAPI_SMTP_USER",
						"IXAPI_SMTP_PASSWORD", "IXAPI_SMTP_PASSWORD_FILE", "IXAPI_SMTP_CA_FILE",
						"IXAPI_MAIL_FROM",     "IXAPI_JOB_MAX_ATTEMPTS"};
	for (size_t i = 0; i < sizeof(mail_keys) / sizeof(mail_keys[0]); i++)
		unsetenv(mail_keys[i]);
	if (url)
		setenv("IXAPI_SMTP_URL", url, 1);
	setenv("IXAPI_MAIL_FROM", "noc@ix.example", 1);
	setenv("IXAPI_JOB_MAX_ATTEMPTS", "50", 1);
	va_list ap;
	va_start(ap, url);
	const char *kv;
	while ((kv = va_arg(ap, const char *))) {
		char key[64];
		const char *eq = strchr(kv, '=');
		assert_non_null(eq);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
		setenv(key, eq + 1, 1);
	}
	va_end(ap);
	assert_int_equal(itest_start_server(&server), 0);
}

static void start_sink(const char *const *args)
{
	itest_smtp_sink_remove(&sink);
	assert_int_equal(itest_smtp_sink_start(&sink, args), 0);
}

/* Queues a mail as the onboarding steps do (mail_queue in a transaction of
 * their own); its id into id, its job's into job. */
static void queue_mail(const char *to, const char *subject_sql, const char *body_sql, const char *att_name,
		       const char *att_hex, char *id, char *job)
{
	size_t len = 1024 + strlen(subject_sql) + strlen(body_sql) + (att_hex ? strlen(att_hex) : 0);
	char *q = malloc(len);
	assert_non_null(q);
	if (att_name)
		snprintf(q, len, "SELECT mail_queue('%s', %s, %s, '%s', decode('%s', 'hex'), 'agreement', 1)", to,
			 subject_sql, body_sql, att_name, att_hex);
	else
		snprintf(q, len, "SELECT mail_queue('%s', %s, %s, NULL, NULL, 'connection', 1)", to, subject_sql,
			 body_sql);
	sql(q, id, 24);
	free(q);
	char jq[160];
	snprintf(jq, sizeof(jq), "SELECT id FROM jobs WHERE kind = 'mail.send' AND payload->>'id' = '%s'", id);
	sql(jq, job, 24);
	assert_true(*job);
}

static void job_is(const char *job, const char *state, int timeout_ms)
{
	char q[128];
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	assert_true(itest_wait_for(q, state, timeout_ms));
}

static long long job_attempts(const char *job)
{
	char q[128];
	snprintf(q, sizeof(q), "SELECT attempts FROM jobs WHERE id = %s", job);
	return count(q);
}

/* Waits until an attempt of the job after its first `after` has ended in
 * failure (its last_error is that attempt's): the job waits for its backoff
 * after it, or a later attempt was claimed (attempts counts claims, and
 * last_error is written when an attempt ends). */
static void job_failed_after(const char *job, long long after)
{
	char q[300];
	snprintf(q, sizeof(q),
		 "SELECT (attempts > %lld AND state IN ('failed', 'dead')) OR attempts > %lld + 1 FROM jobs"
		 " WHERE id = %s",
		 after, after, job);
	assert_true(itest_wait_for(q, "t", 15000));
	snprintf(q, sizeof(q), "SELECT state FROM jobs WHERE id = %s", job);
	char st[16];
	sql(q, st, sizeof(st));
	assert_string_not_equal(st, "done");
}

/* Waits until the job has failed at least once (and is not done). */
static void job_failed_once(const char *job)
{
	job_failed_after(job, 0);
}

static void last_error_has(const char *job, const char *what)
{
	char q[256], v[1100];
	snprintf(q, sizeof(q), "SELECT coalesce(last_error, '') FROM jobs WHERE id = %s", job);
	sql(q, v, sizeof(v));
	if (!strstr(v, what))
		fail_msg("job %s: last_error '%s' does not say '%s'", job, v, what);
}

/* A PDF-looking attachment with the bytes that break naive encoders: NUL,
 * CR LF, a lone dot line, 8-bit bytes. Hex into hex (2 * n + 1). */
static void test_pdf(unsigned char *bytes, size_t n, char *hex)
{
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		bytes[i] = (unsigned char)x;
	}
	memcpy(bytes, "%PDF-1.4\n", 9);
	memcpy(bytes + 100, "\r\n.\r\n\0\0.\n", 10);
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
}

/* A mail with a PDF arrives whole, once, and is marked sent. */
static void test_mail_with_attachment_arrives(void **state)
{
	(void)state;
	start_sink(NULL);
	restart(sink.url, NULL);
	enum { PDF_LEN = 5000 };
	unsigned char *pdf = malloc(PDF_LEN);
	char *hex = malloc(2 * PDF_LEN + 1);
	assert_non_null(pdf);
	assert_non_null(hex);
	test_pdf(pdf, PDF_LEN, hex);
	/* 150 characters, most of them 2-byte UTF-8: folded into several encoded words */
	const char *subject = "Ihre Anschlussvereinbarung für Exämple Netwörks B.V. — bitte unterzeichnen "
			      "(Größe, Übergabe, Zähler: äöü ÄÖÜ ß é è ê ñ å ø æ ç) und zurücksenden, danke";
	char subject_sql[512];
	snprintf(subject_sql, sizeof(subject_sql), "'%s'", subject);
	const char *body_sql = "E'Dear signer,\\n.\\nplease sign the attached agreement.\\ntrailing spaces  \\n"
			       "a long line: 0123456789012345678901234567890123456789012345678901234567890123456789"
			       "0123456789012345678901234567890123456789\\nÜmlaut line\\n-- \\nThe exchange\\n'";
	char id[24], job[24];
	queue_mail("signer@member.example", subject_sql, body_sql, "agreement.pdf", hex, id, job);
	job_is(job, "done", 15000);
	assert_true(itest_mail_wait(sink.dir, 1, 5000));
	assert_int_equal(job_attempts(job), 1);

	struct itest_mail m;
	assert_int_equal(itest_mail_parse(sink.dir, 1, &m), 0);
	assert_string_equal(str(m.headers, "from"), "noc@ix.example");
	assert_string_equal(str(m.headers, "to"), "signer@member.example");
	assert_string_equal(str(m.headers, "subject"), subject);
	assert_non_null(strstr(str(m.headers, "raw_subject"), "=?UTF-8?B?")); /* encoded, not raw 8-bit */
	assert_string_equal(str(m.headers, "mime_version"), "1.0");
	assert_string_equal(str(m.headers, "content_type"), "multipart/mixed");
	assert_true(strlen(str(m.headers, "date")) > 20);
	assert_true(json_array_size(json_object_get(m.headers, "defects")) == 0);
	char want_body[512], q[256], message_id[256], sent[8];
	snprintf(want_body, sizeof(want_body),
		 "Dear signer,\n.\nplease sign the attached agreement.\ntrailing spaces  \na long line: "
		 "0123456789012345678901234567890123456789012345678901234567890123456789"
		 "0123456789012345678901234567890123456789\nÜmlaut line\n-- \nThe exchange\n");
	assert_string_equal(m.body, want_body);
	assert_int_equal(json_array_size(m.attachments), 1);
	json_t *att = json_array_get(m.attachments, 0);
	assert_string_equal(str(att, "filename"), "agreement.pdf");
	assert_string_equal(str(att, "content_type"), "application/pdf");
	size_t got_len = 0;
	unsigned char *got = itest_mail_attachment(&m, "agreement.pdf", &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, PDF_LEN);
	assert_memory_equal(got, pdf, PDF_LEN);
	free(got);

	/* the envelope, and the record: sent, with the Message-ID it carried */
	json_t *env = itest_mail_envelope(sink.dir, 1);
	assert_string_equal(str(env, "mail_from"), "noc@ix.example");
	assert_int_equal(json_array_size(json_object_get(env, "rcpt_tos")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(env, "rcpt_tos"), 0)),
			    "signer@member.example");
	json_decref(env);
	snprintf(q, sizeof(q), "SELECT message_id FROM mails WHERE id = %s", id);
	sql(q, message_id, sizeof(message_id));
	assert_string_equal(str(m.headers, "message_id"), message_id);
	assert_non_null(strstr(message_id, "@ix.example>"));
	snprintf(q, sizeof(q), "SELECT state = 'sent' AND sent_at IS NOT NULL FROM mails WHERE id = %s", id);
	sql(q, sent, sizeof(sent));
	assert_string_equal(sent, "t");
	itest_mail_free(&m);

	/* a mail without attachment: the text alone */
	char id2[24], job2[24];
	queue_mail("tech@member.example", "'Ports assigned'", "'Your ports: p1, p2.'", NULL, NULL, id2, job2);
	job_is(job2, "done", 15000);
	assert_true(itest_mail_wait(sink.dir, 2, 5000));
	assert_int_equal(itest_mail_parse(sink.dir, 2, &m), 0);
	assert_string_equal(str(m.headers, "subject"), "Ports assigned");
	assert_string_equal(str(m.headers, "raw_subject"), "Ports assigned");
	assert_string_equal(m.body, "Your ports: p1, p2.");
	assert_int_equal(json_array_size(m.attachments), 0);
	itest_mail_free(&m);

	/* GET /mails (operators): both, newest first, with their jobs; filters */
	json_t *list = call("GET", "/mails", operator_token, NULL, 200);
	assert_int_equal(json_array_size(list), 2);
	json_t *newest = json_array_get(list, 0), *first = json_array_get(list, 1);
	assert_string_equal(str(newest, "id"), id2);
	assert_string_equal(str(first, "id"), id);
	assert_string_equal(str(first, "state"), "sent");
	assert_string_equal(str(first, "recipient"), "signer@member.example");
	assert_string_equal(str(first, "attachment_name"), "agreement.pdf");
	assert_int_equal(json_integer_value(json_object_get(first, "attachment_size")), PDF_LEN);
	assert_string_equal(str(first, "message_id"), message_id);
	assert_non_null(str(first, "sent_at"));
	assert_null(json_object_get(first, "body")); /* sizes only */
	json_t *first_job = json_object_get(first, "job");
	assert_string_equal(str(first_job, "id"), job);
	assert_string_equal(str(first_job, "state"), "done");
	assert_int_equal(json_integer_value(json_object_get(first_job, "attempts")), 1);
	json_decref(list);
	list = call("GET", "/mails?object_type=agreement&object_id=1&state=sent", operator_token, NULL, 200);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(str(json_array_get(list, 0), "id"), id);
	json_decref(list);
	list = call("GET", "/mails?state=queued", operator_token, NULL, 200);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	json_decref(call("GET", "/mails?object_id=abc", operator_token, NULL, 400));
	json_decref(call("GET", "/mails?state=lost", operator_token, NULL, 400));
	json_decref(call("GET", "/mails", member_token, NULL, 403));

	/* sent once: nothing more arrives */
	usleep(1500000);
	assert_int_equal(itest_mail_count(sink.dir), 2);
	free(pdf);
	free(hex);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static long long secret_rows(const char *secret)
{
	char q[600];
	snprintf(q, sizeof(q),
		 "SELECT (SELECT count(*) FROM jobs WHERE payload::text LIKE '%%%s%%'"
		 "          OR coalesce(last_error, '') LIKE '%%%s%%')"
		 "     + (SELECT count(*) FROM events WHERE coalesce(new_value::text, '') LIKE '%%%s%%'"
		 "          OR coalesce(old_value::text, '') LIKE '%%%s%%')",
		 secret, secret, secret, secret);
	return count(q);
}

/* STARTTLS is required and checked: a server that does not offer it gets
 * nothing; a wrong password and an untrusted certificate send nothing; the
 * right CA file and password send it over TLS with AUTH. */
static void test_starttls_and_auth(void **state)
{
	(void)state;
	char pw_file[300], wrong_file[300], ca[300];
	snprintf(pw_file, sizeof(pw_file), "%s/smtp.password", certs);
	snprintf(wrong_file, sizeof(wrong_file), "%s/wrong.password", certs);
	snprintf(ca, sizeof(ca), "IXAPI_SMTP_CA_FILE=%s/cert.pem", certs);
	write_file(pw_file, RIGHT_PASSWORD "\n");
	write_file(wrong_file, WRONG_PASSWORD "\n");
	char pw_setting[360], wrong_setting[360];
	snprintf(pw_setting, sizeof(pw_setting), "IXAPI_SMTP_PASSWORD_FILE=%s", pw_file);
	snprintf(wrong_setting, sizeof(wrong_setting), "IXAPI_SMTP_PASSWORD_FILE=%s", wrong_file);

	/* 1. a plain server, STARTTLS required: refused before any mail */
	start_sink(NULL);
	restart(sink.url, "IXAPI_SMTP_STARTTLS=1", NULL);
	char id[24], job[24];
	queue_mail("signer@member.example", "'Agreement'", "'Please sign.'", NULL, NULL, id, job);
	job_failed_once(job);
	assert_int_equal(itest_mail_count(sink.dir), 0);

	/* 2. STARTTLS offered and required, AUTH required */
	char cert[300], key[300];
	snprintf(cert, sizeof(cert), "%s/cert.pem", certs);
	snprintf(key, sizeof(key), "%s/key.pem", certs);
	const char *const tls_args[] = {"--starttls", cert, key, "--auth", "ixapi:" RIGHT_PASSWORD, NULL};
	start_sink(tls_args);
	/* a wrong password: refused */
	restart(sink.url, "IXAPI_SMTP_STARTTLS=1", "IXAPI_SMTP_USER=ixapi", wrong_setting, ca, NULL);
	job_failed_after(job, job_attempts(job));
	assert_int_equal(itest_mail_count(sink.dir), 0);
	/* the right password, but the system's CAs: the certificate is not trusted */
	restart(sink.url, "IXAPI_SMTP_STARTTLS=1", "IXAPI_SMTP_USER=ixapi", pw_setting, NULL);
	job_failed_after(job, job_attempts(job));
	assert_int_equal(itest_mail_count(sink.dir), 0);
	last_error_has(job, "certificate");
	/* the CA file and the right password: sent, over TLS, authenticated */
	restart(sink.url, "IXAPI_SMTP_STARTTLS=1", "IXAPI_SMTP_USER=ixapi", pw_setting, ca, NULL);
	job_is(job, "done", 15000);
	assert_true(itest_mail_wait(sink.dir, 1, 5000));
	json_t *env = itest_mail_envelope(sink.dir, 1);
	assert_true(json_is_true(json_object_get(env, "tls")));
	assert_string_equal(str(env, "auth_user"), "ixapi");
	json_decref(env);
	assert_int_equal(itest_mail_count(sink.dir), 1);

	/* neither password is anywhere */
	char log[300];
	snprintf(log, sizeof(log), "%s/server.log", server.workdir);
	assert_true(itest_file_contains(log, "mail through")); /* the log is the server's */
	assert_false(itest_file_contains(log, RIGHT_PASSWORD));
	assert_false(itest_file_contains(log, WRONG_PASSWORD));
	assert_int_equal(secret_rows(RIGHT_PASSWORD), 0);
	assert_int_equal(secret_rows(WRONG_PASSWORD), 0);
}

/* smtps:// (TLS from the first byte), the certificate checked against the
 * CA file: sent over TLS. */
static void test_smtps(void **state)
{
	(void)state;
	char cert[300], key[300], ca[320];
	snprintf(cert, sizeof(cert), "%s/cert.pem", certs);
	snprintf(key, sizeof(key), "%s/key.pem", certs);
	snprintf(ca, sizeof(ca), "IXAPI_SMTP_CA_FILE=%s", cert);
	const char *const args[] = {"--smtps", cert, key, NULL};
	start_sink(args);
	assert_int_equal(strncmp(sink.url, "smtps://", 8), 0);
	restart(sink.url, ca, NULL);
	char id[24], job[24];
	queue_mail("tech@member.example", "'Implicit TLS'", "'Over smtps.'", NULL, NULL, id, job);
	job_is(job, "done", 15000);
	assert_true(itest_mail_wait(sink.dir, 1, 5000));
	json_t *env = itest_mail_envelope(sink.dir, 1);
	assert_true(json_is_true(json_object_get(env, "tls")));
	json_decref(env);
}

/* The server refuses the first two tries (451): the job retries with
 * backoff and the mail arrives once. */
static void test_refusals_retried_mail_once(void **state)
{
	(void)state;
	const char *const args[] = {"--fail-first", "2", NULL};
	start_sink(args);
	restart(sink.url, NULL);
	char id[24], job[24];
	queue_mail("noc@member.example", "'Retry me'", "'Third time lucky.'", NULL, NULL, id, job);
	job_is(job, "done", 20000);
	assert_int_equal(job_attempts(job), 3);
	assert_true(itest_mail_wait(sink.dir, 1, 5000));
	json_t *env = itest_mail_envelope(sink.dir, 1);
	assert_int_equal(json_integer_value(json_object_get(env, "attempt")), 3);
	json_decref(env);
	usleep(1500000);
	assert_int_equal(itest_mail_count(sink.dir), 1);
}

/* Attempts spent: the job is dead, the mail still queued, and the
 * account it is about says so (a `mail_failed` status entry, in the API
 * too); an operator re-drives it (POST /jobs/{id}/retry) once the server
 * takes mail again, and once sent the entry goes. */
static void test_dead_then_operator_retry(void **state)
{
	(void)state;
	const char *const args[] = {"--fail-first", "1000", NULL};
	start_sink(args);
	restart(sink.url, "IXAPI_JOB_MAX_ATTEMPTS=2", NULL);
	char id[24], job[24], q[200], v[16];
	/* about the member's account (the dead job's entry shows there) */
	snprintf(q, sizeof(q),
		 "SELECT mail_queue('billing@member.example', 'Invoice address', 'Billing starts soon.', NULL, NULL,"
		 " 'account', %s)",
		 server.member_creds.account);
	sql(q, id, sizeof(id));
	snprintf(q, sizeof(q), "SELECT id FROM jobs WHERE kind = 'mail.send' AND payload->>'id' = '%s'", id);
	sql(q, job, sizeof(job));
	job_is(job, "dead", 15000);
	assert_int_equal(job_attempts(job), 2);
	assert_int_equal(itest_mail_count(sink.dir), 0);
	snprintf(q, sizeof(q), "SELECT state FROM mails WHERE id = %s", id);
	sql(q, v, sizeof(v));
	assert_string_equal(v, "queued");
	char entry[500];
	snprintf(entry, sizeof(entry),
		 "SELECT count(*) FROM status_entries WHERE object_type = 'account' AND object_id = %s"
		 " AND tag = 'mail_failed' AND severity = 3 AND attrs->>'mail' = '%s' AND attrs->>'job' = '%s'"
		 " AND message LIKE '%%billing@member.example%%'",
		 server.member_creds.account, id, job);
	sql(entry, v, sizeof(v));
	assert_string_equal(v, "1");
	char account_path[64];
	snprintf(account_path, sizeof(account_path), "/accounts/%s", server.member_creds.account);
	json_t *conn = call("GET", account_path, operator_token, NULL, 200);
	bool shown = false;
	size_t i;
	json_t *st;
	json_array_foreach (json_object_get(conn, "status"), i, st)
		shown = shown || strcmp(json_string_value(json_object_get(st, "tag")), "mail_failed") == 0;
	json_decref(conn);
	assert_true(shown);
	snprintf(q, sizeof(q), "SELECT state FROM mails WHERE id = %s", id);
	start_sink(NULL);
	restart(sink.url, NULL);
	usleep(1000000);
	job_is(job, "dead", 100); /* dead stays dead until an operator acts */
	char path[64];
	snprintf(path, sizeof(path), "/jobs/%s/retry", job);
	json_decref(call("POST", path, operator_token, NULL, 200));
	job_is(job, "done", 15000);
	assert_true(itest_mail_wait(sink.dir, 1, 5000));
	sql(q, v, sizeof(v));
	assert_string_equal(v, "sent");
	sql(entry, v, sizeof(v));
	assert_string_equal(v, "0");
}

/* No IXAPI_SMTP_URL (and no adapter): the mail waits, not claimed, not
 * dead; configured later, it goes. */
static void test_no_smtp_mail_waits(void **state)
{
	(void)state;
	restart(NULL, NULL);
	char id[24], job[24];
	queue_mail("signer@member.example", "'Waiting'", "'Sent when a server is configured.'", NULL, NULL, id, job);
	usleep(2500000); /* the workers poll every 200 ms */
	job_is(job, "pending", 100);
	assert_int_equal(job_attempts(job), 0);
	start_sink(NULL);
	restart(sink.url, NULL);
	job_is(job, "done", 15000);
	assert_true(itest_mail_wait(sink.dir, 1, 5000));
	assert_int_equal(job_attempts(job), 1);
}

/* Header injection: the table refuses CR/LF in a subject; a recipient the
 * table takes but that is no plain address (a comma: two recipients in a
 * To: header) is refused by the worker, and nothing is sent. */
static void test_header_injection_refused(void **state)
{
	(void)state;
	start_sink(NULL);
	restart(sink.url, NULL);
	char v[64];
	assert_int_not_equal(itest_sql(&server,
				       "SELECT mail_queue('a@b.example', E'Hi\\r\\nBcc: victim@x.example', 'b', NULL, "
				       "NULL, 'connection', 1)",
				       v, sizeof(v)),
			     0);
	char id[24], job[24];
	queue_mail("a,bcc=victim@x.example", "'Hi'", "'Body'", NULL, NULL, id, job);
	job_failed_once(job);
	last_error_has(job, "recipient is not a plain address");
	usleep(500000);
	assert_int_equal(itest_mail_count(sink.dir), 0);
	/* do not leave a failing job behind for the next test */
	char q[128];
	snprintf(q, sizeof(q), "UPDATE jobs SET state = 'dead' WHERE id = %s RETURNING id", job);
	sql(q, NULL, 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(certs, sizeof(certs), "/tmp/ixapi-mail-certs-XXXXXX");
	if (!mkdtemp(certs) || itest_self_signed_cert(certs) != 0)
		return -1;
	if (itest_start_with_tokens(&server, &operator_token, &member_token) != 0)
		return -1;
	unsetenv("IXAPI_ADAPTERS_FILE");
	setenv("IXAPI_WORKERS", "2", 1);
	setenv("IXAPI_JOB_POLL_MS", "200", 1);
	setenv("IXAPI_JOB_BACKOFF_BASE_MS", "100", 1);
	setenv("IXAPI_JOB_BACKOFF_CAP_MS", "300", 1);
	setenv("IXAPI_SMTP_TIMEOUT_MS", "5000", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	itest_smtp_sink_remove(&sink);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", certs);
	if (system(cmd) != 0)
		fprintf(stderr, "mail_itest: cannot remove %s\n", certs);
	return itest_finish_tokens(&server, operator_token, member_token);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mail_with_attachment_arrives),
		cmocka_unit_test(test_starttls_and_auth),
		cmocka_unit_test(test_smtps),
		cmocka_unit_test(test_refusals_retried_mail_once),
		cmocka_unit_test(test_dead_then_operator_retry),
		cmocka_unit_test(test_no_smtp_mail_waits),
		cmocka_unit_test(test_header_injection_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
