/*
 * Body parsing and field validation (see json_body.h).
 */
#include "core/json_body.h"

#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t json_body_depth(const char *text, size_t len)
{
	size_t depth = 0, deepest = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		else if (c == '{' || c == '[') {
			if (++depth > deepest)
				deepest = depth;
		} else if ((c == '}' || c == ']') && depth > 0)
			depth--;
	}
	return deepest;
}

struct problem *json_body_parse(const char *text, size_t len, size_t max_depth, bool must_be_object, json_t **out)
{
	*out = NULL;
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
		i++;
	if (i == len)
		return NULL;
	if (json_body_depth(text, len) > max_depth)
		return problem_new(PROBLEM_VALIDATION, "The JSON body is nested deeper than %zu levels.", max_depth);
	json_error_t error;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &error);
	if (!j)
		return problem_new(PROBLEM_VALIDATION, "The body is not valid JSON: %s (line %d, column %d).",
				   error.text, error.line, error.column);
	if (must_be_object && !json_is_object(j)) {
		json_decref(j);
		return problem_new(PROBLEM_VALIDATION, "The body must be a JSON object.");
	}
	*out = j;
	return NULL;
}

void validation_fail(struct validation *v, const char *name, const char *reason_fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, reason_fmt);
	vsnprintf(reason, sizeof(reason), reason_fmt, ap);
	va_end(ap);
	if (!v->problem)
		v->problem = problem_new(PROBLEM_VALIDATION, "Some fields did not validate.");
	problem_add_property(v->problem, name, reason);
}

bool validation_has(json_t *j_obj, const char *key)
{
	return j_obj && json_object_get(j_obj, key) != NULL;
}

/* Common presence checks; returns the value, or NULL when absent/null/failed. */
static json_t *present(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags)
{
	json_t *j = j_obj ? json_object_get(j_obj, key) : NULL;
	if (!j) {
		if (flags & FIELD_REQUIRED)
			validation_fail(v, name, "This field is required.");
		return NULL;
	}
	if (json_is_null(j)) {
		if (!(flags & FIELD_NULLABLE))
			validation_fail(v, name, "This field may not be null.");
		return NULL;
	}
	return j;
}

const char *validation_string(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags,
			      size_t max_len)
{
	json_t *j = present(v, j_obj, key, name, flags);
	if (!j)
		return NULL;
	if (!json_is_string(j)) {
		validation_fail(v, name, "Not a valid string.");
		return NULL;
	}
	const char *s = json_string_value(j);
	size_t len = json_string_length(j);
	if (strlen(s) != len) {
		validation_fail(v, name, "Null characters are not allowed.");
		return NULL;
	}
	if ((flags & FIELD_REQUIRED) && len == 0) {
		validation_fail(v, name, "This field may not be blank.");
		return NULL;
	}
	if (max_len && len > max_len) {
		validation_fail(v, name, "Ensure this field has no more than %zu characters.", max_len);
		return NULL;
	}
	return s;
}

bool validation_bool(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags, bool dflt)
{
	json_t *j = present(v, j_obj, key, name, flags);
	if (!j)
		return dflt;
	if (!json_is_boolean(j)) {
		validation_fail(v, name, "Must be a valid boolean.");
		return dflt;
	}
	return json_is_true(j);
}

bool validation_int(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags, long long min,
		    long long max, long long *out)
{
	json_t *j = present(v, j_obj, key, name, flags);
	if (!j)
		return false;
	if (!json_is_integer(j)) {
		validation_fail(v, name, "A valid integer is required.");
		return false;
	}
	long long value = json_integer_value(j);
	if (value < min || value > max) {
		validation_fail(v, name, "Ensure this value is between %lld and %lld.", min, max);
		return false;
	}
	*out = value;
	return true;
}

json_t *validation_object(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags)
{
	json_t *j = present(v, j_obj, key, name, flags);
	if (j && !json_is_object(j)) {
		validation_fail(v, name, "Must be an object.");
		return NULL;
	}
	return j;
}

json_t *validation_string_array(struct validation *v, json_t *j_obj, const char *key, const char *name, int flags,
				size_t max_len)
{
	json_t *j = present(v, j_obj, key, name, flags);
	if (!j)
		return NULL;
	if (!json_is_array(j)) {
		validation_fail(v, name, "Expected a list of items.");
		return NULL;
	}
	size_t i;
	json_t *j_item;
	bool ok = true;
	json_array_foreach (j, i, j_item) {
		if (!json_is_string(j_item) || (max_len && json_string_length(j_item) > max_len) ||
		    strlen(json_string_value(j_item)) != json_string_length(j_item)) {
			validation_fail(v, name, "Item %zu is not a valid string.", i);
			ok = false;
		}
	}
	return ok ? j : NULL;
}

