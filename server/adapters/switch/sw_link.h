/*
 * Links of the switch namespace over rtnetlink (libmnl): read a link (flags,
 * operational state, master, alias, IFLA_STATS64 counters), create a plain
 * bridge, set a port's master, set admin up/down, and find out whether the
 * kernel can do 802.1Q VLAN filtering on a bridge. Every function opens its
 * own netlink socket: callers may be on any thread. Errors are negative errno
 * values (-ENODEV: no such link).
 */
#ifndef IXAPI_ADAPTERS_SWITCH_SW_LINK_H
#define IXAPI_ADAPTERS_SWITCH_SW_LINK_H

#include <stdbool.h>
#include <stdint.h>

#define SW_IFNAME_MAX 16 /* IFNAMSIZ: 15 characters and the NUL */

struct sw_link_stats {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped, tx_dropped;
};

struct sw_link {
	int ifindex;
	char name[SW_IFNAME_MAX];
	bool is_admin_up; /* IFF_UP */
	bool is_oper_up;  /* IFLA_OPERSTATE is IF_OPER_UP */
	bool is_bridge;   /* IFLA_INFO_KIND "bridge" */
	int master;       /* ifindex of the master, 0 for none */
	char alias[128];  /* IFLA_IFALIAS, "" for none */
	struct sw_link_stats stats;
};

/* Reads the link called name. */
int sw_link_get(const char *name, struct sw_link *out);
/* Reads the link with that index. */
int sw_link_get_by_index(int ifindex, struct sw_link *out);
/* Creates a plain bridge (no VLAN filtering, no multicast snooping: it
 * floods like a simple switch; no IPv6 link-local address of its own) with
 * the alias given, and sets it up. -EEXIST when the name is taken. */
int sw_link_bridge_create(const char *name, const char *alias);
/* Makes master (an ifindex; 0: none) the port's master. */
int sw_link_set_master(int ifindex, int master);
/* Sets the link administratively up or down. */
int sw_link_set_admin_up(int ifindex, bool is_up);
/* True when a bridge with vlan_filtering 1 can be created here (tries it with
 * a throw-away bridge, then deletes it). */
bool sw_link_has_vlan_filtering(void);

#endif
