/*
 * Generic list and read handlers (see listing.h).
 */
#include "http/listing.h"

#include "app.h"
#include "core/util.h"
#include "db/page.h"
#include "http/router.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct problem *listing_list(struct request *req, struct response *res)
{
	const struct listing *l = req->route->data;
	struct filter_values v;
	struct problem *p = filters_parse(req, l->filters, &v);
	if (p)
		return p;
	struct db_page page;
	p = filters_page(&v, &page);
	/* statement parameters: [scope,] filters, without the page's two */
	const char *params[FILTERS_MAX + 2];
	int n = 0;
	struct actor a = request_actor(req);
	if (l->is_scoped) {
		actor_scope_params(&a, params);
		n = 2;
	}
	for (size_t i = 0; i + 2 < v.count; i++)
		params[n++] = v.values[i];
	char *json = NULL;
	long long total = 0;
	if (!p)
		p = db_list(req->app->pool, l->list_sql, n, params, &page, &json, &total);
	if (!p)
		response_list(res, json, &page, total);
	filters_clear(&v);
	return p;
}

struct problem *listing_read(struct request *req, struct response *res)
{
	const struct listing *l = req->route->data;
	const char *id = req->params[0];
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", l->title, id);
	const char *params[3];
	struct actor a = request_actor(req);
	int count = 0;
	if (l->is_scoped) {
		actor_scope_params(&a, params);
		count = 2;
	}
	params[count++] = id;
	PGresult *result = NULL;
	struct problem *p = db_query(req->app->pool, l->read_sql, count, params, &result);
	if (!p && PQntuples(result) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", l->title, id);
	if (!p) {
		char *json = xstrdup(PQgetvalue(result, 0, 0));
		response_raw(res, 200, json, strlen(json));
	}
	PQclear(result);
	return p;
}
