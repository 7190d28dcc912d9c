/*
 * ixapictl's words for the API's JSON (see ctl_text.h).
 */
#include "ctl/ctl_text.h"

#include "ctl/ctl_table.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *ctl_str(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

/* A scalar as text into buf ("" for null or a container). */
const char *ctl_scalar_text(json_t *v, char *buf, size_t len)
{
	buf[0] = '\0';
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	return buf;
}

/* Seconds since the epoch of an RFC 3339 time, or -1. */
long long ctl_parse_time(const char *s)
{
	struct tm tm = {0};
	const char *rest = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (!rest)
		return -1;
	long long t = (long long)timegm(&tm);
	if (*rest == '.')
		while (*++rest >= '0' && *rest <= '9')
			;
	if (*rest == 'Z' || *rest == 'z')
		return t;
	int hh, mm;
	if ((*rest == '+' || *rest == '-') && sscanf(rest + 1, "%2d:%2d", &hh, &mm) == 2)
		return *rest == '+' ? t - (hh * 3600 + mm * 60) : t + (hh * 3600 + mm * 60);
	return -1;
}

/* "3d 4h", "5h 12m", "40m", "12s" of a duration in seconds. */
void ctl_duration_text(long long s, char *buf, size_t len)
{
	if (s < 0)
		s = -s;
	if (s >= 86400)
		snprintf(buf, len, "%lldd %lldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%lldh %lldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%lldm", s / 60);
	else
		snprintf(buf, len, "%llds", s);
}

/* A time as "YYYY-MM-DD HH:MM" (UTC; with seconds when `seconds`), or
 * the text as given. */
void ctl_time_text(const char *s, bool seconds, char *buf, size_t len)
{
	long long t = ctl_parse_time(s);
	if (t < 0) {
		snprintf(buf, len, "%s", s ? s : "-");
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, len, seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &tm);
}

static void kv_add(struct ctl_kv *kv, const char *key, const char *value)
{
	kv->k = xrealloc(kv->k, (kv->n + 1) * sizeof(char *));
	kv->v = xrealloc(kv->v, (kv->n + 1) * sizeof(char *));
	kv->k[kv->n] = xstrdup(key);
	kv->v[kv->n] = ctl_utf8_fit(value, 0);
	kv->n++;
}

static bool all_scalars(json_t *o)
{
	const char *k;
	json_t *v;
	json_object_foreach (o, k, v)
		if (json_is_object(v) || json_is_array(v))
			return false;
	return true;
}

/* An object of scalars on one line: "role=noc name=NOC email=noc@x". */
static void inline_object(json_t *o, struct strbuf *b)
{
	const char *k;
	json_t *v;
	bool first = true;
	json_object_foreach (o, k, v) {
		if (json_is_null(v))
			continue;
		char buf[64];
		if (!first)
			strbuf_puts(b, " ");
		strbuf_puts(b, k);
		strbuf_puts(b, "=");
		strbuf_puts(b, ctl_scalar_text(v, buf, sizeof(buf)));
		first = false;
	}
}

static bool listed(const char *const *list, const char *k)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], k) == 0)
			return true;
	return false;
}

static void kv_flatten_one(struct ctl_kv *kv, const char *prefix, const char *k, json_t *v);

/* Every member of j as "key: value" lines: the keys of `order` first, in
 * that order (PostgreSQL's jsonb keeps no order of its own), then the
 * rest; none of `skip`. */
void ctl_kv_flatten(struct ctl_kv *kv, const char *prefix, json_t *j, const char *const *order, const char *const *skip)
{
	for (size_t i = 0; order && order[i]; i++)
		if (json_object_get(j, order[i]) && !listed(skip, order[i]))
			kv_flatten_one(kv, prefix, order[i], json_object_get(j, order[i]));
	const char *k;
	json_t *v;
	json_object_foreach (j, k, v)
		if (!listed(order, k) && !listed(skip, k))
			kv_flatten_one(kv, prefix, k, v);
}

static void kv_flatten_one(struct ctl_kv *kv, const char *prefix, const char *k, json_t *v)
{
	char *key = *prefix ? xasprintf("%s.%s", prefix, k) : xstrdup(k);
	char buf[64];
	if (json_is_object(v) && !all_scalars(v)) {
		static const char *const first[] = {"name", NULL};
		ctl_kv_flatten(kv, key, v, first, NULL);
	} else if (json_is_object(v)) {
		struct strbuf b = {0};
		inline_object(v, &b);
		kv_add(kv, key, b.text ? b.text : "-");
		free(b.text);
	} else if (json_is_array(v)) {
		struct strbuf b = {0};
		size_t i;
		json_t *e;
		json_array_foreach (v, i, e) {
			if (json_is_object(e)) {
				struct strbuf line = {0};
				inline_object(e, &line);
				char *ek = xasprintf("%s[%zu]", key, i);
				kv_add(kv, ek, line.text ? line.text : "-");
				free(ek);
				free(line.text);
				continue;
			}
			if (b.len)
				strbuf_puts(&b, ", ");
			strbuf_puts(&b, ctl_scalar_text(e, buf, sizeof(buf)));
		}
		if (b.len || json_array_size(v) == 0)
			kv_add(kv, key, b.text ? b.text : "-");
		free(b.text);
	} else {
		const char *t = ctl_scalar_text(v, buf, sizeof(buf));
		kv_add(kv, key, *t ? t : "-");
	}
	free(key);
}

