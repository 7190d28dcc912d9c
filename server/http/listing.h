/*
 * Generic list and read handlers for resources whose reads are one
 * statement each: the route's `data` points at a `struct listing` saying
 * which filters the list takes and which statements answer. The catalog,
 * roles, contacts and role assignments are read this way; their writes
 * have handlers of their own.
 *
 * A scoped listing's statements take the caller as their first two
 * parameters ($1 viewer account, $2 is_operator: see db/actor.h) and must
 * filter by the tenant rule; its filters follow from $3.
 */
#ifndef IXAPI_HTTP_LISTING_H
#define IXAPI_HTTP_LISTING_H

#include "http/filters.h"
#include "http/request.h"

#include <stdbool.h>

struct listing {
	const char *title;                 /* for problems: "Facility" */
	bool is_scoped;                    /* statements start with the caller's scope */
	const struct filter_spec *filters; /* the list's query parameters in $n order, ending with PAGINATION_FILTERS */
	const char *list_sql;              /* returns one JSON array text */
	const char *read_sql;              /* last parameter: the id; one JSON object text, or no row */
};

/* GET /<resource>: the whole list (200) or a page (206). */
struct problem *listing_list(struct request *req, struct response *res);
/* GET /<resource>/{id}: 404 when absent or outside the caller's scope. */
struct problem *listing_read(struct request *req, struct response *res);

#endif
