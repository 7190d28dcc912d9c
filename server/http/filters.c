/*
 * List filters (see filters.h).
 */
#include "http/filters.h"

#include "core/util.h"

#include <stdlib.h>
#include <string.h>

struct buf {
	char *data;
	size_t len, cap;
};

static void buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Appends one array element, double-quoted with " and \ escaped. */
static void put_item(struct buf *b, const char *s, size_t n)
{
	buf_put(b, b->len > 1 ? ",\"" : "\"", b->len > 1 ? 2 : 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_put(b, "\\", 1);
		buf_put(b, &s[i], 1);
	}
	buf_put(b, "\"", 1);
}

struct problem *filter_list_literal(const struct request *req, const char *name, char **out)
{
	*out = NULL;
	struct buf b = {0};
	bool seen = false;
	buf_put(&b, "{", 1);
	for (size_t i = 0; i < req->query_count; i++) {
		if (strcmp(req->query[i].name, name) != 0)
			continue;
		seen = true;
		const char *v = req->query[i].value;
		for (;;) {
			size_t n = strcspn(v, ",");
			while (n && v[0] == ' ') {
				v++;
				n--;
			}
			while (n && v[n - 1] == ' ')
				n--;
			if (n == 0) {
				free(b.data);
				return problem_invalid(name, "Expected a comma-separated list of ids.");
			}
			put_item(&b, v, n);
			v += strcspn(v, ",");
			if (*v != ',')
				break;
			v++;
		}
	}
	if (!seen) {
		free(b.data);
		return NULL;
	}
	buf_put(&b, "}", 1);
	*out = b.data;
	return NULL;
}

struct problem *filter_enum(const struct request *req, const char *name, const char *const *allowed, const char **out)
{
	*out = NULL;
	const char *v = request_query(req, name);
	if (!v)
		return NULL;
	for (size_t i = 0; allowed[i]; i++)
		if (strcmp(allowed[i], v) == 0) {
			*out = v;
			return NULL;
		}
	return problem_invalid(name, "\"%.80s\" is not a valid choice.", v);
}

struct problem *filter_text(const struct request *req, const char *name, const char **out)
{
	*out = request_query(req, name);
	if (*out && !**out) {
		*out = NULL;
		return problem_invalid(name, "This filter may not be empty.");
	}
	return NULL;
}
