/*
 * The connection agreement as a PDF (cairo, loa/pdf_doc.h): the contract an
 * applicant's contract signer signs after approval. Two variants: a member's
 * (with the articles of association, voting and the general meeting) and a
 * customer's (the connection terms only).
 */
#ifndef IXAPI_ONBOARDING_AGREEMENT_PDF_H
#define IXAPI_ONBOARDING_AGREEMENT_PDF_H

#include <stdbool.h>
#include <stddef.h>

struct agreement_facts {
	bool is_member;                  /* member variant, else customer */
	const char *exchange;            /* the exchange (a party) */
	const char *reference;           /* printed on the document */
	const char *date;                /* YYYY-MM-DD of issue */
	const char *legal_name;          /* the applicant (the other party) */
	const char *registration_number; /* its company registration number */
	const char *address;             /* its address on one line */
	const char *asns;                /* "AS64500 (RIPE NCC), ..." */
	const char *port_order;          /* "1 x 10G port(s) of <offering>" */
	const char *facility;            /* name and address */
	const char *colocation;          /* the applicant's colocation statement */
	const char *envisioned_date;     /* YYYY-MM-DD or NULL */
	const char *signer_name;         /* the contract signer */
	const char *signer_email;
};

/* Renders the agreement; *pdf_out (malloc'd, caller frees) and *len_out on
 * success. false when cairo fails. */
bool agreement_pdf_render(const struct agreement_facts *facts, unsigned char **pdf_out, size_t *len_out);

#endif
