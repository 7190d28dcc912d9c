/*
 * Captures and probes with libpcap (see sw_capture.h). The pcap handle is
 * opened in the request (so a missing port is the caller's 503 at once) and
 * read on the capture's thread until the window closes. The capture table is
 * shared between the HTTP thread and capture threads: one mutex guards it.
 */
#include "adapters/switch/sw_capture.h"

#include "core/log.h"
#include "core/mac.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct capture {
	bool is_used, is_done, is_joined;
	long long number; /* the id is "c-<number>" */
	struct sw_capture_request req;
	pcap_t *pcap;
	pthread_t thread;
	struct sw_report *report; /* owned */
	char error[256];          /* set when the capture failed part way */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct capture captures[SW_CAPTURE_KEEP];
static long long next_number = 1;
static volatile bool is_stopping;

static struct problem *parse_addresses(json_t *j_list, const char *property, int family, void *out, size_t size,
				       size_t *n)
{
	if (!j_list || json_is_null(j_list)) {
		*n = 0;
		return NULL;
	}
	if (!json_is_array(j_list) || json_array_size(j_list) > SW_REPORT_MAX_PROBES)
		return problem_invalid(property, "must be a list of at most %d addresses", SW_REPORT_MAX_PROBES);
	size_t i;
	json_t *j;
	json_array_foreach (j_list, i, j) {
		const char *s = json_string_value(j);
		if (!s || inet_pton(family, s, (char *)out + i * size) != 1)
			return problem_invalid(property, "item %zu is not an IPv%d address", i,
					       family == AF_INET ? 4 : 6);
	}
	*n = json_array_size(j_list);
	return NULL;
}

static bool only_keys(json_t *j_obj, const char *const *keys, size_t n, const char **bad)
{
	const char *k;
	json_t *v;
	json_object_foreach (j_obj, k, v) {
		bool known = false;
		for (size_t i = 0; i < n; i++)
			known = known || strcmp(k, keys[i]) == 0;
		if (!known) {
			*bad = k;
			return false;
		}
	}
	return true;
}

