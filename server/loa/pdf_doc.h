/*
 * A small text document written with cairo into a PDF in memory: what the
 * exchange's letters (LOAs) and agreements share. A4 pages, DejaVu Sans,
 * lines and word-wrapped paragraphs from the top down, a new page when one
 * is full.
 */
#ifndef IXAPI_LOA_PDF_DOC_H
#define IXAPI_LOA_PDF_DOC_H

#include <stdbool.h>
#include <stddef.h>

struct pdf_doc;

/* A new document titled `title` (the PDF's metadata); the caller ends it
 * with pdf_doc_finish. */
struct pdf_doc *pdf_doc_new(const char *title);
/* One line at size `size` points: label then text ("-" for NULL), in bold
 * when is_bold. Long lines are cut at the right margin (no wrap). */
void pdf_doc_line(struct pdf_doc *d, double size, bool is_bold, const char *label, const char *text);
/* A paragraph wrapped at the right margin, then a small gap. */
void pdf_doc_paragraph(struct pdf_doc *d, double size, const char *text);
/* Moves down by `points`. */
void pdf_doc_gap(struct pdf_doc *d, double points);
/* Ends the document and frees d. On success *pdf_out (malloc'd, caller
 * frees) and *len_out; false when cairo failed. */
bool pdf_doc_finish(struct pdf_doc *d, unsigned char **pdf_out, size_t *len_out);

#endif
