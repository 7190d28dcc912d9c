/*
 * The request and response helpers handlers use (see request.h): query
 * parameters, the caller as an actor, default owners, and filling in the
 * response. Nothing here knows libmicrohttpd; server.c renders the result.
 */
#include "http/request.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *request_query(const struct request *req, const char *name)
{
	for (size_t i = 0; i < req->query_count; i++)
		if (strcmp(req->query[i].name, name) == 0)
			return req->query[i].value;
	return NULL;
}

void request_default_owner(const struct request *req, json_t *j_fields)
{
	static const char *const keys[] = {"managing_account", "consuming_account"};
	for (size_t i = 0; i < 2; i++)
		if (!json_object_get(j_fields, keys[i]))
			json_object_set_new(j_fields, keys[i], json_string(req->who.account));
}

struct actor request_actor(const struct request *req)
{
	struct actor a = {.is_operator = req->who.is_operator, .key_id = req->who.key_id, .request_id = req->id};
	memcpy(a.account, req->who.account, sizeof(a.account));
	return a;
}

void response_header(struct response *res, const char *name, const char *fmt, ...)
{
	if (res->header_count == RESPONSE_MAX_HEADERS)
		return;
	snprintf(res->headers[res->header_count].name, sizeof(res->headers[0].name), "%s", name);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->headers[res->header_count].value, sizeof(res->headers[0].value), fmt, ap);
	va_end(ap);
	res->header_count++;
}

void response_list(struct response *res, char *json, const struct db_page *page, long long total)
{
	response_raw(res, db_page_requested(page) ? 206 : 200, json, strlen(json));
	if (!db_page_requested(page))
		return;
	long long offset = page->offset ? strtoll(page->offset, NULL, 10) : 0;
	long long limit = page->limit ? strtoll(page->limit, NULL, 10) : total;
	response_header(res, "X-Total-Count", "%lld", total);
	if (offset + limit < total)
		response_header(res, "X-Next-Offset", "%lld", offset + limit);
}

struct problem *response_from(struct response *res, int status, struct problem *p, char *json)
{
	if (!p)
		response_raw(res, status, json, strlen(json));
	return p;
}

void response_json(struct response *res, int status, json_t *j_body)
{
	json_decref(res->j_body);
	res->status = status;
	res->j_body = j_body;
}

void response_raw(struct response *res, int status, char *text, size_t len)
{
	free(res->raw_body);
	res->status = status;
	res->raw_body = text;
	res->raw_len = len;
}

struct problem *response_pdf(struct response *res, struct problem *p, unsigned char *pdf, size_t len)
{
	if (p) {
		free(pdf);
		return p;
	}
	response_raw(res, 200, (char *)pdf, len);
	res->content_type = "application/pdf";
	return NULL;
}
