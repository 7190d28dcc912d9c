/*
 * LOA rendering (see loa_pdf.h): one A4 page through cairo's PDF surface,
 * written into memory.
 */
#include "loa/loa_pdf.h"

#include "core/util.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sink {
	unsigned char *data;
	size_t len, cap;
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

static double line(cairo_t *cr, double y, double size, const char *label, const char *text)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s%s", label, text ? text : "-");
	cairo_set_font_size(cr, size);
	cairo_move_to(cr, 56, y);
	cairo_show_text(cr, buf);
	return y + size * 1.6;
}

bool loa_pdf_render(const struct loa_facts *f, unsigned char **pdf_out, size_t *len_out)
{
	struct sink s = {0};
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_chunk, &s, 595.0, 842.0); /* A4 */
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Letter of Authorisation");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "ixapid");
	cairo_t *cr = cairo_create(surface);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	double y = line(cr, 80, 20, "", "Letter of Authorisation (LOA)");
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	y = line(cr, y + 6, 11, "Reference: ", f->reference);
	y = line(cr, y, 11, "Date: ", f->date);
	y += 10;
	char body[512];
	snprintf(body, sizeof(body), "%s authorises the facility to connect the circuits of", f->exchange);
	y = line(cr, y, 11, "", body);
	y = line(cr, y, 11, "", f->member);
	y = line(cr, y, 11, "", "to the exchange's ports described below.");
	y += 10;
	y = line(cr, y, 11, "Facility: ", f->facility);
	y = line(cr, y, 11, "Point of presence: ", f->pop);
	y = line(cr, y, 11, "Device: ", f->device);
	y = line(cr, y, 11, "Connection: ", f->connection);
	y += 10;
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	y = line(cr, y, 11, "", "Demarcation / patch-panel details");
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	for (size_t i = 0; i < f->demarc_count && i < LOA_MAX_LINES; i++) {
		char label[32];
		snprintf(label, sizeof(label), "Port %zu: ", i + 1);
		y = line(cr, y, 11, label, f->demarcs[i]);
	}
	y += 20;
	line(cr, y, 9, "", "This letter is valid for 90 days from its date. Issued through IX-API by ixapid.");
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	bool ok = cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS && s.len > 0;
	cairo_surface_destroy(surface);
	if (!ok) {
		free(s.data);
		return false;
	}
	*pdf_out = s.data;
	*len_out = s.len;
	return true;
}

bool loa_pdf_looks_valid(const unsigned char *data, size_t len)
{
	if (len < 16 || memcmp(data, "%PDF-", 5) != 0)
		return false;
	size_t from = len > 1024 ? len - 1024 : 0;
	for (size_t i = from; i + 5 <= len; i++)
		if (memcmp(data + i, "%%EOF", 5) == 0)
			return true;
	return false;
}

void loa_pdf_cleanup(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
