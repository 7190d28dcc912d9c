/*
 * The quarantine gate: a pure function over a switch adapter's capture
 * report (openapi/adapter-switch.json, "Quarantine capture"). The report is
 * parsed into a struct (a malformed one is refused with a problem naming
 * the offending property, never judged), then judged against the exchange's
 * allowed-traffic rules (../shared/domain/amsix-allowed-traffic-short.txt
 * and the allowed-traffic section of amsix-route-servers-and-allowed-
 * traffic.txt) given what the config registered: its MAC(s), whether 802.1Q
 * tags were ordered and which VLAN, the LAN's subnets and the member's own
 * addresses on it. The verdict lists one violation per rule broken, with
 * how many frames broke it and an example; gate_status_entries() turns it
 * into the IX-API status entries the workers store. No I/O, no database,
 * no clock: the same report and context always give the same verdict.
 */
#ifndef IXAPI_QUARANTINE_GATE_H
#define IXAPI_QUARANTINE_GATE_H

#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ceilings of a report we accept (over them: malformed). */
#define GATE_MAX_REPORT_BYTES (4u << 20)
#define GATE_MAX_CLASSES      4096
#define GATE_MAX_ANSWERS      256
#define GATE_EXAMPLE_MAX      128 /* bytes of a class's example frame */
#define GATE_MAX_DETAILS      8   /* distinct details (MACs, ethertypes, targets) kept per violation */

/* Linux joins its groups with unsolicited MLDv2 reports right after
 * link-up (each sent twice, robustness 2): a Linux router with a link-local
 * and one global address sent 6-7 per link-up in the lab (10 link-ups), so
 * the first ceiling, 8, left one frame of margin. Up to this many MLD
 * report/done frames in one capture are tolerated silently (two link-ups of
 * such a router, or one with a few more addresses); more is a warning (never
 * a failure), see README "Quarantine gate". */
#define GATE_MLD_TOLERATED_FRAMES 16

/* The rules, in the order the verdict lists them. Each has a stable tag
 * (gate_rule_tag): the status entry's tag is "quarantine." + that tag. */
enum gate_rule {
	GATE_SECOND_MAC,         /* second_mac: a source MAC other than the one registered */
	GATE_VLAN_TAG,           /* vlan_tag: 802.1Q tag not ordered, or another VLAN / untagged when ordered */
	GATE_ETHERTYPE,          /* ethertype: not 0x0800/0x0806/0x86dd, or LLC/SNAP framing */
	GATE_STP,                /* stp: 802.1D/RSTP BPDUs (LLC DSAP 0x42), PVST+ (SNAP 0x010b) */
	GATE_CDP,                /* cdp: SNAP 0x2000 */
	GATE_LLDP,               /* lldp: ethertype 0x88cc */
	GATE_EDP,                /* edp: SNAP 0x00bb */
	GATE_VTP,                /* vtp: SNAP 0x2003 */
	GATE_DTP,                /* dtp: SNAP 0x2004 */
	GATE_UDLD,               /* udld: SNAP 0x0111 */
	GATE_LINK_LOCAL,         /* link_local: other frames to a link-local (bridge-reserved) group */
	GATE_L2_KEEPALIVE,       /* l2_keepalive: ethertype 0x9000 (loopback) */
	GATE_IGP,                /* igp: OSPF (89), EIGRP (88), IGRP (9), RIP (UDP 520/521), IS-IS (LLC 0xfe) */
	GATE_PIM,                /* pim: IP protocol 103 */
	GATE_IGMP,               /* igmp: IP protocol 2 (DVMRP included) */
	GATE_DHCP,               /* dhcp: UDP 67/68, DHCPv6 UDP 546/547 */
	GATE_TFTP,               /* tftp: UDP 69 */
	GATE_IPV6_RA,            /* ipv6_ra: ICMPv6 134 */
	GATE_IPV6_RS,            /* ipv6_rs: ICMPv6 133 */
	GATE_IPV6_REDIRECT,      /* ipv6_redirect: ICMPv6 137 */
	GATE_MLD_QUERY,          /* mld_query: ICMPv6 130 (the member acts as a multicast querier) */
	GATE_DIRECTED_BROADCAST, /* directed_broadcast: IPv4 to the LAN's broadcast address */
	GATE_NON_UNICAST,        /* non_unicast: other broadcast/multicast than ARP, ND, MLD reports */
	GATE_PROXY_ARP,          /* proxy_arp: an answer to an ARP probe for an address nobody holds */
	GATE_PROXY_ND,           /* proxy_nd: an answer to an ND probe for an address nobody holds */
	GATE_INCOMPLETE,         /* incomplete: frames the report counts but does not classify */
	GATE_MLD,                /* mld: more MLD reports than tolerated (warning) */
	GATE_SILENT,             /* silent: no frame at all in the window (warning) */
	GATE_RULE_COUNT
};

