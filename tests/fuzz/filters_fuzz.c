/*
 * libFuzzer target: query-string filter values into the id-list literal
 * that reaches PostgreSQL as a text[] parameter. Checks that the literal
 * always round-trips: balanced quotes, every item quoted.
 */
#include "http/filters.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = malloc(size + 1);
	memcpy(value, data, size);
	value[size] = '\0';
	struct request req = {0};
	req.query[0].name = "id";
	req.query[0].value = value;
	req.query_count = 1;
	char *lit = NULL;
	struct problem *p = filter_list_literal(&req, "id", &lit);
	if (lit) {
		/* Outside quotes only {, }, and commas may appear. */
		size_t n = strlen(lit);
		if (n < 2 || lit[0] != '{' || lit[n - 1] != '}')
			abort();
		int in_quotes = 0;
		for (size_t i = 1; i + 1 < n; i++) {
			if (in_quotes && lit[i] == '\\') {
				i++;
				continue;
			}
			if (lit[i] == '"')
				in_quotes = !in_quotes;
			else if (!in_quotes && lit[i] != ',')
				abort();
		}
		if (in_quotes)
			abort();
	}
	problem_free(p);
	free(lit);
	free(value);
	return 0;
}
