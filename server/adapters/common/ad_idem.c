/*
 * The replay memory of ad_idem.h: a ring of AD_IDEM_KEEP answers, searched
 * linearly (a thousand string compares per write is nothing next to a
 * netlink round trip).
 */
#include "adapters/common/ad_idem.h"

#include "core/util.h"

#include <stdlib.h>
#include <string.h>

struct entry {
	char *key, *method, *path, *body;
	int status;
};

static struct entry ring[AD_IDEM_KEEP];
static size_t next_slot;

static struct entry *find(const char *key, const char *method, const char *path)
{
	for (size_t i = 0; i < AD_IDEM_KEEP; i++) {
		struct entry *e = &ring[i];
		if (e->key && strcmp(e->key, key) == 0 && strcmp(e->method, method) == 0 && strcmp(e->path, path) == 0)
			return e;
	}
	return NULL;
}

static void entry_free(struct entry *e)
{
	free(e->key);
	free(e->method);
	free(e->path);
	free(e->body);
	*e = (struct entry){0};
}

bool ad_idem_find(const char *key, const char *method, const char *path, int *status, char **body)
{
	struct entry *e = find(key, method, path);
	if (!e)
		return false;
	*status = e->status;
	*body = xstrdup(e->body);
	return true;
}

void ad_idem_store(const char *key, const char *method, const char *path, int status, const char *body)
{
	struct entry *e = find(key, method, path);
	if (!e) {
		e = &ring[next_slot];
		next_slot = (next_slot + 1) % AD_IDEM_KEEP;
	}
	entry_free(e);
	*e = (struct entry){xstrdup(key), xstrdup(method), xstrdup(path), xstrdup(body), status};
}

void ad_idem_clear(void)
{
	for (size_t i = 0; i < AD_IDEM_KEEP; i++)
		entry_free(&ring[i]);
	next_slot = 0;
}
