/*
 * The route-server adapters' configuration (see rs_adapters.h): strict, as
 * the switch adapters' (a typo stops start-up).
 */
#include "jobs/rs_adapters.h"

#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_text(const json_t *v)
{
	return json_is_string(v) && *json_string_value(v);
}

/* Route server names the adapter takes in a path: 1 to 31 of [A-Za-z0-9._-]. */
static bool is_server_name(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n < 32 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int parse_servers(const json_t *list, const char *where, struct rs_adapter *a, char *err, size_t err_len)
{
	if (!json_is_array(list) || json_array_size(list) == 0) {
		snprintf(err, err_len, "%s: \"route_servers\" must be a non-empty array", where);
		return -1;
	}
	a->servers = xcalloc(json_array_size(list), sizeof(*a->servers));
	size_t i;
	json_t *e;
	json_array_foreach (list, i, e) {
		const json_t *feature = json_is_object(e) ? json_object_get(e, "network_feature") : e;
		const json_t *server = json_is_object(e) ? json_object_get(e, "server") : e;
		if (!is_text(feature) || !is_text(server) || !is_server_name(json_string_value(server)) ||
		    (json_is_object(e) && json_object_size(e) != 2)) {
			snprintf(
				err, err_len,
				"%s: route_servers[%zu] must be a route server's name or fqdn (1 to 31 of "
				"[A-Za-z0-9._-]) or {\"network_feature\": name or fqdn, \"server\": the adapter's name}",
				where, i);
			return -1;
		}
		a->servers[i].feature = xstrdup(json_string_value(feature));
		a->servers[i].server = xstrdup(json_string_value(server));
		a->server_count = i + 1;
	}
	return 0;
}

static int parse_one(const json_t *j, const char *base_dir, size_t index, struct rs_adapter *a, char *err,
		     size_t err_len)
{
	char where[64];
	snprintf(where, sizeof(where), "route_server_adapters[%zu]", index);
	static const char *const keys[] = {"name", "url", "secret_file", "ca_file", "route_servers", NULL};
	if (!json_is_object(j)) {
		snprintf(err, err_len, "%s: expected an object", where);
		return -1;
	}
	const char *k;
	json_t *v;
	json_object_foreach ((json_t *)j, k, v) {
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], k) != 0)
			i++;
		if (!keys[i]) {
			snprintf(err, err_len, "%s: unknown member \"%.40s\"", where, k);
			return -1;
		}
	}
	const char *req[] = {"name", "url", "secret_file"};
	for (size_t i = 0; i < 3; i++)
		if (!is_text(json_object_get(j, req[i]))) {
			snprintf(err, err_len, "%s: \"%s\" must be a non-empty string", where, req[i]);
			return -1;
		}
	const json_t *ca = json_object_get(j, "ca_file");
	if (ca && !is_text(ca)) {
		snprintf(err, err_len, "%s: \"ca_file\" must be a non-empty string", where);
		return -1;
	}
	const char *url = json_string_value(json_object_get(j, "url"));
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(err, err_len, "%s: url must begin with http:// or https://", where);
		return -1;
	}
	if (parse_servers(json_object_get(j, "route_servers"), where, a, err, err_len) != 0)
		return -1;
	char *secret =
		adapters_read_secret(base_dir, json_string_value(json_object_get(j, "secret_file")), err, err_len);
	if (!secret)
		return -1;
	a->http.name = xstrdup(json_string_value(json_object_get(j, "name")));
	a->http.url = xstrdup(url);
	size_t len = strlen(a->http.url);
	while (len && a->http.url[len - 1] == '/')
		a->http.url[--len] = '\0';
	a->http.secret = secret;
	a->http.ca_file = ca ? xstrdup(json_string_value(ca)) : NULL;
	return 0;
}

int rs_adapters_parse(const json_t *list, const char *base_dir, struct switch_adapters *out, char *err, size_t err_len)
{
	if (!json_is_array(list)) {
		snprintf(err, err_len, "\"route_server_adapters\" must be an array");
		return -1;
	}
	out->rs_items = xcalloc(json_array_size(list) + 1, sizeof(*out->rs_items));
	for (size_t i = 0; i < json_array_size(list); i++) {
		/* counted first: a half-parsed adapter is freed with the rest */
		out->rs_count = i + 1;
		if (parse_one(json_array_get(list, i), base_dir, i, &out->rs_items[i], err, err_len) != 0)
			return -1;
		for (size_t s = 0; s < out->rs_items[i].server_count; s++)
			for (size_t o = 0; o <= i; o++)
				for (size_t t = 0; t < out->rs_items[o].server_count; t++) {
					if (o == i && t >= s)
						break;
					if (strcmp(out->rs_items[o].servers[t].feature,
						   out->rs_items[i].servers[s].feature) == 0) {
						snprintf(err, err_len, "route server %s is named twice (%s, %s)",
							 out->rs_items[i].servers[s].feature,
							 out->rs_items[o].http.name, out->rs_items[i].http.name);
						return -1;
					}
				}
	}
	return 0;
}

const struct rs_adapter *rs_adapter_for(const struct switch_adapters *list, const char *name, const char *fqdn,
					const char **server)
{
	for (size_t i = 0; list && i < list->rs_count; i++)
		for (size_t s = 0; s < list->rs_items[i].server_count; s++) {
			const struct rs_adapter_server *e = &list->rs_items[i].servers[s];
			if ((name && strcmp(e->feature, name) == 0) || (fqdn && strcmp(e->feature, fqdn) == 0)) {
				if (server)
					*server = e->server;
				return &list->rs_items[i];
			}
		}
	return NULL;
}

void rs_adapters_free(struct switch_adapters *list)
{
	for (size_t i = 0; list->rs_items && i < list->rs_count; i++) {
		struct rs_adapter *a = &list->rs_items[i];
		free(a->http.name);
		free(a->http.url);
		if (a->http.secret) {
			memset(a->http.secret, 0, strlen(a->http.secret));
			free(a->http.secret);
		}
		free(a->http.ca_file);
		for (size_t s = 0; s < a->server_count; s++) {
			free(a->servers[s].feature);
			free(a->servers[s].server);
		}
		free(a->servers);
	}
	free(list->rs_items);
	list->rs_items = NULL;
	list->rs_count = 0;
}
