/*
 * Outgoing mail through libcurl's SMTP (smtp:// with optional or required
 * STARTTLS, smtps://): one message at a time, a text/plain body and at most
 * one attachment, as MIME. The header lines are built here (mail_headers_build)
 * and refused when a value could inject a header: a CR or LF in any of them,
 * an address that is not a bare addr-spec. The mail.send job (mail_job.h) is
 * the only caller; the settings come from IXAPI_SMTP_* (core/config.h).
 */
#ifndef IXAPI_MAIL_SMTP_H
#define IXAPI_MAIL_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Borrowed strings (the configuration's). */
struct smtp_settings {
	const char *url;       /* smtp://host[:port] or smtps://host[:port] */
	bool require_starttls; /* smtp://: STARTTLS or no mail (CURLUSESSL_ALL) */
	const char *user;      /* "" or NULL: no AUTH */
	const char *password;  /* never logged, never in a job or an event */
	const char *from;      /* envelope sender and From: */
	const char *ca_file;   /* "" or NULL: the system's CAs */
	int connect_timeout_ms;
	int timeout_ms; /* the whole conversation */
};

/* One message; borrowed strings. */
struct mail_message {
	const char *from;
	const char *to;
	const char *subject;         /* UTF-8; encoded as RFC 2047 words when not plain ASCII */
	const char *body;            /* UTF-8 text; LF or CRLF line ends */
	const char *attachment_name; /* NULL: none */
	const unsigned char *attachment;
	size_t attachment_len;
	const char *message_id; /* "<...@...>" (mail_message_id_new) */
	time_t date;
};

#define MAIL_HEADERS 6 /* From, To, Subject, Date, Message-ID, MIME-Version */

/* The header lines of m (without CRLF; a long Subject is folded with CRLF
 * SP inside its line), each a new string in lines[] (caller frees each).
 * 0, or -1 with the reason in err (nothing allocated): a CR, LF or other
 * control character in a value, an address that is not local@domain of
 * printable ASCII without <>, ( ), quotes, commas or spaces, an empty or
 * over-long subject, a Message-ID not of the form <x@y>. */
int mail_headers_build(const struct mail_message *m, char *lines[MAIL_HEADERS], char *err, size_t err_len);
void mail_headers_free(char *lines[MAIL_HEADERS]);

/* True when s is an address mail_headers_build takes. */
bool mail_address_ok(const char *s);

/* A new Message-ID "<32 hex digits@domain of from>" into out (>= 128 bytes);
 * -1 when from has no usable domain. */
int mail_message_id_new(const char *from, char *out, size_t out_len);

/* The Content-Type of an attachment by its name's extension. */
const char *mail_attachment_type(const char *name);

/* Sends m through the server of s: 0 once the server took it (250 after
 * DATA), -1 with a one-line reason in err otherwise (the server's code when
 * it answered; never the password). */
int smtp_send(const struct smtp_settings *s, const struct mail_message *m, char *err, size_t err_len);

#endif