enum gate_severity {
	GATE_FAILURE, /* the gate does not pass */
	GATE_WARNING, /* reported, the gate still passes */
};

enum gate_framing { GATE_FRAMING_ETHERNET2, GATE_FRAMING_LLC, GATE_FRAMING_SNAP };

/* One class of the report: identical frames, counted. -1 stands for null. */
struct gate_class {
	uint8_t src[6], dst[6];
	enum gate_framing framing;
	int ethertype, llc_dsap, vlan, ip_proto, icmp6_type, udp_dport, arp_op;
	uint64_t count;
	uint8_t example[GATE_EXAMPLE_MAX];
	size_t example_len;
};

struct gate_answer {
	bool is_nd;         /* "nd" (else "arp") */
	uint8_t target[16]; /* 4 bytes for ARP, 16 for ND */
	char target_text[46];
	uint8_t from_mac[6];
};

/* A parsed capture report; gate_report_free frees it. */
struct gate_report {
	char *id, *port;
	int seconds;
	uint64_t frames;
	size_t n_classes, n_answers;
	struct gate_class *classes;
	struct gate_answer *answers;
};

/* An IPv4 or IPv6 prefix (a host address has the full length). */
struct gate_prefix {
	int family; /* 4, 6, or 0: none */
	uint8_t addr[16];
	int len;
};

/* What the config registered, the inputs besides the report. */
struct gate_context {
	const char *const *macs; /* registered MACs (any spelling mac_normalise takes) */
	size_t n_macs;
	bool tagged; /* 802.1Q tags ordered (then every frame carries `vlan`) */
	int vlan;
	struct gate_prefix lan_v4, lan_v6; /* the LAN's subnets (family 0: none) */
	const struct gate_prefix *own;     /* the member's own addresses on the LAN */
	size_t n_own;
};

struct gate_violation {
	enum gate_rule rule;
	enum gate_severity severity;
	uint64_t frames;
	char example[2 * GATE_EXAMPLE_MAX + 1]; /* hex of the first frame that broke it ("" for none) */
	char details[GATE_MAX_DETAILS][72];     /* what was seen: MACs, ethertypes, targets, ... */
	size_t n_details;
	char message[1000];
};

struct gate_verdict {
	bool passed; /* no failure (warnings allowed) */
	size_t n;    /* violations, in enum gate_rule order, one per rule */
	struct gate_violation violations[GATE_RULE_COUNT];
	uint64_t frames;
	int seconds;
};

/* Parses a report (the body of GET /v1/captures/{id} once "done"). A
 * malformed or unfinished report is a validation problem naming the
 * property (e.g. "classes[2].src_mac"); caller owns *out or the problem. */
struct problem *gate_report_parse(const json_t *j_report, struct gate_report **out);
/* The same from JSON text (duplicate keys refused, GATE_MAX_REPORT_BYTES at most). */
struct problem *gate_report_parse_text(const char *text, size_t len, struct gate_report **out);
void gate_report_free(struct gate_report *r);

/* "192.0.2.0/24", "2001:db8::/64", or an address alone (a host). */
bool gate_prefix_parse(const char *text, struct gate_prefix *out);

/* Judges the report. Pure: reads only its arguments, fills *out. */
void gate_judge(const struct gate_report *r, const struct gate_context *ctx, struct gate_verdict *out);

/* The stable tag of a rule ("stp", "second_mac", ...). */
const char *gate_rule_tag(enum gate_rule rule);
/* The violation of `rule` in the verdict, or NULL. */
const struct gate_violation *gate_verdict_find(const struct gate_verdict *v, enum gate_rule rule);

/* The IX-API status entries of a verdict, a new JSON array: one entry per
 * violation ({severity: 3 error / 4 warning, tag: "quarantine.<rule>",
 * message, attrs: {rule, frames, example, seen}}), and when it passed the
 * "quarantine.passed" entry (severity 6) last. `capture_id` may be NULL. */
json_t *gate_status_entries(const struct gate_verdict *v, const char *capture_id);

/* The status entries of a test whose report could not be judged (the
 * adapter answered, but gate_report_parse refused the report): one entry,
 * severity 3, tag GATE_UNUSABLE_TAG, attrs {rule, reason, capture}. Nothing
 * passes on it; the member's re-test starts a new capture. `reason` is the
 * parser's problem detail; `capture_id` may be NULL. A new JSON array. */
#define GATE_UNUSABLE_RULE "report_unusable"
#define GATE_UNUSABLE_TAG  "quarantine." GATE_UNUSABLE_RULE
json_t *gate_unusable_entries(const char *reason, const char *capture_id);

#endif
