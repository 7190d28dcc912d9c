/*
 * Peer statistics and RTT (issue 13), read side:
 *   GET /network-service-configs/{id}/peer-statistics            PeerAggregate list
 *   GET /network-service-configs/{id}/peer-statistics/{aggregate}/timeseries?peer=MAC
 *   GET /network-services/{id}/rtt-statistics?asn&ip&after        PeerRTT list
 * A member reads the peer statistics of its own configs (managing or
 * consuming account, or an operator); the RTT of a LAN whoever may read the
 * LAN. The data: peer_stats_5m (stats.peer_poll jobs, peer_jobs.c) and
 * rtt_results (stats.rtt jobs).
 */
#ifndef IXAPI_STATISTICS_PEER_STATS_H
#define IXAPI_STATISTICS_PEER_STATS_H

#include "http/filters.h"
#include "http/router.h"

extern const struct filter_spec peer_statistics_filters[];
extern const struct filter_spec peer_timeseries_filters[];
extern const struct filter_spec rtt_statistics_filters[];

struct problem *peer_statistics_list(struct request *req, struct response *res);
struct problem *peer_statistics_timeseries(struct request *req, struct response *res);
struct problem *rtt_statistics_list(struct request *req, struct response *res);

#endif
