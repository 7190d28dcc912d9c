/*
 * Unit tests of ixapictl's words for the API's JSON: RFC 3339 times and
 * durations, an object as "key: value" lines in a reading order, and an
 * audit event's change in a few words.
 */
#include "ctl/ctl_text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_times(void **state)
{
	(void)state;
	assert_int_equal(ctl_parse_time("1970-01-02T00:00:00Z"), 86400);
	assert_int_equal(ctl_parse_time("1970-01-02T02:00:00.123456+02:00"), 86400);
	assert_int_equal(ctl_parse_time("1970-01-01T22:00:00-02:00"), 86400);
	assert_int_equal(ctl_parse_time("yesterday"), -1);
	assert_int_equal(ctl_parse_time(NULL), -1);
	char buf[32];
	ctl_duration_text(3 * 86400 + 4 * 3600 + 59, buf, sizeof(buf));
	assert_string_equal(buf, "3d 4h");
	ctl_duration_text(5 * 3600 + 12 * 60, buf, sizeof(buf));
	assert_string_equal(buf, "5h 12m");
	ctl_duration_text(40 * 60 + 5, buf, sizeof(buf));
	assert_string_equal(buf, "40m");
	ctl_duration_text(12, buf, sizeof(buf));
	assert_string_equal(buf, "12s");
	ctl_time_text("2026-12-04T17:00:00Z", false, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-04 17:00");
	ctl_time_text("2026-12-04T18:00:05+01:00", true, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-04 17:00:05");
	ctl_time_text("soon", true, buf, sizeof(buf));
	assert_string_equal(buf, "soon");
}

static char *listing(const char *json, const char *const *order, const char *const *skip)
{
	json_t *j = json_loads(json, 0, NULL);
	assert_non_null(j);
	struct ctl_kv kv = {0};
	ctl_kv_flatten(&kv, "", j, order, skip);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ctl_kv_print(&kv, f);
	fclose(f);
	json_decref(j);
	return text;
}

static void test_key_value_lines(void **state)
{
	(void)state;
	static const char *const order[] = {"id", "step", "legal_entity", NULL};
	static const char *const skip[] = {"status", NULL};
	char *t = listing(
		"{\"zeta\": null, \"step\": \"review\", \"status\": [], \"id\": \"7\","
		" \"legal_entity\": {\"registration_number\": \"CH-1\", \"name\": \"Zürich AG\","
		"  \"address\": {\"country\": \"CH\", \"locality\": \"Zürich\"}},"
		" \"asns\": [{\"asn\": 196701, \"registry\": \"ripe_ncc\"}], \"tags\": [\"a\", \"b\"], \"none\": []}",
		order, skip);
	assert_string_equal(t, "id:                               7\n"
			       "step:                             review\n"
			       "legal_entity.name:                Zürich AG\n"
			       "legal_entity.registration_number: CH-1\n"
			       "legal_entity.address:             country=CH locality=Zürich\n"
			       "zeta:                             -\n"
			       "asns[0]:                          asn=196701 registry=ripe_ncc\n"
			       "tags:                             a, b\n"
			       "none:                             -\n");
	free(t);
}

static char *summary(const char *json)
{
	json_t *e = json_loads(json, 0, NULL);
	assert_non_null(e);
	struct strbuf b = {0};
	ctl_event_summary(e, &b);
	json_decref(e);
	return b.text;
}

static void test_event_summary(void **state)
{
	(void)state;
	char *s = summary("{\"action\": \"update\", \"previous\": {\"step\": \"review\", \"connection\": null,"
			  " \"updated_at\": \"x\", \"approvals\": []}, \"data\": {\"step\": \"agreement\","
			  " \"connection\": \"4\", \"updated_at\": \"y\", \"approvals\": [{\"kind\": \"review\"}]}}");
	assert_non_null(strstr(s, "step review \xe2\x86\x92 agreement"));
	assert_non_null(strstr(s, "connection - \xe2\x86\x92 4"));
	assert_non_null(strstr(s, "approvals changed"));
	assert_null(strstr(s, "updated_at"));
	free(s);
	s = summary(
		"{\"action\": \"update\", \"previous\": {\"status\": [{\"tag\": \"onboarding.review\"},"
		" {\"tag\": \"onboarding.colocation\"}]}, \"data\": {\"status\": [{\"tag\": \"onboarding.colocation\"},"
		" {\"tag\": \"onboarding.agreement_unsigned\"}]}}");
	assert_string_equal(s, "status +onboarding.agreement_unsigned -onboarding.review");
	free(s);
	s = summary(
		"{\"action\": \"create\", \"previous\": null, \"data\": {\"state\": \"requested\", \"name\": \"N\"}}");
	assert_string_equal(s, "created: state requested, name N");
	free(s);
	s = summary("{\"action\": \"update\", \"previous\": {\"a\": 1, \"updated_at\": \"x\"}, \"data\": {\"a\": 1,"
		    " \"updated_at\": \"y\"}}");
	assert_string_equal(s, "no visible change");
	free(s);
	s = summary("{\"action\": \"update\", \"previous\": {\"a\": 1, \"b\": 1, \"c\": 1, \"d\": 1, \"e\": 1},"
		    " \"data\": {\"a\": 2, \"b\": 2, \"c\": 2, \"d\": 2, \"e\": 2}}");
	assert_non_null(strstr(s, "; +2 more"));
	free(s);
	s = summary("{\"action\": \"delete\", \"previous\": {\"name\": \"N\"}, \"data\": null}");
	assert_string_equal(s, "delete");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_key_value_lines),
		cmocka_unit_test(test_event_summary),
	};
	return cmocka_run_group_tests_name("ctl_text", tests, NULL, NULL);
}
