/*
 * SMTP through libcurl (see smtp.h). One easy handle per message: mail is
 * rare (a few per application), and a fresh handle shares nothing between
 * worker threads. The headers are ours, built and checked here; libcurl
 * writes the MIME structure (multipart/mixed: the text, quoted-printable,
 * and the attachment, base64) and dot-stuffs the DATA.
 */
#include "mail/smtp.h"

#include "core/util.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define SUBJECT_MAX_BYTES 800 /* 200 characters of up to 4 bytes (the table's CHECK) */
#define WORD_BYTES        39 /* input bytes per encoded word: 52 base64 characters, "Subject: " and a word in 73 columns */

bool mail_address_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n == 0 || n > 254 || !at || at == s || !at[1] || strchr(at + 1, '@'))
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return false;
	}
	return true;
}

static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

static bool is_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			return false;
	return true;
}

static void base64_put(struct strbuf *b, const unsigned char *in, size_t n)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		char out[4] = {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63],
			       i + 1 < n ? alphabet[(v >> 6) & 63] : '=', i + 2 < n ? alphabet[v & 63] : '='};
		strbuf_put(b, out, 4);
	}
}

/* "Subject: " and the subject: as is when printable ASCII, else RFC 2047
 * B-encoded UTF-8 words of at most WORD_BYTES bytes each (never cutting a
 * character), one per line, folded with CRLF SP. */
static char *subject_line(const char *subject)
{
	struct strbuf b = {0};
	strbuf_puts(&b, "Subject: ");
	/* "=?" at the start of a plain subject would read as an encoded word */
	if (is_ascii(subject) && !strstr(subject, "=?")) {
		strbuf_puts(&b, subject);
		return b.text;
	}
	const unsigned char *p = (const unsigned char *)subject;
	size_t left = strlen(subject);
	bool first = true;
	while (left > 0) {
		size_t take = left < WORD_BYTES ? left : WORD_BYTES;
		while (take < left && take > 1 && (p[take] & 0xc0) == 0x80)
			take--; /* p[take] continues a character: end the word before it */
		if (!first)
			strbuf_puts(&b, "\r\n ");
		strbuf_puts(&b, "=?UTF-8?B?");
		base64_put(&b, p, take);
		strbuf_puts(&b, "?=");
		p += take;
		left -= take;
		first = false;
	}
	return b.text;
}

/* RFC 5322 date-time in UTC, independent of the locale. */
static void date_line(time_t t, char *out, size_t len)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, len, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static bool message_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n < 5 || n > 200 || id[0] != '<' || id[n - 1] != '>')
		return false;
	const char *at = strchr(id, '@');
	if (!at || at == id + 1 || at == id + n - 2 || strchr(at + 1, '@'))
		return false;
	for (size_t i = 1; i + 1 < n; i++) {
		unsigned char c = (unsigned char)id[i];
		if (c <= 0x20 || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return false;
	}
	return true;
}

int mail_headers_build(const struct mail_message *m, char *lines[MAIL_HEADERS], char *err, size_t err_len)
{
	memset(lines, 0, MAIL_HEADERS * sizeof(lines[0]));
	if (!mail_address_ok(m->from)) {
		snprintf(err, err_len, "the sender is not a plain address (IXAPI_MAIL_FROM)");
		return -1;
	}
	if (!mail_address_ok(m->to)) {
		snprintf(err, err_len, "the recipient is not a plain address");
		return -1;
	}
	if (!m->subject || !*m->subject || strlen(m->subject) > SUBJECT_MAX_BYTES || has_control(m->subject)) {
		snprintf(err, err_len, "the subject is empty, too long or holds a control character (CR, LF...)");
		return -1;
	}
	if (!message_id_ok(m->message_id)) {
		snprintf(err, err_len, "the Message-ID is not of the form <local@domain>");
		return -1;
	}
	char date[64];
	date_line(m->date, date, sizeof(date));
	lines[0] = xasprintf("From: %s", m->from);
	lines[1] = xasprintf("To: %s", m->to);
	lines[2] = subject_line(m->subject);
	lines[3] = xstrdup(date);
	lines[4] = xasprintf("Message-ID: %s", m->message_id);
	lines[5] = xstrdup("MIME-Version: 1.0");
	return 0;
}

