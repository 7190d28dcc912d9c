/*
 * LOA rendering (see loa_pdf.h): one A4 page of text (loa/pdf_doc.c).
 */
#include "loa/loa_pdf.h"

#include "loa/pdf_doc.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool loa_pdf_render(const struct loa_facts *f, unsigned char **pdf_out, size_t *len_out)
{
	struct pdf_doc *d = pdf_doc_new("Letter of Authorisation");
	pdf_doc_line(d, 20, true, "", "Letter of Authorisation (LOA)");
	pdf_doc_gap(d, 6);
	pdf_doc_line(d, 11, false, "Reference: ", f->reference);
	pdf_doc_line(d, 11, false, "Date: ", f->date);
	pdf_doc_gap(d, 10);
	char body[512];
	snprintf(body, sizeof(body), "%s authorises the facility to connect the circuits of", f->exchange);
	pdf_doc_line(d, 11, false, "", body);
	pdf_doc_line(d, 11, false, "", f->member);
	pdf_doc_line(d, 11, false, "", "to the exchange's ports described below.");
	pdf_doc_gap(d, 10);
	pdf_doc_line(d, 11, false, "Facility: ", f->facility);
	pdf_doc_line(d, 11, false, "Point of presence: ", f->pop);
	pdf_doc_line(d, 11, false, "Device: ", f->device);
	pdf_doc_line(d, 11, false, "Connection: ", f->connection);
	pdf_doc_gap(d, 10);
	pdf_doc_line(d, 11, true, "", "Demarcation / patch-panel details");
	for (size_t i = 0; i < f->demarc_count && i < LOA_MAX_LINES; i++) {
		char label[32];
		snprintf(label, sizeof(label), "Port %zu: ", i + 1);
		pdf_doc_line(d, 11, false, label, f->demarcs[i]);
	}
	pdf_doc_gap(d, 20);
	pdf_doc_line(d, 9, false, "",
		     "This letter is valid for 90 days from its date. Issued through IX-API by ixapid.");
	return pdf_doc_finish(d, pdf_out, len_out);
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
