/*
 * Generic list and read handlers (see listing.h), and the generation of the
 * set-based listings' statements.
 */
#include "resource/listing.h"

#include "app.h"
#include "core/util.h"
#include "db/page.h"
#include "http/router.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLACEHOLDER       "$?"
#define SCOPE_PLACEHOLDER "$scope"

/* Appends template with each `token` replaced by value. */
static void put_replaced(struct strbuf *b, const char *template, const char *token, const char *value)
{
	for (const char *at; (at = strstr(template, token)) != NULL; template = at + strlen(token)) {
		strbuf_put(b, template, (size_t)(at - template));
		strbuf_puts(b, value);
	}
	strbuf_puts(b, template);
}

/* Appends template with each PLACEHOLDER replaced by value. */
static void put_template(struct strbuf *b, const char *template, const char *value)
{
	put_replaced(b, template, PLACEHOLDER, value);
}

/* "SELECT t.id FROM table t WHERE <scope> AND <filters>" for one variant
 * (a member's scope is the CTE `scope`); *next is the next free $n. */
static void put_ids(struct strbuf *b, const struct listing *l, bool is_member, size_t filter_count, int *next)
{
	char param[16];
	*next = is_member ? 2 : 1;
	int first = *next; /* the first filter's $n */
	strbuf_puts(b, "SELECT t.id FROM ");
	strbuf_puts(b, l->table);
	strbuf_puts(b, " t WHERE ");
	if (is_member && l->member_scope)
		put_template(b, l->member_scope, "(SELECT ids FROM scope)::bigint[]");
	else
		strbuf_puts(b, "true");
	/* The filters as one group behind one more parameter, NULL when the
	 * request names no filter: the rows of an unfiltered list (the usual
	 * one) then pass one test each instead of one per filter, whose
	 * columns the generic plan would read for every row. */
	char group[48];
	snprintf(group, sizeof(group), " AND ($%d::text IS NULL", first + (int)filter_count);
	strbuf_puts(b, group);
	for (size_t i = 0; i < filter_count; i++) {
		snprintf(param, sizeof(param), "$%d", (*next)++);
		strbuf_puts(b, i == 0 ? " OR (true" : "");
		strbuf_puts(b, " AND (");
		strbuf_puts(b, param);
		strbuf_puts(b, "::text IS NULL OR (");
		/* A filter about the caller's own objects (roles by contact) names
		 * the scope too; an operator's is every account. */
		struct strbuf pred = {0};
		put_template(&pred, l->predicates[i], param);
		/* A filter that qualifies others (the catalog's capability
		 * filters: one capability meets them all) names their values. */
		for (size_t k = 0; k < filter_count; k++) {
			char token[24], other[16];
			snprintf(token, sizeof(token), "$[%zu]", k);
			if (!strstr(pred.text, token))
				continue;
			snprintf(other, sizeof(other), "$%d", first + (int)k);
			struct strbuf with = {0};
			put_replaced(&with, pred.text, token, other);
			free(pred.text);
			pred = with;
		}
		put_replaced(b, pred.text, SCOPE_PLACEHOLDER,
			     is_member ? "(SELECT ids FROM scope)::bigint[]"
				       : "(SELECT array_agg(id) FROM accounts)::bigint[]");
		free(pred.text);
		strbuf_puts(b, "))");
	}
	strbuf_puts(b, filter_count ? "))" : ")");
	(*next)++; /* the group's parameter */
}

/* A FROM item `r` (rid bigint, j text-like) with the JSON of the rows of
 * `table` whose id is in `ids_sql`: the rendered column when the listing has
 * one, else render(ARRAY(those rows)). */
static void put_render(struct strbuf *b, const struct listing *l, const char *ids_sql)
{
	if (l->rendered) {
		strbuf_puts(b, "(SELECT t.id AS rid, t.");
		strbuf_puts(b, l->rendered);
		strbuf_puts(b, " AS j FROM ");
	} else {
		strbuf_puts(b, l->render);
		strbuf_puts(b, "(ARRAY(SELECT t FROM ");
	}
	strbuf_puts(b, l->table);
	strbuf_puts(b, " t WHERE t.id = ANY (ARRAY(");
	strbuf_puts(b, ids_sql);
	strbuf_puts(b, l->rendered ? "))) r" : ")))) r");
}

/* '[' || the objects of `ids_sql`, in id order, joined || ']' */
static void put_json_array(struct strbuf *b, const struct listing *l, const char *ids_sql)
{
	/* the page's objects as JSON text, joined: no array built in jsonb */
	strbuf_puts(b, "'[' || coalesce((SELECT string_agg(r.j::text, ',' ORDER BY r.rid) FROM ");
	put_render(b, l, ids_sql);
	strbuf_puts(b, "), '') || ']'");
}

