/*
 * The quarantine gate (see gate.h): the capture report's parser and the
 * judge. The report comes from an adapter over the network and describes
 * frames a member chose to send: every field is checked for type and range
 * before the judge reads it, and the judge reads only the parsed struct.
 */
#include "quarantine/gate.h"

#include "core/mac.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ETH_IPV4    0x0800
#define ETH_ARP     0x0806
#define ETH_IPV6    0x86dd
#define PROTO_UDP   17
#define PROTO_ICMP6 58

struct rule_info {
	const char *tag;
	enum gate_severity severity;
	const char *what;
	const char *hint;
};

static const struct rule_info RULES[GATE_RULE_COUNT] = {
	[GATE_SECOND_MAC] =
		{"second_mac", GATE_FAILURE, "Frames from a source MAC address other than the registered one",
		 "Only the registered router interface may send on the port: look for an intermediate switch or a second device, or register the MAC you use."},
	[GATE_VLAN_TAG] = {"vlan_tag", GATE_FAILURE,
			   "Frames with an 802.1Q tag that was not ordered (or without the ordered one)",
			   "Send untagged frames unless the config orders a VLAN, and then only that VLAN."},
	[GATE_ETHERTYPE] = {"ethertype", GATE_FAILURE,
			    "Frames of an ethertype other than IPv4, ARP or IPv6, or with 802.3/LLC framing",
			    "Only Ethernet II frames of ethertype 0x0800, 0x0806 and 0x86dd are allowed."},
	[GATE_STP] = {"stp", GATE_FAILURE, "Spanning tree BPDUs",
		      "Disable spanning tree on the interface towards the exchange."},
	[GATE_CDP] = {"cdp", GATE_FAILURE, "CDP (Cisco Discovery Protocol) frames",
		      "Disable CDP on the interface towards the exchange (no cdp enable)."},
	[GATE_LLDP] = {"lldp", GATE_FAILURE, "LLDP frames",
		       "Disable LLDP transmission on the interface towards the exchange."},
	[GATE_EDP] = {"edp", GATE_FAILURE, "EDP (Extreme Discovery Protocol) frames",
		      "Disable EDP on the port towards the exchange."},
	[GATE_VTP] = {"vtp", GATE_FAILURE, "VTP frames",
		      "Disable VTP (vtp mode off/transparent) on the link towards the exchange."},
	[GATE_DTP] = {"dtp", GATE_FAILURE, "DTP (trunk negotiation) frames",
		      "Disable trunk negotiation (switchport nonegotiate) on the port towards the exchange."},
	[GATE_UDLD] = {"udld", GATE_FAILURE, "UDLD frames", "Disable UDLD on the port towards the exchange."},
	[GATE_LINK_LOCAL] =
		{"link_local", GATE_FAILURE, "Frames of a link-local protocol (to a bridge-reserved group address)",
		 "Link-local protocols other than ARP and IPv6 ND are not allowed (LACP only on an ordered LAG)."},
	[GATE_L2_KEEPALIVE] = {"l2_keepalive", GATE_FAILURE, "Ethernet loopback keepalives (ethertype 0x9000)",
			       "Disable keepalives on the interface towards the exchange (no keepalive)."},
	[GATE_IGP] = {"igp", GATE_FAILURE, "Interior routing protocol packets (OSPF, EIGRP, IGRP, RIP or IS-IS)",
		      "BGP is the only routing protocol on the exchange: make the interface passive for every IGP."},
	[GATE_PIM] = {"pim", GATE_FAILURE, "PIM packets",
		      "Disable multicast routing (PIM) on the interface towards the exchange."},
	[GATE_IGMP] = {"igmp", GATE_FAILURE, "IGMP packets",
		       "Disable IGMP (and multicast routing) on the interface towards the exchange."},
	[GATE_DHCP] = {"dhcp", GATE_FAILURE, "DHCP or DHCPv6 packets",
		       "Configure the interface statically: no DHCP client, server or relay on it."},
	[GATE_TFTP] = {"tftp", GATE_FAILURE, "TFTP packets",
		       "Do not load configurations over TFTP through the exchange interface (no service config)."},
	[GATE_IPV6_RA] =
		{"ipv6_ra", GATE_FAILURE, "IPv6 router advertisements",
		 "Suppress router advertisements on the interface towards the exchange (ipv6 nd suppress-ra)."},
	[GATE_IPV6_RS] =
		{"ipv6_rs", GATE_FAILURE, "IPv6 router solicitations",
		 "The interface towards the exchange is a router's: no router solicitations (on Linux: forwarding on or accept_ra 0)."},
	[GATE_IPV6_REDIRECT] = {"ipv6_redirect", GATE_FAILURE, "ICMPv6 redirects",
				"Disable redirects on the interface towards the exchange (no ipv6 redirects)."},
	[GATE_MLD_QUERY] = {"mld_query", GATE_FAILURE, "MLD queries (the router acts as a multicast querier)",
			    "Disable MLD on the interface towards the exchange (no ipv6 mld router)."},
	[GATE_DIRECTED_BROADCAST] = {"directed_broadcast", GATE_FAILURE, "IPv4 packets to the LAN's broadcast address",
				     "Do not forward directed broadcasts to the exchange (no ip directed-broadcast)."},
	[GATE_NON_UNICAST] =
		{"non_unicast", GATE_FAILURE, "Broadcast or multicast frames other than ARP and IPv6 ND",
		 "Only broadcast ARP and multicast ICMPv6 ND are allowed; everything else must be unicast."},
	[GATE_PROXY_ARP] = {"proxy_arp", GATE_FAILURE, "Answers to ARP requests for addresses nobody holds (proxy ARP)",
			    "Answer ARP only for the interface's own address (no ip proxy-arp)."},
	[GATE_PROXY_ND] = {"proxy_nd", GATE_FAILURE,
			   "Answers to neighbour solicitations for addresses nobody holds (proxy ND)",
			   "Answer neighbour solicitations only for the interface's own addresses (no ND proxy)."},
	[GATE_INCOMPLETE] =
		{"incomplete", GATE_FAILURE,
		 "Frames the capture counted but could not classify (too many kinds of frames)",
		 "The gate cannot pass traffic it did not see: reduce what the interface sends and ask for a re-test."},
	[GATE_MLD] =
		{"mld", GATE_WARNING, "More MLD listener reports than a link-up sends",
		 "Tolerated, but consider disabling MLD on the interface towards the exchange (no ipv6 mld router)."},
	[GATE_SILENT] = {"silent", GATE_WARNING, "No frame at all during the capture",
			 "Is the interface up and configured? The gate passed on silence."},
};

