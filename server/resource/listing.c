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
 * (a member's scope is the CTE `scope`; the filters only in the filtered
 * statement); *next is the next free $n. */
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
	for (size_t i = 0; i < filter_count; i++) {
		snprintf(param, sizeof(param), "$%d", (*next)++);
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

/* The count of the fast path, each row counted once: the sum of the
 * member's owner pairs in owner_counts when the listing keeps them, else
 * index-only scans of its rows. */
static void put_owner_count(struct strbuf *b, const struct listing *l)
{
	if (l->owner_counts) {
		strbuf_puts(b, "coalesce((SELECT sum(k.total) FROM ");
		strbuf_puts(b, l->owner_counts);
		strbuf_puts(b, " k WHERE k.consuming_account = $1::bigint), 0) + coalesce((SELECT sum(k.total) FROM ");
		strbuf_puts(b, l->owner_counts);
		strbuf_puts(
			b,
			" k WHERE k.managing_account = $1::bigint AND k.managing_account <> k.consuming_account), 0)");
		return;
	}
	strbuf_puts(b, "(SELECT count(*) FROM ");
	strbuf_puts(b, l->table);
	strbuf_puts(b, " t WHERE t.consuming_account = $1::bigint) + (SELECT count(*) FROM ");
	strbuf_puts(b, l->table);
	strbuf_puts(b, " t WHERE t.managing_account = $1::bigint AND t.managing_account <> t.consuming_account)");
}

/* The list statement of one variant: one row per object of the page, in
 * id order (json: its JSON text), each with the whole list's count (total);
 * one row with json NULL when the page is empty. The objects come as rows
 * and the handler joins them: PostgreSQL aggregating the page into one text
 * of 60 kB (string_agg) cost more than reading the page (large allocations,
 * page faults), measured. */
static char *generate_list(const struct listing *l, bool is_member, size_t filter_count)
{
	/* One pass over the selection: its ids sorted into one array, whose
	 * length is the count and whose slice is the page. PostgreSQL
	 * aggregates ids faster than it materialises a CTE of rows, runs the
	 * selection twice or counts in a window. */
	struct strbuf sel = {0}, b = {0};
	int next = 0;
	put_ids(&sel, l, is_member, filter_count, &next);
	strbuf_puts(&b, "WITH ");
	if (is_member)
		strbuf_puts(&b, "scope AS MATERIALIZED (SELECT scope_accounts($1::bigint) AS ids), ");
	strbuf_puts(&b, "sel AS MATERIALIZED (SELECT array_agg(s.id ORDER BY s.id) AS a FROM (");
	strbuf_puts(&b, sel.text);
	strbuf_puts(&b, ") AS s) SELECT x.total, r.j::text AS json FROM (SELECT ");
	char slice[256], limit[16], offset[16];
	snprintf(limit, sizeof(limit), "$%d", next);
	snprintf(offset, sizeof(offset), "$%d", next + 1);
	snprintf(slice, sizeof(slice),
		 "(SELECT a[least(coalesce(%s::bigint, 0) + 1, 2147483647)::int"
		 " : least(coalesce(%s::bigint, 0) + coalesce(%s::bigint, 2147483647), 2147483647)::int]"
		 " FROM sel)",
		 offset, offset, limit);
	const char *total = "(SELECT coalesce(cardinality(a), 0) FROM sel)";
	if (is_member && l->has_owner_indexes && filter_count == 0) {
		/* Inside the one statement: a CASE branch's subqueries (and the
		 * CTEs scope and sel they read) run only when it is taken. A
		 * caller that manages no account has itself alone as its scope:
		 * one probe of an index, not scope_accounts(). */
		const char *fast = "NOT EXISTS (SELECT 1 FROM accounts a WHERE a.managing_account = $1::bigint)";
		strbuf_puts(&b, "CASE WHEN ");
		strbuf_puts(&b, fast);
		strbuf_puts(&b, " THEN ARRAY(");
		put_owner_page(&b, l, limit, offset);
		strbuf_puts(&b, ") ELSE ");
		strbuf_puts(&b, slice);
		strbuf_puts(&b, " END AS ids, CASE WHEN ");
		strbuf_puts(&b, fast);
		strbuf_puts(&b, " THEN ");
		put_owner_count(&b, l);
		strbuf_puts(&b, " ELSE ");
		strbuf_puts(&b, total);
		strbuf_puts(&b, " END AS total");
	} else {
		strbuf_puts(&b, slice);
		strbuf_puts(&b, " AS ids, ");
		strbuf_puts(&b, total);
		strbuf_puts(&b, " AS total");
	}
	strbuf_puts(&b, ") x LEFT JOIN LATERAL ");
	put_render(&b, l, "SELECT unnest(x.ids)");
	strbuf_puts(&b, " ON true ORDER BY r.rid");
	free(sel.text);
	return b.text;
}

static void generate(const struct listing *l, size_t filter_count)
{
	for (int is_member = 0; is_member < 2; is_member++) {
		/* A request that names no filter (the usual one) takes a
		 * statement without them: its rows pass no test per filter, and
		 * the statement is small enough that PostgreSQL keeps its
		 * generic plan instead of planning it for every request. */
		l->sql->list[is_member] = generate_list(l, is_member, filter_count);
		l->sql->unfiltered[is_member] = generate_list(l, is_member, 0);

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
		if (l->owner_counts && !l->has_owner_indexes) {
			snprintf(err, err_len, "%s: owner counts serve the owner indexes' fast path only", l->title);
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
	bool any_filter = false;
	for (size_t i = 0; i + 2 < v->count; i++)
		any_filter = any_filter || v->values[i];
	for (size_t i = 0; any_filter && i + 2 < v->count; i++)
		params[n++] = v->values[i];
	params[n++] = page->limit;
	params[n++] = page->offset;
	const char *sql = any_filter ? l->sql->list[is_member] : l->sql->unfiltered[is_member];
	PGresult *res = NULL;
	struct problem *p = db_query(req->app->pool, sql, n, params, &res);
	if (!p) {
		/* the page's objects, one a row (none: one row, json NULL) */
		struct strbuf b = {0};
		strbuf_puts(&b, "[");
		for (int i = 0; i < PQntuples(res); i++) {
			const char *object = db_get(res, i, "json");
			if (!object)
				continue;
			if (b.len > 1)
				strbuf_puts(&b, ",");
			strbuf_puts(&b, object);
		}
		strbuf_puts(&b, "]");
		*json_out = b.text;
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
