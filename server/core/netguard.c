/* See netguard.h. */
#include "core/netguard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_prefix(const unsigned char *a, const unsigned char *net, int prefix)
{
	int whole = prefix / 8, rest = prefix % 8;
	if (memcmp(a, net, (size_t)whole) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (net[whole] & mask);
}

int netguard_parse(const char *list, struct netguard *g, char *err, size_t err_len)
{
	memset(g, 0, sizeof(*g));
	const char *p = list ? list : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, ", ");
		char item[64];
		if (n >= sizeof(item)) {
			snprintf(err, err_len, "IXAPI_WEBHOOK_ALLOW_NETS: an entry longer than %zu characters",
				 sizeof(item) - 1);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		p += n;
		if (g->allow_count == NETGUARD_MAX_NETS) {
			snprintf(err, err_len, "IXAPI_WEBHOOK_ALLOW_NETS: more than %d networks", NETGUARD_MAX_NETS);
			return -1;
		}
		struct netguard_net *net = &g->allow[g->allow_count];
		char *slash = strchr(item, '/');
		if (slash)
			*slash = '\0';
		if (inet_pton(AF_INET, item, net->addr) == 1)
			net->family = AF_INET, net->prefix = 32;
		else if (inet_pton(AF_INET6, item, net->addr) == 1)
			net->family = AF_INET6, net->prefix = 128;
		else {
			snprintf(err, err_len, "IXAPI_WEBHOOK_ALLOW_NETS: '%s' is not an IPv4 or IPv6 address", item);
			return -1;
		}
		if (slash) {
			char *end;
			long bits = strtol(slash + 1, &end, 10);
			if (!slash[1] || *end || bits < 0 || bits > net->prefix) {
				snprintf(err, err_len, "IXAPI_WEBHOOK_ALLOW_NETS: '%s/%s' has a bad prefix length",
					 item, slash + 1);
				return -1;
			}
			net->prefix = (int)bits;
		}
		g->allow_count++;
	}
	return 0;
}

struct special {
	const char *net;
	int prefix;
	const char *what;
};

static const struct special v4_special[] = {
	{"0.0.0.0", 8, "an unspecified (\"this network\") address"},
	{"10.0.0.0", 8, "a private address (RFC 1918)"},
	{"100.64.0.0", 10, "a shared address space address (RFC 6598)"},
	{"127.0.0.0", 8, "a loopback address"},
	{"169.254.0.0", 16, "a link-local address"},
	{"172.16.0.0", 12, "a private address (RFC 1918)"},
	{"192.0.0.0", 24, "an IETF protocol assignment"},
	{"192.168.0.0", 16, "a private address (RFC 1918)"},
	{"198.18.0.0", 15, "a benchmarking address"},
	{"224.0.0.0", 4, "a multicast address"},
	{"240.0.0.0", 4, "a reserved address"},
};

static const struct special v6_special[] = {
	{"::", 128, "the unspecified address"},  {"::1", 128, "the loopback address"},
	{"fc00::", 7, "a unique-local address"}, {"fe80::", 10, "a link-local address"},
	{"ff00::", 8, "a multicast address"},
};

static const char *special_of(int family, const unsigned char *a)
{
	const struct special *list = family == AF_INET ? v4_special : v6_special;
	size_t n = family == AF_INET ? sizeof(v4_special) / sizeof(v4_special[0])
				     : sizeof(v6_special) / sizeof(v6_special[0]);
	for (size_t i = 0; i < n; i++) {
		unsigned char net[16];
		if (inet_pton(family, list[i].net, net) == 1 && in_prefix(a, net, list[i].prefix))
			return list[i].what;
	}
	return NULL;
}

bool netguard_allows(const struct netguard *g, const struct sockaddr *sa, char *why, size_t why_len)
{
	int family;
	unsigned char a[16];
	if (sa->sa_family == AF_INET) {
		family = AF_INET;
		memcpy(a, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *v6 = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(v6)) {
			family = AF_INET;
			memcpy(a, v6->s6_addr + 12, 4);
		} else {
			family = AF_INET6;
			memcpy(a, v6->s6_addr, 16);
		}
	} else {
		if (why)
			snprintf(why, why_len, "not an IP address");
		return false;
	}
	const char *what = special_of(family, a);
	if (!what)
		return true;
	for (size_t i = 0; i < g->allow_count; i++)
		if (g->allow[i].family == family && in_prefix(a, g->allow[i].addr, g->allow[i].prefix))
			return true;
	if (why) {
		char text[INET6_ADDRSTRLEN];
		inet_ntop(family, a, text, sizeof(text));
		snprintf(why, why_len, "%s is %s; not allowed unless IXAPI_WEBHOOK_ALLOW_NETS names its network", text,
			 what);
	}
	return false;
}
