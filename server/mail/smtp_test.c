/*
 * Unit tests of the mail headers (mail/smtp.h): the lines as written, a
 * non-ASCII subject as RFC 2047 words that decode back and never cut a
 * character, and every way a value could inject a header refused.
 */
#include "mail/smtp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

static struct mail_message sample(void)
{
	return (struct mail_message){.from = "noc@ix.example",
				     .to = "signer@member.example",
				     .subject = "Your connection agreement",
				     .body = "Hello",
				     .message_id = "<0123abcd@ix.example>",
				     .date = 0};
}

static int build(const struct mail_message *m, char *lines[MAIL_HEADERS], char *err)
{
	return mail_headers_build(m, lines, err, 256);
}

static void test_plain_headers(void **state)
{
	(void)state;
	struct mail_message m = sample();
	m.date = 1796176723; /* 2026-12-02 01:58:43 UTC, a Wednesday */
	char *lines[MAIL_HEADERS], err[256];
	assert_int_equal(build(&m, lines, err), 0);
	assert_string_equal(lines[0], "From: noc@ix.example");
	assert_string_equal(lines[1], "To: signer@member.example");
	assert_string_equal(lines[2], "Subject: Your connection agreement");
	assert_string_equal(lines[3], "Date: Wed, 02 Dec 2026 01:58:43 +0000");
	assert_string_equal(lines[4], "Message-ID: <0123abcd@ix.example>");
	assert_string_equal(lines[5], "MIME-Version: 1.0");
	mail_headers_free(lines);
	m.date = 0;
	assert_int_equal(build(&m, lines, err), 0);
	assert_string_equal(lines[3], "Date: Thu, 01 Jan 1970 00:00:00 +0000");
	mail_headers_free(lines);
}

/* The subject's words decoded and joined. */
static void decode_subject(const char *line, char *out, size_t out_len)
{
	const char *p = line + strlen("Subject: ");
	size_t used = 0;
	while ((p = strstr(p, "=?UTF-8?B?"))) {
		p += 10;
		const char *end = strstr(p, "?=");
		assert_non_null(end);
		unsigned char bin[128];
		size_t n = 0;
		assert_int_equal(sodium_base642bin(bin, sizeof(bin), p, (size_t)(end - p), NULL, &n, NULL,
						   sodium_base64_VARIANT_ORIGINAL),
				 0);
		assert_true(n > 0);
		assert_true((bin[0] & 0xc0) != 0x80); /* a word starts a character */
		assert_true(used + n < out_len);
		memcpy(out + used, bin, n);
		used += n;
		p = end + 2;
	}
	out[used] = '\0';
}

static void test_utf8_subject_encoded_and_folded(void **state)
{
	(void)state;
	struct mail_message m = sample();
	m.subject = "Ihre Anschlussvereinbarung für Exämple Netwörks — bitte unterzeichnen (Größe, Übergabe: äöü ÄÖÜ "
		    "ß é è ê ñ å ø æ ç) 日本語のテキスト";
	char *lines[MAIL_HEADERS], err[256], back[512];
	assert_int_equal(build(&m, lines, err), 0);
	assert_int_equal(strncmp(lines[2], "Subject: =?UTF-8?B?", 19), 0);
	/* folded: every physical line at most 76 columns, continuation lines start with a space */
	int physical = 0;
	for (const char *line = lines[2]; line; physical++) {
		const char *crlf = strstr(line, "\r\n");
		size_t len = crlf ? (size_t)(crlf - line) : strlen(line);
		assert_true(len <= 76);
		assert_null(memchr(line, '\n', len));
		assert_null(memchr(line, '\r', len));
		if (physical > 0)
			assert_int_equal(line[0], ' ');
		line = crlf ? crlf + 2 : NULL;
	}
	assert_true(physical >= 3);
	decode_subject(lines[2], back, sizeof(back));
	assert_string_equal(back, m.subject);
	mail_headers_free(lines);

	/* plain ASCII that looks like an encoded word is encoded, so it reads as written */
	m.subject = "=?UTF-8?B?SGk=?= is not an encoded word";
	assert_int_equal(build(&m, lines, err), 0);
	decode_subject(lines[2], back, sizeof(back));
	assert_string_equal(back, m.subject);
	mail_headers_free(lines);
}

