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
	[PROBLEM_PERMISSION_DENIED] = {403, IXAPI_ERR "permission-denied.html", "You do not have permission to perform this action."},
	[PROBLEM_NOT_FOUND] = {404, IXAPI_ERR "not-found.html", "Not Found"},
	[PROBLEM_METHOD_NOT_ALLOWED] = {405, "about:blank", "Method Not Allowed"},
	[PROBLEM_PAYLOAD_TOO_LARGE] = {413, "about:blank", "Payload Too Large"},
	[PROBLEM_UNABLE_TO_FULFILL] = {400, IXAPI_ERR "unable-to-fulfill.html", "Unable To Fulfill"},
	[PROBLEM_CONFLICT] = {409, "about:blank", "Conflict"},
	[PROBLEM_UNAVAILABLE] = {503, "about:blank", "Service Unavailable"},
	[PROBLEM_INTERNAL] = {500, "about:blank", "Internal Server Error"},
	[PROBLEM_UNSUPPORTED_MEDIA_TYPE] = {415, "about:blank", "Unsupported Media Type"},
};

static const struct problem_info *info_of(enum problem_kind kind)
{
	if ((size_t)kind >= sizeof(problem_infos) / sizeof(problem_infos[0]))
		kind = PROBLEM_INTERNAL;
	return &problem_infos[kind];
}

static char *vformat(const char *fmt, va_list ap)
{
	char *out = NULL;
	if (vasprintf(&out, fmt, ap) < 0)
		abort();
	return out;
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
	json_array_append_new(p->j_properties, json_pack("{s:s, s:s}", "name", name, "reason", reason));
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
	json_t *j = json_pack("{s:s, s:s, s:i, s:s}", "type", info->type, "title", info->title, "status",
			      info->status, "detail", p->detail && *p->detail ? p->detail : info->title);
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
