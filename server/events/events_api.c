/*
 * Handlers of the events extension (see events_api.h): input checked
 * strictly here, storage in events_db.c.
 */
#include "events/events_api.h"

#include "app.h"
#include "core/json_body.h"
#include "core/util.h"
#include "events/events_db.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct filter_spec events_query_spec[] = {
	{"after", FILTER_TEXT, NULL},       {"limit", FILTER_TEXT, NULL},     {"account", FILTER_TEXT, NULL},
	{"object_type", FILTER_TEXT, NULL}, {"object_id", FILTER_TEXT, NULL}, {NULL, 0, NULL},
};

static struct problem *invalid(const char *property, const char *reason)
{
	struct problem *p = problem_new(PROBLEM_VALIDATION, "%s: %s", property, reason);
	problem_add_property(p, property, reason);
	return p;
}

struct problem *events_list(struct request *req, struct response *res)
{
	struct events_query q = {.limit = EVENTS_LIMIT_DEFAULT};
	q.after = request_query(req, "after");
	const char *limit = request_query(req, "limit");
	q.account = request_query(req, "account");
	q.object_type = request_query(req, "object_type");
	q.object_id = request_query(req, "object_id");
	if (q.after && strcmp(q.after, "0") != 0 && !util_is_id(q.after))
		return invalid("after", "must be an event id (or 0)");
	if (limit) {
		long long n;
		if (!util_parse_ll(limit, 1, EVENTS_LIMIT_MAX, &n))
			return invalid("limit", "must be a whole number from 1 to 1000");
		q.limit = (int)n;
	}
	if (q.account && !*q.account)
		return invalid("account", "must not be empty");
	if (q.object_type && !*q.object_type)
		return invalid("object_type", "must not be empty");
	if (q.object_id && !*q.object_id)
		return invalid("object_id", "must not be empty");
	struct actor actor = request_actor(req);
	char *json = NULL, next[24];
	struct problem *p = events_page(req->app->pool, &actor, &q, &json, next);
	if (p)
		return p;
	response_header(res, "X-Next-After", "%s", next);
	response_raw(res, 200, json, strlen(json));
	return NULL;
}

/* http:// or https://, a host (no user:password@), then a path, query or
 * fragment, no white space. */
static bool is_webhook_url(const char *url)
{
	static const char pattern[] = "^https?://[^/?#@[:space:]]+([/?#][^[:space:]]*)?$";
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | REG_ICASE) != 0)
		return false;
	bool ok = regexec(&re, url, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* The object types as a text[] literal (malloc'd): names of lowercase
 * letters and underscores. */
static char *types_literal(struct validation *v, json_t *j_types)
{
	size_t n = json_array_size(j_types);
	if (n > 32) {
		validation_fail(v, "object_types", "at most 32 object types");
		return NULL;
	}
	size_t len = 3;
	for (size_t i = 0; i < n; i++)
		len += strlen(json_string_value(json_array_get(j_types, i))) + 3;
	char *out = xmalloc(len);
	char *w = out;
	*w++ = '{';
	for (size_t i = 0; i < n; i++) {
		const char *t = json_string_value(json_array_get(j_types, i));
		bool ok = *t != '\0';
		for (const char *c = t; *c; c++)
			ok = ok && ((*c >= 'a' && *c <= 'z') || *c == '_');
		if (!ok) {
			validation_fail(v, "object_types", "an object type is a name such as \"application\"");
			free(out);
			return NULL;
		}
		w += sprintf(w, "%s\"%s\"", i ? "," : "", t);
	}
	*w++ = '}';
	*w = '\0';
	return out;
}

struct problem *webhooks_create_handler(struct request *req, struct response *res)
{
	struct validation v = {0};
	json_t *body = req->j_body;
	char *types = NULL;
	const char *key;
	json_t *val;
	json_object_foreach (body, key, val)
		if (strcmp(key, "url") != 0 && strcmp(key, "object_types") != 0)
			validation_fail(&v, key, "is not a property of a webhook");
	const char *url = validation_string(&v, body, "url", "url", FIELD_REQUIRED, WEBHOOK_URL_MAX);
	if (url && !is_webhook_url(url))
		validation_fail(&v, "url", "must be an http:// or https:// URL with a host and no user information");
	json_t *j_types = validation_string_array(&v, body, "object_types", "object_types", FIELD_OPTIONAL, 40);
	if (!v.problem)
		types = j_types ? types_literal(&v, j_types) : xstrdup("{}");
	if (v.problem) {
		free(types);
		return v.problem;
	}
	struct actor actor = request_actor(req);
	char *json = NULL;
	struct problem *p = webhooks_create(req->app->pool, &actor, url, types, &json);
	free(types);
	return response_from(res, 201, p, json);
}

struct problem *webhooks_list_handler(struct request *req, struct response *res)
{
	struct actor actor = request_actor(req);
	char *json = NULL;
	struct problem *p = webhooks_list(req->app->pool, &actor, &json);
	return response_from(res, 200, p, json);
}

struct problem *webhooks_read_handler(struct request *req, struct response *res)
{
	struct actor actor = request_actor(req);
	char *json = NULL;
	struct problem *p = webhooks_read(req->app->pool, &actor, req->params[0], &json);
	return response_from(res, 200, p, json);
}

struct problem *webhooks_delete_handler(struct request *req, struct response *res)
{
	struct actor actor = request_actor(req);
	char *json = NULL;
	struct problem *p = webhooks_delete(req->app->pool, &actor, req->params[0], &json);
	return response_from(res, 200, p, json);
}

struct problem *webhooks_deliveries_handler(struct request *req, struct response *res)
{
	struct actor actor = request_actor(req);
	char *json = NULL;
	struct problem *p = webhooks_deliveries(req->app->pool, &actor, req->params[0], &json);
	return response_from(res, 200, p, json);
}
