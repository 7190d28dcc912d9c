/*
 * Unit tests of the quarantine gate, rule by rule. Reports are built from
 * real frame bytes: each test writes the frame a device sends (an STP BPDU
 * in 802.3/LLC framing, CDP in SNAP to 01:00:0c:cc:cc:cc, an MLDv2 report
 * behind its hop-by-hop header, ...), and classify() below derives the
 * report's class fields from those bytes as the adapter protocol defines
 * them, with the frame's hex as the example.
 */
#include "quarantine/gate.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define MEMBER    "02:00:00:00:00:01"
#define PROBE_MAC "02:ff:00:00:00:01"
#define MEMBER_V4 "192.0.2.10"
#define MEMBER_V6 "2001:db8:7f8::a"
#define PROBE_V4  "192.0.2.250"
#define PROBE_V6  "2001:db8:7f8::fa"

/* ---- frames ---- */

struct frame {
	uint8_t b[256];
	size_t n;
};

static void put(struct frame *f, const void *p, size_t n)
{
	assert_true(f->n + n <= sizeof(f->b));
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void put8(struct frame *f, unsigned v)
{
	uint8_t b = (uint8_t)v;
	put(f, &b, 1);
}

static void put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v & 0xff);
}

static void put_mac(struct frame *f, const char *mac)
{
	unsigned m[6];
	assert_int_equal(sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]), 6);
	for (int i = 0; i < 6; i++)
		put8(f, m[i]);
}

static void zeros(struct frame *f, size_t n)
{
	static const uint8_t z[64];
	put(f, z, n);
}

/* Ethernet II header. */
static struct frame eth(const char *dst, const char *src, unsigned type)
{
	struct frame f = {0};
	put_mac(&f, dst);
	put_mac(&f, src);
	put16(&f, type);
	return f;
}

/* Ethernet II with an 802.1Q tag. */
static struct frame eth_tagged(const char *dst, const char *src, unsigned vlan, unsigned type)
{
	struct frame f = {0};
	put_mac(&f, dst);
	put_mac(&f, src);
	put16(&f, 0x8100);
	put16(&f, vlan);
	put16(&f, type);
	return f;
}

/* 802.3 header with a length, then LLC (DSAP, SSAP, control UI). */
static struct frame llc(const char *dst, const char *src, unsigned dsap, unsigned length)
{
	struct frame f = {0};
	put_mac(&f, dst);
	put_mac(&f, src);
	put16(&f, length);
	put8(&f, dsap);
	put8(&f, dsap);
	put8(&f, 0x03);
	return f;
}

/* 802.3 + LLC AA AA 03 + SNAP (OUI, protocol id). */
static struct frame snap(const char *dst, const char *src, unsigned oui, unsigned pid, unsigned length)
{
	struct frame f = {0};
	put_mac(&f, dst);
	put_mac(&f, src);
	put16(&f, length);
	put8(&f, 0xaa);
	put8(&f, 0xaa);
	put8(&f, 0x03);
	put8(&f, oui >> 16);
	put16(&f, oui & 0xffff);
	put16(&f, pid);
	return f;
}

static void ipv4(struct frame *f, unsigned proto, const char *src, const char *dst)
{
	uint8_t a[4];
	put8(f, 0x45);
	put8(f, 0);
	put16(f, 40);
	put16(f, 1);
	put16(f, 0);
	put8(f, 1); /* TTL 1: link-local protocols */
	put8(f, proto);
	put16(f, 0);
	assert_int_equal(inet_pton(AF_INET, src, a), 1);
	put(f, a, 4);
	assert_int_equal(inet_pton(AF_INET, dst, a), 1);
	put(f, a, 4);
}

static void ipv6(struct frame *f, unsigned next, const char *src, const char *dst)
{
	uint8_t a[16];
	put8(f, 0x60);
	zeros(f, 3);
	put16(f, 32);
	put8(f, next);
	put8(f, 255);
	assert_int_equal(inet_pton(AF_INET6, src, a), 1);
	put(f, a, 16);
	assert_int_equal(inet_pton(AF_INET6, dst, a), 1);
	put(f, a, 16);
}

static void udp(struct frame *f, unsigned sport, unsigned dport)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, 8);
	put16(f, 0);
}

static void arp(struct frame *f, unsigned op, const char *sha, const char *spa, const char *tpa)
{
	uint8_t a[4];
	put16(f, 1);
	put16(f, 0x0800);
	put8(f, 6);
	put8(f, 4);
	put16(f, op);
	put_mac(f, sha);
	assert_int_equal(inet_pton(AF_INET, spa, a), 1);
	put(f, a, 4);
	zeros(f, 6);
	assert_int_equal(inet_pton(AF_INET, tpa, a), 1);
	put(f, a, 4);
}

/* ---- the adapter protocol's classification of a frame ---- */

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static json_t *hex_or_null(int v)
{
	char s[8];
	if (v < 0)
		return json_null();
	snprintf(s, sizeof(s), "0x%04x", (unsigned)v);
	return json_string(s);
}

