/*
 * ixapictl's words for the API's JSON: times ("3d 4h" ago, UTC), one
 * object as "key: value" lines in a reading order, and an audit event's
 * change in a few words ("step review → agreement", "status +tag -tag").
 * No I/O but the FILE written to, so unit tests drive it.
 */
#ifndef IXAPI_CTL_TEXT_H
#define IXAPI_CTL_TEXT_H

#include "core/util.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The string member `key` of j, or NULL (borrowed). */
const char *ctl_str(json_t *j, const char *key);
/* A scalar as text: the string itself, or the number or boolean written
 * into buf; "" for null or a container. */
const char *ctl_scalar_text(json_t *v, char *buf, size_t len);
/* Seconds since the epoch of an RFC 3339 time (Z or an offset), or -1. */
long long ctl_parse_time(const char *s);
/* "3d 4h", "5h 12m", "40m", "12s" of a duration in seconds. */
void ctl_duration_text(long long s, char *buf, size_t len);
/* A time as "YYYY-MM-DD HH:MM" (UTC; with seconds when `seconds`), or the
 * text as given when it is no RFC 3339 time. */
void ctl_time_text(const char *s, bool seconds, char *buf, size_t len);

/* "key: value" lines of one object, gathered then printed. */
struct ctl_kv {
	size_t n;
	char **k, **v;
};
/* Every member of j as lines: the keys of `order` first, in that order
 * (PostgreSQL's jsonb keeps no order of its own), then the rest; none of
 * `skip` (both NULL-terminated or NULL). Nested objects become
 * "a.b: ..." lines, objects of scalars one line "k=v k=v", arrays of
 * objects one line each ("contacts[0]: ..."). */
void ctl_kv_flatten(struct ctl_kv *kv, const char *prefix, json_t *j, const char *const *order,
		    const char *const *skip);
/* Prints the lines, keys aligned, and frees them. */
void ctl_kv_print(struct ctl_kv *kv, FILE *out);

/* What an event (GET /events: action, data, previous) changed, in a few
 * words, appended to b. */
void ctl_event_summary(json_t *e, struct strbuf *b);

#endif
