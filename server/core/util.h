/*
 * Small allocation and string helpers shared by every module.
 *
 * Out-of-memory policy: abort. A provisioning server that cannot allocate a few
 * bytes is in no state to keep answering; redis and kore make the same choice.
 * jansson allocates through xmalloc too: util.c installs it with
 * json_set_alloc_funcs() before main() of every program linked with it (the
 * server, the tests, the fuzzers), so a JSON value is never silently NULL for
 * want of memory.
 */
#ifndef IXAPI_CORE_UTIL_H
#define IXAPI_CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* malloc that aborts on failure; caller frees. */
void *xmalloc(size_t size);
/* calloc that aborts on failure; caller frees. */
void *xcalloc(size_t count, size_t size);
/* realloc that aborts on failure; caller frees the result. */
void *xrealloc(void *ptr, size_t size);
/* strdup that aborts on failure; NULL in gives NULL out; caller frees. */
char *xstrdup(const char *s);
/* printf into a new string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a whole decimal integer (no sign for unsigned use, no spaces, no junk). */
bool util_parse_ll(const char *s, long long min, long long max, long long *out);
/* True when s is an object id of ours: a whole number from 1 to 2^63-1.
 * Anything else names no object (a 404, never a 400 or a 500). */
bool util_is_id(const char *s);
/* True when s has the shape of an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS,
 * optional fraction, Z or +HH:MM). The calendar is PostgreSQL's to check;
 * this keeps out its special words ("yesterday", "epoch"...). */
bool util_is_rfc3339(const char *s);
/* True when s has the shape YYYY-MM-DD (the calendar is the database's). */
bool util_is_date(const char *s);
/* Monotonic clock in microseconds. */
long long util_now_us(void);
/* Wall clock in whole seconds since the epoch. */
long long util_now_s(void);
/* Writes an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ) of t into out (>= 21 bytes). */
void util_rfc3339(long long t, char *out, size_t out_len);

/* A growing NUL-terminated string (out of memory aborts). Start with {0};
 * the caller frees .text (NULL until something is put). */
struct strbuf {
	char *text;
	size_t len, cap;
};
/* Appends n bytes of s. */
void strbuf_put(struct strbuf *b, const char *s, size_t n);
/* Appends the string s. */
void strbuf_puts(struct strbuf *b, const char *s);

#endif
