/*
 * Frame classification and the capture report (see sw_report.h). Parses only
 * what the classes need, bounds-checked at every step: frames come from a
 * member who may send anything.
 */
#include "adapters/switch/sw_report.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_ARP   0x0806
#define ETHERTYPE_IPV6  0x86dd
#define ETHERTYPE_8021Q 0x8100
#define IPPROTO_ICMP6   58
#define ICMP6_NA        136

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The upper-layer protocol of an IPv6 packet after its extension headers,
 * with its offset; false when the chain leaves the captured bytes. */
static bool ipv6_upper_layer(const uint8_t *ip, size_t len, int *proto, size_t *offset)
{
	if (len < 40)
		return false;
	int next = ip[6];
	size_t off = 40;
	for (int hops = 0; hops < 8; hops++) {
		if (next == 0 || next == 43 || next == 60) { /* hop-by-hop, routing, destination options */
			if (off + 2 > len)
				return false;
			int following = ip[off];
			off += ((size_t)ip[off + 1] + 1) * 8;
			next = following;
		} else if (next == 44) { /* fragment */
			if (off + 8 > len)
				return false;
			next = ip[off];
			off += 8;
		} else {
			break;
		}
	}
	*proto = next;
	*offset = off;
	return true;
}

static void classify_ip(struct sw_frame_key *key, const uint8_t *p, size_t len)
{
	if (key->ethertype == ETHERTYPE_IPV4 && len >= 20 && (p[0] >> 4) == 4) {
		key->ip_proto = p[9];
		size_t ihl = (size_t)(p[0] & 0x0f) * 4;
		bool first_fragment = (be16(p + 6) & 0x1fff) == 0;
		if (key->ip_proto == IPPROTO_UDP && first_fragment && ihl >= 20 && len >= ihl + 4)
			key->udp_dport = (int)be16(p + ihl + 2);
	} else if (key->ethertype == ETHERTYPE_IPV6 && len >= 40 && (p[0] >> 4) == 6) {
		int proto;
		size_t off;
		if (!ipv6_upper_layer(p, len, &proto, &off)) {
			key->ip_proto = p[6];
			return;
		}
		key->ip_proto = proto;
		if (proto == IPPROTO_ICMP6 && len >= off + 1)
			key->icmp6_type = p[off];
		else if (proto == IPPROTO_UDP && len >= off + 4)
			key->udp_dport = (int)be16(p + off + 2);
	}
}

int sw_frame_classify(const uint8_t *frame, size_t len, struct sw_frame_key *key)
{
	if (len < 14)
		return -1;
	struct sw_frame_key k = {.framing = SW_FRAMING_ETHERNET2,
				 .ethertype = -1,
				 .llc_dsap = -1,
				 .vlan = -1,
				 .ip_proto = -1,
				 .icmp6_type = -1,
				 .udp_dport = -1,
				 .arp_op = -1};
	memcpy(k.dst, frame, 6);
	memcpy(k.src, frame + 6, 6);
	size_t off = 12;
	unsigned type = be16(frame + off);
	if (type == ETHERTYPE_8021Q && len >= off + 6) {
		k.vlan = (int)(be16(frame + off + 2) & 0x0fff);
		off += 4;
		type = be16(frame + off);
	}
	off += 2;
	const uint8_t *payload = frame + off;
	size_t payload_len = len - off;
	if (type <= 1500) { /* 802.3: a length, LLC follows */
		k.framing = SW_FRAMING_LLC;
		if (payload_len >= 3) {
			k.llc_dsap = payload[0];
			if (payload[0] == 0xaa && payload[1] == 0xaa && payload[2] == 0x03) {
				k.framing = SW_FRAMING_SNAP;
				if (payload_len >= 8) {
					k.ethertype = (int)be16(payload + 6);
					payload += 8;
					payload_len -= 8;
				} else {
					payload_len = 0;
				}
			} else {
				payload_len = 0;
			}
		} else {
			payload_len = 0;
		}
	} else {
		k.ethertype = (int)type;
	}
	if (k.ethertype == ETHERTYPE_ARP && payload_len >= 8)
		k.arp_op = (int)be16(payload + 6);
	classify_ip(&k, payload, payload_len);
	*key = k;
	return 0;
}

static bool key_equal(const struct sw_frame_key *a, const struct sw_frame_key *b)
{
	return memcmp(a->dst, b->dst, 6) == 0 && memcmp(a->src, b->src, 6) == 0 && a->framing == b->framing &&
	       a->ethertype == b->ethertype && a->llc_dsap == b->llc_dsap && a->vlan == b->vlan &&
	       a->ip_proto == b->ip_proto && a->icmp6_type == b->icmp6_type && a->udp_dport == b->udp_dport &&
	       a->arp_op == b->arp_op;
}

static void add_answer(struct sw_report *r, int is_nd, int target_index, const uint8_t *from_mac)
{
	for (size_t i = 0; i < r->n_answers; i++)
		if (r->answers[i].is_nd == is_nd && r->answers[i].target_index == target_index &&
		    memcmp(r->answers[i].from_mac, from_mac, 6) == 0)
			return;
	if (r->n_answers == SW_REPORT_MAX_ANSWERS)
		return;
	struct sw_probe_answer *a = &r->answers[r->n_answers++];
	a->is_nd = is_nd;
	a->target_index = target_index;
	memcpy(a->from_mac, from_mac, 6);
}

