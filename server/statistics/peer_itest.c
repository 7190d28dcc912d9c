/*
 * Peer statistics and RTT end to end through ixapid: a real ixapid (workers
 * on, IXAPI_PEER_POLL_S and IXAPI_RTT_INTERVAL_S of 1 s), a real PostgreSQL
 * and the test adapter as switch and route-server adapter
 * (tests/harness/adapter: GET /v1/peer-counters answers the pairs the test
 * sets, POST .../probe the results it sets). Two members on the peering
 * LAN: what member A's port counted towards B's MAC is A's `in` and B's
 * `out`, exactly (deltas spread over 5-minute slots add up); a counter that
 * goes down is a reset, not traffic; pairs of another service are not the
 * LAN's. The API answers PeerAggregate items naming the peer (MAC, ASN,
 * address) and timeseries of one peer; a member reads only its own
 * configs'. The RTT job probes every LAN address of the members and the
 * API lists the results with serials, filters asn, ip and after.
 * /implementation lists the three operations.
 */
#include "harness.h"
#include "adapter_ctl.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixtures.h"

static struct itest_server server;
static struct test_adapter adapter;
static char *operator_token, *member_token;
static struct itest_lan_member a, b;
static char lan[16];

static int setup(void **state)
{
	(void)state;
	if (itest_start_with_tokens(&server, &operator_token, &member_token) != 0)
		return -1;
	if (itest_adapter_for_devices(&server, &adapter, "[\"rs1.demo-ix.net\"]") != 0 ||
	    itest_sql(&server, "SELECT id FROM network_services WHERE type = 'exchange_lan'", lan, sizeof(lan)) != 0)
		return -1;
	setenv("IXAPI_WORKERS", "2", 1);
	setenv("IXAPI_JOB_POLL_MS", "200", 1);
	setenv("IXAPI_ADAPTER_TIMEOUT_MS", "2000", 1);
	setenv("IXAPI_PEER_POLL_S", "1", 1);
	setenv("IXAPI_RTT_INTERVAL_S", "1", 1);
	itest_stop_server(&server);
	if (itest_start_server(&server) != 0)
		return -1;
	itest_new_lan_member(operator_token, &a, "Peer A", "02:aa:00:00:00:01", 206601);
	itest_new_lan_member(operator_token, &b, "Peer B", "02:bb:00:00:00:02", 206602);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_adapter_stop(&adapter);
	free(a.token);
	free(b.token);
	return itest_finish_tokens(&server, operator_token, member_token);
}

/* The adapter's pairs from now on: A->B and B->A on their first ports,
 * and one pair of the quarantine service that must not count. */
static void set_pairs(long long ab_packets, long long ab_octets, long long ba_packets, long long ba_octets)
{
	char body[1024];
	snprintf(
		body, sizeof(body),
		"{\"pairs\": ["
		"{\"service\": \"peering\", \"port\": \"%s\", \"src_mac\": \"%s\", \"dst_mac\": \"%s\", \"packets\": %lld,"
		" \"octets\": %lld},"
		"{\"service\": \"peering\", \"port\": \"%s\", \"src_mac\": \"%s\", \"dst_mac\": \"%s\", \"packets\": %lld,"
		" \"octets\": %lld},"
		"{\"service\": \"quarantine\", \"port\": \"%s\", \"src_mac\": \"%s\", \"dst_mac\": \"%s\", \"packets\": %lld,"
		" \"octets\": %lld}]}",
		a.port[0], a.mac, b.mac, ab_packets, ab_octets, b.port[0], b.mac, a.mac, ba_packets, ba_octets,
		a.port[1], a.mac, b.mac, ab_packets * 7, ab_octets * 7);
	assert_int_equal(test_adapter_control(&adapter, "peer_counters", body), 0);
}

/* Waits until the stored readings are these counters (a poll took them). */
static void wait_reading(long long ab_octets, long long ba_octets)
{
	char q[512], want[64];
	snprintf(q, sizeof(q),
		 "SELECT string_agg(octets::text, ',' ORDER BY port = '%s' DESC) FROM peer_stats_readings"
		 " WHERE port IN ('%s', '%s')",
		 a.port[0], a.port[0], b.port[0]);
	snprintf(want, sizeof(want), "%lld,%lld", ab_octets, ba_octets);
	assert_true(itest_wait_for(q, want, 15000));
}

static long long stored(const char *nsc, const char *peer_mac, const char *column)
{
	char q[512];
	snprintf(q, sizeof(q),
		 "SELECT coalesce(sum(%s), 0) FROM peer_stats_5m WHERE network_service_config = %s AND peer_mac = '%s'",
		 column, nsc, peer_mac);
	return count(q);
}

