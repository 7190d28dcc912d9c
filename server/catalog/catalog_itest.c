/*
 * Integration tests of the catalog reads against the seeded demo exchange:
 * lists, reads, relations between the objects, the capability filters and
 * filter validation.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;
static char *token;

static int setup(void **state)
{
	(void)state;
	return itest_start_with_tokens(&srv, NULL, &token); /* the catalog is for everyone */
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish_tokens(&srv, NULL, token);
}

/* GETs path and returns the parsed body (caller decrefs); asserts status. */
static json_t *get(const char *path, long status)
{
	return itest_expect(&srv, "GET", path, token, NULL, status);
}

static size_t count(const char *path)
{
	json_t *j = get(path, 200);
	assert_true(json_is_array(j));
	size_t n = json_array_size(j);
	json_decref(j);
	return n;
}

static void test_lists_and_reads_agree(void **state)
{
	(void)state;
	const char *lists[] = {"/metro-areas", "/metro-area-networks", "/facilities", "/pops",
			       "/devices",     "/availability-zones"};
	const size_t expected[] = {1, 1, 2, 2, 2, 2};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		json_t *j = get(lists[i], 200);
		assert_int_equal(json_array_size(j), expected[i]);
		size_t k;
		json_t *j_item;
		json_array_foreach (j, k, j_item) {
			const char *id = json_string_value(json_object_get(j_item, "id"));
			assert_non_null(id); /* ids are strings */
			char path[128];
			snprintf(path, sizeof(path), "%s/%s", lists[i], id);
			json_t *j_one = get(path, 200);
			assert_true(json_equal(j_one, j_item));
			json_decref(j_one);
		}
		json_decref(j);
	}
}

static void test_relations(void **state)
{
	(void)state;
	json_t *j_ma = get("/metro-areas", 200);
	json_t *j_m = json_array_get(j_ma, 0);
	assert_string_equal(json_string_value(json_object_get(j_m, "un_locode")), "NLAMS");
	assert_int_equal(json_array_size(json_object_get(j_m, "facilities")), 2);
	const char *man = json_string_value(json_array_get(json_object_get(j_m, "metro_area_networks"), 0));

	json_t *j_pops = get("/pops", 200);
	size_t k;
	json_t *j_pop;
	json_array_foreach (j_pops, k, j_pop) {
		assert_string_equal(json_string_value(json_object_get(j_pop, "metro_area_network")), man);
		assert_true(json_is_string(json_object_get(j_pop, "availability_zone")));
		const char *device = json_string_value(json_array_get(json_object_get(j_pop, "devices"), 0));
		char path[64];
		snprintf(path, sizeof(path), "/devices/%s", device);
		json_t *j_dev = get(path, 200);
		assert_string_equal(json_string_value(json_object_get(j_dev, "pop")),
				    json_string_value(json_object_get(j_pop, "id")));
		assert_string_equal(json_string_value(json_object_get(j_dev, "facility")),
				    json_string_value(json_object_get(j_pop, "facility")));
		json_t *j_cap = json_array_get(json_object_get(j_dev, "capabilities"), 0);
		assert_true(json_is_integer(json_object_get(j_cap, "speed")));
		assert_true(json_is_integer(json_object_get(j_cap, "availability")));
		json_decref(j_dev);
	}
	json_t *j_fac = get("/facilities", 200);
	assert_true(json_is_real(json_object_get(json_array_get(j_fac, 0), "latitude")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(j_fac, 0), "address_country")), "NL");
	json_decref(j_fac);
	json_decref(j_pops);
	json_decref(j_ma);
}

