/*
 * The connection agreement (see agreement_pdf.h): the parties, what is
 * ordered, the terms, the invoicing rule and, for members, the articles of
 * association with the voting and general-meeting terms; then the
 * signature block for the contract signer.
 */
#include "onboarding/agreement_pdf.h"

#include "loa/pdf_doc.h"

#include <stdio.h>

#define HEADING 12
#define TEXT    10

static void heading(struct pdf_doc *d, const char *text)
{
	pdf_doc_gap(d, 8);
	pdf_doc_line(d, HEADING, true, "", text);
}

bool agreement_pdf_render(const struct agreement_facts *f, unsigned char **pdf_out, size_t *len_out)
{
	char buf[2048];
	struct pdf_doc *d =
		pdf_doc_new(f->is_member ? "Connection Agreement (Member)" : "Connection Agreement (Customer)");
	pdf_doc_line(d, 20, true, "", "Connection Agreement");
	pdf_doc_line(d, TEXT, false, "",
		     f->is_member ? "Member variant: membership of the association and connection to the exchange"
				  : "Customer variant: connection to the exchange");
	pdf_doc_gap(d, 4);
	pdf_doc_line(d, TEXT, false, "Reference: ", f->reference);
	pdf_doc_line(d, TEXT, false, "Date: ", f->date);

	heading(d, "1. The parties");
	pdf_doc_line(d, TEXT, false, "The exchange: ", f->exchange);
	pdf_doc_line(d, TEXT, false, f->is_member ? "The member: " : "The customer: ", f->legal_name);
	pdf_doc_line(d, TEXT, false, "Registration number: ", f->registration_number);
	pdf_doc_line(d, TEXT, false, "Address: ", f->address);
	pdf_doc_line(d, TEXT, false, "Autonomous system numbers: ", f->asns);

	heading(d, "2. What is ordered");
	pdf_doc_line(d, TEXT, false, "Port order: ", f->port_order);
	pdf_doc_line(d, TEXT, false, "Facility: ", f->facility);
	pdf_doc_line(d, TEXT, false, "Colocation: ", f->colocation);
	pdf_doc_line(d, TEXT, false, "Envisioned port assignment date: ",
		     f->envisioned_date ? f->envisioned_date : "as soon as possible after signature");

	heading(d, "3. Terms of connection");
	snprintf(buf, sizeof(buf),
		 "%s assigns the ordered ports at the facility above once this agreement is signed, on the "
		 "envisioned date at the earliest, and sends a Letter of Authorisation naming the demarcation "
		 "points. The ports start in the quarantine LAN; they move to the peering LAN when the quarantine "
		 "test passes. %s keeps to the exchange's technical requirements: one MAC address per port, no "
		 "link-local protocols towards the peering LAN, and only the IP addresses the exchange assigned.",
		 f->exchange, f->legal_name);
	pdf_doc_paragraph(d, TEXT, buf);

	heading(d, "4. Invoicing");
	pdf_doc_paragraph(d, TEXT,
			  "Invoicing starts on the date the connection enters production, and at the latest 30 days "
			  "after the exchange assigned the ports, whichever comes first.");

	if (f->is_member) {
		heading(d, "5. Articles of Association");
		snprintf(buf, sizeof(buf),
			 "By signing, %s becomes a member of the association %s and accepts its Articles of "
			 "Association as in force, together with the rules and regulations adopted under them. "
			 "Membership ends by notice as the Articles provide; the connection ends with it.",
			 f->legal_name, f->exchange);
		pdf_doc_paragraph(d, TEXT, buf);
		heading(d, "6. Voting and the General Meeting");
		pdf_doc_paragraph(
			d, TEXT,
			"Every member has one vote in the General Meeting of members, whatever the number of "
			"its ports. The General Meeting is convened at least once a year, with at least 14 "
			"days' notice to the contract signer's e-mail address; it adopts the annual accounts, "
			"the budget and the fees, and elects the board. A member may vote by written proxy "
			"given to another member.");
	}

	heading(d, f->is_member ? "7. Signature" : "5. Signature");
	snprintf(buf, sizeof(buf), "%s <%s>", f->signer_name ? f->signer_name : "-",
		 f->signer_email ? f->signer_email : "-");
	pdf_doc_line(d, TEXT, false, "Contract signer: ", buf);
	pdf_doc_gap(d, 24);
	pdf_doc_line(d, TEXT, false, "", "Signature: ____________________________    Date: ______________");
	pdf_doc_gap(d, 12);
	pdf_doc_line(d, 8, false, "",
		     "Issued through IX-API by ixapid. Sign electronically or upload the signed copy.");
	return pdf_doc_finish(d, pdf_out, len_out);
}
