/*
 * Pagination of list statements (IX-API page_limit / page_offset). A list
 * statement returns one JSON array text; a page of it is the same statement
 * wrapped so that PostgreSQL slices the array and counts the whole.
 */
#ifndef IXAPI_DB_PAGE_H
#define IXAPI_DB_PAGE_H

#include "core/problem.h"
#include "db/db.h"

#include <stdbool.h>

struct db_page {
	const char *limit;  /* text of a positive integer, or NULL */
	const char *offset; /* text of a non-negative integer, or NULL */
};

/* True when the client asked for a page (either parameter given). */
bool db_page_requested(const struct db_page *page);
/* Validates the page parameters (limit at least 1). */
struct problem *db_page_check(const struct db_page *page);
/* Runs list_sql ($1..$nparams) and returns the JSON array text in *json_out
 * (caller frees). When a page is requested, only that page, and *total_out
 * gets the number of items of the whole list. */
struct problem *db_list(struct db_pool *pool, const char *list_sql, int nparams, const char *const *params,
			const struct db_page *page, char **json_out, long long *total_out);

#endif
