/*
 * ixapictl's human tables (see ctl_table.h).
 */
#include "ctl/ctl_table.h"

#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* The length of the UTF-8 sequence starting at s (1 for a byte that does
 * not start a valid one, so broken input still advances). */
static size_t utf8_seq_len(const unsigned char *s)
{
	size_t n = 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

size_t ctl_utf8_width(const char *s)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p += utf8_seq_len(p))
		chars++;
	return chars;
}

char *ctl_utf8_fit(const char *s, size_t max_chars)
{
	struct strbuf b = {0};
	size_t total = ctl_utf8_width(s), chars = 0;
	bool cut = max_chars > 0 && total > max_chars;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_seq_len(p);
		if (cut && chars + 1 == max_chars) {
			strbuf_puts(&b, "\xe2\x80\xa6"); /* … */
			break;
		}
		if (n == 1 && (*p < 0x20 || *p == 0x7f))
			strbuf_puts(&b, " ");
		else if (n == 1 && *p >= 0x80)
			strbuf_puts(&b, "?"); /* a byte that is no UTF-8 */
		else
			strbuf_put(&b, (const char *)p, n);
		p += n;
		chars++;
	}
	if (!b.text)
		strbuf_puts(&b, "");
	return b.text;
}

void ctl_table_init(struct ctl_table *t, const char *const *header, size_t max_width)
{
	memset(t, 0, sizeof(*t));
	while (t->columns < CTL_TABLE_MAX_COLUMNS && header[t->columns]) {
		t->header[t->columns] = header[t->columns];
		t->columns++;
	}
	t->max_width = max_width;
}

void ctl_table_add_row(struct ctl_table *t, const char *const *cells)
{
	t->cells = xrealloc(t->cells, (t->rows + 1) * t->columns * sizeof(char *));
	for (size_t c = 0; c < t->columns; c++)
		t->cells[t->rows * t->columns + c] = ctl_utf8_fit(cells[c] && *cells[c] ? cells[c] : "-", t->max_width);
	t->rows++;
}

static void pad(FILE *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(' ', out);
}

void ctl_table_print(const struct ctl_table *t, FILE *out, bool is_tty)
{
	size_t width[CTL_TABLE_MAX_COLUMNS];
	for (size_t c = 0; c < t->columns; c++) {
		width[c] = ctl_utf8_width(t->header[c]);
		for (size_t r = 0; r < t->rows; r++) {
			size_t w = ctl_utf8_width(t->cells[r * t->columns + c]);
			if (w > width[c])
				width[c] = w;
		}
	}
	if (is_tty)
		fputs("\x1b[1m", out);
	for (size_t c = 0; c < t->columns; c++) {
		fputs(t->header[c], out);
		if (c + 1 < t->columns)
			pad(out, width[c] - ctl_utf8_width(t->header[c]) + 2);
	}
	if (is_tty)
		fputs("\x1b[0m", out);
	fputc('\n', out);
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t c = 0; c < t->columns; c++) {
			const char *cell = t->cells[r * t->columns + c];
			fputs(cell, out);
			if (c + 1 < t->columns)
				pad(out, width[c] - ctl_utf8_width(cell) + 2);
		}
		fputc('\n', out);
	}
}

void ctl_table_free(struct ctl_table *t)
{
	for (size_t i = 0; i < t->rows * t->columns; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->rows = 0;
}
