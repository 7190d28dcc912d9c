/*
 * Pagination of lists (IX-API page_limit / page_offset): the page a client
 * asks for. The statements page in SQL themselves (resource/listing.c).
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

#endif