static void test_capability_filters(void **state)
{
	(void)state;
	/* Seed: 10G ports in both PoPs, 100G in one. */
	assert_int_equal(count("/devices?capability_speed=10000"), 2);
	assert_int_equal(count("/devices?capability_speed=100000"), 1);
	assert_int_equal(count("/devices?capability_speed_gt=10000"), 1);
	assert_int_equal(count("/devices?capability_speed_gte=10000"), 2);
	assert_int_equal(count("/devices?capability_speed_lt=10000"), 0);
	assert_int_equal(count("/devices?capability_speed_lte=10000"), 2);
	assert_int_equal(count("/facilities?capability_speed_gte=100000"), 1);
	assert_int_equal(count("/facilities?capability_speed=400000"), 0);
	assert_int_equal(count("/pops?capability_media_type=100GBASE-LR4"), 1);
	assert_int_equal(count("/pops?capability_media_type=100GBASE-LR4&capability_speed=10000"), 0);
	assert_int_equal(count("/facilities?address_country=NL&organisation_name=Harbour%20Colocation%20N.V."), 1);
	assert_int_equal(count("/metro-area-networks?name=DEMO-IX%20Amsterdam"), 1);
	assert_int_equal(count("/availability-zones?name=AMS-B"), 1);
	assert_int_equal(count("/metro-areas?id=999,998"), 0);
}

static void test_invalid_filters_and_ids(void **state)
{
	(void)state;
	const char *bad[] = {"/devices?capability_speed=fast", "/facilities?capability_speed_gt=-1",
			     "/pops?capability_speed_lt=1.5", "/metro-areas?id=", "/facilities?metro_area="};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct http_result r;
		assert_int_equal(http_call(&srv, "GET", bad[i], token, NULL, NULL, &r), 0);
		assert_true(itest_is_problem(&r, 400, "validation-error.html"));
		http_result_free(&r);
	}
	const char *missing[] = {"/facilities/999999", "/devices/abc", "/pops/0", "/availability-zones/-1"};
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		struct http_result r;
		assert_int_equal(http_call(&srv, "GET", missing[i], token, NULL, NULL, &r), 0);
		assert_true(itest_is_problem(&r, 404, "not-found.html"));
		http_result_free(&r);
	}
	/* The catalog is read-only here: writing is a 405. */
	struct http_result r;
	assert_int_equal(http_call(&srv, "POST", "/facilities", token, "{}", NULL, &r), 0);
	assert_true(itest_is_problem(&r, 405, NULL));
	http_result_free(&r);
	/* And it needs a token. */
	assert_int_equal(http_call(&srv, "GET", "/facilities", NULL, NULL, NULL, &r), 0);
	assert_true(itest_is_problem(&r, 401, "authentication-error.html"));
	http_result_free(&r);
}