/* The member's fast path (has_owner_indexes): its own rows, $1 its account,
 * in id order from the owner indexes; `limit` and `offset` are the page's
 * parameters. Each branch is ordered and limited on its own, so that the
 * planner merges two index-only scans and stops at the page's end instead
 * of sorting every id. */
static void put_owner_page(struct strbuf *b, const struct listing *l, const char *limit, const char *offset)
{
	char end[96];
	snprintf(end, sizeof(end), " ORDER BY t.id LIMIT coalesce(%s::bigint, 0) + %s::bigint)", offset, limit);
	strbuf_puts(b, "SELECT u.id FROM ((SELECT t.id FROM ");
	strbuf_puts(b, l->table);
	strbuf_puts(b, " t WHERE t.consuming_account = $1::bigint");
	strbuf_puts(b, end);
	strbuf_puts(b, " UNION ALL (SELECT t.id FROM ");
	strbuf_puts(b, l->table);
	strbuf_puts(b, " t WHERE t.managing_account = $1::bigint AND t.managing_account <> t.consuming_account");
	strbuf_puts(b, end);
	strbuf_puts(b, ") u ORDER BY u.id LIMIT ");
	strbuf_puts(b, limit);
	strbuf_puts(b, "::bigint OFFSET coalesce(");
	strbuf_puts(b, offset);
	strbuf_puts(b, "::bigint, 0)");
}

/* The count of the fast path: index-only, each row counted once. */
static void put_owner_count(struct strbuf *b, const struct listing *l)
{
	strbuf_puts(b, "(SELECT count(*) FROM ");
	strbuf_puts(b, l->table);
	strbuf_puts(b, " t WHERE t.consuming_account = $1::bigint) + (SELECT count(*) FROM ");
	strbuf_puts(b, l->table);
	strbuf_puts(b, " t WHERE t.managing_account = $1::bigint AND t.managing_account <> t.consuming_account)");
}

static void generate(const struct listing *l, size_t filter_count)
{
	for (int is_member = 0; is_member < 2; is_member++) {
		/* One pass over the selection: its ids sorted into one array, whose
		 * length is the count and whose slice is the page. PostgreSQL
		 * aggregates ids faster than it materialises a CTE of rows, runs
		 * the selection twice or counts in a window. */
		struct strbuf sel = {0}, b = {0}, json = {0};
		int next = 0;
		put_ids(&sel, l, is_member, filter_count, &next);
		strbuf_puts(&b, "WITH ");
		if (is_member)
			strbuf_puts(&b, "scope AS MATERIALIZED (SELECT scope_accounts($1::bigint) AS ids), ");
		strbuf_puts(&b, "sel AS MATERIALIZED (SELECT array_agg(s.id ORDER BY s.id) AS a FROM (");
		strbuf_puts(&b, sel.text);
		strbuf_puts(&b, ") AS s) SELECT ");
		char slice[192];
		snprintf(slice, sizeof(slice),
			 "SELECT unnest(a[least(coalesce($%d::bigint, 0) + 1, 2147483647)::int"
			 " : least(coalesce($%d::bigint, 0) + coalesce($%d::bigint, 2147483647), 2147483647)::int])"
			 " FROM sel",
			 next + 1, next + 1, next);
		put_json_array(&json, l, slice);
		const char *total = "(SELECT coalesce(cardinality(a), 0) FROM sel)";
		if (is_member && l->has_owner_indexes) {
			/* Inside the one statement: a CASE branch's subqueries (and
			 * the CTEs scope and sel they read) run only when it is
			 * taken. A caller that manages no account has itself alone
			 * as its scope: one probe of an index, not scope_accounts(). */
			char fast[160], limit[16], offset[16];
			snprintf(fast, sizeof(fast),
				 "NOT EXISTS (SELECT 1 FROM accounts a WHERE a.managing_account = $1::bigint)"
				 " AND $%d::text IS NULL",
				 next - 1);
			snprintf(limit, sizeof(limit), "$%d", next);
			snprintf(offset, sizeof(offset), "$%d", next + 1);
			struct strbuf page = {0};
			put_owner_page(&page, l, limit, offset);
			strbuf_puts(&b, "CASE WHEN ");
			strbuf_puts(&b, fast);
			strbuf_puts(&b, " THEN ");
			put_json_array(&b, l, page.text);
			strbuf_puts(&b, " ELSE ");
			strbuf_puts(&b, json.text);
			strbuf_puts(&b, " END AS json, CASE WHEN ");
			strbuf_puts(&b, fast);
			strbuf_puts(&b, " THEN ");
			put_owner_count(&b, l);
			strbuf_puts(&b, " ELSE ");
			strbuf_puts(&b, total);
			strbuf_puts(&b, " END AS total");
			free(page.text);
		} else {
			strbuf_puts(&b, json.text);
			strbuf_puts(&b, " AS json, ");
			strbuf_puts(&b, total);
			strbuf_puts(&b, " AS total");
		}
		free(json.text);
		free(sel.text);
		l->sql->list[is_member] = b.text;

		struct strbuf r = {0};
		if (is_member)
			strbuf_puts(&r, "WITH scope AS MATERIALIZED (SELECT scope_accounts($1::bigint) AS ids) ");
		strbuf_puts(&r, "SELECT r.j::text FROM ");
		struct strbuf ids = {0};
		strbuf_puts(&ids, is_member ? "SELECT t.id FROM " : "SELECT $1::bigint");
		if (is_member) {
			strbuf_puts(&ids, l->table);
			strbuf_puts(&ids, " t WHERE t.id = $2::bigint AND ");
			put_template(&ids, l->member_scope ? l->member_scope : "true",
				     "(SELECT ids FROM scope)::bigint[]");
		}
		put_render(&r, l, ids.text);
		free(ids.text);
		l->sql->read[is_member] = r.text;
	}
}

