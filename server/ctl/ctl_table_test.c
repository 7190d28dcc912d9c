/*
 * Unit tests of ixapictl's tables: columns as wide as their widest cell in
 * characters (not bytes), cells cut at a character boundary with "…", no
 * escape codes unless on a terminal, control characters kept out.
 */
#include "ctl/ctl_table.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The table as printed, into a new string. */
static char *render(const struct ctl_table *t, bool is_tty)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	ctl_table_print(t, f, is_tty);
	fclose(f);
	return text;
}

static void test_width_counts_characters(void **state)
{
	(void)state;
	assert_int_equal(ctl_utf8_width(""), 0);
	assert_int_equal(ctl_utf8_width("abc"), 3);
	assert_int_equal(ctl_utf8_width("Zürich"), 6);            /* 7 bytes */
	assert_int_equal(ctl_utf8_width("\xe2\x86\x92"), 1);      /* → */
	assert_int_equal(ctl_utf8_width("\xf0\x9f\x98\x80x"), 2); /* an emoji and x */
	assert_int_equal(ctl_utf8_width("\xc3"), 1);              /* a cut sequence counts once */
}

static void test_fit_cuts_at_a_character_boundary(void **state)
{
	(void)state;
	char *s = ctl_utf8_fit("Zürich Science Park", 4);
	assert_string_equal(s, "Zür\xe2\x80\xa6"); /* three characters and … */
	assert_int_equal(ctl_utf8_width(s), 4);
	free(s);
	s = ctl_utf8_fit("ééééé", 3);
	assert_string_equal(s, "éé\xe2\x80\xa6"); /* never half of an é */
	free(s);
	s = ctl_utf8_fit("short", 5);
	assert_string_equal(s, "short");
	free(s);
	s = ctl_utf8_fit("no cap at all", 0);
	assert_string_equal(s, "no cap at all");
	free(s);
}

static void test_fit_keeps_control_characters_out(void **state)
{
	(void)state;
	char *s = ctl_utf8_fit("line1\nline2\t\x1b[31mred", 0);
	assert_null(strchr(s, '\n'));
	assert_null(strchr(s, '\x1b'));
	assert_string_equal(s, "line1 line2  [31mred");
	free(s);
	s = ctl_utf8_fit("bad\xff"
			 "byte",
			 0);
	assert_string_equal(s, "bad?byte");
	free(s);
}

static void test_columns_sized_to_content(void **state)
{
	(void)state;
	static const char *const header[] = {"ID", "NAME", "STEP", NULL};
	struct ctl_table t;
	ctl_table_init(&t, header, 10);
	const char *r1[] = {"1", "Zürich AG", "review"};
	const char *r2[] = {"1234", "A very long legal name", NULL};
	ctl_table_add_row(&t, r1);
	ctl_table_add_row(&t, r2);
	char *text = render(&t, false);
	assert_string_equal(text, "ID    NAME        STEP\n"
				  "1     Zürich AG   review\n"
				  "1234  A very lo…  -\n");
	free(text);
	ctl_table_free(&t);
}

static void test_bold_header_only_on_a_terminal(void **state)
{
	(void)state;
	static const char *const header[] = {"A", "B", NULL};
	struct ctl_table t;
	ctl_table_init(&t, header, 0);
	const char *r[] = {"x", "y"};
	ctl_table_add_row(&t, r);
	char *plain = render(&t, false);
	assert_null(strchr(plain, '\x1b'));
	char *tty = render(&t, true);
	assert_non_null(strstr(tty, "\x1b[1m"));
	assert_non_null(strstr(tty, "\x1b[0m"));
	free(plain);
	free(tty);
	ctl_table_free(&t);
}

static void test_empty_table_prints_the_header(void **state)
{
	(void)state;
	static const char *const header[] = {"ID", "KIND", NULL};
	struct ctl_table t;
	ctl_table_init(&t, header, 0);
	char *text = render(&t, false);
	assert_string_equal(text, "ID  KIND\n");
	free(text);
	ctl_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_counts_characters),
		cmocka_unit_test(test_fit_cuts_at_a_character_boundary),
		cmocka_unit_test(test_fit_keeps_control_characters_out),
		cmocka_unit_test(test_columns_sized_to_content),
		cmocka_unit_test(test_bold_header_only_on_a_terminal),
		cmocka_unit_test(test_empty_table_prints_the_header),
	};
	return cmocka_run_group_tests_name("ctl_table", tests, NULL, NULL);
}
