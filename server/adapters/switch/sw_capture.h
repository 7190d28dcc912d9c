/*
 * Quarantine captures: for a bounded window, libpcap on the member's switch
 * port (direction in: what the member sends), with probes sent out of that
 * port at the start (an ARP request / IPv6 neighbour solicitation for each
 * address nobody holds). Each capture runs on its own thread; the last
 * SW_CAPTURE_KEEP captures are kept for GET /v1/captures/{id}.
 */
#ifndef IXAPI_ADAPTERS_SWITCH_SW_CAPTURE_H
#define IXAPI_ADAPTERS_SWITCH_SW_CAPTURE_H

#include "adapters/switch/sw_report.h"
#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>

#define SW_CAPTURE_KEEP        64
#define SW_CAPTURE_MAX_SECONDS 60

struct sw_capture_request {
	char port[16];
	int seconds;
	struct in_addr arp[SW_REPORT_MAX_PROBES];
	size_t n_arp;
	struct in6_addr nd[SW_REPORT_MAX_PROBES];
	size_t n_nd;
	uint8_t src_mac[6];
	struct in_addr src_ipv4;
	struct in6_addr src_ipv6;
};

/* Parses a POST body into *req (port is the caller's); NULL or a 400. */
struct problem *sw_capture_parse(json_t *j_body, struct sw_capture_request *req);
/* Opens the capture and starts its thread; on success *j_out is the new
 * {"id", "state": "running"} (caller owns). 409 while another capture runs
 * on the port, 503 when the port cannot be opened. */
struct problem *sw_capture_start(const struct sw_capture_request *req, json_t **j_out);
/* The capture's state and, when done, its report (caller owns), or NULL for
 * an unknown id. */
json_t *sw_capture_get(const char *id);
/* Stops running captures and waits for their threads. */
void sw_capture_shutdown(void);

#endif