static void test_pagination(void **state)
{
	(void)state;
	struct http_result r;
	/* Two facilities: a first page of one, then the last page. */
	assert_int_equal(http_call(&srv, "GET", "/facilities?page_limit=1", token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 206);
	assert_int_equal(json_array_size(r.j), 1);
	assert_string_equal(r.total_count, "2");
	assert_string_equal(r.next_offset, "1");
	char *first = strdup(json_string_value(json_object_get(json_array_get(r.j, 0), "id")));
	http_result_free(&r);
	assert_int_equal(http_call(&srv, "GET", "/facilities?page_limit=1&page_offset=1", token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 206);
	assert_int_equal(json_array_size(r.j), 1);
	assert_string_not_equal(json_string_value(json_object_get(json_array_get(r.j, 0), "id")), first);
	assert_string_equal(r.total_count, "2");
	assert_string_equal(r.next_offset, ""); /* the last page */
	http_result_free(&r);
	free(first);
	/* Past the end: an empty page; filters still apply to the total. */
	assert_int_equal(
		http_call(&srv, "GET", "/devices?page_offset=5&capability_speed=100000", token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 206);
	assert_int_equal(json_array_size(r.j), 0);
	assert_string_equal(r.total_count, "1");
	http_result_free(&r);
	const char *bad[] = {"/pops?page_limit=0", "/pops?page_limit=ten", "/pops?page_offset=-1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(http_call(&srv, "GET", bad[i], token, NULL, NULL, &r), 0);
		assert_true(itest_is_problem(&r, 400, "validation-error.html"));
		http_result_free(&r);
	}
}

static void test_product_offerings(void **state)
{
	(void)state;
	/* Seed: 10G at both PoPs, 100G at one; one offering of each virtual-circuit type. */
	assert_int_equal(count("/product-offerings"), 8);
	assert_int_equal(count("/product-offerings?type=connection"), 3);
	assert_int_equal(count("/product-offerings?type=connection&physical_port_speed=100000"), 1);
	assert_int_equal(count("/product-offerings?type=exchange_lan"), 1);
	const char *vc_types[] = {"p2p_vc", "p2mp_vc", "mp2mp_vc", "cloud_vc"};
	for (size_t i = 0; i < 4; i++) {
		char query[64];
		snprintf(query, sizeof(query), "/product-offerings?type=%s", vc_types[i]);
		assert_int_equal(count(query), 1);
	}
	/* bandwidth is a service offering's: within [bandwidth_min, bandwidth_max] */
	assert_int_equal(count("/product-offerings?bandwidth=10000"), 4);
	assert_int_equal(count("/product-offerings?bandwidth=5000"), 5);
	assert_int_equal(count("/product-offerings?bandwidth=20000"), 1);
	assert_int_equal(count("/product-offerings?resource_type=connection"), 3);
	assert_int_equal(count("/product-offerings?resource_type=network_service"), 4);
	assert_int_equal(count("/product-offerings?contract_initial_period=P1Y&upgrade_allowed=true"), 3);
	assert_int_equal(count("/product-offerings?type=routing_function"), 0);
	/* The cloud filters match the cloud offering only. */
	assert_int_equal(count("/product-offerings?delivery_method=shared"), 1);
	assert_int_equal(count("/product-offerings?delivery_method=dedicated"), 0);
	assert_int_equal(count("/product-offerings?service_provider_region=eu-central-1"), 1);
	assert_int_equal(count("/product-offerings?service_provider_region=us-east-1"), 0);
	assert_int_equal(count("/product-offerings?service_provider_pop=AMS1"), 1);
	assert_int_equal(count("/product-offerings?cloud_key=dxcon-ab12cd34"), 1);
	assert_int_equal(count("/product-offerings?cloud_key=not-a-key"), 0);
	assert_int_equal(count("/product-offerings?cloud_key=dxcon-ab12cd34&type=p2p_vc"), 0);
	json_t *j_cloud = get("/product-offerings?type=cloud_vc", 200);
	json_t *j_c = json_array_get(j_cloud, 0);
	assert_string_equal(json_string_value(json_object_get(j_c, "service_provider_workflow")), "provider_first");
	assert_int_equal(json_integer_value(json_object_get(j_c, "diversity")), 1);
	assert_true(json_is_string(json_object_get(j_c, "service_metro_area_network")));
	assert_null(json_object_get(j_c, "cloud_key_pattern")); /* the exchange's, not published */
	json_decref(j_cloud);
	json_t *j_p2p = get("/product-offerings?type=p2p_vc", 200);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j_p2p, 0), "provider_vlans")), "single");
	assert_null(json_object_get(json_array_get(j_p2p, 0), "service_provider_workflow"));
	json_decref(j_p2p);
	json_t *j = get("/product-offerings?type=connection&physical_port_speed=100000", 200);
	json_t *j_o = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(j_o, "type")), "connection");
	assert_string_equal(json_string_value(json_object_get(j_o, "cross_connect_initiator")), "exchange");
	assert_true(json_is_integer(json_object_get(j_o, "maximum_port_quantity")));
	/* required_contact_roles are role ids: each one resolves. */
	json_t *j_roles = json_object_get(j_o, "required_contact_roles");
	assert_int_equal(json_array_size(j_roles), 2);
	for (size_t i = 0; i < json_array_size(j_roles); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/roles/%s", json_string_value(json_array_get(j_roles, i)));
		json_decref(get(path, 200));
	}
	char path[64];
	snprintf(path, sizeof(path), "/pops/%s", json_string_value(json_object_get(j_o, "handover_pop")));
	json_decref(get(path, 200));
	json_decref(j);
	const char *bad[] = {"/product-offerings?type=port", "/product-offerings?upgrade_allowed=yes",
			     "/product-offerings?bandwidth=lots", "/product-offerings?delivery_method=carrier-pigeon"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		json_decref(get(bad[i], 400));
	json_decref(get("/product-offerings/999", 404));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_and_reads_agree),
		cmocka_unit_test(test_relations),
		cmocka_unit_test(test_capability_filters),
		cmocka_unit_test(test_invalid_filters_and_ids),
		cmocka_unit_test(test_pagination),
		cmocka_unit_test(test_product_offerings),
	};
	return cmocka_run_group_tests_name("catalog (integration)", tests, setup, teardown);
}
