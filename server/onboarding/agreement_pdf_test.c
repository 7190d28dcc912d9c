/*
 * Unit tests of the connection agreement's rendering: both variants are
 * PDF documents (loa_pdf_looks_valid), and their text as poppler's
 * pdftotext reads it names the parties, the order and the invoicing rule;
 * the member's has the articles of association and the general meeting,
 * the customer's has neither.
 */
#include "loa/loa_pdf.h"
#include "onboarding/agreement_pdf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct agreement_facts facts = {
	.exchange = "Demo Internet Exchange",
	.reference = "AGR-APP-7",
	.date = "2026-12-02",
	.legal_name = "Example Networks B.V.",
	.registration_number = "NL-KVK-12345678",
	.address = "Science Park 105, 1098 XG Amsterdam, NL",
	.asns = "AS196610 (RIPE NCC)",
	.port_order = "2 x 10G port(s) of Connection 10G",
	.facility = "Science Park DC, Science Park 610, 1098 XG Amsterdam",
	.colocation = "Rack 12.04 under contract EQ-998877",
	.envisioned_date = "2026-12-10",
	.signer_name = "Erika Example",
	.signer_email = "erika@example.net",
};

/* The text of a PDF as pdftotext reads it (caller frees), with its line
 * breaks turned into spaces so that wrapped sentences read whole. */
static char *text_of(const unsigned char *pdf, size_t len)
{
	char path[] = "/tmp/agreement-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf, len), (ssize_t)len);
	close(fd);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "pdftotext -q %s -", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 16, n = 0;
	char *text = malloc(cap);
	size_t got;
	while ((got = fread(text + n, 1, cap - n - 1, p)) > 0)
		n += got;
	text[n] = '\0';
	assert_int_equal(pclose(p), 0);
	unlink(path);
	for (char *c = text; *c; c++)
		if (*c == '\n' || *c == '\f')
			*c = ' ';
	return text;
}

static char *render(bool is_member, size_t *len_out)
{
	struct agreement_facts f = facts;
	f.is_member = is_member;
	unsigned char *pdf = NULL;
	size_t len = 0;
	assert_true(agreement_pdf_render(&f, &pdf, &len));
	assert_true(len > 500);
	assert_memory_equal(pdf, "%PDF-", 5);
	assert_true(loa_pdf_looks_valid(pdf, len));
	char *text = text_of(pdf, len);
	free(pdf);
	*len_out = len;
	return text;
}

static void expect_common(const char *text)
{
	const char *want[] = {"Connection Agreement",
			      "Demo Internet Exchange",
			      "Example Networks B.V.",
			      "NL-KVK-12345678",
			      "Science Park 105, 1098 XG Amsterdam, NL",
			      "AS196610 (RIPE NCC)",
			      "2 x 10G port(s) of Connection 10G",
			      "Science Park DC",
			      "2026-12-10",
			      "Erika Example",
			      "erika@example.net",
			      "at the latest 30 days after the exchange assigned the ports"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(text, want[i]))
			fail_msg("'%s' is not in the agreement: %s", want[i], text);
}

static void test_member_variant(void **state)
{
	(void)state;
	size_t len;
	char *text = render(true, &len);
	expect_common(text);
	assert_non_null(strstr(text, "Member variant"));
	assert_non_null(strstr(text, "Articles of Association"));
	assert_non_null(strstr(text, "General Meeting"));
	assert_non_null(strstr(text, "one vote"));
	free(text);
}

static void test_customer_variant(void **state)
{
	(void)state;
	size_t len;
	char *text = render(false, &len);
	expect_common(text);
	assert_non_null(strstr(text, "Customer variant"));
	assert_null(strstr(text, "Articles of Association"));
	assert_null(strstr(text, "General Meeting"));
	assert_null(strstr(text, "vote"));
	free(text);
}

/* A long colocation statement and address wrap or cut, never overflow. */
static void test_long_facts(void **state)
{
	(void)state;
	char longtext[1100];
	memset(longtext, 'x', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	struct agreement_facts f = facts;
	f.is_member = true;
	f.colocation = longtext;
	f.legal_name = longtext;
	f.envisioned_date = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	assert_true(agreement_pdf_render(&f, &pdf, &len));
	assert_true(loa_pdf_looks_valid(pdf, len));
	char *text = text_of(pdf, len);
	assert_non_null(strstr(text, "as soon as possible after signature"));
	free(text);
	free(pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_variant),
		cmocka_unit_test(test_customer_variant),
		cmocka_unit_test(test_long_facts),
	};
	int failed = cmocka_run_group_tests_name("agreement pdf", tests, NULL, NULL);
	loa_pdf_cleanup();
	return failed;
}
