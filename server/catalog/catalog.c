/*
 * Generic catalog handlers (see catalog.h).
 */
#include "catalog/catalog.h"

#include "app.h"
#include "core/util.h"
#include "http/router.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Takes over a JSON text from storage as the 200 response. */
static struct problem *reply(struct response *res, struct problem *p, char *json)
{
	if (!p)
		response_raw(res, 200, json, strlen(json));
	return p;
}

struct problem *catalog_list(struct request *req, struct response *res)
{
	const struct catalog_resource *r = req->route->data;
	struct filter_values v;
	struct problem *p = filters_parse(req, r->filters, &v);
	if (p)
		return p;
	struct db_page page;
	char *json = NULL;
	long long total = 0;
	p = filters_page(&v, &page);
	if (!p)
		p = catalog_db_list(req->app->pool, r, &v, &page, &json, &total);
	if (!p)
		response_list(res, json, &page, total);
	filters_clear(&v);
	return p;
}

struct problem *catalog_read(struct request *req, struct response *res)
{
	const struct catalog_resource *r = req->route->data;
	const char *id = req->params[0];
	long long n;
	if (!util_parse_ll(id, 1, INT64_MAX, &n))
		return problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", r->title, id);
	char *json = NULL;
	struct problem *p = catalog_db_read(req->app->pool, r, id, &json);
	return reply(res, p, json);
}
