/*
 * Unit tests of LOA rendering and upload checks.
 */
#include "loa/loa_pdf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static void test_render(void **state)
{
	(void)state;
	struct loa_facts f = {.exchange = "Demo Internet Exchange B.V.",
			      .member = "Demo Member Networks",
			      .reference = "LOA-IXC-1-20261123",
			      .date = "2026-11-23",
			      .facility = "Science Park DC, Science Park 610, 1098 XG Amsterdam",
			      .pop = "AMS-SP",
			      .device = "ams-sp-sw1.demo-ix.net",
			      .connection = "IXC-1, 2 x 10G",
			      .demarcs = {"MMR1.PP4.1", "MMR1.PP4.2"},
			      .demarc_count = 2};
	unsigned char *pdf = NULL;
	size_t len = 0;
	assert_true(loa_pdf_render(&f, &pdf, &len));
	assert_true(len > 500);
	assert_memory_equal(pdf, "%PDF-", 5);
	assert_true(loa_pdf_looks_valid(pdf, len));
	free(pdf);
}

static void test_upload_checks(void **state)
{
	(void)state;
	const char *good = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
	assert_true(loa_pdf_looks_valid((const unsigned char *)good, strlen(good)));
	const char *bad[] = {"", "%PDF-", "GIF89a....................%%EOF", "%PDF-1.4 no end marker at all........"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(loa_pdf_looks_valid((const unsigned char *)bad[i], strlen(bad[i])));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_upload_checks),
	};
	int failed = cmocka_run_group_tests_name("loa pdf", tests, NULL, NULL);
	loa_pdf_cleanup();
	return failed;
}