int listing_prepare(const struct route *routes, size_t count, char *err, size_t err_len)
{
	for (size_t i = 0; i < count; i++) {
		const struct listing *l = routes[i].data;
		if ((routes[i].handler != listing_list && routes[i].handler != listing_read) || !l || l->sql->list[0])
			continue;
		size_t filter_count = 0;
		while (l->filters[filter_count].name)
			filter_count++;
		if (filter_count < 2 || !l->table || !l->render || !l->predicates) {
			snprintf(err, err_len, "%s: a listing needs a table, a renderer, predicates and pagination",
				 l->title);
			return -1;
		}
		if (l->has_owner_indexes && (!l->member_scope || strcmp(l->member_scope, LISTING_OWNER_SCOPE) != 0)) {
			snprintf(err, err_len, "%s: the owner indexes' fast path needs the owner scope", l->title);
			return -1;
		}
		filter_count -= 2; /* the pagination pair */
		for (size_t k = 0; k < filter_count; k++)
			if (!l->predicates[k] || !strstr(l->predicates[k], PLACEHOLDER)) {
				snprintf(err, err_len, "%s: filter %s has no predicate over its value", l->title,
					 l->filters[k].name);
				return -1;
			}
		generate(l, filter_count);
	}
	return 0;
}

/* The set-based list: the page's JSON and the whole list's count. */
static struct problem *list_set_based(struct request *req, const struct listing *l, const struct filter_values *v,
				      const struct db_page *page, char **json_out, long long *total_out)
{
	const char *params[FILTERS_MAX + 4];
	int n = 0;
	bool is_member = !req->who.is_operator;
	if (is_member)
		params[n++] = req->who.account;
	const char *any_filter = NULL;
	for (size_t i = 0; i + 2 < v->count; i++) {
		params[n++] = v->values[i];
		if (v->values[i])
			any_filter = "t";
	}
	params[n++] = any_filter;
	params[n++] = page->limit;
	params[n++] = page->offset;
	PGresult *res = NULL;
	struct problem *p = db_query(req->app->pool, l->sql->list[is_member], n, params, &res);
	if (!p) {
		*json_out = xstrdup(db_get(res, 0, "json"));
		*total_out = strtoll(db_get(res, 0, "total"), NULL, 10);
	}
	PQclear(res);
	return p;
}

struct problem *listing_list(struct request *req, struct response *res)
{
	const struct listing *l = req->route->data;
	struct filter_values v;
	struct problem *p = filters_parse(req, l->filters, &v);
	if (p)
		return p;
	struct db_page page;
	p = filters_page(&v, &page);
	char *json = NULL;
	long long total = 0;
	if (!p)
		p = list_set_based(req, l, &v, &page, &json, &total);
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
	const char *params[2];
	int count = 0;
	bool is_member = !req->who.is_operator;
	const char *sql = l->sql->read[is_member];
	if (is_member)
		params[count++] = req->who.account;
	params[count++] = id;
	PGresult *result = NULL;
	struct problem *p = db_query(req->app->pool, sql, count, params, &result);
	if (!p && PQntuples(result) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", l->title, id);
	if (!p) {
		char *json = xstrdup(PQgetvalue(result, 0, 0));
		response_raw(res, 200, json, strlen(json));
	}
	PQclear(result);
	return p;
}
