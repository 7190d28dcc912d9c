/*
 * Route matching over the static table (see router.h). The table is small
 * (tens of routes), so a linear scan segment by segment is both the simplest
 * and, measured, fast enough; no allocation happens unless a route matches.
 */
#include "http/router.h"

#include "core/util.h"

#include <stdio.h>
#include <string.h>

#define PARAM_MAX_LEN 80

static const char *const method_names[HTTP_METHOD_COUNT] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

const char *http_method_name(enum http_method m)
{
	return (unsigned)m < HTTP_METHOD_COUNT ? method_names[m] : "?";
}

int http_method_parse(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "HEAD") == 0)
		return HTTP_GET;
	for (int i = 0; i < HTTP_METHOD_COUNT; i++)
		if (strcmp(s, method_names[i]) == 0)
			return i;
	return -1;
}

void router_allow_header(unsigned allowed, char *out, size_t out_len)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < HTTP_METHOD_COUNT; i++)
		if (allowed & (1u << i))
			n += (size_t)snprintf(out + n, n < out_len ? out_len - n : 0, "%s%s", n ? ", " : "",
					      method_names[i]);
}

/* Compares one pattern to a path; on a match with captures != NULL, stores
 * copies of the captured segments. */
static bool pattern_matches(const char *pattern, const char *path, char **captures, size_t *count)
{
	const char *p = pattern, *s = path;
	size_t n = 0;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		const char *p_end = strchr(p, '/');
		const char *s_end = strchr(s, '/');
		size_t p_len = p_end ? (size_t)(p_end - p) : strlen(p);
		size_t s_len = s_end ? (size_t)(s_end - s) : strlen(s);
		if (s_len == 0)
			return false; /* empty segment, e.g. trailing slash */
		if (p[0] == '{') {
			if (s_len > PARAM_MAX_LEN || n >= REQUEST_MAX_PARAMS)
				return false;
			if (captures) {
				captures[n] = xmalloc(s_len + 1);
				memcpy(captures[n], s, s_len);
				captures[n][s_len] = '\0';
			}
			n++;
		} else if (p_len != s_len || memcmp(p, s, s_len) != 0)
			return false;
		p += p_len;
		s += s_len;
	}
	if (*p || *s)
		return false;
	*count = n;
	return true;
}

enum router_result router_match(const struct route *routes, size_t n, enum http_method method, const char *path,
				struct router_match *out)
{
	memset(out, 0, sizeof(*out));
	const struct route *found = NULL;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (!pattern_matches(routes[i].pattern, path, NULL, &count))
			continue;
		out->allowed |= 1u << routes[i].method;
		if (routes[i].method == method && !found)
			found = &routes[i];
	}
	if (!out->allowed)
		return ROUTER_NO_PATH;
	if (!found)
		return ROUTER_WRONG_METHOD;
	out->route = found;
	pattern_matches(found->pattern, path, out->params, &out->param_count);
	return ROUTER_FOUND;
}

void router_match_clear(struct router_match *m)
{
	for (size_t i = 0; i < m->param_count; i++) {
		free(m->params[i]);
		m->params[i] = NULL;
	}
	m->param_count = 0;
}

int router_check(const struct route *routes, size_t n, char *err, size_t err_len)
{
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &routes[i];
		if (!r->pattern || r->pattern[0] != '/' || !r->handler || !r->operation_id) {
			snprintf(err, err_len, "route %zu: pattern, handler and operation_id are required", i);
			return -1;
		}
		size_t len = strlen(r->pattern);
		if (len > 1 && r->pattern[len - 1] == '/') {
			snprintf(err, err_len, "route %s: no trailing slash", r->pattern);
			return -1;
		}
		size_t params = 0;
		for (const char *p = r->pattern; *p; p++) {
			if (*p == '{') {
				const char *close = strchr(p, '}');
				if (!close || p[-1] != '/' || (close[1] && close[1] != '/')) {
					snprintf(err, err_len, "route %s: malformed capture", r->pattern);
					return -1;
				}
				params++;
			}
		}
		if (params > REQUEST_MAX_PARAMS) {
			snprintf(err, err_len, "route %s: too many captures", r->pattern);
			return -1;
		}
		if (r->body_limit > ROUTE_BODY_MAX) {
			snprintf(err, err_len, "route %s: body limit above %zu", r->pattern, ROUTE_BODY_MAX);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (routes[j].method == r->method && strcmp(routes[j].pattern, r->pattern) == 0) {
				snprintf(err, err_len, "route %s %s: listed twice", http_method_name(r->method),
					 r->pattern);
				return -1;
			}
	}
	return 0;
}
