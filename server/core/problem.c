/*
 * Problem objects and their RFC 7807 rendering (see problem.h).
 */
#include "core/problem.h"

#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct problem {
	enum problem_kind kind;
	char *detail;
	json_t *j_properties; /* array of {name, reason}, NULL when empty */
	int retry_after_s;    /* Retry-After of a 503, 0: the default */
	char sqlstate[6];     /* of the database error it was made from, "" if none */
};

struct problem_info {
	int status;
	const char *type;
	const char *title;
};

#define IXAPI_ERR "https://errors.ix-api.net/v2/"

static const struct problem_info problem_infos[] = {
	[PROBLEM_VALIDATION] = {400, IXAPI_ERR "validation-error.html", "Some fields did not validate."},
	[PROBLEM_AUTHENTICATION] = {401, IXAPI_ERR "authentication-error.html", "Authentication Credentials Invalid"},
	[PROBLEM_SIGNATURE_EXPIRED] = {401, IXAPI_ERR "signature-expired.html", "Signature Expired"},
	[PROBLEM_NOT_AUTHENTICATED] = {401, IXAPI_ERR "not-authenticated.html", "Not Authenticated"},
	[PROBLEM_PERMISSION_DENIED] = {403, IXAPI_ERR "permission-denied.html",
				       "You do not have permission to perform this action."},
	[PROBLEM_NOT_FOUND] = {404, IXAPI_ERR "not-found.html", "Not Found"},
	[PROBLEM_METHOD_NOT_ALLOWED] = {405, "about:blank", "Method Not Allowed"},
	[PROBLEM_PAYLOAD_TOO_LARGE] = {413, "about:blank", "Payload Too Large"},
	[PROBLEM_UNABLE_TO_FULFILL] = {400, IXAPI_ERR "unable-to-fulfill.html", "Unable To Fulfill"},
	[PROBLEM_CONFLICT] = {409, "about:blank", "Conflict"},
	[PROBLEM_UNAVAILABLE] = {503, "about:blank", "Service Unavailable"},
	[PROBLEM_INTERNAL] = {500, "about:blank", "Internal Server Error"},
	[PROBLEM_UNSUPPORTED_MEDIA_TYPE] = {415, "about:blank", "Unsupported Media Type"},
	[PROBLEM_CANCELLATION_POLICY] = {400, IXAPI_ERR "cancellation-policy-error.html",
					 "The cancellation policy does not allow this date."},
	[PROBLEM_BAD_REQUEST] = {400, "about:blank", "Bad Request"},
	[PROBLEM_HTTP_VERSION] = {505, "about:blank", "HTTP Version Not Supported"},
};

static const struct problem_info *info_of(enum problem_kind kind)
{
	if ((size_t)kind >= sizeof(problem_infos) / sizeof(problem_infos[0]))
		kind = PROBLEM_INTERNAL;
	return &problem_infos[kind];
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_sequence(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
		return 0; /* overlong, or a UTF-16 surrogate */
	if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return n;
}

/* Problem texts may quote client input (a bad filter value, the parser's
 * "near '...'"): replace every byte that is not valid UTF-8 with '?', so the
 * problem can always be rendered as JSON. */
static char *utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;
	while (*p) {
		size_t n = utf8_sequence(p);
		if (n == 0) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
	return s;
}

static char *vformat(const char *fmt, va_list ap)
{
	char *out = NULL;
	if (vasprintf(&out, fmt, ap) < 0)
		abort();
	return utf8_sanitize(out);
}

struct problem *problem_new(enum problem_kind kind, const char *detail_fmt, ...)
{
	struct problem *p = xcalloc(1, sizeof(*p));
	p->kind = kind;
	va_list ap;
	va_start(ap, detail_fmt);
	p->detail = vformat(detail_fmt, ap);
	va_end(ap);
	return p;
}

struct problem *problem_invalid(const char *property, const char *reason_fmt, ...)
{
	va_list ap;
	va_start(ap, reason_fmt);
	char *reason = vformat(reason_fmt, ap);
	va_end(ap);
	struct problem *p = problem_new(PROBLEM_VALIDATION, "%s: %s", property, reason);
	problem_add_property(p, property, reason);
	free(reason);
	return p;
}

void problem_add_property(struct problem *p, const char *name, const char *reason)
{
	if (!p->j_properties)
		p->j_properties = json_array();
	char *clean_name = utf8_sanitize(xstrdup(name));
	char *clean_reason = utf8_sanitize(xstrdup(reason));
	json_array_append_new(p->j_properties, json_pack("{s:s, s:s}", "name", clean_name, "reason", clean_reason));
	free(clean_name);
	free(clean_reason);
}

size_t problem_property_count(const struct problem *p)
{
	return p->j_properties ? json_array_size(p->j_properties) : 0;
}

enum problem_kind problem_kind_of(const struct problem *p)
{
	return p->kind;
}

int problem_status(const struct problem *p)
{
	return info_of(p->kind)->status;
}

void problem_set_retry_after(struct problem *p, int seconds)
{
	p->retry_after_s = seconds;
}

int problem_retry_after(const struct problem *p)
{
	if (info_of(p->kind)->status != 503)
		return 0;
	return p->retry_after_s > 0 ? p->retry_after_s : 1;
}

void problem_set_sqlstate(struct problem *p, const char *sqlstate)
{
	snprintf(p->sqlstate, sizeof(p->sqlstate), "%s", sqlstate ? sqlstate : "");
}

const char *problem_sqlstate(const struct problem *p)
{
	return p->sqlstate;
}

const char *problem_detail(const struct problem *p)
{
	return p->detail;
}

const char *problem_type_uri(enum problem_kind kind)
{
	return info_of(kind)->type;
}

json_t *problem_to_json(const struct problem *p, const char *instance)
{
	const struct problem_info *info = info_of(p->kind);
	json_t *j = json_pack("{s:s, s:s, s:i, s:s}", "type", info->type, "title", info->title, "status", info->status,
			      "detail", p->detail && *p->detail ? p->detail : info->title);
	if (!j)
		abort();
	if (instance)
		json_object_set_new(j, "instance", json_string(instance));
	if (p->kind == PROBLEM_VALIDATION && p->j_properties)
		json_object_set(j, "properties", p->j_properties); /* shared: j and p each hold a ref */
	else if (p->kind == PROBLEM_VALIDATION)
		json_object_set_new(j, "properties", json_array());
	return j;
}

void problem_free(struct problem *p)
{
	if (!p)
		return;
	free(p->detail);
	json_decref(p->j_properties);
	free(p);
}