/* A unicast MAC in the canonical spelling (lower case with colons). */
static int parse_mac(const char *s, uint8_t mac[6])
{
	char canonical[18];
	unsigned b[6];
	if (!s || mac_normalise(s, canonical) != MAC_OK || strcmp(canonical, s) != 0 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

struct problem *sw_capture_parse(json_t *j_body, struct sw_capture_request *req)
{
	static const char *const top[] = {"seconds", "probes", "probe_source"};
	static const char *const probes[] = {"arp", "nd"};
	static const char *const source[] = {"mac", "ipv4", "ipv6"};
	const char *bad;
	struct problem *p;
	if (!json_is_object(j_body))
		return problem_new(PROBLEM_VALIDATION, "the body must be a JSON object");
	if (!only_keys(j_body, top, 3, &bad))
		return problem_invalid(bad, "is not a property of a capture");
	json_t *j_seconds = json_object_get(j_body, "seconds");
	if (!json_is_integer(j_seconds) || json_integer_value(j_seconds) < 1 ||
	    json_integer_value(j_seconds) > SW_CAPTURE_MAX_SECONDS)
		return problem_invalid("seconds", "must be a whole number from 1 to %d", SW_CAPTURE_MAX_SECONDS);
	req->seconds = (int)json_integer_value(j_seconds);
	json_t *j_probes = json_object_get(j_body, "probes");
	if (j_probes && !json_is_null(j_probes)) {
		if (!json_is_object(j_probes))
			return problem_invalid("probes", "must be an object");
		if (!only_keys(j_probes, probes, 2, &bad))
			return problem_invalid("probes", "has no property %s", bad);
		p = parse_addresses(json_object_get(j_probes, "arp"), "probes.arp", AF_INET, req->arp,
				    sizeof(req->arp[0]), &req->n_arp);
		if (p)
			return p;
		p = parse_addresses(json_object_get(j_probes, "nd"), "probes.nd", AF_INET6, req->nd, sizeof(req->nd[0]),
				    &req->n_nd);
		if (p)
			return p;
	}
	if (req->n_arp + req->n_nd == 0)
		return NULL;
	json_t *j_src = json_object_get(j_body, "probe_source");
	if (!json_is_object(j_src))
		return problem_invalid("probe_source", "is required with probes");
	if (!only_keys(j_src, source, 3, &bad))
		return problem_invalid("probe_source", "has no property %s", bad);
	if (parse_mac(json_string_value(json_object_get(j_src, "mac")), req->src_mac) != 0)
		return problem_invalid("probe_source.mac", "must be a MAC address, lower case with colons");
	const char *v4 = json_string_value(json_object_get(j_src, "ipv4"));
	if (req->n_arp > 0 && (!v4 || inet_pton(AF_INET, v4, &req->src_ipv4) != 1))
		return problem_invalid("probe_source.ipv4", "must be an IPv4 address when ARP probes are asked for");
	const char *v6 = json_string_value(json_object_get(j_src, "ipv6"));
	if (req->n_nd > 0 && (!v6 || inet_pton(AF_INET6, v6, &req->src_ipv6) != 1))
		return problem_invalid("probe_source.ipv6", "must be an IPv6 address when ND probes are asked for");
	return NULL;
}

static void send_arp_probe(pcap_t *pcap, const struct sw_capture_request *req, const struct in_addr *target)
{
	uint8_t f[60] = {0};
	memset(f, 0xff, 6);
	memcpy(f + 6, req->src_mac, 6);
	f[12] = 0x08, f[13] = 0x06;
	uint8_t *a = f + 14;
	a[1] = 1;                 /* Ethernet */
	a[2] = 0x08, a[3] = 0x00; /* IPv4 */
	a[4] = 6, a[5] = 4;
	a[7] = 1; /* request */
	memcpy(a + 8, req->src_mac, 6);
	memcpy(a + 14, &req->src_ipv4, 4);
	memcpy(a + 24, target, 4);
	if (pcap_inject(pcap, f, sizeof(f)) < 0)
		LOG_WARN("port %s: ARP probe not sent: %s", req->port, pcap_geterr(pcap));
}

static uint16_t icmp6_checksum(const struct in6_addr *src, const struct in6_addr *dst, const uint8_t *icmp, size_t len)
{
	uint32_t sum = 0;
	for (int i = 0; i < 16; i += 2) {
		sum += (uint32_t)(src->s6_addr[i] << 8 | src->s6_addr[i + 1]);
		sum += (uint32_t)(dst->s6_addr[i] << 8 | dst->s6_addr[i + 1]);
	}
	sum += (uint32_t)len + 58;
	for (size_t i = 0; i < len; i += 2)
		sum += (uint32_t)(icmp[i] << 8 | (i + 1 < len ? icmp[i + 1] : 0));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void send_nd_probe(pcap_t *pcap, const struct sw_capture_request *req, const struct in6_addr *target)
{
	uint8_t f[14 + 40 + 32] = {0};
	struct in6_addr dst = {.s6_addr = {0xff, 0x02, [11] = 0x01, [12] = 0xff}}; /* solicited-node group */
	memcpy(dst.s6_addr + 13, target->s6_addr + 13, 3);
	f[0] = 0x33, f[1] = 0x33;
	memcpy(f + 2, dst.s6_addr + 12, 4);
	memcpy(f + 6, req->src_mac, 6);
	f[12] = 0x86, f[13] = 0xdd;
	uint8_t *ip = f + 14;
	ip[0] = 0x60;
	ip[5] = 32;  /* payload length */
	ip[6] = 58;  /* ICMPv6 */
	ip[7] = 255; /* hop limit */
	memcpy(ip + 8, &req->src_ipv6, 16);
	memcpy(ip + 24, &dst, 16);
	uint8_t *icmp = ip + 40;
	icmp[0] = 135; /* neighbour solicitation */
	memcpy(icmp + 8, target, 16);
	icmp[24] = 1; /* source link-layer address option */
	icmp[25] = 1;
	memcpy(icmp + 26, req->src_mac, 6);
	uint16_t sum = icmp6_checksum(&req->src_ipv6, &dst, icmp, 32);
	icmp[2] = (uint8_t)(sum >> 8), icmp[3] = (uint8_t)sum;
	if (pcap_inject(pcap, f, sizeof(f)) < 0)
		LOG_WARN("port %s: ND probe not sent: %s", req->port, pcap_geterr(pcap));
}

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)user;
	pthread_mutex_lock(&lock);
	sw_report_add(c->report, bytes, h->caplen);
	pthread_mutex_unlock(&lock);
}

static void *capture_thread(void *arg)
{
	struct capture *c = arg;
	for (size_t i = 0; i < c->req.n_arp; i++)
		send_arp_probe(c->pcap, &c->req, &c->req.arp[i]);
	for (size_t i = 0; i < c->req.n_nd; i++)
		send_nd_probe(c->pcap, &c->req, &c->req.nd[i]);
	long long deadline = util_now_us() + (long long)c->req.seconds * 1000000;
	struct pollfd pfd = {.fd = pcap_get_selectable_fd(c->pcap), .events = POLLIN};
	while (!is_stopping) {
		long long left_ms = (deadline - util_now_us()) / 1000;
		if (left_ms <= 0)
			break;
		int n = poll(&pfd, 1, left_ms < 100 ? (int)left_ms : 100);
		if (n < 0)
			continue;
		if (pcap_dispatch(c->pcap, -1, on_frame, (u_char *)c) < 0) {
			pthread_mutex_lock(&lock);
			snprintf(c->error, sizeof(c->error), "capture failed: %s", pcap_geterr(c->pcap));
			pthread_mutex_unlock(&lock);
			break;
		}
	}
	pcap_close(c->pcap);
	pthread_mutex_lock(&lock);
	c->pcap = NULL;
	c->is_done = true;
	pthread_mutex_unlock(&lock);
	LOG_INFO("capture c-%lld on %s done: %lld frames", c->number, c->req.port, c->report->frames);
	return NULL;
}

/* Opens a pcap handle on the port for frames coming in from the member. */
static pcap_t *open_port(const char *port, char *err, size_t err_len)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(port, errbuf);
	if (!p) {
		snprintf(err, err_len, "%s", errbuf);
		return NULL;
	}
	if (pcap_set_snaplen(p, 256) != 0 || pcap_set_immediate_mode(p, 1) != 0 || pcap_set_timeout(p, 100) != 0 ||
	    pcap_activate(p) < 0 || pcap_setdirection(p, PCAP_D_IN) != 0 || pcap_setnonblock(p, 1, errbuf) != 0) {
		snprintf(err, err_len, "%s", pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	return p;
}

static void reap_locked(struct capture *c)
{
	if (c->is_used && c->is_done && !c->is_joined) {
		pthread_join(c->thread, NULL);
		c->is_joined = true;
	}
}

struct problem *sw_capture_start(const struct sw_capture_request *req, json_t **j_out)
{
	struct problem *p = NULL;
	pthread_mutex_lock(&lock);
	struct capture *slot = NULL;
	for (size_t i = 0; i < SW_CAPTURE_KEEP; i++) {
		struct capture *c = &captures[i];
		reap_locked(c);
		if (c->is_used && !c->is_done && strcmp(c->req.port, req->port) == 0) {
			p = problem_new(PROBLEM_CONFLICT, "capture c-%lld is running on port %s", c->number, req->port);
			goto out;
		}
		/* A free slot, else the oldest finished capture's. */
		if (!c->is_used) {
			if (!slot || slot->is_used)
				slot = c;
		} else if (c->is_joined && (!slot || (slot->is_used && c->number < slot->number))) {
			slot = c;
		}
	}
	if (!slot) {
		p = problem_new(PROBLEM_UNAVAILABLE, "%d captures are running; try again when one is done",
				SW_CAPTURE_KEEP);
		goto out;
	}
	char err[PCAP_ERRBUF_SIZE + 64];
	pcap_t *pcap = open_port(req->port, err, sizeof(err));
	if (!pcap) {
		p = problem_new(PROBLEM_UNAVAILABLE, "port %s cannot be captured on: %s", req->port, err);
		goto out;
	}
	free(slot->report);
	*slot = (struct capture){.is_used = true, .number = next_number++, .req = *req, .pcap = pcap};
	slot->report = xcalloc(1, sizeof(*slot->report));
	memcpy(slot->report->arp_targets, req->arp, sizeof(req->arp));
	slot->report->n_arp_targets = req->n_arp;
	memcpy(slot->report->nd_targets, req->nd, sizeof(req->nd));
	slot->report->n_nd_targets = req->n_nd;
	if (pthread_create(&slot->thread, NULL, capture_thread, slot) != 0) {
		pcap_close(pcap);
		slot->is_used = false;
		p = problem_new(PROBLEM_INTERNAL, "no thread for the capture");
		goto out;
	}
	char id[32];
	snprintf(id, sizeof(id), "c-%lld", slot->number);
	*j_out = json_pack("{s:s, s:s}", "id", id, "state", "running");
	LOG_INFO("capture %s on %s: %d s, %zu ARP and %zu ND probes", id, req->port, req->seconds, req->n_arp,
		 req->n_nd);
out:
	pthread_mutex_unlock(&lock);
	return p;
}

json_t *sw_capture_get(const char *id)
{
	long long number;
	if (strncmp(id, "c-", 2) != 0 || !util_parse_ll(id + 2, 1, (1LL << 62), &number))
		return NULL;
	json_t *j = NULL;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < SW_CAPTURE_KEEP; i++) {
		struct capture *c = &captures[i];
		if (!c->is_used || c->number != number)
			continue;
		j = json_pack("{s:s, s:s, s:s, s:i}", "id", id, "port", c->req.port, "state",
			      c->is_done ? "done" : "running", "seconds", c->req.seconds);
		if (c->is_done) {
			sw_report_to_json(c->report, j);
			if (c->error[0])
				json_object_set_new(j, "error", json_string(c->error));
		}
		break;
	}
	pthread_mutex_unlock(&lock);
	return j;
}

void sw_capture_shutdown(void)
{
	is_stopping = true;
	for (size_t i = 0; i < SW_CAPTURE_KEEP; i++) {
		pthread_mutex_lock(&lock);
		struct capture *c = &captures[i];
		bool must_join = c->is_used && !c->is_joined;
		pthread_mutex_unlock(&lock);
		if (must_join) {
			pthread_join(c->thread, NULL);
			c->is_joined = true;
		}
		free(c->report);
		c->report = NULL;
	}
}
