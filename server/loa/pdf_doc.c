/*
 * Text documents as PDF through cairo's PDF surface (see pdf_doc.h).
 */
#include "loa/pdf_doc.h"

#include "core/util.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_WIDTH  595.0 /* A4, points */
#define PAGE_HEIGHT 842.0
#define MARGIN_LEFT 56.0
#define MARGIN_TOP  80.0
#define MARGIN_FOOT 60.0
#define TEXT_WIDTH  (PAGE_WIDTH - 2 * MARGIN_LEFT)

struct sink {
	unsigned char *data;
	size_t len, cap;
};

struct pdf_doc {
	struct sink sink;
	cairo_surface_t *surface;
	cairo_t *cr;
	double y;
};

static cairo_status_t write_chunk(void *closure, const unsigned char *data, unsigned int length)
{
	struct sink *s = closure;
	if (s->len + length > s->cap) {
		s->cap = (s->len + length) * 2;
		s->data = xrealloc(s->data, s->cap);
	}
	memcpy(s->data + s->len, data, length);
	s->len += length;
	return CAIRO_STATUS_SUCCESS;
}

struct pdf_doc *pdf_doc_new(const char *title)
{
	struct pdf_doc *d = xmalloc(sizeof(*d));
	memset(d, 0, sizeof(*d));
	d->surface = cairo_pdf_surface_create_for_stream(write_chunk, &d->sink, PAGE_WIDTH, PAGE_HEIGHT);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "ixapid");
	d->cr = cairo_create(d->surface);
	d->y = MARGIN_TOP;
	return d;
}

static void font(struct pdf_doc *d, double size, bool is_bold)
{
	cairo_select_font_face(d->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       is_bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(d->cr, size);
}

/* A new page when the next line of `size` would not fit. */
static void room_for(struct pdf_doc *d, double size)
{
	if (d->y + size * 1.6 <= PAGE_HEIGHT - MARGIN_FOOT)
		return;
	cairo_show_page(d->cr);
	d->y = MARGIN_TOP;
}

static void show(struct pdf_doc *d, double size, const char *text)
{
	room_for(d, size);
	cairo_move_to(d->cr, MARGIN_LEFT, d->y);
	cairo_show_text(d->cr, text);
	d->y += size * 1.6;
}

void pdf_doc_line(struct pdf_doc *d, double size, bool is_bold, const char *label, const char *text)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s%s", label, text ? text : "-");
	font(d, size, is_bold);
	show(d, size, buf);
}

static double width_of(struct pdf_doc *d, const char *text)
{
	cairo_text_extents_t e;
	cairo_text_extents(d->cr, text, &e);
	return e.x_advance;
}

void pdf_doc_paragraph(struct pdf_doc *d, double size, const char *text)
{
	font(d, size, false);
	char line[1024] = "";
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == 0)
			break;
		char candidate[1024];
		int len = snprintf(candidate, sizeof(candidate), "%s%s%.*s", line, line[0] ? " " : "", (int)n, p);
		if (line[0] && (len >= (int)sizeof(candidate) || width_of(d, candidate) > TEXT_WIDTH)) {
			show(d, size, line);
			snprintf(line, sizeof(line), "%.*s", (int)n, p);
		} else
			snprintf(line, sizeof(line), "%s", candidate);
		p += n;
	}
	if (line[0])
		show(d, size, line);
	d->y += size * 0.6;
}

void pdf_doc_gap(struct pdf_doc *d, double points)
{
	d->y += points;
}

bool pdf_doc_finish(struct pdf_doc *d, unsigned char **pdf_out, size_t *len_out)
{
	cairo_show_page(d->cr);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	bool ok = cairo_surface_status(d->surface) == CAIRO_STATUS_SUCCESS && d->sink.len > 0;
	cairo_surface_destroy(d->surface);
	if (ok) {
		*pdf_out = d->sink.data;
		*len_out = d->sink.len;
	} else
		free(d->sink.data);
	free(d);
	return ok;
}
