/*
 * The SMTP sink (tests/tools/smtp-sink.py) for integration tests: a real
 * SMTP server process on a free port writing each message it takes to
 * DIR/<n>.eml (with its envelope in DIR/<n>.json), and a reader of those
 * messages through Python's MIME parser (tests/tools/mail-parts.py), so a
 * test asserts on what a mail client would see.
 */
#ifndef IXAPI_TESTS_SMTP_SINK_H
#define IXAPI_TESTS_SMTP_SINK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct itest_smtp_sink {
	pid_t pid;
	int port;
	char dir[256]; /* a fresh temporary folder: the messages and sink.log */
	char url[64];  /* smtp://127.0.0.1:PORT (smtps:// with --smtps) */
};

/* Starts the sink with extra arguments (NULL-terminated, or NULL): e.g.
 * "--starttls", cert, key, "--auth", "user:pass", "--fail-first", "2".
 * Returns 0 once it listens (10 s at most). */
int itest_smtp_sink_start(struct itest_smtp_sink *s, const char *const *args);
/* SIGTERM to its pid, waits; the folder stays (for a failing test's reader). */
void itest_smtp_sink_stop(struct itest_smtp_sink *s);
/* Stops it and removes its folder. */
void itest_smtp_sink_remove(struct itest_smtp_sink *s);

/* How many messages dir holds. */
int itest_mail_count(const char *dir);
/* True once dir holds n messages or more (timeout_ms at most). */
bool itest_mail_wait(const char *dir, int n, int timeout_ms);
/* The envelope of message n ({"mail_from", "rcpt_tos", "tls", "auth_user",
 * "attempt"}), new reference, NULL when none. */
json_t *itest_mail_envelope(const char *dir, int n);

/* Message n taken apart: headers (see mail-parts.py; new reference), the
 * text body and the attachments. */
struct itest_mail {
	json_t *headers;
	char *body;          /* NUL-terminated UTF-8 */
	json_t *attachments; /* [{"filename", "content_type", "size"}] */
	char parts_dir[300]; /* attachment-<name> files */
};
int itest_mail_parse(const char *dir, int n, struct itest_mail *m);
/* The decoded bytes of an attachment (caller frees), NULL when none. */
unsigned char *itest_mail_attachment(const struct itest_mail *m, const char *name, size_t *len);
void itest_mail_free(struct itest_mail *m);

/* A self-signed certificate for CN=localhost (and IP 127.0.0.1) made with
 * `openssl req` into dir/cert.pem and dir/key.pem. 0 on success. */
int itest_self_signed_cert(const char *dir);

#endif