/* An ARP reply or a neighbour advertisement for one of the probed
 * addresses (nobody holds them: whoever answers is a proxy). */
static void match_probe_answer(struct sw_report *r, const struct sw_frame_key *k, const uint8_t *frame, size_t len)
{
	size_t off = k->vlan >= 0 ? 18 : 14;
	if (k->framing != SW_FRAMING_ETHERNET2 || len < off)
		return;
	const uint8_t *p = frame + off;
	size_t plen = len - off;
	if (k->arp_op == 2 && plen >= 28 && be16(p) == 1 && be16(p + 2) == ETHERTYPE_IPV4 && p[4] == 6 && p[5] == 4) {
		for (size_t i = 0; i < r->n_arp_targets; i++)
			if (memcmp(p + 14, &r->arp_targets[i], 4) == 0) /* sender protocol address */
				add_answer(r, 0, (int)i, k->src);
		return;
	}
	if (k->icmp6_type == ICMP6_NA && k->ip_proto == IPPROTO_ICMP6) {
		int proto;
		size_t icmp;
		if (!ipv6_upper_layer(p, plen, &proto, &icmp) || plen < icmp + 24)
			return;
		for (size_t i = 0; i < r->n_nd_targets; i++)
			if (memcmp(p + icmp + 8, &r->nd_targets[i], 16) == 0) /* target address */
				add_answer(r, 1, (int)i, k->src);
	}
}

void sw_report_add(struct sw_report *r, const uint8_t *frame, size_t len)
{
	struct sw_frame_key k;
	if (sw_frame_classify(frame, len, &k) != 0)
		return;
	r->frames++;
	match_probe_answer(r, &k, frame, len);
	for (size_t i = 0; i < r->n_classes; i++) {
		if (key_equal(&r->classes[i].key, &k)) {
			r->classes[i].count++;
			return;
		}
	}
	if (r->n_classes == SW_REPORT_MAX_CLASSES) {
		r->frames_unclassed++;
		return;
	}
	struct sw_frame_class *c = &r->classes[r->n_classes++];
	c->key = k;
	c->count = 1;
	c->example_len = len < SW_REPORT_EXAMPLE_MAX ? len : SW_REPORT_EXAMPLE_MAX;
	memcpy(c->example, frame, c->example_len);
}

static json_t *mac_json(const uint8_t *m)
{
	char s[18];
	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return json_string(s);
}

static json_t *int_or_null(int v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *hex_or_null(int v, int digits)
{
	if (v < 0)
		return json_null();
	char s[16];
	snprintf(s, sizeof(s), "0x%0*x", digits, (unsigned)v & 0xffff);
	return json_string(s);
}

static const char *framing_name(enum sw_framing f)
{
	return f == SW_FRAMING_LLC ? "llc" : f == SW_FRAMING_SNAP ? "snap" : "ethernet2";
}

void sw_report_to_json(const struct sw_report *r, json_t *j_out)
{
	json_t *j_classes = json_array();
	for (size_t i = 0; i < r->n_classes; i++) {
		const struct sw_frame_class *c = &r->classes[i];
		char hex[2 * SW_REPORT_EXAMPLE_MAX + 1];
		for (size_t b = 0; b < c->example_len; b++)
			snprintf(hex + 2 * b, 3, "%02x", c->example[b]);
		hex[2 * c->example_len] = '\0';
		json_t *j = json_object();
		json_object_set_new(j, "src_mac", mac_json(c->key.src));
		json_object_set_new(j, "dst_mac", mac_json(c->key.dst));
		json_object_set_new(j, "framing", json_string(framing_name(c->key.framing)));
		json_object_set_new(j, "ethertype", hex_or_null(c->key.ethertype, 4));
		json_object_set_new(j, "llc_dsap", hex_or_null(c->key.llc_dsap, 2));
		json_object_set_new(j, "vlan", int_or_null(c->key.vlan));
		json_object_set_new(j, "ip_proto", int_or_null(c->key.ip_proto));
		json_object_set_new(j, "icmp6_type", int_or_null(c->key.icmp6_type));
		json_object_set_new(j, "udp_dport", int_or_null(c->key.udp_dport));
		json_object_set_new(j, "arp_op", int_or_null(c->key.arp_op));
		json_object_set_new(j, "count", json_integer(c->count));
		json_object_set_new(j, "example", json_string(hex));
		json_array_append_new(j_classes, j);
	}
	json_t *j_answers = json_array();
	for (size_t i = 0; i < r->n_answers; i++) {
		const struct sw_probe_answer *a = &r->answers[i];
		char target[INET6_ADDRSTRLEN];
		if (a->is_nd)
			inet_ntop(AF_INET6, &r->nd_targets[a->target_index], target, sizeof(target));
		else
			inet_ntop(AF_INET, &r->arp_targets[a->target_index], target, sizeof(target));
		json_t *j = json_object();
		json_object_set_new(j, "probe", json_string(a->is_nd ? "nd" : "arp"));
		json_object_set_new(j, "target", json_string(target));
		json_object_set_new(j, "from_mac", mac_json(a->from_mac));
		json_array_append_new(j_answers, j);
	}
	json_object_set_new(j_out, "frames", json_integer(r->frames));
	json_object_set_new(j_out, "frames_unclassed", json_integer(r->frames_unclassed));
	json_object_set_new(j_out, "classes", j_classes);
	json_object_set_new(j_out, "probe_answers", j_answers);
}