/* The stored average rate of a column: its sum over the seconds covered. */
static long long average(const char *nsc, const char *peer_mac, const char *column)
{
	char q[512];
	snprintf(q, sizeof(q),
		 "SELECT round(sum(%s) / sum(seconds)) FROM peer_stats_5m WHERE network_service_config = %s"
		 "   AND peer_mac = '%s'",
		 column, nsc, peer_mac);
	return count(q);
}

static void test_peer_traffic_stored(void **state)
{
	(void)state;
	set_pairs(1000, 1000000, 500, 250000);
	wait_reading(1000000, 250000);
	/* the first reading is the base: nothing counted yet */
	assert_int_equal(stored(a.nsc, b.mac, "in_octets"), 0);

	set_pairs(4000, 4000000, 1100, 850000);
	wait_reading(4000000, 850000);
	assert_int_equal(stored(a.nsc, b.mac, "in_octets"), 3000000);
	assert_int_equal(stored(a.nsc, b.mac, "in_packets"), 3000);
	assert_int_equal(stored(a.nsc, b.mac, "out_octets"), 600000);
	assert_int_equal(stored(a.nsc, b.mac, "out_packets"), 600);
	assert_int_equal(stored(b.nsc, a.mac, "in_octets"), 600000);
	assert_int_equal(stored(b.nsc, a.mac, "out_octets"), 3000000);

	/* a counter that goes down is a reset (the adapter restarted): the
	 * new value is the base, not traffic; what grows after it counts */
	set_pairs(10, 10000, 1100, 850000);
	wait_reading(10000, 850000);
	set_pairs(20, 30000, 1100, 850000);
	wait_reading(30000, 850000);
	assert_int_equal(stored(a.nsc, b.mac, "in_octets"), 3020000);
	assert_int_equal(stored(a.nsc, b.mac, "in_packets"), 3010);
	char q[256];
	snprintf(q, sizeof(q), "SELECT count(*) FROM peer_stats_readings WHERE port = '%s'", a.port[1]);
	assert_int_equal(count(q), 0); /* the quarantine pair is not the LAN's */
	assert_int_equal(count("SELECT count(*) FROM peer_stats_5m WHERE seconds <= 0 OR seconds > 300"), 0);
	/* each round is an object of its own: a round that died holds up no later one */
	assert_true(count("SELECT count(*) FROM jobs WHERE kind = 'stats.peer_poll'") > 2);
	assert_int_equal(
		count("SELECT count(*) - count(DISTINCT object) FROM jobs WHERE kind IN ('stats.peer_poll', 'stats.rtt')"),
		0);
}

