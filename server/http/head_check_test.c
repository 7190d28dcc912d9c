/*
 * Unit tests of the first look at a request head: what libmicrohttpd would
 * refuse is recognised (with the status it would use), everything else
 * (including a head that has not fully arrived) passes.
 */
#include "http/head_check.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static int status_of(const char *head)
{
	struct problem *p = http_head_check(head, strlen(head));
	int status = p ? problem_status(p) : 0;
	problem_free(p);
	return status;
}

static void test_good_heads_pass(void **state)
{
	(void)state;
	const char *good[] = {
		"GET /api/v2/health HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /api/v2/health HTTP/1.0\r\n\r\n",
		"\r\nGET / HTTP/1.1\r\n\r\n", /* a spurious empty line first */
		"POST /a HTTP/1.1\nContent-Length: 12\n\n{\"a\": 1}",
		"POST /a HTTP/1.1\r\nContent-Length:  0 \r\nX-Long: a\r\n  folded\r\n\r\n",
		"GET /a%20b?x=1 HTTP/1.1\r\n\r\n",
		"POST /a HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n", /* 2^64-1: fits */
		/* Incomplete: nothing can be told yet. */
		"",
		"GET",
		"GET /api/v2/health HTTP/1.1\r\nHo",
		"GET /a HTTP/1.1\r\nContent-Length: -",
		/* After the head, the body is not looked at. */
		"POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nno colon here\r\n",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (status_of(good[i]) != 0)
			print_error("refused: %s\n", good[i]);
		assert_int_equal(status_of(good[i]), 0);
	}
}

static void test_malformed_heads_are_refused(void **state)
{
	(void)state;
	const struct {
		const char *head;
		int status;
	} bad[] = {
		{"POST /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
		{"POST /a HTTP/1.1\r\ncontent-length: 12abc\r\n\r\n", 400},
		{"POST /a HTTP/1.1\r\nContent-Length: \r\n\r\n", 400},
		{"POST /a HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n", 400},
		{"POST /a HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 413},
		{"POST /a HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n", 413},
		{"GET /api/v2/health\r\n\r\n", 400}, /* HTTP/0.9 */
		{"GET /api/v2/health   \r\n\r\n", 400},
		{"GET\r\n\r\n", 400},
		{"GET /a HTTP/2.0\r\nHost: x\r\n\r\n", 505},
		{"GET /a HTTP/0.9\r\n\r\n", 505},
		{"GET /a HTTP/1.10\r\n\r\n", 400},
		{"GET /a http/1.1\r\n\r\n", 400},
		{"GET /a HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n", 400},
		{"GET /a HTTP/1.1\r\nNo colon\r\n", 400}, /* a complete bad line is enough */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (status_of(bad[i].head) != bad[i].status)
			print_error("%s: expected %d, got %d\n", bad[i].head, bad[i].status, status_of(bad[i].head));
		assert_int_equal(status_of(bad[i].head), bad[i].status);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_heads_pass),
		cmocka_unit_test(test_malformed_heads_are_refused),
	};
	return cmocka_run_group_tests_name("head check", tests, NULL, NULL);
}
