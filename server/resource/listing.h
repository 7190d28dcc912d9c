/*
 * Generic list and read handlers: the route's `data` points at a `struct
 * listing` describing the resource's table, tenant rule, filters and set
 * renderer; the statements are generated from it once at start-up. Every
 * list and read of the API but GET /accounts (a handler of its own, the
 * same shape) is served this way.
 */
#ifndef IXAPI_RESOURCE_LISTING_H
#define IXAPI_RESOURCE_LISTING_H

#include "core/states.h"
#include "http/filters.h"
#include "http/request.h"

#include <stdbool.h>

/* The generated statements of a listing: [0] for operators
 * (every row), [1] for members ($1 is the caller's account). */
struct listing_sql {
	char *list[2];       /* filters, then limit and offset; one row: JSON array text, total */
	char *unfiltered[2]; /* the same without filters (a request naming none): limit and offset */
	char *read[2];       /* the id; one JSON object text, or no row */
};
/* Storage for them, in a listing's initializer: `.sql = LISTING_SQL`. */
#define LISTING_SQL (&(struct listing_sql){{NULL, NULL}, {NULL, NULL}, {NULL, NULL}})

struct listing {
	const char *title;                 /* for problems: "Facility" */
	const struct filter_spec *filters; /* the list's query parameters, ending with PAGINATION_FILTERS */

	/* listing_prepare() generates the statements once from the parts
	 * below, so that a list costs what the caller owns and renders only
	 * the requested page:
	 *   - the rows: `table` (aliased t) where `member_scope` holds for the
	 *     caller's accounts (members only: operators see every row) and
	 *     every given filter's predicate holds;
	 *   - the page of their ids (ORDER BY t.id, LIMIT/OFFSET in SQL) and
	 *     their count;
	 *   - the JSON: render(ARRAY[rows of the page]) → (rid bigint, j jsonb),
	 *     the resource's one renderer, also used for reads. */
	const char *table;
	const char *render;
	/* A predicate over t; `$?` is the caller's accounts (bigint[]: itself
	 * and, recursively, the accounts it manages). NULL: no tenant rule. */
	const char *member_scope;
	/* One per filter before the pagination pair, in filter order: a
	 * predicate over t where `$?` is the value (text; cast it) and
	 * `$scope`, if needed, the caller's accounts (every account for an
	 * operator). `$[k]` is the value of filter k (0: the first), for a
	 * filter that qualifies others. In member_scope, `$?` is the caller's
	 * accounts. */
	const char *const *predicates;
	/* Optional. A column of `table` holding each row's JSON text as
	 * `render` makes it, kept true by triggers (the configs' `rendered`,
	 * migration 025): lists and reads copy it instead of rendering. */
	const char *rendered;
	/* Optional, with member_scope LISTING_OWNER_SCOPE: the table has the
	 * indexes (consuming_account, id) and (managing_account, id) WHERE
	 * managing_account <> consuming_account. A member whose scope is itself
	 * alone (it manages no account), listing without a filter, then gets
	 * its page from them in id order and its count from index-only scans,
	 * inside the same statement (the other callers take the general path). */
	bool has_owner_indexes;
	/* Optional, with has_owner_indexes: a table (managing_account,
	 * consuming_account, total) holding how many rows of `table` each owner
	 * pair has, kept true by triggers (the configs' counts, migration 028),
	 * with the indexes (consuming_account, ...) and (managing_account)
	 * WHERE managing_account <> consuming_account. The fast path's count is
	 * then a sum over the member's pairs instead of an index-only scan of
	 * its rows. */
	const char *owner_counts;
	struct listing_sql *sql; /* set by listing_prepare (a static of the listing's file) */
};

/* What every owned IX-API object's list takes first: the filters and
 * their predicates, in the same order (a listing starts both its tables
 * with them), and the tenant rule of an object with owner columns. */
#define LISTING_OWNED_FILTERS                                                                                          \
	{"id", FILTER_LIST, NULL}, {"state", FILTER_ENUM, ixapi_states}, {"state__is_not", FILTER_ENUM, ixapi_states}, \
		{"managing_account", FILTER_TEXT, NULL}, {"consuming_account", FILTER_TEXT, NULL},                     \
	{                                                                                                              \
		"external_ref", FILTER_TEXT, NULL                                                                      \
	}
#define LISTING_OWNED_PREDICATES                                                                                       \
	"t.id = ANY ($?::bigint[])", "t.state = $?", "t.state <> $?", "t.managing_account = id_or_null($?)",           \
		"t.consuming_account = id_or_null($?)", "t.external_ref = $?"
#define LISTING_OWNER_SCOPE "(t.managing_account = ANY ($?) OR t.consuming_account = ANY ($?))"

/* Generates the statements of every set-based listing the routes use.
 * Once, at start-up, before serving. 0, or -1 with err filled. */
struct route;
int listing_prepare(const struct route *routes, size_t count, char *err, size_t err_len);

/* GET /<resource>: the whole list (200) or a page (206). */
struct problem *listing_list(struct request *req, struct response *res);
/* GET /<resource>/{id}: 404 when absent or outside the caller's scope. */
struct problem *listing_read(struct request *req, struct response *res);

#endif
