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
