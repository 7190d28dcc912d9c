/*
 * ixapictl's human tables: a header and rows of strings, each column as
 * wide as its widest cell (counted in characters, not bytes), capped per
 * column; a longer cell is cut at a character boundary and ends in "…".
 * Bold headers only on a terminal (no escape codes into a pipe or a file).
 */
#ifndef IXAPI_CTL_TABLE_H
#define IXAPI_CTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CTL_TABLE_MAX_COLUMNS 12

struct ctl_table {
	size_t columns;
	const char *header[CTL_TABLE_MAX_COLUMNS];
	size_t max_width; /* cap of every column in characters (0: none) */
	size_t rows;
	char **cells; /* rows * columns strings, owned */
};

/* A table with the given headers (borrowed, NULL-terminated, at most
 * CTL_TABLE_MAX_COLUMNS); cells are added with ctl_table_add_row. */
void ctl_table_init(struct ctl_table *t, const char *const *header, size_t max_width);
/* Appends one row: `columns` strings (copied; NULL prints "-"). */
void ctl_table_add_row(struct ctl_table *t, const char *const *cells);
/* Writes the table; `is_tty` decides the bold header. */
void ctl_table_print(const struct ctl_table *t, FILE *out, bool is_tty);
void ctl_table_free(struct ctl_table *t);

/* Characters (UTF-8 code points; an invalid byte counts as one) in s. */
size_t ctl_utf8_width(const char *s);
/* A copy of s of at most max_chars characters: cut at a character
 * boundary, the last one replaced by "…" when cut (caller frees). Control
 * characters (newlines, tabs, escapes) become spaces, so a cell stays on
 * its line and cannot drive the terminal. */
char *ctl_utf8_fit(const char *s, size_t max_chars);

#endif
