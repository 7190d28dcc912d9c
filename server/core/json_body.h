/*
 * Request-body JSON: strict parsing with a nesting ceiling, and a small
 * validator that collects every offending property of a body into one
 * validation problem (so a client learns all its mistakes at once).
 */
#ifndef IXAPI_CORE_JSON_BODY_H
#define IXAPI_CORE_JSON_BODY_H

#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define JSON_BODY_MAX_DEPTH 32

/* Deepest nesting of arrays/objects in text (strings are skipped). */
size_t json_body_depth(const char *text, size_t len);
/* Parses a request body. An empty or whitespace-only body gives *out = NULL and
 * no problem. Malformed JSON, nesting deeper than max_depth, or a top-level
 * value that is not an object (when must_be_object) give a validation problem.
 * *out is a new reference owned by the caller. */
struct problem *json_body_parse(const char *text, size_t len, size_t max_depth, bool must_be_object, json_t **out);

/* Collects validation failures. Start with `struct validation v = {0};`. */
struct validation {
	struct problem *problem; /* NULL while everything is valid; caller takes it */
};

/* Records one offending property. */
void validation_fail(struct validation *v, const char *name, const char *reason_fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum field_flags {
	FIELD_OPTIONAL = 0,
	FIELD_REQUIRED = 1 << 0, /* a present value may be neither null nor blank */
	FIELD_NULLABLE = 1 << 1,
	/* The rules of a resource's field table (resource/resource.h): */
	FIELD_CREATE = 1 << 2,    /* must be present in a create (POST) */
	FIELD_PUT = 1 << 3,       /* must be present in a replace (PUT) */
	FIELD_IMMUTABLE = 1 << 4, /* fixed once created: an update that changes it is a 400 naming it */
	FIELD_OPERATOR = 1 << 5,  /* only operators set it: a member who sends it gets a 403 */
	FIELD_LATER = 1 << 6,     /* not taken by a create (set later by an update): dropped from a POST */
};

/* The string at j_obj[key], or NULL when absent/null (borrowed). Records a
 * failure when required and missing, null and not nullable, not a string,
 * empty when required, or longer than max_len (0 = no limit). `name` is the
 * property name reported (may include a path such as "address.country"). */
const char *validation_string(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags,
			      size_t max_len);
/* Like validation_string for booleans; returns dflt when absent. */
bool validation_bool(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags, bool dflt);
/* The integer at j_obj[key] within [min, max] into *out; false when absent,
 * null or invalid (a failure recorded against flags and the range). JSON
 * reals such as 4.0 are refused: integers are integers. */
bool validation_int(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags, long long min,
		    long long max, long long *out);
/* The object at j_obj[key] (borrowed) or NULL; records a failure when it is
 * not an object, or missing/null against flags. */
json_t *validation_object(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags);
/* The array at j_obj[key] (borrowed) whose items are all strings of at most
 * max_len characters, or NULL; records failures. */
json_t *validation_string_array(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags,
				size_t max_len);
/* Copies j_in[key] into j_out[key] when present: the validated string, or
 * null when null is allowed (flags as validation_string). */
void validation_copy_string(struct validation *v, json_t *j_in, json_t *j_out, const char *key, int flags,
			    size_t max_len);
/* True when j_obj has key (even if its value is null). */
bool validation_has(json_t *j_obj, const char *key);

/* Copies j_in[key] into j_out[key] when present: an integer in [min, max],
 * or null when null is allowed. */
void validation_copy_int(struct validation *v, json_t *j_in, json_t *j_out, const char *key, int flags, long long min,
			 long long max);
/* Copies a boolean j_in[key] into j_out[key] when present. */
void validation_copy_bool(struct validation *v, json_t *j_in, json_t *j_out, const char *key);
/* Copies j_in[key] when present and one of `choices` (NULL-terminated);
 * returns the matching static choice, or NULL (absent, null, invalid). */
const char *validation_copy_enum(struct validation *v, json_t *j_in, json_t *j_out, const char *key, int flags,
				 const char *const *choices);
/* Copies a list of strings (each at most max_len) when present. */
void validation_copy_string_array(struct validation *v, json_t *j_in, json_t *j_out, const char *key, size_t max_len);

/* A resource's field table: what each writable field is and its limits,
 * so that a validator is the table plus the rules between fields. The
 * limits are the database's (each CHECK on the column says the same). */
enum field_type {
	FIELD_TYPE_STRING,  /* max: length (0: none) */
	FIELD_TYPE_INT,     /* min..max */
	FIELD_TYPE_BOOL,    /* */
	FIELD_TYPE_ENUM,    /* one of choices */
	FIELD_TYPE_STRINGS, /* a list of strings, each at most max long (null is ignored if nullable) */
	FIELD_TYPE_CUSTOM,  /* validated by the resource's own rules; the table holds its flags (and limit) */
};
struct field_spec {
	const char *name;
	enum field_type type;
	int flags; /* enum field_flags: a present field must be non-null unless FIELD_NULLABLE */
	long long min, max;
	const char *const *choices;
};
#define FIELD_STRING(name, flags, max)                                                                                 \
	{                                                                                                              \
		(name), FIELD_TYPE_STRING, (flags), 0, (max), NULL                                                     \
	}
#define FIELD_INT(name, flags, min, max)                                                                               \
	{                                                                                                              \
		(name), FIELD_TYPE_INT, (flags), (min), (max), NULL                                                    \
	}
#define FIELD_BOOL(name)                                                                                               \
	{                                                                                                              \
		(name), FIELD_TYPE_BOOL, FIELD_OPTIONAL, 0, 0, NULL                                                    \
	}
#define FIELD_ENUM(name, flags, choices)                                                                               \
	{                                                                                                              \
		(name), FIELD_TYPE_ENUM, (flags), 0, 0, (choices)                                                      \
	}
#define FIELD_STRINGS(name, flags, max)                                                                                \
	{                                                                                                              \
		(name), FIELD_TYPE_STRINGS, (flags), 0, (max), NULL                                                    \
	}
#define FIELD_CUSTOM(name, flags, max)                                                                                 \
	{                                                                                                              \
		(name), FIELD_TYPE_CUSTOM, (flags), 0, (max), NULL                                                     \
	}
#define FIELD_END                                                                                                      \
	{                                                                                                              \
		NULL, FIELD_TYPE_STRING, 0, 0, 0, NULL                                                                 \
	}

/* The names of the table's fields that have every bit of `flag`, into
 * names[0..max-2] (borrowed), NULL-terminated: e.g. what a POST requires. */
void field_names(const struct field_spec *fields, int flag, const char **names, size_t max);
/* The field of the table called name, or NULL. */
const struct field_spec *field_find(const struct field_spec *fields, const char *name);

/* Copies every field of the table present in j_in into j_out, validated
 * (FIELD_TYPE_CUSTOM fields are left to the resource's rules). */
void validation_copy_fields(struct validation *v, json_t *j_in, json_t *j_out, const struct field_spec *fields);
/* Fails valid_not_before and valid_not_after when j holds either as a
 * string that is not an RFC 3339 date-time (IPs, MACs). */
void validation_validity_window(struct validation *v, json_t *j);
/* The start of a validator: the body as an object (a new reference; {} for
 * none), and a failure for each `required` (NULL-terminated, or NULL) name
 * it lacks. */
json_t *validation_begin(struct validation *v, json_t *j_body, const char *const *required);
/* The end of a validator: releases j_in; on success hands j_out over in
 * *out, else releases it and returns the collected problem. */
struct problem *validation_end(struct validation *v, json_t *j_in, json_t *j_out, json_t **out);

#endif
