/*
 * Unit tests of frame classification and the capture report: each class
 * field from a hand-built frame, grouping, probe answers, truncated frames.
 */
#include "adapters/switch/sw_report.h"

#include "core/util.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static const uint8_t member[6] = {0x02, 0, 0, 0, 0, 0x01};

/* An Ethernet header to dst from the member; returns its length. */
static size_t eth(uint8_t *f, const uint8_t dst[6], unsigned type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, member, 6);
	f[12] = (uint8_t)(type >> 8), f[13] = (uint8_t)type;
	return 14;
}

static void test_lldp_and_bpdu(void **state)
{
	(void)state;
	uint8_t f[64] = {0};
	const uint8_t lldp[6] = {0x01, 0x80, 0xc2, 0, 0, 0x0e};
	eth(f, lldp, 0x88cc);
	struct sw_frame_key k;
	assert_int_equal(sw_frame_classify(f, 60, &k), 0);
	assert_int_equal(k.framing, SW_FRAMING_ETHERNET2);
	assert_int_equal(k.ethertype, 0x88cc);
	assert_int_equal(k.llc_dsap, -1);
	assert_int_equal(k.ip_proto, -1);

	/* STP: 802.3 length, LLC 42 42 03 */
	const uint8_t stp[6] = {0x01, 0x80, 0xc2, 0, 0, 0};
	eth(f, stp, 38);
	f[14] = 0x42, f[15] = 0x42, f[16] = 0x03;
	assert_int_equal(sw_frame_classify(f, 60, &k), 0);
	assert_int_equal(k.framing, SW_FRAMING_LLC);
	assert_int_equal(k.ethertype, -1);
	assert_int_equal(k.llc_dsap, 0x42);

	/* CDP: SNAP (aa aa 03, OUI 00000c, type 0x2000) */
	const uint8_t cdp[6] = {0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc};
	eth(f, cdp, 40);
	const uint8_t snap[] = {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00};
	memcpy(f + 14, snap, sizeof(snap));
	assert_int_equal(sw_frame_classify(f, 60, &k), 0);
	assert_int_equal(k.framing, SW_FRAMING_SNAP);
	assert_int_equal(k.ethertype, 0x2000);
	assert_int_equal(k.llc_dsap, 0xaa);
}

static void test_ip_fields(void **state)
{
	(void)state;
	uint8_t f[128] = {0};
	const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	/* IPv4 UDP to port 67 (DHCP) */
	size_t o = eth(f, bcast, 0x0800);
	f[o] = 0x45, f[o + 9] = 17;
	f[o + 22] = 0, f[o + 23] = 67;
	struct sw_frame_key k;
	assert_int_equal(sw_frame_classify(f, o + 28, &k), 0);
	assert_int_equal(k.ip_proto, 17);
	assert_int_equal(k.udp_dport, 67);
	assert_int_equal(k.icmp6_type, -1);

	/* IPv6 router advertisement */
	const uint8_t allnodes[6] = {0x33, 0x33, 0, 0, 0, 0x01};
	memset(f, 0, sizeof(f));
	o = eth(f, allnodes, 0x86dd);
	f[o] = 0x60, f[o + 6] = 58;
	f[o + 40] = 134;
	assert_int_equal(sw_frame_classify(f, o + 56, &k), 0);
	assert_int_equal(k.ip_proto, 58);
	assert_int_equal(k.icmp6_type, 134);

	/* MLDv2 report behind a hop-by-hop header: the upper layer counts */
	const uint8_t mld[6] = {0x33, 0x33, 0, 0, 0, 0x16};
	memset(f, 0, sizeof(f));
	o = eth(f, mld, 0x86dd);
	f[o] = 0x60, f[o + 6] = 0;
	f[o + 40] = 58, f[o + 41] = 0; /* next: ICMPv6, 8 bytes */
	f[o + 48] = 143;
	assert_int_equal(sw_frame_classify(f, o + 76, &k), 0);
	assert_int_equal(k.ip_proto, 58);
	assert_int_equal(k.icmp6_type, 143);

	/* 802.1Q tag, VLAN 100, ARP request inside */
	memset(f, 0, sizeof(f));
	o = eth(f, bcast, 0x8100);
	f[14] = 0x20, f[15] = 100; /* priority 1, VLAN 100 */
	f[16] = 0x08, f[17] = 0x06;
	f[18 + 7] = 1;
	assert_int_equal(sw_frame_classify(f, 18 + 28, &k), 0);
	assert_int_equal(k.vlan, 100);
	assert_int_equal(k.ethertype, 0x0806);
	assert_int_equal(k.arp_op, 1);
}