static json_t *classify(const struct frame *f, long long count)
{
	const uint8_t *b = f->b;
	char dst[18], src[18], dsap_text[8], hex[2 * 128 + 1];
	snprintf(dst, sizeof(dst), "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
	snprintf(src, sizeof(src), "%02x:%02x:%02x:%02x:%02x:%02x", b[6], b[7], b[8], b[9], b[10], b[11]);
	int vlan = -1, ethertype = -1, dsap = -1, ip_proto = -1, icmp6 = -1, dport = -1, arp_op = -1;
	const char *framing = "ethernet2";
	size_t off = 12;
	unsigned type = be16(b + off);
	if (type == 0x8100) {
		vlan = (int)(be16(b + 14) & 0x0fff);
		off += 4;
		type = be16(b + off);
	}
	off += 2;
	if (type <= 1500) {
		framing = "llc";
		dsap = b[off];
		if (b[off] == 0xaa && b[off + 1] == 0xaa) {
			framing = "snap";
			ethertype = (int)be16(b + off + 6);
			off += 8;
		} else {
			off = f->n;
		}
	} else {
		ethertype = (int)type;
	}
	const uint8_t *p = b + off;
	if (ethertype == 0x0806)
		arp_op = (int)be16(p + 6);
	if (ethertype == 0x0800 && off + 20 <= f->n) {
		ip_proto = p[9];
		if (ip_proto == 17)
			dport = (int)be16(p + 20 + 2);
	}
	if (ethertype == 0x86dd && off + 40 <= f->n) {
		int next = p[6];
		size_t at = 40;
		if (next == 0) { /* hop-by-hop */
			next = p[at];
			at += ((size_t)p[at + 1] + 1) * 8;
		}
		ip_proto = next;
		if (next == 58)
			icmp6 = p[at];
		if (next == 17)
			dport = (int)be16(p + at + 2);
	}
	size_t n = f->n < 128 ? f->n : 128;
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	hex[2 * n] = '\0';
	json_t *j = json_pack(
		"{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:s}", "src_mac", src, "dst_mac", dst,
		"framing", framing, "ethertype", strcmp(framing, "llc") == 0 ? json_null() : hex_or_null(ethertype),
		"llc_dsap", json_null(), "vlan", vlan < 0 ? json_null() : json_integer(vlan), "ip_proto",
		ip_proto < 0 ? json_null() : json_integer(ip_proto), "icmp6_type",
		icmp6 < 0 ? json_null() : json_integer(icmp6), "udp_dport",
		dport < 0 ? json_null() : json_integer(dport), "arp_op",
		arp_op < 0 ? json_null() : json_integer(arp_op), "count", (json_int_t)count, "example", hex);
	if (dsap >= 0) {
		snprintf(dsap_text, sizeof(dsap_text), "0x%02x", (unsigned)dsap);
		json_object_set_new(j, "llc_dsap", json_string(dsap_text));
	}
	return j;
}

/* ---- the frames of a clean Linux router, and of the rule breakers ---- */

static struct frame arp_request(void)
{
	struct frame f = eth("ff:ff:ff:ff:ff:ff", MEMBER, 0x0806);
	arp(&f, 1, MEMBER, MEMBER_V4, "192.0.2.1");
	return f;
}

static struct frame arp_reply_to_probe(const char *spa)
{
	struct frame f = eth(PROBE_MAC, MEMBER, 0x0806);
	arp(&f, 2, MEMBER, spa, "192.0.2.254");
	return f;
}

static struct frame bgp_v4(void)
{
	struct frame f = eth("02:00:00:00:00:aa", MEMBER, 0x0800);
	ipv4(&f, 6, MEMBER_V4, "192.0.2.1");
	zeros(&f, 20);
	return f;
}

static struct frame icmp6_frame(const char *dst_mac, const char *src_mac, const char *dst_ip, unsigned type)
{
	struct frame f = eth(dst_mac, src_mac, 0x86dd);
	ipv6(&f, 58, "fe80::1", dst_ip);
	put8(&f, type);
	zeros(&f, 23);
	return f;
}

/* An MLDv2 report as Linux sends it: hop-by-hop header with router alert. */
static struct frame mldv2_report(const char *dst_mac, unsigned type)
{
	struct frame f = eth(dst_mac, MEMBER, 0x86dd);
	ipv6(&f, 0, "fe80::1", "ff02::16");
	put8(&f, 58); /* next header */
	put8(&f, 0);  /* length: 8 bytes */
	put8(&f, 5);  /* router alert */
	put8(&f, 2);
	put16(&f, 0);
	put16(&f, 0x0100); /* PadN */
	put8(&f, type);
	zeros(&f, 27);
	return f;
}

/* What a clean router sends: ARP, BGP, ND (multicast NS, NA), a few MLDv2
 * reports right after link-up. */
static json_t *clean_classes(void)
{
	json_t *j = json_array();
	struct frame f;
	f = arp_request();
	json_array_append_new(j, classify(&f, 3));
	f = bgp_v4();
	json_array_append_new(j, classify(&f, 20));
	f = icmp6_frame("33:33:ff:00:00:01", MEMBER, "ff02::1:ff00:1", 135);
	json_array_append_new(j, classify(&f, 2));
	f = icmp6_frame("33:33:00:00:00:01", MEMBER, "ff02::1", 136);
	json_array_append_new(j, classify(&f, 1));
	f = icmp6_frame("02:00:00:00:00:aa", MEMBER, "2001:db8:7f8::1", 136);
	json_array_append_new(j, classify(&f, 2));
	f = mldv2_report("33:33:00:00:00:16", 143);
	json_array_append_new(j, classify(&f, 4));
	return j;
}

static long long frames_of(json_t *j_classes)
{
	long long n = 0;
	size_t i;
	json_t *c;
	json_array_foreach (j_classes, i, c)
		n += json_integer_value(json_object_get(c, "count"));
	return n;
}

static json_t *report_of(json_t *j_classes, json_t *j_answers)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:I, s:o, s:o}", "id", "c-1", "port", "p1", "state", "done", "seconds",
			 5, "frames", (json_int_t)frames_of(j_classes), "classes", j_classes, "probe_answers",
			 j_answers ? j_answers : json_array());
}

