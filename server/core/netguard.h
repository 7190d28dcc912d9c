/*
 * Which addresses the server may connect to on a member's behalf (outgoing
 * webhooks): not its own host, the exchange's private networks or anything
 * link-local, unless the operator allows a network (IXAPI_WEBHOOK_ALLOW_NETS,
 * e.g. the member portal's subnet). The check runs on the address libcurl
 * is about to connect to, after name resolution, so a name that resolves to
 * 127.0.0.1 is refused like the literal.
 */
#ifndef IXAPI_CORE_NETGUARD_H
#define IXAPI_CORE_NETGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define NETGUARD_MAX_NETS 16

struct netguard_net {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	int prefix;
};

struct netguard {
	struct netguard_net allow[NETGUARD_MAX_NETS];
	size_t allow_count;
};

/* Parses "CIDR[,CIDR]..." (IPv4 or IPv6, the prefix optional: a host) into
 * g; "" allows none. 0, or -1 with err naming the bad entry. */
int netguard_parse(const char *list, struct netguard *g, char *err, size_t err_len);
/* True when the address is public, or inside an allowed network. Loopback,
 * unspecified, RFC 1918, shared (100.64/10), link-local, benchmarking
 * (198.18/15), multicast, reserved, unique-local (fc00::/7) and IPv4-mapped
 * forms of these are refused otherwise. why (may be NULL) gets the reason. */
bool netguard_allows(const struct netguard *g, const struct sockaddr *sa, char *why, size_t why_len);

#endif