static void test_truncated(void **state)
{
	(void)state;
	uint8_t f[20] = {0};
	struct sw_frame_key k;
	assert_int_equal(sw_frame_classify(f, 13, &k), -1);
	const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	eth(f, bcast, 0x0800); /* IPv4 with no IP header: its fields stay null */
	assert_int_equal(sw_frame_classify(f, 16, &k), 0);
	assert_int_equal(k.ethertype, 0x0800);
	assert_int_equal(k.ip_proto, -1);
}

static void test_report_groups_and_answers(void **state)
{
	(void)state;
	struct sw_report *r = xcalloc(1, sizeof(*r));
	inet_pton(AF_INET, "192.0.2.250", &r->arp_targets[0]);
	r->n_arp_targets = 1;
	inet_pton(AF_INET6, "2001:db8::fa", &r->nd_targets[0]);
	r->n_nd_targets = 1;
	uint8_t f[128] = {0};
	const uint8_t prober[6] = {0x02, 0xff, 0, 0, 0, 0x01};
	/* An ARP reply from 192.0.2.250 (twice: one class, one answer) */
	eth(f, prober, 0x0806);
	uint8_t *a = f + 14;
	a[1] = 1, a[2] = 0x08, a[4] = 6, a[5] = 4, a[7] = 2;
	memcpy(a + 8, member, 6);
	inet_pton(AF_INET, "192.0.2.250", a + 14);
	sw_report_add(r, f, 60);
	sw_report_add(r, f, 60);
	/* An ARP reply for another address is no answer */
	inet_pton(AF_INET, "192.0.2.9", a + 14);
	sw_report_add(r, f, 60);
	/* A neighbour advertisement for 2001:db8::fa */
	memset(f, 0, sizeof(f));
	eth(f, prober, 0x86dd);
	f[14] = 0x60, f[14 + 6] = 58;
	f[54] = 136;
	inet_pton(AF_INET6, "2001:db8::fa", f + 54 + 8);
	sw_report_add(r, f, 54 + 32);
	sw_report_add(r, f, 5); /* not even Ethernet: not counted */
	assert_int_equal(r->frames, 4);
	assert_int_equal(r->n_classes, 2);
	assert_int_equal(r->classes[0].count, 3);
	assert_int_equal(r->n_answers, 2);

	json_t *j = json_object();
	sw_report_to_json(r, j);
	assert_int_equal(json_integer_value(json_object_get(j, "frames")), 4);
	json_t *c = json_array_get(json_object_get(j, "classes"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "src_mac")), "02:00:00:00:00:01");
	assert_string_equal(json_string_value(json_object_get(c, "ethertype")), "0x0806");
	assert_true(json_is_null(json_object_get(c, "llc_dsap")));
	assert_int_equal(json_integer_value(json_object_get(c, "arp_op")), 2);
	assert_int_equal(strlen(json_string_value(json_object_get(c, "example"))), 120);
	json_t *ans = json_object_get(j, "probe_answers");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ans, 0), "probe")), "arp");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ans, 0), "target")), "192.0.2.250");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ans, 1), "probe")), "nd");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ans, 1), "target")), "2001:db8::fa");
	json_decref(j);
	free(r);
}

static void test_report_class_ceiling(void **state)
{
	(void)state;
	struct sw_report *r = xcalloc(1, sizeof(*r));
	uint8_t f[60] = {0};
	const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	for (unsigned i = 0; i < SW_REPORT_MAX_CLASSES + 10; i++) {
		eth(f, bcast, 0x0600 + i); /* a new ethertype each */
		sw_report_add(r, f, sizeof(f));
	}
	assert_int_equal(r->n_classes, SW_REPORT_MAX_CLASSES);
	assert_int_equal(r->frames, SW_REPORT_MAX_CLASSES + 10);
	assert_int_equal(r->frames_unclassed, 10);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lldp_and_bpdu),
		cmocka_unit_test(test_ip_fields),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_report_groups_and_answers),
		cmocka_unit_test(test_report_class_ceiling),
	};
	return cmocka_run_group_tests_name("sw_report", tests, NULL, NULL);
}
