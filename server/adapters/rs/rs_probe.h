/*
 * The exchange's RTT probe (POST /v1/route-servers/{server}/probe): ICMP
 * echo from the route server's network namespace to members' LAN addresses.
 * It runs iputils' `ping` (one per target, up to RS_PROBE_PARALLEL at once,
 * each in the server's namespace) and reads its summary: the kernel's ICMP
 * and ping's own timing, nothing re-implemented. A target that does not
 * answer is tx = count, rx = 0, loss 1.0, and no RTT figures.
 */
#ifndef IXAPI_ADAPTERS_RS_RS_PROBE_H
#define IXAPI_ADAPTERS_RS_RS_PROBE_H

#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>

#define RS_PROBE_TARGETS_MAX 64
#define RS_PROBE_COUNT_MAX   10
#define RS_PROBE_PARALLEL    32

struct rs_ping_summary {
	int tx, rx;
	long time_ms;
	bool has_rtt; /* the rtt line was there (rx > 0) */
	double min_ms, avg_ms, max_ms, mdev_ms;
};

/* Reads ping's summary lines ("N packets transmitted, M received, ...,
 * time Tms" and "rtt min/avg/max/mdev = a/b/c/d ms"). 0, or -1 when the
 * first is missing. */
int rs_ping_parse(const char *output, struct rs_ping_summary *s);
/* POST .../probe: the body {targets: [IPv4/IPv6 address], count}; *j_out
 * the results (new reference); 400 for a body that is not that. */
struct problem *rs_probe_run(const char *server, const char *netns, const json_t *j_body, json_t **j_out);

#endif
