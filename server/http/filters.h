/*
 * Parsing of list filters from accepted query parameters. Invalid filter
 * values are validation problems (the spec: "Providing invalid filter values
 * should yield a validation error"); unknown parameters never reach here.
 */
#ifndef IXAPI_HTTP_FILTERS_H
#define IXAPI_HTTP_FILTERS_H

#include "db/page.h"
#include "http/request.h"

#include <stddef.h>

enum filter_kind {
	FILTER_TEXT, /* free text, not empty */
	FILTER_LIST, /* ids: comma lists and repeated parameters, as a text[] literal */
	FILTER_INT,  /* a whole number (non-negative) */
	FILTER_ENUM, /* one of `choices` */
	FILTER_BOOL, /* true or false */
	FILTER_TIME, /* an RFC 3339 date-time */
};

/* One accepted query parameter of a route: the route table lists them
 * (NULL name ends the list) and filters_parse() checks them. */
struct filter_spec {
	const char *name;
	enum filter_kind kind;
	const char *const *choices; /* FILTER_ENUM only, NULL-terminated */
};

#define FILTERS_MAX 32

/* The last two accepted parameters of every list: IX-API pagination. */
#define PAGINATION_FILTERS                                                                                             \
	{"page_limit", FILTER_INT, NULL},                                                                              \
	{                                                                                                              \
		"page_offset", FILTER_INT, NULL                                                                        \
	}

/* The parsed values of a spec list, in spec order: NULL when a parameter is
 * absent. Owns the list literals; release with filters_clear(). */
struct filter_values {
	const char *values[FILTERS_MAX];
	char *owned[FILTERS_MAX];
	size_t count;
};

/* Parses every filter of specs from req: a problem for the first invalid
 * value (nothing to clear then); otherwise out is filled. */
struct problem *filters_parse(const struct request *req, const struct filter_spec *specs, struct filter_values *out);
void filters_clear(struct filter_values *v);
/* The page asked for, from the values of a spec list that ends with
 * PAGINATION_FILTERS; the other filters are the first v->count - 2 values.
 * A problem when page_limit is 0. */
struct problem *filters_page(const struct filter_values *v, struct db_page *page);

/* Collects every value of `name` (repeated parameters and comma lists) into a
 * PostgreSQL text[] literal such as {"1","2"}; *out is NULL when the
 * parameter is absent. Caller frees *out. An empty item is a problem. */
struct problem *filter_list_literal(const struct request *req, const char *name, char **out);
/* The value of `name` if it is one of `allowed` (NULL-terminated); *out is
 * NULL when absent. Borrowed. */
struct problem *filter_enum(const struct request *req, const char *name, const char *const *allowed, const char **out);
/* The value of a free-text filter; an empty value is a problem. Borrowed. */
struct problem *filter_text(const struct request *req, const char *name, const char **out);
/* The value of a whole-number filter (0 .. 2^31-1); anything else is a problem. Borrowed. */
struct problem *filter_int(const struct request *req, const char *name, const char **out);

#endif