const char *gate_rule_tag(enum gate_rule rule)
{
	return rule < GATE_RULE_COUNT ? RULES[rule].tag : "unknown";
}

/* ---- parsing ---- */

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly "hh:hh:hh:hh:hh:hh" (any case): the adapter's canonical spelling. */
static bool mac_parse_strict(const char *s, uint8_t out[6])
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hex_digit((unsigned char)s[3 * i]), lo = hex_digit((unsigned char)s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static void mac_text(const uint8_t m[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static struct problem *bad(const char *path, const char *field, const char *reason)
{
	char name[96];
	if (field)
		snprintf(name, sizeof(name), "%s%s%s", path, *path ? "." : "", field);
	else
		snprintf(name, sizeof(name), "%s", path);
	return problem_invalid(name, "Malformed capture report: %s", reason);
}

/* null/absent -> -1; else an integer in [min, max]. */
static struct problem *get_int(const json_t *j_obj, const char *path, const char *field, long long min, long long max,
			       bool nullable, long long *out)
{
	const json_t *v = json_object_get(j_obj, field);
	if (!v || json_is_null(v)) {
		if (!nullable)
			return bad(path, field, "required");
		*out = -1;
		return NULL;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		char reason[96];
		snprintf(reason, sizeof(reason), "must be %san integer from %lld to %lld", nullable ? "null or " : "",
			 min, max);
		return bad(path, field, reason);
	}
	*out = json_integer_value(v);
	return NULL;
}

/* null/absent -> -1; else "0x" and 1..digits hex digits. */
static struct problem *get_hex(const json_t *j_obj, const char *path, const char *field, int digits, int *out)
{
	const json_t *v = json_object_get(j_obj, field);
	if (!v || json_is_null(v)) {
		*out = -1;
		return NULL;
	}
	const char *s = json_string_value(v);
	size_t n = s ? strlen(s) : 0;
	if (!s || n < 3 || n > (size_t)digits + 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return bad(path, field,
			   digits == 2 ? "must be null or a byte as \"0x42\""
				       : "must be null or \"0x\" and up to four hex digits");
	int value = 0;
	for (size_t i = 2; i < n; i++) {
		int d = hex_digit((unsigned char)s[i]);
		if (d < 0)
			return bad(path, field, "must be hexadecimal");
		value = value << 4 | d;
	}
	*out = value;
	return NULL;
}

static struct problem *get_mac(const json_t *j_obj, const char *path, const char *field, uint8_t out[6])
{
	const char *s = json_string_value(json_object_get(j_obj, field));
	if (!s || !mac_parse_strict(s, out))
		return bad(path, field, "must be a MAC address as \"02:00:00:00:00:01\"");
	return NULL;
}

static struct problem *parse_class(const json_t *j, const char *path, struct gate_class *c)
{
	struct problem *p = NULL;
	long long v;
	if (!json_is_object(j))
		return bad(path, NULL, "a class must be an object");
	if ((p = get_mac(j, path, "src_mac", c->src)) || (p = get_mac(j, path, "dst_mac", c->dst)))
		return p;
	const char *framing = json_string_value(json_object_get(j, "framing"));
	if (framing && strcmp(framing, "ethernet2") == 0)
		c->framing = GATE_FRAMING_ETHERNET2;
	else if (framing && strcmp(framing, "llc") == 0)
		c->framing = GATE_FRAMING_LLC;
	else if (framing && strcmp(framing, "snap") == 0)
		c->framing = GATE_FRAMING_SNAP;
	else
		return bad(path, "framing", "must be \"ethernet2\", \"llc\" or \"snap\"");
	if ((p = get_hex(j, path, "ethertype", 4, &c->ethertype)) ||
	    (p = get_hex(j, path, "llc_dsap", 2, &c->llc_dsap)))
		return p;
	if (c->framing == GATE_FRAMING_ETHERNET2 && c->ethertype < 0)
		return bad(path, "ethertype", "required with ethernet2 framing");
	if (c->framing == GATE_FRAMING_ETHERNET2 && c->llc_dsap >= 0)
		return bad(path, "llc_dsap", "must be null with ethernet2 framing");
	if (c->framing == GATE_FRAMING_LLC && c->ethertype >= 0)
		return bad(path, "ethertype", "must be null with llc framing");
	static const struct {
		const char *name;
		long long max;
		size_t offset;
	} ints[] = {
		{"vlan", 4095, offsetof(struct gate_class, vlan)},
		{"ip_proto", 255, offsetof(struct gate_class, ip_proto)},
		{"icmp6_type", 255, offsetof(struct gate_class, icmp6_type)},
		{"udp_dport", 65535, offsetof(struct gate_class, udp_dport)},
		{"arp_op", 65535, offsetof(struct gate_class, arp_op)},
	};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if ((p = get_int(j, path, ints[i].name, 0, ints[i].max, true, &v)))
			return p;
		*(int *)((char *)c + ints[i].offset) = (int)v;
	}
	if ((p = get_int(j, path, "count", 1, INT64_MAX, false, &v)))
		return p;
	c->count = (uint64_t)v;
	const char *hex = json_string_value(json_object_get(j, "example"));
	size_t n = hex ? strlen(hex) : 0;
	if (!hex || n % 2 != 0 || n > 2 * GATE_EXAMPLE_MAX)
		return bad(path, "example", "must be the hex of at most 128 bytes");
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit((unsigned char)hex[i]), lo = hex_digit((unsigned char)hex[i + 1]);
		if (hi < 0 || lo < 0)
			return bad(path, "example", "must be hexadecimal");
		c->example[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	c->example_len = n / 2;
	return NULL;
}

static struct problem *parse_answer(const json_t *j, const char *path, struct gate_answer *a)
{
	if (!json_is_object(j))
		return bad(path, NULL, "a probe answer must be an object");
	const char *probe = json_string_value(json_object_get(j, "probe"));
	if (!probe || (strcmp(probe, "arp") != 0 && strcmp(probe, "nd") != 0))
		return bad(path, "probe", "must be \"arp\" or \"nd\"");
	a->is_nd = strcmp(probe, "nd") == 0;
	const char *target = json_string_value(json_object_get(j, "target"));
	if (!target || strlen(target) >= sizeof(a->target_text) ||
	    inet_pton(a->is_nd ? AF_INET6 : AF_INET, target, a->target) != 1)
		return bad(path, "target", a->is_nd ? "must be an IPv6 address" : "must be an IPv4 address");
	snprintf(a->target_text, sizeof(a->target_text), "%s", target);
	return get_mac(j, path, "from_mac", a->from_mac);
}

void gate_report_free(struct gate_report *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->port);
	free(r->classes);
	free(r->answers);
	free(r);
}

struct problem *gate_report_parse(const json_t *j, struct gate_report **out)
{
	struct problem *p = NULL;
	struct gate_report *r = xcalloc(1, sizeof(*r));
	long long v;
	char path[64];
	if (!json_is_object(j)) {
		p = bad("", "report", "must be a JSON object");
		goto out;
	}
	const char *state = json_string_value(json_object_get(j, "state"));
	if (!state || strcmp(state, "done") != 0) {
		p = bad("", "state", "the capture is not done: a running capture has no report");
		goto out;
	}
	const char *id = json_string_value(json_object_get(j, "id"));
	const char *port = json_string_value(json_object_get(j, "port"));
	if (!id || !*id || strlen(id) > 128) {
		p = bad("", "id", "must be a string of 1 to 128 characters");
		goto out;
	}
	if (!port || !*port || strlen(port) > 128) {
		p = bad("", "port", "must be a string of 1 to 128 characters");
		goto out;
	}
	r->id = xstrdup(id);
	r->port = xstrdup(port);
	if ((p = get_int(j, "", "seconds", 1, 60, false, &v)))
		goto out;
	r->seconds = (int)v;
	if ((p = get_int(j, "", "frames", 0, INT64_MAX, false, &v)))
		goto out;
	r->frames = (uint64_t)v;
	const json_t *j_classes = json_object_get(j, "classes");
	if (!json_is_array(j_classes) || json_array_size(j_classes) > GATE_MAX_CLASSES) {
		p = bad("", "classes", "must be an array of at most 4096 classes");
		goto out;
	}
	r->n_classes = json_array_size(j_classes);
	r->classes = xcalloc(r->n_classes ? r->n_classes : 1, sizeof(*r->classes));
	uint64_t counted = 0;
	for (size_t i = 0; i < r->n_classes; i++) {
		snprintf(path, sizeof(path), "classes[%zu]", i);
		if ((p = parse_class(json_array_get(j_classes, i), path, &r->classes[i])))
			goto out;
		if (r->classes[i].count > r->frames - counted) {
			p = bad("", "frames", "the classes count more frames than the report");
			goto out;
		}
		counted += r->classes[i].count;
	}
	const json_t *j_answers = json_object_get(j, "probe_answers");
	if (!json_is_array(j_answers) || json_array_size(j_answers) > GATE_MAX_ANSWERS) {
		p = bad("", "probe_answers", "must be an array of at most 256 answers");
		goto out;
	}
	r->n_answers = json_array_size(j_answers);
	r->answers = xcalloc(r->n_answers ? r->n_answers : 1, sizeof(*r->answers));
	for (size_t i = 0; i < r->n_answers; i++) {
		snprintf(path, sizeof(path), "probe_answers[%zu]", i);
		if ((p = parse_answer(json_array_get(j_answers, i), path, &r->answers[i])))
			goto out;
	}
out:
	if (p) {
		gate_report_free(r);
		return p;
	}
	*out = r;
	return NULL;
}

struct problem *gate_report_parse_text(const char *text, size_t len, struct gate_report **out)
{
	if (len > GATE_MAX_REPORT_BYTES)
		return bad("", "report", "larger than 4 MiB");
	json_error_t err;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		return problem_invalid("report", "Malformed capture report: not JSON (%s)", err.text);
	struct problem *p = gate_report_parse(j, out);
	json_decref(j);
	return p;
}

bool gate_prefix_parse(const char *text, struct gate_prefix *out)
{
	char buf[64];
	if (!text || strlen(text) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", text);
	struct gate_prefix g = {0};
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, g.addr) == 1)
		g.family = 4;
	else if (inet_pton(AF_INET6, buf, g.addr) == 1)
		g.family = 6;
	else
		return false;
	int max = g.family == 4 ? 32 : 128;
	g.len = max;
	if (slash) {
		long long len;
		if (!util_parse_ll(slash + 1, 0, max, &len))
			return false;
		g.len = (int)len;
	}
	*out = g;
	return true;
}

/* ---- judging ---- */

static bool is_broadcast(const uint8_t m[6])
{
	static const uint8_t all[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	return memcmp(m, all, 6) == 0;
}

static bool is_multicast(const uint8_t m[6])
{
	return m[0] & 1;
}

/* IPv6 multicast MACs: 33:33:xx:xx:xx:xx. */
static bool is_ipv6_multicast(const uint8_t m[6])
{
	return m[0] == 0x33 && m[1] == 0x33;
}

/* Group addresses bridges keep to the link: IEEE 802.1D reserved
 * 01:80:c2:00:00:00-0f, Cisco's 01:00:0c:cc:cc:cc/cd, Extreme's EDP. */
static bool is_link_local_group(const uint8_t m[6])
{
	static const uint8_t ieee[5] = {0x01, 0x80, 0xc2, 0x00, 0x00};
	static const uint8_t cisco[5] = {0x01, 0x00, 0x0c, 0xcc, 0xcc};
	static const uint8_t extreme[6] = {0x00, 0xe0, 0x2b, 0x00, 0x00, 0x00};
	return (memcmp(m, ieee, 5) == 0 && m[5] <= 0x0f) || (memcmp(m, cisco, 5) == 0 && (m[5] & 0xfe) == 0xcc) ||
	       memcmp(m, extreme, 6) == 0;
}

/* The IPv4 destination of an example frame (after at most one 802.1Q tag). */
static bool example_ipv4_dst(const struct gate_class *c, uint8_t dst[4])
{
	size_t off = 12;
	if (c->example_len >= 18 && c->example[12] == 0x81 && c->example[13] == 0x00)
		off += 4;
	if (c->example_len < off + 2 + 20 || c->example[off] != 0x08 || c->example[off + 1] != 0x00)
		return false;
	memcpy(dst, c->example + off + 2 + 16, 4);
	return true;
}

static bool is_lan_broadcast(const struct gate_class *c, const struct gate_context *ctx)
{
	uint8_t dst[4];
	if (ctx->lan_v4.family != 4 || ctx->lan_v4.len > 30 || !example_ipv4_dst(c, dst))
		return false;
	uint32_t net, ip;
	memcpy(&net, ctx->lan_v4.addr, 4);
	memcpy(&ip, dst, 4);
	uint32_t host_mask = ctx->lan_v4.len == 0 ? 0xffffffffu : (1u << (32 - ctx->lan_v4.len)) - 1;
	return (ntohl(net) | host_mask) == ntohl(ip);
}

/* What a class's content breaks, or -1 when it is allowed. MLD reports
 * come back as GATE_MLD (counted against the tolerance). */
static int content_rule(const struct gate_class *c, const struct gate_context *ctx)
{
	bool unicast = !is_multicast(c->dst);
	if (c->framing == GATE_FRAMING_LLC) {
		if (c->llc_dsap == 0x42)
			return GATE_STP;
		if (c->llc_dsap == 0xfe)
			return GATE_IGP; /* IS-IS */
		return is_link_local_group(c->dst) ? GATE_LINK_LOCAL : GATE_ETHERTYPE;
	}
	if (c->framing == GATE_FRAMING_SNAP) {
		switch (c->ethertype) {
		case 0x2000:
			return GATE_CDP;
		case 0x00bb:
			return GATE_EDP;
		case 0x2003:
			return GATE_VTP;
		case 0x2004:
			return GATE_DTP;
		case 0x0111:
			return GATE_UDLD;
		case 0x010b:
			return GATE_STP; /* PVST+ */
		default:
			return is_link_local_group(c->dst) ? GATE_LINK_LOCAL : GATE_ETHERTYPE;
		}
	}
	switch (c->ethertype) {
	case 0x88cc:
		return GATE_LLDP;
	case 0x9000:
		return GATE_L2_KEEPALIVE;
	case 0x8100:
	case 0x88a8:
	case 0x9100:
		return GATE_VLAN_TAG; /* a second (or S-) tag inside */
	case ETH_ARP:
		return unicast || is_broadcast(c->dst) ? -1 : GATE_NON_UNICAST;
	case ETH_IPV4:
		switch (c->ip_proto) {
		case 89: /* OSPF */
		case 88: /* EIGRP */
		case 9:  /* IGRP */
			return GATE_IGP;
		case 103:
			return GATE_PIM;
		case 2:
			return GATE_IGMP;
		case PROTO_UDP:
			if (c->udp_dport == 520)
				return GATE_IGP; /* RIP */
			if (c->udp_dport == 67 || c->udp_dport == 68)
				return GATE_DHCP;
			if (c->udp_dport == 69)
				return GATE_TFTP;
			break;
		default:
			break;
		}
		if (is_lan_broadcast(c, ctx))
			return GATE_DIRECTED_BROADCAST;
		return unicast ? -1 : GATE_NON_UNICAST;
	case ETH_IPV6:
		switch (c->ip_proto) {
		case 89: /* OSPFv3 */
		case 88: /* EIGRP */
			return GATE_IGP;
		case 103:
			return GATE_PIM;
		case PROTO_UDP:
			if (c->udp_dport == 521)
				return GATE_IGP; /* RIPng */
			if (c->udp_dport == 546 || c->udp_dport == 547)
				return GATE_DHCP;
			if (c->udp_dport == 69)
				return GATE_TFTP;
			break;
		case PROTO_ICMP6:
			switch (c->icmp6_type) {
			case 133:
				return GATE_IPV6_RS;
			case 134:
				return GATE_IPV6_RA;
			case 137:
				return GATE_IPV6_REDIRECT;
			case 130:
				return GATE_MLD_QUERY;
			case 131: /* MLDv1 report */
			case 132: /* MLDv1 done */
			case 143: /* MLDv2 report */
				return unicast || is_ipv6_multicast(c->dst) ? GATE_MLD : GATE_NON_UNICAST;
			case 135: /* neighbour solicitation */
			case 136: /* neighbour advertisement */
				return unicast || is_ipv6_multicast(c->dst) ? -1 : GATE_NON_UNICAST;
			default:
				break;
			}
			break;
		default:
			break;
		}
		return unicast ? -1 : GATE_NON_UNICAST;
	default:
		return is_link_local_group(c->dst) ? GATE_LINK_LOCAL : GATE_ETHERTYPE;
	}
}

struct tally {
	uint64_t frames;
	bool hit;
	const struct gate_class *example;
	char details[GATE_MAX_DETAILS][72];
	size_t n_details;
};

static void tally_add(struct tally *t, uint64_t frames, const struct gate_class *example, const char *detail)
{
	t->hit = true;
	t->frames = frames > UINT64_MAX - t->frames ? UINT64_MAX : t->frames + frames;
	if (!t->example && example)
		t->example = example;
	if (!detail)
		return;
	for (size_t i = 0; i < t->n_details; i++)
		if (strcmp(t->details[i], detail) == 0)
			return;
	if (t->n_details < GATE_MAX_DETAILS)
		snprintf(t->details[t->n_details++], sizeof(t->details[0]), "%s", detail);
}

/* What a class is, in a few words, for the `seen` list. */
static void class_detail(const struct gate_class *c, int rule, char *out, size_t len)
{
	char src[18];
	mac_text(c->src, src);
	if (rule == GATE_SECOND_MAC) {
		snprintf(out, len, "%s", src);
	} else if (rule == GATE_VLAN_TAG) {
		if (c->vlan >= 0)
			snprintf(out, len, "vlan %d", c->vlan);
		else if (c->framing == GATE_FRAMING_ETHERNET2 && c->ethertype >= 0 && c->ethertype != ETH_IPV4 &&
			 c->ethertype != ETH_IPV6 && c->ethertype != ETH_ARP)
			snprintf(out, len, "inner ethertype 0x%04x", (unsigned)c->ethertype);
		else
			snprintf(out, len, "untagged");
	} else if (c->framing == GATE_FRAMING_LLC) {
		snprintf(out, len, "llc dsap 0x%02x", (unsigned)(c->llc_dsap < 0 ? 0 : c->llc_dsap));
	} else if (c->framing == GATE_FRAMING_SNAP) {
		snprintf(out, len, "snap 0x%04x", (unsigned)(c->ethertype < 0 ? 0 : c->ethertype));
	} else if (c->icmp6_type >= 0) {
		snprintf(out, len, "icmpv6 type %d", c->icmp6_type);
	} else if (c->udp_dport >= 0) {
		snprintf(out, len, "udp port %d", c->udp_dport);
	} else if (c->ip_proto >= 0) {
		snprintf(out, len, "ip protocol %d", c->ip_proto);
	} else {
		snprintf(out, len, "ethertype 0x%04x", (unsigned)(c->ethertype < 0 ? 0 : c->ethertype));
	}
}

static bool own_address(const struct gate_context *ctx, const struct gate_answer *a)
{
	for (size_t i = 0; i < ctx->n_own; i++) {
		const struct gate_prefix *o = &ctx->own[i];
		if (o->family == (a->is_nd ? 6 : 4) && memcmp(o->addr, a->target, a->is_nd ? 16 : 4) == 0)
			return true;
	}
	return false;
}

static bool registered(const struct gate_context *ctx, const uint8_t m[6])
{
	char text[18];
	mac_text(m, text);
	for (size_t i = 0; i < ctx->n_macs; i++) {
		char canon[18];
		if (mac_normalise(ctx->macs[i], canon) == MAC_OK && strcmp(canon, text) == 0)
			return true;
	}
	return false;
}

/* The registered source that sent the most frames (the first on a tie),
 * or NULL when no registered MAC sent anything. */
static const uint8_t *primary_source(const struct gate_report *r, const struct gate_context *ctx)
{
	const uint8_t *best = NULL;
	uint64_t best_frames = 0;
	for (size_t i = 0; i < r->n_classes; i++) {
		const uint8_t *src = r->classes[i].src;
		if (!registered(ctx, src))
			continue;
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = memcmp(r->classes[k].src, src, 6) == 0;
		if (seen)
			continue;
		uint64_t frames = 0;
		for (size_t k = i; k < r->n_classes; k++)
			if (memcmp(r->classes[k].src, src, 6) == 0)
				frames += r->classes[k].count;
		if (!best || frames > best_frames) {
			best = src;
			best_frames = frames;
		}
	}
	return best;
}

static void hex_of(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	out[2 * n] = '\0';
}

/* The message: what, how many, what was seen, how to fix it. Built in a
 * growing buffer; every part is bounded, so it fits `message` (the IX-API
 * status message's 1,000 characters), and is cut there if it ever did not. */
static void describe(struct gate_violation *v)
{
	const struct rule_info *info = &RULES[v->rule];
	struct strbuf b = {0};
	strbuf_puts(&b, info->what);
	if (v->rule != GATE_SILENT) {
		char count[48];
		snprintf(count, sizeof(count), ": %" PRIu64 " %s%s", v->frames,
			 v->rule == GATE_PROXY_ARP || v->rule == GATE_PROXY_ND ? "answer" : "frame",
			 v->frames == 1 ? "" : "s");
		strbuf_puts(&b, count);
		for (size_t i = 0; i < v->n_details; i++) {
			strbuf_puts(&b, i ? ", " : " (");
			strbuf_puts(&b, v->details[i]);
		}
		if (v->n_details)
			strbuf_puts(&b, ")");
	}
	strbuf_puts(&b, ". ");
	strbuf_puts(&b, info->hint);
	size_t n = b.len < sizeof(v->message) - 1 ? b.len : sizeof(v->message) - 1;
	memcpy(v->message, b.text, n);
	v->message[n] = '\0';
	free(b.text);
}

void gate_judge(const struct gate_report *r, const struct gate_context *ctx, struct gate_verdict *out)
{
	struct tally tallies[GATE_RULE_COUNT];
	memset(tallies, 0, sizeof(tallies));
	memset(out, 0, sizeof(*out));
	out->frames = r->frames;
	out->seconds = r->seconds;
	const uint8_t *primary = primary_source(r, ctx);
	uint64_t classified = 0;
	char detail[72];
	for (size_t i = 0; i < r->n_classes; i++) {
		const struct gate_class *c = &r->classes[i];
		classified += c->count;
		/* The orthogonal rules: who sent it, and its tag. */
		if (!primary || memcmp(c->src, primary, 6) != 0) {
			class_detail(c, GATE_SECOND_MAC, detail, sizeof(detail));
			tally_add(&tallies[GATE_SECOND_MAC], c->count, c, detail);
		}
		bool tag_ok = ctx->tagged ? c->vlan == ctx->vlan : c->vlan < 0;
		if (!tag_ok) {
			class_detail(c, GATE_VLAN_TAG, detail, sizeof(detail));
			tally_add(&tallies[GATE_VLAN_TAG], c->count, c, detail);
		}
		/* What it is: one rule, the most specific. */
		int rule = content_rule(c, ctx);
		if (rule < 0)
			continue;
		class_detail(c, rule, detail, sizeof(detail));
		tally_add(&tallies[rule], c->count, c, detail);
	}
	for (size_t i = 0; i < r->n_answers; i++) {
		const struct gate_answer *a = &r->answers[i];
		if (own_address(ctx, a))
			continue;
		const struct gate_class *example = NULL;
		for (size_t k = 0; k < r->n_classes && !example; k++) {
			const struct gate_class *c = &r->classes[k];
			if (memcmp(c->src, a->from_mac, 6) == 0 &&
			    (a->is_nd ? c->icmp6_type == 136 : c->ethertype == ETH_ARP && c->arp_op == 2))
				example = c;
		}
		char mac[18];
		mac_text(a->from_mac, mac);
		snprintf(detail, sizeof(detail), "%s by %s", a->target_text, mac);
		tally_add(&tallies[a->is_nd ? GATE_PROXY_ND : GATE_PROXY_ARP], 1, example, detail);
	}
	if (classified < r->frames)
		tally_add(&tallies[GATE_INCOMPLETE], r->frames - classified, NULL, NULL);
	if (tallies[GATE_MLD].frames <= GATE_MLD_TOLERATED_FRAMES)
		tallies[GATE_MLD].hit = false;
	if (r->frames == 0)
		tally_add(&tallies[GATE_SILENT], 0, NULL, NULL);

	out->passed = true;
	for (int rule = 0; rule < GATE_RULE_COUNT; rule++) {
		const struct tally *t = &tallies[rule];
		if (!t->hit)
			continue;
		struct gate_violation *v = &out->violations[out->n++];
		v->rule = (enum gate_rule)rule;
		v->severity = RULES[rule].severity;
		v->frames = t->frames;
		if (t->example)
			hex_of(t->example->example, t->example->example_len, v->example);
		memcpy(v->details, t->details, sizeof(v->details));
		v->n_details = t->n_details;
		describe(v);
		if (v->severity == GATE_FAILURE)
			out->passed = false;
	}
}

const struct gate_violation *gate_verdict_find(const struct gate_verdict *v, enum gate_rule rule)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->violations[i].rule == rule)
			return &v->violations[i];
	return NULL;
}

/* IX-API status severities are syslog's. */
#define SEVERITY_ERROR   3
#define SEVERITY_WARNING 4
#define SEVERITY_INFO    6

json_t *gate_status_entries(const struct gate_verdict *v, const char *capture_id)
{
	json_t *j_entries = json_array();
	char tag[64];
	size_t warnings = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct gate_violation *x = &v->violations[i];
		warnings += x->severity == GATE_WARNING;
		json_t *j_seen = json_array();
		for (size_t k = 0; k < x->n_details; k++)
			json_array_append_new(j_seen, json_string(x->details[k]));
		json_t *j_attrs = json_pack("{s:s, s:I, s:s, s:o}", "rule", gate_rule_tag(x->rule), "frames",
					    (json_int_t)(x->frames > INT64_MAX ? INT64_MAX : x->frames), "example",
					    x->example, "seen", j_seen);
		if (capture_id)
			json_object_set_new(j_attrs, "capture", json_string(capture_id));
		snprintf(tag, sizeof(tag), "quarantine.%s", gate_rule_tag(x->rule));
		json_array_append_new(j_entries,
				      json_pack("{s:i, s:s, s:s, s:o}", "severity",
						x->severity == GATE_FAILURE ? SEVERITY_ERROR : SEVERITY_WARNING, "tag",
						tag, "message", x->message, "attrs", j_attrs));
	}
	if (v->passed) {
		char message[256];
		snprintf(message, sizeof(message),
			 "Quarantine test passed: %" PRIu64
			 " frames in %d s, only allowed traffic from the registered MAC%s.",
			 v->frames, v->seconds, warnings ? " (see the warnings)" : "");
		json_t *j_attrs = json_pack("{s:I, s:i, s:I}", "frames",
					    (json_int_t)(v->frames > INT64_MAX ? INT64_MAX : v->frames), "seconds",
					    v->seconds, "warnings", (json_int_t)warnings);
		if (capture_id)
			json_object_set_new(j_attrs, "capture", json_string(capture_id));
		json_array_append_new(j_entries, json_pack("{s:i, s:s, s:s, s:o}", "severity", SEVERITY_INFO, "tag",
							   "quarantine.passed", "message", message, "attrs", j_attrs));
	}
	return j_entries;
}

json_t *gate_unusable_entries(const char *reason, const char *capture_id)
{
	char message[1000];
	snprintf(message, sizeof(message),
		 "The switch adapter's capture report was unusable (%.600s): nothing was judged and the config stays "
		 "in testing. Ask for a re-test (POST /network-service-configs/{id}/quarantine-test), which captures "
		 "afresh; if it happens again, the exchange's switch adapter is at fault: tell the exchange.",
		 reason ? reason : "no reason given");
	json_t *j_attrs = json_pack("{s:s, s:s}", "rule", GATE_UNUSABLE_RULE, "reason", reason ? reason : "");
	if (capture_id)
		json_object_set_new(j_attrs, "capture", json_string(capture_id));
	return json_pack("[{s:i, s:s, s:s, s:o}]", "severity", SEVERITY_ERROR, "tag", GATE_UNUSABLE_TAG, "message",
			 message, "attrs", j_attrs);
}