static void test_peer_statistics_api(void **state)
{
	(void)state;
	char path[256], ip[64], q[512];
	/* the polls go on (zero-traffic seconds keep coming): the average the
	 * API answers lies between the stored average before and after it */
	long long in_before = average(a.nsc, b.mac, "in_octets"), out_before = average(a.nsc, b.mac, "out_octets");
	snprintf(path, sizeof(path), "/network-service-configs/%s/peer-statistics", a.nsc);
	json_t *list = call("GET", path, a.token, NULL, 200);
	long long in_after = average(a.nsc, b.mac, "in_octets"), out_after = average(a.nsc, b.mac, "out_octets");
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), 1);
	json_t *item = json_array_get(list, 0), *peer = json_object_get(item, "peer");
	assert_string_equal(str(peer, "mac_address"), b.mac);
	assert_int_equal(json_integer_value(json_object_get(peer, "asn")), 206602);
	snprintf(q, sizeof(q),
		 "SELECT host(address) FROM ips WHERE network_service_config = %s AND version = 4 ORDER BY id LIMIT 1",
		 b.nsc);
	sql(q, ip, sizeof(ip));
	assert_string_equal(str(json_object_get(peer, "ip"), "address"), ip);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(peer, "ip"), "version")), 4);
	json_t *aggs = json_object_get(item, "aggregates");
	assert_non_null(json_object_get(aggs, "PT5M"));
	assert_non_null(json_object_get(aggs, "P30D"));
	json_t *day = json_object_get(aggs, "P1D");
	assert_string_equal(str(day, "title"), "1 day");
	/* the average is the octets over the seconds the polls covered */
	long long in = json_integer_value(json_object_get(day, "average_ops_in"));
	long long out = json_integer_value(json_object_get(day, "average_ops_out"));
	if (in > in_before || in < in_after || out > out_before || out < out_after)
		fail_msg("averages in %lld (stored %lld..%lld), out %lld (stored %lld..%lld)", in, in_after, in_before,
			 out, out_after, out_before);
	assert_true(json_integer_value(json_object_get(day, "average_ops_in")) > 0);
	double accuracy = json_number_value(json_object_get(day, "accuracy"));
	assert_true(accuracy >= 0 && accuracy <= 1);
	assert_true(json_is_null(json_object_get(day, "average_eps_in")));
	json_decref(list);

	/* B sees A as its peer; A's config is not B's to read, nor the other member's */
	snprintf(path, sizeof(path), "/network-service-configs/%s/peer-statistics", b.nsc);
	list = call("GET", path, b.token, NULL, 200);
	assert_string_equal(str(json_object_get(json_array_get(list, 0), "peer"), "mac_address"), a.mac);
	json_decref(list);
	snprintf(path, sizeof(path), "/network-service-configs/%s/peer-statistics", a.nsc);
	json_decref(call("GET", path, b.token, NULL, 404));
	json_decref(call("GET", path, member_token, NULL, 404));
	json_decref(call("GET", path, operator_token, NULL, 200));

	/* timeseries of one peer */
	snprintf(path, sizeof(path), "/network-service-configs/%s/peer-statistics/P1D/timeseries?peer=%s", a.nsc,
		 b.mac);
	json_t *ts = call("GET", path, a.token, NULL, 200);
	assert_int_equal(json_integer_value(json_object_get(ts, "precision")), 300);
	assert_int_equal(json_array_size(json_object_get(ts, "fields")), 4);
	json_t *samples = json_object_get(ts, "samples");
	assert_true(json_array_size(samples) >= 1);
	assert_int_equal(json_array_size(json_array_get(samples, 0)), 5);
	json_decref(ts);
	snprintf(path, sizeof(path),
		 "/network-service-configs/%s/peer-statistics/P1D/timeseries?peer=%s&fields=average_ops_in", a.nsc,
		 "02-BB-00-00-00-02");
	ts = call("GET", path, a.token, NULL, 200);
	assert_int_equal(json_array_size(json_array_get(json_object_get(ts, "samples"), 0)), 2);
	json_decref(ts);

	/* bad requests change nothing and say why */
	snprintf(path, sizeof(path), "/network-service-configs/%s/peer-statistics/P1D/timeseries", a.nsc);
	expect_naming("GET", path, a.token, NULL, 400, "peer");
	snprintf(path, sizeof(path), "/network-service-configs/%s/peer-statistics/P1D/timeseries?peer=%s&fields=x",
		 a.nsc, b.mac);
	expect_naming("GET", path, a.token, NULL, 400, "fields");
	snprintf(path, sizeof(path), "/network-service-configs/%s/peer-statistics/custom/timeseries?peer=%s", a.nsc,
		 b.mac);
	expect_naming("GET", path, a.token, NULL, 400, "start");
	snprintf(path, sizeof(path),
		 "/network-service-configs/%s/peer-statistics?start=2026-03-02T00:00:00Z&end=2026-03-01T00:00:00Z",
		 a.nsc);
	expect_naming("GET", path, a.token, NULL, 400, "end");
	snprintf(path, sizeof(path),
		 "/network-service-configs/%s/peer-statistics?start=2026-01-01T00:00:00Z&end=2026-03-01T00:00:00Z",
		 a.nsc);
	expect_naming("GET", path, a.token, NULL, 400, "start");
	snprintf(path, sizeof(path), "/network-service-configs/%s/peer-statistics/P2D/timeseries?peer=%s", a.nsc,
		 b.mac);
	json_decref(call("GET", path, a.token, NULL, 404));
}