void ctl_kv_print(struct ctl_kv *kv, FILE *out)
{
	size_t w = 0;
	for (size_t i = 0; i < kv->n; i++)
		if (ctl_utf8_width(kv->k[i]) > w)
			w = ctl_utf8_width(kv->k[i]);
	for (size_t i = 0; i < kv->n; i++) {
		fprintf(out, "%s:", kv->k[i]);
		for (size_t p = ctl_utf8_width(kv->k[i]); p < w + 1; p++)
			fputc(' ', out);
		fprintf(out, "%s\n", kv->v[i]);
		free(kv->k[i]);
		free(kv->v[i]);
	}
	free(kv->k);
	free(kv->v);
	memset(kv, 0, sizeof(*kv));
}

/* Whether a status array holds an entry tagged `tag`. */
static bool has_tag(json_t *status, const char *tag)
{
	size_t i;
	json_t *e;
	json_array_foreach (status, i, e)
		if (ctl_str(e, "tag") && strcmp(ctl_str(e, "tag"), tag) == 0)
			return true;
	return false;
}

/* " +tag -tag": the status entries that came and went. */
static void status_diff(json_t *before, json_t *after, struct strbuf *b)
{
	size_t i;
	json_t *e;
	size_t n = 0;
	json_array_foreach (after, i, e)
		if (ctl_str(e, "tag") && !has_tag(before, ctl_str(e, "tag"))) {
			strbuf_puts(b, " +");
			strbuf_puts(b, ctl_str(e, "tag"));
			n++;
		}
	json_array_foreach (before, i, e)
		if (ctl_str(e, "tag") && !has_tag(after, ctl_str(e, "tag"))) {
			strbuf_puts(b, " -");
			strbuf_puts(b, ctl_str(e, "tag"));
			n++;
		}
	if (!n)
		strbuf_puts(b, " changed");
}

/* "what changed in a few words" of one event. */
void ctl_event_summary(json_t *e, struct strbuf *b)
{
	const char *action = ctl_str(e, "action");
	json_t *old = json_object_get(e, "previous");
	if (!old)
		old = json_object_get(e, "old_value");
	json_t *new = json_object_get(e, "data");
	if (!new)
		new = json_object_get(e, "new_value");
	static const char *const ignored[] = {"updated_at", "created_at", NULL};
	if (action && strcmp(action, "update") == 0 && json_is_object(old) && json_is_object(new)) {
		size_t shown = 0, more = 0;
		const char *k;
		json_t *v;
		json_object_foreach (new, k, v) {
			bool skip = false;
			for (size_t i = 0; ignored[i]; i++)
				skip = skip || strcmp(ignored[i], k) == 0;
			json_t *before = json_object_get(old, k);
			if (skip || (before && json_equal(before, v)))
				continue;
			if (shown == 3) {
				more++;
				continue;
			}
			char b1[64], b2[64];
			if (b->len)
				strbuf_puts(b, "; ");
			strbuf_puts(b, k);
			if (strcmp(k, "status") == 0 && json_is_array(v)) {
				status_diff(before, v, b);
			} else if ((!before || json_is_null(before) ||
				    (!json_is_object(before) && !json_is_array(before))) &&
				   !json_is_object(v) && !json_is_array(v)) {
				const char *from = before ? ctl_scalar_text(before, b1, sizeof(b1)) : "";
				const char *to = ctl_scalar_text(v, b2, sizeof(b2));
				strbuf_puts(b, " ");
				strbuf_puts(b, *from ? from : "-");
				strbuf_puts(b, " \xe2\x86\x92 "); /* → */
				strbuf_puts(b, *to ? to : "-");
			} else
				strbuf_puts(b, " changed");
			shown++;
		}
		if (more) {
			char m[32];
			snprintf(m, sizeof(m), "; +%zu more", more);
			strbuf_puts(b, m);
		}
		if (!b->len)
			strbuf_puts(b, "no visible change");
		return;
	}
	static const char *const telling[] = {"step", "state", "name", "legal_name", "kind", NULL};
	strbuf_puts(b, action && strcmp(action, "create") == 0 ? "created" : action ? action : "?");
	for (size_t i = 0; json_is_object(new) && telling[i]; i++) {
		const char *v = ctl_str(new, telling[i]);
		if (!v)
			continue;
		strbuf_puts(b, strcmp(b->text, "created") == 0 || strcmp(b->text, action ? action : "?") == 0 ? ": "
													      : ", ");
		strbuf_puts(b, telling[i]);
		strbuf_puts(b, " ");
		strbuf_puts(b, v);
	}
}
