/*
 * List filters (see filters.h).
 */
#include "http/filters.h"

#include "core/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Appends one array element, double-quoted with " and \ escaped. */
static void put_item(struct strbuf *b, const char *s, size_t n)
{
	strbuf_put(b, b->len > 1 ? ",\"" : "\"", b->len > 1 ? 2 : 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			strbuf_put(b, "\\", 1);
		strbuf_put(b, &s[i], 1);
	}
	strbuf_put(b, "\"", 1);
}

struct problem *filter_list_literal(const struct request *req, const char *name, char **out)
{
	*out = NULL;
	struct strbuf b = {0};
	bool seen = false;
	strbuf_put(&b, "{", 1);
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
			/* ids are positive whole numbers: anything else can match no
			 * object, and the statement compares them as the key's type */
			bool is_id = n > 0 && n <= 18;
			for (size_t k = 0; is_id && k < n; k++)
				is_id = v[k] >= '0' && v[k] <= '9';
			if (!is_id || v[0] == '0') {
				free(b.text);
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
		free(b.text);
		return NULL;
	}
	strbuf_put(&b, "}", 1);
	*out = b.text;
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

struct problem *filter_int(const struct request *req, const char *name, const char **out)
{
	*out = request_query(req, name);
	long long v;
	if (*out && !util_parse_ll(*out, 0, INT32_MAX, &v)) {
		*out = NULL;
		return problem_invalid(name, "A valid integer is required.");
	}
	return NULL;
}

static const char *const booleans[] = {"true", "false", NULL};

struct problem *filters_parse(const struct request *req, const struct filter_spec *specs, struct filter_values *out)
{
	memset(out, 0, sizeof(*out));
	struct problem *p = NULL;
	size_t i = 0;
	for (; specs && specs[i].name && !p; i++) {
		if (i == FILTERS_MAX)
			abort(); /* a route table error, caught by the first test that lists */
		const struct filter_spec *f = &specs[i];
		const char **slot = &out->values[i];
		switch (f->kind) {
		case FILTER_TEXT:
			p = filter_text(req, f->name, slot);
			break;
		case FILTER_LIST:
			p = filter_list_literal(req, f->name, &out->owned[i]);
			*slot = out->owned[i];
			break;
		case FILTER_INT:
			p = filter_int(req, f->name, slot);
			break;
		case FILTER_ENUM:
			p = filter_enum(req, f->name, f->choices, slot);
			break;
		case FILTER_BOOL:
			p = filter_enum(req, f->name, booleans, slot);
			break;
		case FILTER_TIME:
			*slot = request_query(req, f->name);
			if (*slot && !util_is_rfc3339(*slot)) {
				*slot = NULL;
				p = problem_invalid(f->name,
						    "Expected an RFC 3339 date-time such as 2026-01-31T12:00:00Z.");
			}
			break;
		}
	}
	out->count = i;
	if (p)
		filters_clear(out);
	return p;
}

void filters_clear(struct filter_values *v)
{
	for (size_t i = 0; i < FILTERS_MAX; i++) {
		free(v->owned[i]);
		v->owned[i] = NULL;
		v->values[i] = NULL;
	}
	v->count = 0;
}

struct problem *filters_page(const struct filter_values *v, struct db_page *page)
{
	page->limit = v->count >= 2 ? v->values[v->count - 2] : NULL;
	page->offset = v->count >= 2 ? v->values[v->count - 1] : NULL;
	return db_page_check(page);
}
