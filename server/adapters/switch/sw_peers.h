/*
 * Per-peer traffic counters on the peering bridges: an nftables `bridge`
 * table of its own whose prerouting chain (priority 0, after the MAC lock's
 * -200, so dropped frames are not counted) adds every unicast frame to a
 * dynamic set keyed by (input port, source MAC, destination MAC) with a
 * counter per element:
 *
 *   table bridge ixapi_peers
 *     set pairs { type ifname . ether_addr . ether_addr; size SW_PEERS_SIZE;
 *                 flags dynamic; counter; }
 *     chain prerouting: ether daddr & 01:00:00:00:00:00 == 00:00:00:00:00:00
 *                       add @pairs { iifname . ether saddr . ether daddr }
 *
 * Multicast and broadcast frames are not counted (they go to everyone, not
 * to a peer). `octets` are the kernel's byte count at the bridge hook: the
 * frame without its 14-byte Ethernet header (the L3 length). When the set is
 * full, new pairs are not counted (the frames still pass); GET
 * /v1/peer-counters says so (`full`). Elements and counters survive an
 * adapter restart (the table is only added to, never flushed).
 * Not thread-safe: the HTTP thread alone calls these.
 */
#ifndef IXAPI_ADAPTERS_SWITCH_SW_PEERS_H
#define IXAPI_ADAPTERS_SWITCH_SW_PEERS_H

#include "core/problem.h"

#include <jansson.h>

#define SW_PEERS_SIZE 65536

/* Creates (or keeps) the table. Returns 0, or -1 with a message in *err
 * (caller frees). */
int sw_peers_init(char **err);
/* GET /v1/peer-counters' body (caller owns): {at, size, full, pairs: [{service,
 * port, src_mac, dst_mac, packets, octets}]}; service is the service of the
 * bridge the port is in now (null: none). */
struct problem *sw_peers_counters(json_t **j_out);
void sw_peers_close(void);

#endif