static const char *const REGISTERED[] = {MEMBER};

static struct gate_context context(void)
{
	static struct gate_prefix own[2];
	assert_true(gate_prefix_parse(MEMBER_V4, &own[0]));
	assert_true(gate_prefix_parse(MEMBER_V6, &own[1]));
	struct gate_context ctx = {.macs = REGISTERED, .n_macs = 1, .own = own, .n_own = 2};
	assert_true(gate_prefix_parse("192.0.2.0/24", &ctx.lan_v4));
	assert_true(gate_prefix_parse("2001:db8:7f8::/64", &ctx.lan_v6));
	return ctx;
}

static void judge_with(json_t *j_report, const struct gate_context *ctx, struct gate_verdict *v)
{
	struct gate_report *r = NULL;
	struct problem *p = gate_report_parse(j_report, &r);
	if (p)
		fail_msg("report refused: %s", problem_detail(p));
	gate_judge(r, ctx, v);
	gate_report_free(r);
	json_decref(j_report);
}

static void judge(json_t *j_report, struct gate_verdict *v)
{
	struct gate_context ctx = context();
	judge_with(j_report, &ctx, v);
}

/* The clean classes plus `extra` (owned), judged. */
static void judge_clean_plus(json_t *j_extra, json_t *j_answers, struct gate_verdict *v)
{
	json_t *j = clean_classes();
	if (j_extra)
		json_array_append_new(j, j_extra);
	judge(report_of(j, j_answers), v);
}

static void expect_only(const struct gate_verdict *v, enum gate_rule rule, uint64_t frames)
{
	if (v->n != 1 || v->violations[0].rule != rule) {
		for (size_t i = 0; i < v->n; i++)
			print_message("  got %s: %s\n", gate_rule_tag(v->violations[i].rule), v->violations[i].message);
		fail_msg("expected exactly %s", gate_rule_tag(rule));
	}
	assert_int_equal(v->violations[0].frames, frames);
	assert_int_equal(v->passed, v->violations[0].severity != GATE_FAILURE);
	assert_non_null(strstr(v->violations[0].message, "frame") ? v->violations[0].message
								  : strstr(v->violations[0].message, "answer"));
}

/* ---- tests ---- */

static void test_clean_report_passes(void **state)
{
	(void)state;
	struct gate_verdict v;
	judge(report_of(clean_classes(), NULL), &v);
	assert_true(v.passed);
	assert_int_equal(v.n, 0);
	json_t *j = gate_status_entries(&v, "c-1");
	assert_int_equal(json_array_size(j), 1);
	json_t *e = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(e, "tag")), "quarantine.passed");
	assert_int_equal(json_integer_value(json_object_get(e, "severity")), 6);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e, "attrs"), "frames")), 32);
	assert_string_equal(json_string_value(json_object_get(json_object_get(e, "attrs"), "capture")), "c-1");
	json_decref(j);
}

struct rule_case {
	enum gate_rule rule;
	struct frame f;
};

/* One frame per rule of the frame classes: the clean traffic plus it
 * breaks exactly that rule. */
