/*
 * Allocation and parsing helpers: every allocation failure ends the process (see util.h).
 */
#include "core/util.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die_oom(void)
{
	fputs("ixapid: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

/* jansson's allocations follow the same policy. Done before main() (util.o is
 * in every program that allocates), so no JSON value is made before it and
 * json_dumps() text stays free()-able. */
__attribute__((constructor)) static void json_alloc_abort_on_oom(void)
{
	json_set_alloc_funcs(xmalloc, free);
}

char *xstrdup(const char *s)
{
	if (!s)
		return NULL;
	char *p = strdup(s);
	if (!p)
		die_oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *out = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&out, fmt, ap);
	va_end(ap);
	if (n < 0)
		die_oom();
	return out;
}

bool util_parse_ll(const char *s, long long min, long long max, long long *out)
{
	if (!s || !*s)
		return false;
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool util_is_id(const char *s)
{
	long long v;
	return s && *s != '-' && util_parse_ll(s, 1, INT64_MAX, &v);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool util_is_rfc3339(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i = 0;
	for (; shape[i]; i++)
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return false;
	const char *rest = s + i;
	if (*rest == '.') {
		rest++;
		if (!is_digit(*rest))
			return false;
		while (is_digit(*rest))
			rest++;
	}
	if (strcmp(rest, "Z") == 0 || strcmp(rest, "z") == 0)
		return true;
	return (rest[0] == '+' || rest[0] == '-') && is_digit(rest[1]) && is_digit(rest[2]) && rest[3] == ':' &&
	       is_digit(rest[4]) && is_digit(rest[5]) && rest[6] == '\0';
}

bool util_is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return false;
	return s[10] == '\0';
}

long long util_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

long long util_now_s(void)
{
	return (long long)time(NULL);
}

void util_rfc3339(long long t, char *out, size_t out_len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, out_len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void strbuf_put(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->text = xrealloc(b->text, b->cap);
	}
	memcpy(b->text + b->len, s, n);
	b->len += n;
	b->text[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_put(b, s, strlen(s));
}