void mail_headers_free(char *lines[MAIL_HEADERS])
{
	for (int i = 0; i < MAIL_HEADERS; i++) {
		free(lines[i]);
		lines[i] = NULL;
	}
}

int mail_message_id_new(const char *from, char *out, size_t out_len)
{
	const char *at = from ? strrchr(from, '@') : NULL;
	if (!at || !at[1] || strlen(at + 1) > 100 || !mail_address_ok(from))
		return -1;
	unsigned char r[16];
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	char hex[33];
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	snprintf(out, out_len, "<%s@%s>", hex, at + 1);
	return 0;
}

const char *mail_attachment_type(const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (dot && strcasecmp(dot, ".pdf") == 0)
		return "application/pdf";
	if (dot && strcasecmp(dot, ".txt") == 0)
		return "text/plain";
	return "application/octet-stream";
}

/* The body with CRLF line ends (a lone LF or CR becomes CRLF). Caller frees. */
static char *crlf_body(const char *body, size_t *len)
{
	struct strbuf b = {0};
	strbuf_puts(&b, "");
	for (const char *p = body ? body : ""; *p; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue; /* the LF writes the pair */
		if (*p == '\n' || *p == '\r')
			strbuf_put(&b, "\r\n", 2);
		else
			strbuf_put(&b, p, 1);
	}
	*len = b.len;
	return b.text;
}

int smtp_send(const struct smtp_settings *s, const struct mail_message *m, char *err, size_t err_len)
{
	int rc = -1;
	char *lines[MAIL_HEADERS] = {0};
	struct curl_slist *headers = NULL, *rcpt = NULL;
	curl_mime *mime = NULL;
	char *body = NULL;
	CURL *c = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	if (!s || !s->url || !*s->url) {
		snprintf(err, err_len, "no SMTP server configured (IXAPI_SMTP_URL)");
		return -1;
	}
	if (mail_headers_build(m, lines, err, err_len) != 0)
		return -1;
	c = curl_easy_init();
	if (!c) {
		snprintf(err, err_len, "smtp: cannot start a call");
		goto out;
	}
	for (int i = 0; i < MAIL_HEADERS; i++)
		headers = curl_slist_append(headers, lines[i]);
	char envelope[300];
	snprintf(envelope, sizeof(envelope), "<%s>", m->to);
	rcpt = curl_slist_append(rcpt, envelope);
	mime = curl_mime_init(c);
	curl_mimepart *text = curl_mime_addpart(mime);
	size_t body_len = 0;
	body = crlf_body(m->body, &body_len);
	curl_mime_data(text, body, body_len);
	curl_mime_type(text, "text/plain; charset=utf-8");
	curl_mime_encoder(text, "quoted-printable");
	if (m->attachment_name) {
		curl_mimepart *att = curl_mime_addpart(mime);
		curl_mime_data(att, (const char *)m->attachment, m->attachment_len);
		curl_mime_filename(att, m->attachment_name);
		curl_mime_type(att, mail_attachment_type(m->attachment_name));
		curl_mime_encoder(att, "base64");
	}
	snprintf(envelope, sizeof(envelope), "<%s>", m->from);
	curl_easy_setopt(c, CURLOPT_URL, s->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)s->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)s->timeout_ms);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, envelope);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(c, CURLOPT_USE_SSL, s->require_starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (s->ca_file && *s->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, s->ca_file);
	if (s->user && *s->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->password ? s->password : "");
	}
	CURLcode res = curl_easy_perform(c);
	if (res != CURLE_OK) {
		long code = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		char said[32] = "";
		if (code)
			snprintf(said, sizeof(said), ", the server's last answer %ld", code);
		snprintf(err, err_len, "smtp %s: %s%s%s%s", s->url, curl_easy_strerror(res), *errbuf ? " (" : "",
			 errbuf, *errbuf ? ")" : "");
		size_t at = strlen(err);
		snprintf(err + at, err_len - at, "%s", said);
		goto out;
	}
	rc = 0;
out:
	if (c)
		curl_easy_cleanup(c);
	curl_mime_free(mime);
	curl_slist_free_all(headers);
	curl_slist_free_all(rcpt);
	free(body);
	mail_headers_free(lines);
	return rc;
}