static void test_each_frame_rule_alone(void **state)
{
	(void)state;
	struct rule_case cases[32];
	size_t n = 0;
	struct frame f;
	/* 802.1D BPDU: 802.3 length, LLC 42 42 03, to 01:80:c2:00:00:00. */
	f = llc("01:80:c2:00:00:00", MEMBER, 0x42, 38);
	zeros(&f, 35);
	cases[n++] = (struct rule_case){GATE_STP, f};
	/* PVST+: SNAP 00000c/010b to 01:00:0c:cc:cc:cd. */
	f = snap("01:00:0c:cc:cc:cd", MEMBER, 0x00000c, 0x010b, 50);
	zeros(&f, 36);
	cases[n++] = (struct rule_case){GATE_STP, f};
	f = snap("01:00:0c:cc:cc:cc", MEMBER, 0x00000c, 0x2000, 60);
	zeros(&f, 30);
	cases[n++] = (struct rule_case){GATE_CDP, f};
	f = eth("01:80:c2:00:00:0e", MEMBER, 0x88cc);
	zeros(&f, 30);
	cases[n++] = (struct rule_case){GATE_LLDP, f};
	f = snap("00:e0:2b:00:00:00", MEMBER, 0x00e02b, 0x00bb, 60);
	zeros(&f, 30);
	cases[n++] = (struct rule_case){GATE_EDP, f};
	f = snap("01:00:0c:cc:cc:cc", MEMBER, 0x00000c, 0x2003, 60);
	zeros(&f, 30);
	cases[n++] = (struct rule_case){GATE_VTP, f};
	f = snap("01:00:0c:cc:cc:cc", MEMBER, 0x00000c, 0x2004, 60);
	zeros(&f, 30);
	cases[n++] = (struct rule_case){GATE_DTP, f};
	f = snap("01:00:0c:cc:cc:cc", MEMBER, 0x00000c, 0x0111, 60);
	zeros(&f, 30);
	cases[n++] = (struct rule_case){GATE_UDLD, f};
	/* LACP (slow protocols) to 01:80:c2:00:00:02. */
	f = eth("01:80:c2:00:00:02", MEMBER, 0x8809);
	zeros(&f, 40);
	cases[n++] = (struct rule_case){GATE_LINK_LOCAL, f};
	/* Cisco keepalive: loopback 0x9000 to itself. */
	f = eth(MEMBER, MEMBER, 0x9000);
	zeros(&f, 46);
	cases[n++] = (struct rule_case){GATE_L2_KEEPALIVE, f};
	/* DEC MOP: a non-IP ethertype to its multicast group. */
	f = eth("ab:00:00:02:00:00", MEMBER, 0x6002);
	zeros(&f, 46);
	cases[n++] = (struct rule_case){GATE_ETHERTYPE, f};
	/* IPX in 802.3/LLC (DSAP e0): LLC framing is not allowed. */
	f = llc("ff:ff:ff:ff:ff:ff", MEMBER, 0xe0, 40);
	zeros(&f, 37);
	cases[n++] = (struct rule_case){GATE_ETHERTYPE, f};
	/* IPv4 in SNAP: the right protocol, the wrong framing. */
	f = snap("02:00:00:00:00:aa", MEMBER, 0, 0x0800, 48);
	ipv4(&f, 6, MEMBER_V4, "192.0.2.1");
	cases[n++] = (struct rule_case){GATE_ETHERTYPE, f};
	/* OSPF hello to 224.0.0.5. */
	f = eth("01:00:5e:00:00:05", MEMBER, 0x0800);
	ipv4(&f, 89, MEMBER_V4, "224.0.0.5");
	zeros(&f, 20);
	cases[n++] = (struct rule_case){GATE_IGP, f};
	/* EIGRP to 224.0.0.10. */
	f = eth("01:00:5e:00:00:0a", MEMBER, 0x0800);
	ipv4(&f, 88, MEMBER_V4, "224.0.0.10");
	zeros(&f, 20);
	cases[n++] = (struct rule_case){GATE_IGP, f};
	/* RIPv2 to 224.0.0.9, UDP 520. */
	f = eth("01:00:5e:00:00:09", MEMBER, 0x0800);
	ipv4(&f, 17, MEMBER_V4, "224.0.0.9");
	udp(&f, 520, 520);
	cases[n++] = (struct rule_case){GATE_IGP, f};
	/* OSPFv3 to ff02::5. */
	f = eth("33:33:00:00:00:05", MEMBER, 0x86dd);
	ipv6(&f, 89, "fe80::1", "ff02::5");
	zeros(&f, 16);
	cases[n++] = (struct rule_case){GATE_IGP, f};
	/* IS-IS hello: LLC DSAP fe to 09:00:2b:00:00:05 (AllL1ISs 01:80:c2:00:00:14 alike). */
	f = llc("09:00:2b:00:00:05", MEMBER, 0xfe, 40);
	zeros(&f, 37);
	cases[n++] = (struct rule_case){GATE_IGP, f};
	f = llc("01:80:c2:00:00:14", MEMBER, 0xfe, 40);
	zeros(&f, 37);
	cases[n++] = (struct rule_case){GATE_IGP, f};
	/* PIM hello to 224.0.0.13. */
	f = eth("01:00:5e:00:00:0d", MEMBER, 0x0800);
	ipv4(&f, 103, MEMBER_V4, "224.0.0.13");
	zeros(&f, 20);
	cases[n++] = (struct rule_case){GATE_PIM, f};
	/* IGMPv3 report to 224.0.0.22. */
	f = eth("01:00:5e:00:00:16", MEMBER, 0x0800);
	ipv4(&f, 2, MEMBER_V4, "224.0.0.22");
	zeros(&f, 16);
	cases[n++] = (struct rule_case){GATE_IGMP, f};
	/* DHCP discover: 0.0.0.0 -> 255.255.255.255, UDP 68 -> 67. */
	f = eth("ff:ff:ff:ff:ff:ff", MEMBER, 0x0800);
	ipv4(&f, 17, "0.0.0.0", "255.255.255.255");
	udp(&f, 68, 67);
	cases[n++] = (struct rule_case){GATE_DHCP, f};
	/* DHCPv6 solicit to ff02::1:2, UDP 547. */
	f = eth("33:33:00:01:00:02", MEMBER, 0x86dd);
	ipv6(&f, 17, "fe80::1", "ff02::1:2");
	udp(&f, 546, 547);
	cases[n++] = (struct rule_case){GATE_DHCP, f};
	/* TFTP read request, broadcast. */
	f = eth("ff:ff:ff:ff:ff:ff", MEMBER, 0x0800);
	ipv4(&f, 17, MEMBER_V4, "255.255.255.255");
	udp(&f, 50000, 69);
	cases[n++] = (struct rule_case){GATE_TFTP, f};
	cases[n++] = (struct rule_case){GATE_IPV6_RA, icmp6_frame("33:33:00:00:00:01", MEMBER, "ff02::1", 134)};
	cases[n++] = (struct rule_case){GATE_IPV6_RS, icmp6_frame("33:33:00:00:00:02", MEMBER, "ff02::2", 133)};
	cases[n++] = (struct rule_case){GATE_IPV6_REDIRECT,
					icmp6_frame("02:00:00:00:00:aa", MEMBER, "2001:db8:7f8::1", 137)};
	cases[n++] = (struct rule_case){GATE_MLD_QUERY, icmp6_frame("33:33:00:00:00:01", MEMBER, "ff02::1", 130)};
	/* A ping to the LAN's broadcast address (the directed broadcast). */
	f = eth("ff:ff:ff:ff:ff:ff", MEMBER, 0x0800);
	ipv4(&f, 1, MEMBER_V4, "192.0.2.255");
	zeros(&f, 8);
	cases[n++] = (struct rule_case){GATE_DIRECTED_BROADCAST, f};
	/* mDNS to 224.0.0.251. */
	f = eth("01:00:5e:00:00:fb", MEMBER, 0x0800);
	ipv4(&f, 17, MEMBER_V4, "224.0.0.251");
	udp(&f, 5353, 5353);
	cases[n++] = (struct rule_case){GATE_NON_UNICAST, f};
	/* An ICMPv6 echo request to all nodes. */
	cases[n++] = (struct rule_case){GATE_NON_UNICAST, icmp6_frame("33:33:00:00:00:01", MEMBER, "ff02::1", 128)};
	/* ARP to a multicast MAC (only broadcast ARP is allowed). */
	f = eth("01:00:5e:00:00:01", MEMBER, 0x0806);
	arp(&f, 1, MEMBER, MEMBER_V4, "192.0.2.1");
	cases[n++] = (struct rule_case){GATE_NON_UNICAST, f};
	assert_true(n <= sizeof(cases) / sizeof(cases[0]));

	for (size_t i = 0; i < n; i++) {
		print_message("case %zu: %s\n", i, gate_rule_tag(cases[i].rule));
		struct gate_verdict v;
		judge_clean_plus(classify(&cases[i].f, 7), NULL, &v);
		expect_only(&v, cases[i].rule, 7);
		assert_false(v.passed);
		/* the example is the frame */
		char hex[2 * 128 + 1];
		for (size_t b = 0; b < cases[i].f.n && b < 128; b++)
			snprintf(hex + 2 * b, 3, "%02x", cases[i].f.b[b]);
		assert_string_equal(v.violations[0].example, hex);
	}
}