static void test_rtt(void **state)
{
	(void)state;
	char q[512], a4[64], a6[64], body[512], path[256];
	snprintf(q, sizeof(q), "SELECT host(address) FROM ips WHERE network_service_config = %s AND version = 4",
		 a.nsc);
	sql(q, a4, sizeof(a4));
	snprintf(q, sizeof(q), "SELECT host(address) FROM ips WHERE network_service_config = %s AND version = 6",
		 a.nsc);
	sql(q, a6, sizeof(a6));
	assert_true(a4[0] && a6[0]);
	snprintf(body, sizeof(body),
		 "{\"results\": {\"%s\": {\"rx\": 5, \"loss\": 0.0, \"time_ms\": 812, \"rtt_min_ms\": 0.2,"
		 " \"rtt_avg_ms\": 0.4, \"rtt_max_ms\": 0.9, \"rtt_mdev_ms\": 0.1}}}",
		 a4);
	assert_int_equal(test_adapter_control(&adapter, "probe", body), 0);
	snprintf(q, sizeof(q), "SELECT count(*) > 0 FROM rtt_results WHERE ip = '%s' AND rx = 5", a4);
	assert_true(itest_wait_for(q, "t", 15000));

	snprintf(path, sizeof(path), "/network-services/%s/rtt-statistics?ip=%s", lan, a4);
	json_t *list = call("GET", path, b.token, NULL, 200); /* any member who may read the LAN */
	assert_true(json_array_size(list) >= 1);
	json_t *r = json_array_get(list, json_array_size(list) - 1);
	assert_string_equal(str(r, "ip"), a4);
	assert_int_equal(json_integer_value(json_object_get(r, "asn")), 206601);
	assert_string_equal(str(r, "neighbor"), "Peer A");
	assert_int_equal(json_integer_value(json_object_get(r, "tx")), 5);
	assert_int_equal(json_integer_value(json_object_get(r, "rx")), 5);
	assert_true(json_number_value(json_object_get(r, "loss")) == 0.0);
	assert_true(json_number_value(json_object_get(r, "rtt_avg_ms")) > 0.39 &&
		    json_number_value(json_object_get(r, "rtt_avg_ms")) < 0.41);
	long long serial = json_integer_value(json_object_get(r, "serial"));
	json_decref(list);

	/* the IPv6 address did not answer: loss 1.0, no RTT */
	snprintf(path, sizeof(path), "/network-services/%s/rtt-statistics?ip=%s", lan, a6);
	list = call("GET", path, a.token, NULL, 200);
	assert_true(json_array_size(list) >= 1);
	r = json_array_get(list, 0);
	assert_true(json_number_value(json_object_get(r, "loss")) == 1.0);
	assert_int_equal(json_integer_value(json_object_get(r, "rx")), 0);
	assert_true(json_is_null(json_object_get(r, "rtt_avg_ms")));
	json_decref(list);

	/* asn filters; after polls: only newer serials, ascending */
	snprintf(path, sizeof(path), "/network-services/%s/rtt-statistics?asn=206602", lan);
	list = call("GET", path, a.token, NULL, 200);
	size_t i;
	json_t *x;
	assert_true(json_array_size(list) >= 1);
	json_array_foreach (list, i, x)
		assert_int_equal(json_integer_value(json_object_get(x, "asn")), 206602);
	json_decref(list);
	snprintf(q, sizeof(q), "SELECT count(*) > 0 FROM rtt_results WHERE serial > %lld", serial);
	assert_true(itest_wait_for(q, "t", 15000));
	snprintf(path, sizeof(path), "/network-services/%s/rtt-statistics?after=%lld", lan, serial);
	list = call("GET", path, a.token, NULL, 200);
	assert_true(json_array_size(list) >= 1);
	long long last = serial;
	json_array_foreach (list, i, x) {
		assert_true(json_integer_value(json_object_get(x, "serial")) > last);
		last = json_integer_value(json_object_get(x, "serial"));
	}
	json_decref(list);
	snprintf(path, sizeof(path), "/network-services/%s/rtt-statistics?ip=not-an-ip", lan);
	expect_naming("GET", path, a.token, NULL, 400, "ip");
	snprintf(path, sizeof(path), "/network-services/%s/rtt-statistics?asn=4294967296", lan);
	expect_naming("GET", path, a.token, NULL, 400, "asn");
	snprintf(path, sizeof(path), "/network-services/%s/rtt-statistics?asn=4200000000&after=3000000000", lan);
	list = call("GET", path, a.token, NULL, 200); /* beyond 2^31: fine, nothing there */
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	json_decref(call("GET", "/network-services/999999/rtt-statistics", a.token, NULL, 404));
}

static void test_implementation_lists_them(void **state)
{
	(void)state;
	const char *const want[] = {"network_service_configs_peer_statistics_read",
				    "network_service_configs_peer_statistics_timeseries_read",
				    "network_services_rtt_statistics_read"};
	itest_expect_operations(a.token, want, sizeof(want) / sizeof(want[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peer_traffic_stored),
		cmocka_unit_test(test_peer_statistics_api),
		cmocka_unit_test(test_rtt),
		cmocka_unit_test(test_implementation_lists_them),
	};
	return cmocka_run_group_tests_name("peer_statistics", tests, setup, teardown);
}
