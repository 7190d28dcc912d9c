/*
 * Letters of authorisation as PDF documents, rendered with cairo: what the
 * exchange hands a member (or its cross-connect provider) so the facility
 * patches the member's circuit to the exchange's port.
 */
#ifndef IXAPI_LOA_LOA_PDF_H
#define IXAPI_LOA_LOA_PDF_H

#include <stdbool.h>
#include <stddef.h>

#define LOA_MAX_LINES 16

struct loa_facts {
	const char *exchange;  /* who authorises (the IXP) */
	const char *member;    /* for whom */
	const char *reference; /* printed and used as the document id */
	const char *date;      /* YYYY-MM-DD */
	const char *facility;  /* name and address */
	const char *pop;
	const char *device;
	const char *connection;             /* name and speed */
	const char *demarcs[LOA_MAX_LINES]; /* per reserved port: demarcation / patch-panel details */
	size_t demarc_count;
};

/* Renders the LOA; *pdf_out (malloc'd, caller frees) and *len_out on
 * success. false when cairo fails. */
bool loa_pdf_render(const struct loa_facts *facts, unsigned char **pdf_out, size_t *len_out);
/* True when data looks like a whole PDF document: the %PDF- header and an
 * %%EOF marker in its last kilobyte. */
bool loa_pdf_looks_valid(const unsigned char *data, size_t len);

/* Releases the font caches cairo and fontconfig keep for the process (at
 * exit, so that leak checkers see a clean heap). */
void loa_pdf_cleanup(void);

#endif