static void test_second_mac(void **state)
{
	(void)state;
	struct gate_verdict v;
	/* Unicast IPv4 from another device behind the port. */
	struct frame f = eth("02:00:00:00:00:aa", "02:00:00:00:00:77", 0x0800);
	ipv4(&f, 6, "192.0.2.77", "192.0.2.1");
	zeros(&f, 20);
	judge_clean_plus(classify(&f, 5), NULL, &v);
	expect_only(&v, GATE_SECOND_MAC, 5);
	assert_string_equal(v.violations[0].details[0], "02:00:00:00:00:77");

	/* Nothing from the registered MAC: every frame is someone else's. */
	json_t *j = json_array();
	json_array_append_new(j, classify(&f, 5));
	judge(report_of(j, NULL), &v);
	expect_only(&v, GATE_SECOND_MAC, 5);

	/* Two registered MACs both sending: one MAC per port still holds. */
	static const char *const two[] = {MEMBER, "02:00:00:00:00:77"};
	struct gate_context ctx = context();
	ctx.macs = two;
	ctx.n_macs = 2;
	j = clean_classes();
	json_array_append_new(j, classify(&f, 5));
	judge_with(report_of(j, NULL), &ctx, &v);
	expect_only(&v, GATE_SECOND_MAC, 5);

	/* The registered MAC in another spelling is the same MAC. */
	static const char *const upper[] = {"02-00-00-00-00-01"};
	ctx.macs = upper;
	ctx.n_macs = 1;
	judge_with(report_of(clean_classes(), NULL), &ctx, &v);
	assert_true(v.passed);
	assert_int_equal(v.n, 0);
}

static void test_vlan_tag(void **state)
{
	(void)state;
	struct gate_verdict v;
	struct frame f = eth_tagged("02:00:00:00:00:aa", MEMBER, 100, 0x0800);
	ipv4(&f, 6, MEMBER_V4, "192.0.2.1");
	zeros(&f, 20);
	/* Not ordered: a tagged frame breaks it. */
	judge_clean_plus(classify(&f, 4), NULL, &v);
	expect_only(&v, GATE_VLAN_TAG, 4);
	assert_string_equal(v.violations[0].details[0], "vlan 100");

	/* Ordered VLAN 100: tagged 100 passes, untagged frames break it. */
	struct gate_context ctx = context();
	ctx.tagged = true;
	ctx.vlan = 100;
	json_t *j = json_array();
	json_array_append_new(j, classify(&f, 4));
	judge_with(report_of(j, NULL), &ctx, &v);
	assert_true(v.passed);
	assert_int_equal(v.n, 0);
	judge_with(report_of(clean_classes(), NULL), &ctx, &v);
	expect_only(&v, GATE_VLAN_TAG, 32);
	/* Another VLAN than the ordered one. */
	struct frame g = eth_tagged("02:00:00:00:00:aa", MEMBER, 200, 0x0800);
	ipv4(&g, 6, MEMBER_V4, "192.0.2.1");
	j = json_array();
	json_array_append_new(j, classify(&f, 4));
	json_array_append_new(j, classify(&g, 2));
	judge_with(report_of(j, NULL), &ctx, &v);
	expect_only(&v, GATE_VLAN_TAG, 2);
}