static void refused(struct mail_message m, const char *why)
{
	char *lines[MAIL_HEADERS], err[256] = "";
	assert_int_equal(build(&m, lines, err), -1);
	for (int i = 0; i < MAIL_HEADERS; i++)
		assert_null(lines[i]);
	assert_non_null(strstr(err, why));
}

static void test_injection_refused(void **state)
{
	(void)state;
	struct mail_message m = sample();
	static const char *const subjects[] = {"Hi\r\nBcc: victim@x.example",
					       "Hi\nBcc: victim@x.example",
					       "Hi\rBcc: victim@x.example",
					       "tab\there",
					       "nul-less \x7f",
					       ""};
	for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		m = sample();
		m.subject = subjects[i];
		refused(m, "subject");
	}
	static const char *const addresses[] = {"a@b.example\r\nBcc: victim@x.example",
						"a@b.example\n",
						"a@b.example, victim@x.example",
						"A <a@b.example>",
						"a b@c.example",
						"a@b@c.example",
						"@b.example",
						"a@",
						"noat.example",
						"\"quoted\"@b.example",
						"a;b@c.example",
						"",
						"\xc3\xa4@b.example"};
	for (size_t i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++) {
		m = sample();
		m.to = addresses[i];
		refused(m, "recipient");
		m = sample();
		m.from = addresses[i];
		refused(m, "sender");
		assert_false(mail_address_ok(addresses[i]));
	}
	m = sample();
	m.to = NULL;
	refused(m, "recipient");
	static const char *const ids[] = {"<a@b>\r\nBcc: x@y", "a@b", "<ab>", "<@b>", "<a@>", "<a b@c>", NULL};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		m = sample();
		m.message_id = ids[i];
		refused(m, "Message-ID");
	}
	char long_subject[1000];
	memset(long_subject, 'x', sizeof(long_subject) - 1);
	long_subject[sizeof(long_subject) - 1] = '\0';
	m = sample();
	m.subject = long_subject;
	refused(m, "subject");
}

static void test_message_id(void **state)
{
	(void)state;
	char a[128], b[128];
	assert_int_equal(mail_message_id_new("noc@ix.example", a, sizeof(a)), 0);
	assert_int_equal(mail_message_id_new("noc@ix.example", b, sizeof(b)), 0);
	assert_int_equal(strlen(a), 1 + 32 + 1 + strlen("ix.example") + 1);
	assert_int_equal(a[0], '<');
	assert_string_equal(a + 33, "@ix.example>");
	for (int i = 1; i <= 32; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	assert_string_not_equal(a, b);
	assert_int_equal(mail_message_id_new("no-domain", a, sizeof(a)), -1);
	assert_int_equal(mail_message_id_new("a@b\r\n.example", a, sizeof(a)), -1);
	assert_int_equal(mail_message_id_new(NULL, a, sizeof(a)), -1);
	/* what it makes, the headers take */
	struct mail_message m = sample();
	assert_int_equal(mail_message_id_new("noc@ix.example", b, sizeof(b)), 0);
	m.message_id = b;
	char *lines[MAIL_HEADERS], err[256];
	assert_int_equal(build(&m, lines, err), 0);
	mail_headers_free(lines);
}

static void test_attachment_type(void **state)
{
	(void)state;
	assert_string_equal(mail_attachment_type("agreement.pdf"), "application/pdf");
	assert_string_equal(mail_attachment_type("LOA.PDF"), "application/pdf");
	assert_string_equal(mail_attachment_type("notes.txt"), "text/plain");
	assert_string_equal(mail_attachment_type("data.bin"), "application/octet-stream");
	assert_string_equal(mail_attachment_type("noext"), "application/octet-stream");
}

static void test_send_without_server(void **state)
{
	(void)state;
	struct mail_message m = sample();
	struct smtp_settings s = {.url = "", .from = "noc@ix.example"};
	char err[256] = "";
	assert_int_equal(smtp_send(&s, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "IXAPI_SMTP_URL"));
	/* a header that would inject is refused before any connection */
	s.url = "smtp://127.0.0.1:1";
	m.subject = "x\r\nBcc: y@z.example";
	assert_int_equal(smtp_send(&s, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "subject"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_headers),     cmocka_unit_test(test_utf8_subject_encoded_and_folded),
		cmocka_unit_test(test_injection_refused), cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_attachment_type),   cmocka_unit_test(test_send_without_server),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
