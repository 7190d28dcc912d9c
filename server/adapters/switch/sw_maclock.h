/*
 * MAC lock with nftables (libnftables), as ../shared/network-lab.md measured
 * it: a `bridge` table whose prerouting chain (priority -200, before the
 * bridge learns) sends frames from a locked port whose (port, source MAC)
 * pair is not allowed to a chain that counts them per port and drops them.
 *
 *   table bridge ixapi_switch
 *     set allowed { type ifname . ether_addr }   the allowed pairs
 *     set locked  { type ifname }                the locked ports
 *     counter drops_<port>                        one per managed port
 *     chain prerouting: iifname @locked iifname . ether saddr != @allowed jump lockdrop
 *     chain lockdrop:   iifname "<port>" counter name "drops_<port>" drop  (one per port), drop
 *
 * The adapter only adds and removes set elements, each change in one nft
 * transaction. Not thread-safe: the HTTP thread alone calls these.
 */
#ifndef IXAPI_ADAPTERS_SWITCH_SW_MACLOCK_H
#define IXAPI_ADAPTERS_SWITCH_SW_MACLOCK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SW_MACLOCK_MAX_MACS 64

struct sw_maclock {
	bool is_locked;
	size_t n_macs;
	char macs[SW_MACLOCK_MAX_MACS][18]; /* canonical: lower case with colons */
};

/* Creates the table, sets, counters and chains for these ports (keeping set
 * elements and counters an earlier run left), and reads back each port's
 * lock into locks[i]. Returns 0, or -1 with a message in *err (caller frees). */
int sw_maclock_init(const char *const *ports, size_t n_ports, struct sw_maclock *locks, char **err);
/* Changes the port's lock from *from to *to in one transaction. Returns 0,
 * or -1 with a message in *err (caller frees). */
int sw_maclock_apply(const char *port, const struct sw_maclock *from, const struct sw_maclock *to, char **err);
/* Frames dropped per port: a new object {port: packets}, or NULL with *err. */
json_t *sw_maclock_drops(char **err);
/* Frees the nft context. */
void sw_maclock_close(void);

#endif