static void test_proxy_arp_and_nd(void **state)
{
	(void)state;
	struct gate_verdict v;
	/* The member answers the ARP probe for an address nobody holds. */
	struct frame f = arp_reply_to_probe(PROBE_V4);
	json_t *j_answers = json_pack("[{s:s, s:s, s:s}]", "probe", "arp", "target", PROBE_V4, "from_mac", MEMBER);
	judge_clean_plus(classify(&f, 1), j_answers, &v);
	expect_only(&v, GATE_PROXY_ARP, 1);
	assert_non_null(strstr(v.violations[0].details[0], PROBE_V4));
	assert_non_null(strstr(v.violations[0].message, "1 answer"));
	char hex[2 * 128 + 1];
	for (size_t b = 0; b < f.n; b++)
		snprintf(hex + 2 * b, 3, "%02x", f.b[b]);
	assert_string_equal(v.violations[0].example, hex); /* the reply itself */

	j_answers = json_pack("[{s:s, s:s, s:s}]", "probe", "nd", "target", PROBE_V6, "from_mac", MEMBER);
	judge_clean_plus(NULL, j_answers, &v);
	expect_only(&v, GATE_PROXY_ND, 1);

	/* An answer for the member's own address is no proxy. */
	j_answers = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}]", "probe", "arp", "target", MEMBER_V4, "from_mac",
			      MEMBER, "probe", "nd", "target", MEMBER_V6, "from_mac", MEMBER);
	judge_clean_plus(NULL, j_answers, &v);
	assert_true(v.passed);
	assert_int_equal(v.n, 0);
}

/* The MLDv2 decision: tolerated up to GATE_MLD_TOLERATED_FRAMES, a warning
 * above (the gate still passes), never to a non-IPv6-multicast group, and
 * a query is a failure. */
static void test_mld(void **state)
{
	(void)state;
	struct gate_verdict v;
	struct frame f = mldv2_report("33:33:00:00:00:16", 143);
	/* the clean report already holds 4 reports: up to the ceiling, tolerated */
	judge_clean_plus(classify(&f, GATE_MLD_TOLERATED_FRAMES - 4), NULL, &v);
	assert_true(v.passed);
	assert_int_equal(v.n, 0);
	/* one more: a warning, and the gate still passes */
	judge_clean_plus(classify(&f, GATE_MLD_TOLERATED_FRAMES - 3), NULL, &v);
	expect_only(&v, GATE_MLD, GATE_MLD_TOLERATED_FRAMES + 1);
	assert_true(v.passed);
	assert_int_equal(v.violations[0].severity, GATE_WARNING);
	json_t *j = gate_status_entries(&v, NULL);
	assert_int_equal(json_array_size(j), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "tag")), "quarantine.mld");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "severity")), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 1), "tag")), "quarantine.passed");
	json_decref(j);
	/* MLDv1 reports and done count alike (4 + 7 + 6 = one over the ceiling) */
	struct frame g = mldv2_report("33:33:00:00:00:16", 131), h = mldv2_report("33:33:00:00:00:02", 132);
	j = clean_classes();
	json_array_append_new(j, classify(&g, 7));
	json_array_append_new(j, classify(&h, GATE_MLD_TOLERATED_FRAMES - 10));
	judge(report_of(j, NULL), &v);
	expect_only(&v, GATE_MLD, GATE_MLD_TOLERATED_FRAMES + 1);
	/* a report to the broadcast MAC is not MLD as the rules allow it */
	struct frame b = mldv2_report("ff:ff:ff:ff:ff:ff", 143);
	judge_clean_plus(classify(&b, 1), NULL, &v);
	expect_only(&v, GATE_NON_UNICAST, 1);
}

