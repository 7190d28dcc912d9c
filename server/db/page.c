/*
 * Paginated lists (see page.h). The wrapped statement is built from our own
 * constant SQL and parameter numbers only, never from client text; the
 * page bounds travel as parameters.
 */
#include "db/page.h"

#include "core/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool db_page_requested(const struct db_page *page)
{
	return page && (page->limit || page->offset);
}

struct problem *db_page_check(const struct db_page *page)
{
	long long v;
	if (page->limit && !util_parse_ll(page->limit, 1, INT32_MAX, &v))
		return problem_invalid("page_limit", "Must be a whole number of at least 1.");
	if (page->offset && !util_parse_ll(page->offset, 0, INT32_MAX, &v))
		return problem_invalid("page_offset", "Must be a whole number of at least 0.");
	return NULL;
}

struct problem *db_list(struct db_pool *pool, const char *list_sql, int nparams, const char *const *params,
			const struct db_page *page, char **json_out, long long *total_out)
{
	PGresult *res = NULL;
	struct problem *p = NULL;
	if (!db_page_requested(page)) {
		p = db_query(pool, list_sql, nparams, params, &res);
		if (!p)
			*json_out = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		return p;
	}
	int limit = nparams + 1, offset = nparams + 2;
	char *sql = xasprintf(
		"WITH list (v) AS (%s)"
		" SELECT coalesce((SELECT jsonb_agg(t.e ORDER BY t.i)"
		"                    FROM jsonb_array_elements(list.v::jsonb) WITH ORDINALITY AS t (e, i)"
		"                   WHERE t.i > coalesce($%d::bigint, 0)"
		"                     AND ($%d::bigint IS NULL OR t.i <= coalesce($%d::bigint, 0) + $%d::bigint)),"
		"                 '[]')::text,"
		"        jsonb_array_length(list.v::jsonb)"
		"   FROM list",
		list_sql, offset, limit, offset, limit);
	const char **all = xcalloc((size_t)nparams + 2, sizeof(*all));
	if (nparams)
		memcpy(all, params, (size_t)nparams * sizeof(*all));
	all[nparams] = page->limit;
	all[nparams + 1] = page->offset;
	p = db_query(pool, sql, nparams + 2, all, &res);
	if (!p) {
		*json_out = xstrdup(PQgetvalue(res, 0, 0));
		*total_out = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	}
	PQclear(res);
	free(all);
	free(sql);
	return p;
}
