/*
 * The quarantine capture report of the switch adapter: frames the member sent
 * into its port, grouped into classes (framing, ethertype, LLC DSAP, VLAN tag,
 * IP protocol, ICMPv6 type, UDP port, ARP operation; see
 * openapi/adapter-switch.json), and the answers to the adapter's probes.
 * Pure functions over frame bytes: no sockets, no clock.
 */
#ifndef IXAPI_ADAPTERS_SWITCH_SW_REPORT_H
#define IXAPI_ADAPTERS_SWITCH_SW_REPORT_H

#include <jansson.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

enum sw_framing { SW_FRAMING_ETHERNET2, SW_FRAMING_LLC, SW_FRAMING_SNAP };

#define SW_REPORT_MAX_CLASSES 256
#define SW_REPORT_MAX_ANSWERS 64
#define SW_REPORT_MAX_PROBES  16
#define SW_REPORT_EXAMPLE_MAX 128 /* bytes of the first frame kept as hex */

/* What makes two frames the same class. -1 stands for null. */
struct sw_frame_key {
	uint8_t dst[6], src[6];
	enum sw_framing framing;
	int ethertype;  /* ethernet2/snap; -1 for llc */
	int llc_dsap;   /* llc/snap */
	int vlan;       /* the 802.1Q tag's VLAN id */
	int ip_proto;   /* IPv4 protocol / IPv6 upper-layer header */
	int icmp6_type; /* ICMPv6 */
	int udp_dport;  /* UDP */
	int arp_op;     /* ARP */
};

struct sw_frame_class {
	struct sw_frame_key key;
	long long count;
	size_t example_len;
	uint8_t example[SW_REPORT_EXAMPLE_MAX];
};

struct sw_probe_answer {
	int is_nd; /* 0: ARP, 1: ND */
	int target_index;
	uint8_t from_mac[6];
};

struct sw_report {
	/* The probes (filled by the caller before frames are added). */
	struct in_addr arp_targets[SW_REPORT_MAX_PROBES];
	size_t n_arp_targets;
	struct in6_addr nd_targets[SW_REPORT_MAX_PROBES];
	size_t n_nd_targets;
	/* What was seen. */
	long long frames;
	long long frames_unclassed; /* past SW_REPORT_MAX_CLASSES distinct classes */
	struct sw_frame_class classes[SW_REPORT_MAX_CLASSES];
	size_t n_classes;
	struct sw_probe_answer answers[SW_REPORT_MAX_ANSWERS];
	size_t n_answers;
};

/* Fills *key from the frame; returns -1 (key untouched) when the frame is
 * shorter than an Ethernet header. Truncated upper layers leave their
 * fields at -1. */
int sw_frame_classify(const uint8_t *frame, size_t len, struct sw_frame_key *key);
/* Counts one frame received from the member into r (class and, when it
 * answers a probe, the answer). */
void sw_report_add(struct sw_report *r, const uint8_t *frame, size_t len);
/* The report's `frames`, `classes` and `probe_answers` members, set on
 * j_out (borrowed, must be an object). */
void sw_report_to_json(const struct sw_report *r, json_t *j_out);

#endif