void validation_copy_string(struct validation *v, json_t *j_in, json_t *j_out, const char *key, int flags,
			    size_t max_len)
{
	if (!validation_has(j_in, key))
		return;
	const char *s = validation_string(v, j_in, key, key, flags, max_len);
	if (s)
		json_object_set_new(j_out, key, json_string(s));
	else if (json_is_null(json_object_get(j_in, key)) && (flags & FIELD_NULLABLE))
		json_object_set_new(j_out, key, json_null());
}

void validation_copy_int(struct validation *v, json_t *j_in, json_t *j_out, const char *key, int flags, long long min,
			 long long max)
{
	if (!validation_has(j_in, key))
		return;
	long long value = 0;
	if (validation_int(v, j_in, key, key, flags, min, max, &value))
		json_object_set_new(j_out, key, json_integer(value));
	else if (json_is_null(json_object_get(j_in, key)) && (flags & FIELD_NULLABLE))
		json_object_set_new(j_out, key, json_null());
}

void validation_copy_bool(struct validation *v, json_t *j_in, json_t *j_out, const char *key)
{
	if (!validation_has(j_in, key))
		return;
	json_t *j = json_object_get(j_in, key);
	if (json_is_boolean(j))
		json_object_set(j_out, key, j);
	else
		validation_fail(v, key, "Must be a valid boolean.");
}

const char *validation_copy_enum(struct validation *v, json_t *j_in, json_t *j_out, const char *key, int flags,
				 const char *const *choices)
{
	if (!validation_has(j_in, key))
		return NULL;
	const char *s = validation_string(v, j_in, key, key, flags, 64);
	if (!s) {
		if (json_is_null(json_object_get(j_in, key)) && (flags & FIELD_NULLABLE))
			json_object_set_new(j_out, key, json_null());
		return NULL;
	}
	for (size_t i = 0; choices[i]; i++)
		if (strcmp(s, choices[i]) == 0) {
			json_object_set_new(j_out, key, json_string(s));
			return choices[i];
		}
	validation_fail(v, key, "\"%.64s\" is not a valid choice.", s);
	return NULL;
}

void validation_copy_string_array(struct validation *v, json_t *j_in, json_t *j_out, const char *key, size_t max_len)
{
	if (!validation_has(j_in, key))
		return;
	json_t *j_list = validation_string_array(v, j_in, key, key, FIELD_REQUIRED, max_len);
	if (j_list)
		json_object_set(j_out, key, j_list);
}

void validation_copy_fields(struct validation *v, json_t *j_in, json_t *j_out, const struct field_spec *fields)
{
	for (const struct field_spec *f = fields; f->name; f++) {
		switch (f->type) {
		case FIELD_TYPE_STRING:
			validation_copy_string(v, j_in, j_out, f->name, f->flags, (size_t)f->max);
			break;
		case FIELD_TYPE_INT:
			validation_copy_int(v, j_in, j_out, f->name, f->flags, f->min, f->max);
			break;
		case FIELD_TYPE_BOOL:
			validation_copy_bool(v, j_in, j_out, f->name);
			break;
		case FIELD_TYPE_ENUM:
			validation_copy_enum(v, j_in, j_out, f->name, f->flags, f->choices);
			break;
		case FIELD_TYPE_STRINGS:
			if (validation_has(j_in, f->name)) {
				json_t *j_list =
					validation_string_array(v, j_in, f->name, f->name, f->flags, (size_t)f->max);
				if (j_list)
					json_object_set(j_out, f->name, j_list);
			}
			break;
		case FIELD_TYPE_CUSTOM:
			break;
		}
	}
}

void field_names(const struct field_spec *fields, int flag, const char **names, size_t max)
{
	size_t n = 0;
	for (const struct field_spec *f = fields; f && f->name && n + 1 < max; f++)
		if ((f->flags & flag) == flag)
			names[n++] = f->name;
	names[n] = NULL;
}

const struct field_spec *field_find(const struct field_spec *fields, const char *name)
{
	for (const struct field_spec *f = fields; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

json_t *validation_begin(struct validation *v, json_t *j_body, const char *const *required)
{
	json_t *j_in = j_body ? json_incref(j_body) : json_object();
	for (size_t i = 0; required && required[i]; i++)
		if (!validation_has(j_in, required[i]))
			validation_fail(v, required[i], "This field is required.");
	return j_in;
}

struct problem *validation_end(struct validation *v, json_t *j_in, json_t *j_out, json_t **out)
{
	json_decref(j_in);
	if (v->problem) {
		json_decref(j_out);
		return v->problem;
	}
	*out = j_out;
	return NULL;
}

void validation_validity_window(struct validation *v, json_t *j)
{
	static const char *const windows[] = {"valid_not_before", "valid_not_after"};
	for (size_t i = 0; i < 2; i++) {
		const char *t = json_string_value(json_object_get(j, windows[i]));
		if (t && !util_is_rfc3339(t))
			validation_fail(v, windows[i], "Expected an RFC 3339 date-time such as 2026-01-31T12:00:00Z.");
	}
}