static void test_many_at_once(void **state)
{
	(void)state;
	struct gate_verdict v;
	const char *sw = "02:00:00:00:00:99"; /* an intermediate switch */
	json_t *j = clean_classes();
	struct frame f = llc("01:80:c2:00:00:00", sw, 0x42, 38);
	zeros(&f, 35);
	json_array_append_new(j, classify(&f, 3));
	f = eth("01:80:c2:00:00:0e", MEMBER, 0x88cc);
	zeros(&f, 30);
	json_array_append_new(j, classify(&f, 2));
	f = eth("01:80:c2:00:00:0e", sw, 0x88cc);
	zeros(&f, 30);
	json_array_append_new(j, classify(&f, 1));
	f = icmp6_frame("33:33:00:00:00:01", MEMBER, "ff02::1", 134);
	json_array_append_new(j, classify(&f, 5));
	f = arp_reply_to_probe(PROBE_V4);
	json_array_append_new(j, classify(&f, 1));
	json_t *j_answers = json_pack("[{s:s, s:s, s:s}]", "probe", "arp", "target", PROBE_V4, "from_mac", MEMBER);
	judge(report_of(j, j_answers), &v);
	assert_false(v.passed);
	assert_int_equal(v.n, 5);
	const struct {
		enum gate_rule rule;
		uint64_t frames;
	} want[] = {{GATE_SECOND_MAC, 4}, {GATE_STP, 3}, {GATE_LLDP, 3}, {GATE_IPV6_RA, 5}, {GATE_PROXY_ARP, 1}};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(v.violations[i].rule, want[i].rule);
		assert_int_equal(v.violations[i].frames, want[i].frames);
	}
	/* one status entry per violation, no "passed" */
	json_t *j_entries = gate_status_entries(&v, "c-9");
	assert_int_equal(json_array_size(j_entries), 5);
	size_t i;
	json_t *e;
	json_array_foreach (j_entries, i, e) {
		char tag[64];
		snprintf(tag, sizeof(tag), "quarantine.%s", gate_rule_tag(want[i].rule));
		assert_string_equal(json_string_value(json_object_get(e, "tag")), tag);
		assert_int_equal(json_integer_value(json_object_get(e, "severity")), 3);
		assert_non_null(json_string_value(json_object_get(e, "message")));
		json_t *a = json_object_get(e, "attrs");
		assert_string_equal(json_string_value(json_object_get(a, "rule")), gate_rule_tag(want[i].rule));
		assert_int_equal(json_integer_value(json_object_get(a, "frames")), (long long)want[i].frames);
		assert_string_equal(json_string_value(json_object_get(a, "example")), v.violations[i].example);
		assert_true(json_array_size(json_object_get(a, "seen")) >= 1);
		assert_string_equal(json_string_value(json_object_get(a, "capture")), "c-9");
	}
	/* second_mac names the switch; stp's example is the BPDU's frame */
	assert_string_equal(
		json_string_value(json_array_get(
			json_object_get(json_object_get(json_array_get(j_entries, 0), "attrs"), "seen"), 0)),
		sw);
	assert_non_null(strstr(v.violations[1].message, "3 frames"));
	json_decref(j_entries);
}

static void test_incomplete_and_silent(void **state)
{
	(void)state;
	struct gate_verdict v;
	/* the report counts frames its classes do not hold */
	json_t *j = report_of(clean_classes(), NULL);
	json_object_set_new(j, "frames", json_integer(32 + 100));
	judge(j, &v);
	expect_only(&v, GATE_INCOMPLETE, 100);
	/* nothing at all: passes with a warning */
	judge(report_of(json_array(), NULL), &v);
	assert_true(v.passed);
	assert_int_equal(v.n, 1);
	assert_int_equal(v.violations[0].rule, GATE_SILENT);
	assert_int_equal(v.violations[0].severity, GATE_WARNING);
}

