/*
 * The switch adapters' configuration (see adapters.h): strict parsing, so a
 * typo stops start-up instead of leaving jobs to fail one by one.
 */
#include "jobs/adapters.h"

#include "core/util.h"
#include "jobs/rs_adapters.h"

#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_MAX 4096

char *adapters_read_secret(const char *base_dir, const char *file, char *err, size_t err_len)
{
	char path[4096];
	if (file[0] == '/')
		snprintf(path, sizeof(path), "%s", file);
	else
		snprintf(path, sizeof(path), "%s/%s", base_dir, file);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_len, "secret_file %s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = xmalloc(SECRET_MAX + 1);
	size_t n = fread(buf, 1, SECRET_MAX + 1, f);
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	buf[n < SECRET_MAX ? n : SECRET_MAX] = '\0';
	bool printable = n > 0 && n < SECRET_MAX;
	for (size_t i = 0; printable && i < n; i++)
		if ((unsigned char)buf[i] < 0x21 || (unsigned char)buf[i] > 0x7e)
			printable = false;
	if (!printable) {
		snprintf(err, err_len, "secret_file %s: expected one line of 1 to %d printable characters", path,
			 SECRET_MAX - 1);
		memset(buf, 0, SECRET_MAX + 1);
		free(buf);
		return NULL;
	}
	return buf;
}

static const char *string_member(json_t *j, const char *key, bool required, const char *where, char *err,
				 size_t err_len, int *bad)
{
	json_t *v = json_object_get(j, key);
	if (!v && !required)
		return NULL;
	if (!json_is_string(v) || !*json_string_value(v)) {
		snprintf(err, err_len, "%s: \"%s\" must be a non-empty string", where, key);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static int parse_one(json_t *j, const char *base_dir, size_t index, struct switch_adapter *a, char *err, size_t err_len)
{
	char where[64];
	snprintf(where, sizeof(where), "switch_adapters[%zu]", index);
	int bad = 0;
	if (!json_is_object(j)) {
		snprintf(err, err_len, "%s: expected an object", where);
		return -1;
	}
	const char *name = string_member(j, "name", true, where, err, err_len, &bad);
	const char *url = bad ? NULL : string_member(j, "url", true, where, err, err_len, &bad);
	const char *secret_file = bad ? NULL : string_member(j, "secret_file", true, where, err, err_len, &bad);
	const char *model = bad ? NULL : string_member(j, "model", false, where, err, err_len, &bad);
	const char *ca_file = bad ? NULL : string_member(j, "ca_file", false, where, err, err_len, &bad);
	if (bad)
		return -1;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(err, err_len, "%s: url must begin with http:// or https://", where);
		return -1;
	}
	if (model && strcmp(model, "bridge-per-service") != 0 && strcmp(model, "vlan-filtering") != 0) {
		snprintf(err, err_len, "%s: model must be bridge-per-service or vlan-filtering", where);
		return -1;
	}
	json_t *devices = json_object_get(j, "devices");
	if (!json_is_array(devices) || json_array_size(devices) == 0) {
		snprintf(err, err_len, "%s: \"devices\" must be a non-empty array of device names", where);
		return -1;
	}
	size_t i;
	json_t *d;
	json_array_foreach (devices, i, d)
		if (!json_is_string(d) || !*json_string_value(d)) {
			snprintf(err, err_len, "%s: devices[%zu] must be a non-empty string", where, i);
			return -1;
		}
	char *secret = adapters_read_secret(base_dir, secret_file, err, err_len);
	if (!secret)
		return -1;
	a->name = xstrdup(name);
	a->url = xstrdup(url);
	size_t len = strlen(a->url);
	while (len && a->url[len - 1] == '/')
		a->url[--len] = '\0';
	a->secret = secret;
	a->ca_file = ca_file ? xstrdup(ca_file) : NULL;
	a->vlan_filtering = model && strcmp(model, "vlan-filtering") == 0;
	a->device_count = json_array_size(devices);
	a->devices = xmalloc(a->device_count * sizeof(char *));
	json_array_foreach (devices, i, d)
		a->devices[i] = xstrdup(json_string_value(d));
	return 0;
}

int adapters_parse(const char *json_text, const char *base_dir, struct switch_adapters *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof(*out));
	json_error_t jerr;
	json_t *j = json_loads(json_text, JSON_REJECT_DUPLICATES, &jerr);
	int rc = -1;
	if (!j) {
		snprintf(err, err_len, "line %d: %s", jerr.line, jerr.text);
		goto out;
	}
	json_t *list = json_object_get(j, "switch_adapters");
	json_t *rs_list = json_object_get(j, "route_server_adapters");
	if (list ? !json_is_array(list) : !rs_list) {
		snprintf(err, err_len, "expected {\"switch_adapters\": [...], \"route_server_adapters\": [...]}");
		goto out;
	}
	out->items = xmalloc((json_array_size(list) + 1) * sizeof(*out->items));
	memset(out->items, 0, (json_array_size(list) + 1) * sizeof(*out->items));
	for (size_t i = 0; i < json_array_size(list); i++) {
		if (parse_one(json_array_get(list, i), base_dir, i, &out->items[i], err, err_len) != 0)
			goto out;
		out->count++;
		for (size_t k = 0; k < out->items[i].device_count; k++)
			for (size_t o = 0; o < i; o++)
				if (adapters_for_device(&(struct switch_adapters){.items = out->items + o, .count = 1},
							out->items[i].devices[k])) {
					snprintf(err, err_len, "device %s is served by two adapters (%s, %s)",
						 out->items[i].devices[k], out->items[o].name, out->items[i].name);
					goto out;
				}
	}
	if (rs_list && rs_adapters_parse(rs_list, base_dir, out, err, err_len) != 0)
		goto out;
	rc = 0;
out:
	json_decref(j);
	if (rc != 0)
		adapters_free(out);
	return rc;
}

int adapters_load(const char *path, struct switch_adapters *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *text = xmalloc(1 << 20);
	size_t n = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	text[n] = '\0';
	char *dir_copy = xstrdup(path);
	char inner[512];
	int rc = adapters_parse(text, dirname(dir_copy), out, inner, sizeof(inner));
	if (rc != 0)
		snprintf(err, err_len, "%s: %s", path, inner);
	free(dir_copy);
	free(text);
	return rc;
}

const struct switch_adapter *adapters_for_device(const struct switch_adapters *list, const char *device)
{
	for (size_t i = 0; list && i < list->count; i++)
		for (size_t k = 0; k < list->items[i].device_count; k++)
			if (strcmp(list->items[i].devices[k], device) == 0)
				return &list->items[i];
	return NULL;
}

void adapters_free(struct switch_adapters *list)
{
	for (size_t i = 0; list->items && i < list->count; i++) {
		struct switch_adapter *a = &list->items[i];
		free(a->name);
		free(a->url);
		if (a->secret) {
			memset(a->secret, 0, strlen(a->secret));
			free(a->secret);
		}
		free(a->ca_file);
		for (size_t k = 0; k < a->device_count; k++)
			free(a->devices[k]);
		free(a->devices);
	}
	free(list->items);
	rs_adapters_free(list);
	memset(list, 0, sizeof(*list));
}
