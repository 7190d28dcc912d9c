/*
 * Parsing of list filters from accepted query parameters. Invalid filter
 * values are validation problems (the spec: "Providing invalid filter values
 * should yield a validation error"); unknown parameters never reach here.
 */
#ifndef IXAPI_HTTP_FILTERS_H
#define IXAPI_HTTP_FILTERS_H

#include "http/request.h"

/* Collects every value of `name` (repeated parameters and comma lists) into a
 * PostgreSQL text[] literal such as {"1","2"}; *out is NULL when the
 * parameter is absent. Caller frees *out. An empty item is a problem. */
struct problem *filter_list_literal(const struct request *req, const char *name, char **out);
/* The value of `name` if it is one of `allowed` (NULL-terminated); *out is
 * NULL when absent. Borrowed. */
struct problem *filter_enum(const struct request *req, const char *name, const char *const *allowed, const char **out);
/* The value of a free-text filter; an empty value is a problem. Borrowed. */
struct problem *filter_text(const struct request *req, const char *name, const char **out);

#endif
