/*
 * The peer-statistics and RTT jobs (issue 13):
 *
 * - stats.peer_poll: GET /v1/peer-counters of every switch adapter; the
 *   finishing transaction runs peer_poll_record.sql (each adapter's pairs
 *   into peer_stats_5m by peer_stats_record.sql, then the next round after
 *   IXAPI_PEER_POLL_S). An adapter that does not answer is skipped for this
 *   round (its pairs' next delta spans the gap, or is dropped past 900 s).
 * - stats.rtt: for each served route server, the addresses of the live
 *   peering configs on its LAN (rtt_targets.sql), POST .../probe in batches
 *   of RS probe's maximum, results recorded by rtt_record.sql with the next
 *   round after IXAPI_RTT_INTERVAL_S.
 * One round of each kind waits or runs at a time (a unique index);
 * peer_jobs_schedule() starts the chains.
 */
#ifndef IXAPI_STATISTICS_PEER_JOBS_H
#define IXAPI_STATISTICS_PEER_JOBS_H

#include "jobs/handlers.h"

#define PEER_RTT_COUNT 5 /* echo requests per target and round */

int peer_handle_poll(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		     char *err, size_t err_len);
int peer_handle_rtt(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		    char *err, size_t err_len);
/* Queues a stats.peer_poll (switch adapters configured) and a stats.rtt
 * (route-server adapters configured) unless one of that kind waits or runs;
 * at most every 10 s per caller thread. */
void peer_jobs_schedule(const struct job_context *ctx);

#endif