static void test_malformed_reports(void **state)
{
	(void)state;
	struct frame f = arp_request();
	json_t *j_class = classify(&f, 3);
	char *cls = json_dumps(j_class, JSON_COMPACT);
	json_decref(j_class);
	char good[4096];
	snprintf(good, sizeof(good),
		 "{\"id\":\"c-1\",\"port\":\"p1\",\"state\":\"done\",\"seconds\":5,\"frames\":3,\"classes\":[%s],"
		 "\"probe_answers\":[]}",
		 cls);
	struct gate_report *r = NULL;
	struct problem *p = gate_report_parse_text(good, strlen(good), &r);
	assert_null(p);
	assert_int_equal(r->n_classes, 1);
	assert_int_equal(r->classes[0].arp_op, 1);
	assert_int_equal(r->classes[0].ethertype, 0x0806);
	assert_int_equal(r->classes[0].example_len, f.n);
	gate_report_free(r);

	const struct {
		const char *from, *to, *property;
	} edits[] = {
		{"\"state\":\"done\"", "\"state\":\"running\"", "state"},
		{"\"seconds\":5", "\"seconds\":0", "seconds"},
		{"\"seconds\":5", "\"seconds\":\"5\"", "seconds"},
		{"\"frames\":3", "\"frames\":2", "frames"},
		{"\"frames\":3", "\"frames\":-1", "frames"},
		{"\"id\":\"c-1\"", "\"id\":\"\"", "id"},
		{"\"port\":\"p1\",", "", "port"},
		{"\"probe_answers\":[]", "\"probe_answers\":{}", "probe_answers"},
		{"\"probe_answers\":[]",
		 "\"probe_answers\":[{\"probe\":\"arp\",\"target\":\"2001:db8::1\",\"from_mac\":\"02:00:00:00:00:01\"}]",
		 "probe_answers[0].target"},
		{"\"probe_answers\":[]",
		 "\"probe_answers\":[{\"probe\":\"dhcp\",\"target\":\"192.0.2.1\",\"from_mac\":\"02:00:00:00:00:01\"}]",
		 "probe_answers[0].probe"},
		{"\"probe_answers\":[]",
		 "\"probe_answers\":[{\"probe\":\"arp\",\"target\":\"192.0.2.1\",\"from_mac\":\"02:00:00:00:00\"}]",
		 "probe_answers[0].from_mac"},
		{"\"src_mac\":\"02:00:00:00:00:01\"", "\"src_mac\":\"02:00:00:00:00:0g\"", "classes[0].src_mac"},
		{"\"dst_mac\":\"ff:ff:ff:ff:ff:ff\"", "\"dst_mac\":null", "classes[0].dst_mac"},
		{"\"framing\":\"ethernet2\"", "\"framing\":\"raw\"", "classes[0].framing"},
		{"\"ethertype\":\"0x0806\"", "\"ethertype\":\"0x10000\"", "classes[0].ethertype"},
		{"\"ethertype\":\"0x0806\"", "\"ethertype\":\"806\"", "classes[0].ethertype"},
		{"\"ethertype\":\"0x0806\"", "\"ethertype\":null", "classes[0].ethertype"},
		{"\"llc_dsap\":null", "\"llc_dsap\":\"0x42\"", "classes[0].llc_dsap"},
		{"\"vlan\":null", "\"vlan\":4096", "classes[0].vlan"},
		{"\"arp_op\":1", "\"arp_op\":1.5", "classes[0].arp_op"},
		{"\"count\":3", "\"count\":0", "classes[0].count"},
		{"\"count\":3", "\"count\":99999999999999999999", "report"},
		{"\"example\":\"ff", "\"example\":\"zz", "classes[0].example"},
		{"\"example\":\"ff", "\"example\":\"f", "classes[0].example"},
		{"\"classes\":[", "\"classes\":[1,", "classes[0]"},
		{"\"seconds\":5", "\"seconds\":5,\"seconds\":6", "report"},
		{"{\"id\"", "[{\"id\"", "report"},
	};
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char text[8192];
		const char *at = strstr(good, edits[i].from);
		assert_non_null(at);
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good), good, edits[i].to,
			 at + strlen(edits[i].from));
		r = NULL;
		p = gate_report_parse_text(text, strlen(text), &r);
		if (!p)
			fail_msg("edit %zu accepted: %s", i, text);
		assert_null(r);
		json_t *j = problem_to_json(p, NULL);
		json_t *props = json_object_get(j, "properties");
		const char *name = json_string_value(json_object_get(json_array_get(props, 0), "name"));
		if (!name || strcmp(name, edits[i].property) != 0)
			fail_msg("edit %zu names %s, not %s", i, name ? name : "(nothing)", edits[i].property);
		assert_int_equal(problem_status(p), 400);
		json_decref(j);
		problem_free(p);
	}
	/* truncations of the good report never crash and are refused */
	for (size_t n = 0; n + 1 < strlen(good); n++) {
		r = NULL;
		p = gate_report_parse_text(good, n, &r);
		assert_non_null(p);
		problem_free(p);
	}
	free(cls);
}

/* The entry of a report the gate could not read: one failure naming why. */
static void test_unusable_entries(void **state)
{
	(void)state;
	json_t *j = gate_unusable_entries("classes[2].src_mac: Malformed capture report: must be a MAC", "c-7,c-8");
	assert_int_equal(json_array_size(j), 1);
	json_t *e = json_array_get(j, 0);
	assert_int_equal(json_integer_value(json_object_get(e, "severity")), 3);
	assert_string_equal(json_string_value(json_object_get(e, "tag")), "quarantine.report_unusable");
	const char *message = json_string_value(json_object_get(e, "message"));
	assert_non_null(strstr(message, "classes[2].src_mac"));
	assert_true(strlen(message) < 1000);
	json_t *attrs = json_object_get(e, "attrs");
	assert_string_equal(json_string_value(json_object_get(attrs, "rule")), "report_unusable");
	assert_string_equal(json_string_value(json_object_get(attrs, "capture")), "c-7,c-8");
	json_decref(j);
	char long_reason[3000];
	memset(long_reason, 'x', sizeof(long_reason) - 1);
	long_reason[sizeof(long_reason) - 1] = '\0';
	j = gate_unusable_entries(long_reason, NULL);
	assert_true(strlen(json_string_value(json_object_get(json_array_get(j, 0), "message"))) < 1000);
	assert_null(json_object_get(json_object_get(json_array_get(j, 0), "attrs"), "capture"));
	json_decref(j);
}

static void test_prefix_parse(void **state)
{
	(void)state;
	struct gate_prefix g;
	assert_true(gate_prefix_parse("192.0.2.0/24", &g));
	assert_int_equal(g.family, 4);
	assert_int_equal(g.len, 24);
	assert_true(gate_prefix_parse("2001:db8::1", &g));
	assert_int_equal(g.family, 6);
	assert_int_equal(g.len, 128);
	assert_false(gate_prefix_parse("192.0.2.0/33", &g));
	assert_false(gate_prefix_parse("192.0.2.0/", &g));
	assert_false(gate_prefix_parse("lan", &g));
	assert_false(gate_prefix_parse(NULL, &g));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_report_passes), cmocka_unit_test(test_each_frame_rule_alone),
		cmocka_unit_test(test_second_mac),          cmocka_unit_test(test_vlan_tag),
		cmocka_unit_test(test_proxy_arp_and_nd),    cmocka_unit_test(test_mld),
		cmocka_unit_test(test_many_at_once),        cmocka_unit_test(test_incomplete_and_silent),
		cmocka_unit_test(test_malformed_reports),   cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test(test_unusable_entries),
	};
	return cmocka_run_group_tests_name("quarantine_gate", tests, NULL, NULL);
}
