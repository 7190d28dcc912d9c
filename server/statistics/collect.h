/*
 * Statistics collection (issue 13) in the outbox workers: every
 * IXAPI_STATS_INTERVAL_S one `stats.poll` job per switch adapter reads its
 * GET /v1/counters and ingests the answer (stats_ingest.sql: deltas, wrap,
 * reset and gap rules, 5-minute slots, network-service sums), hourly a
 * `stats.rollup` job recomputes the last complete hours and days
 * (stats_rollup.sql), daily a `stats.maintain` job makes partitions ahead and
 * drops those beyond retention (stats_maintain.sql). Each job is written once
 * per round whatever the number of nodes (jobs_one_stats_round). An adapter
 * that does not answer: the poll is retried briefly within its interval,
 * then finished as a gap (jobs.last_error says why); it never dies.
 */
#ifndef IXAPI_STATISTICS_COLLECT_H
#define IXAPI_STATISTICS_COLLECT_H

#include "jobs/handlers.h"

#include <stdbool.h>

/* Called by every worker when idle: writes the jobs of the rounds that
 * began since this thread last did (one INSERT per thread and round; a
 * conflict with another thread's or node's insert is fine). */
void stats_schedule(const struct job_context *ctx);

int stats_handle_poll(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		      char *err, size_t err_len);
int stats_handle_rollup(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
			char *err, size_t err_len);
int stats_handle_maintain(const struct job_context *ctx, const char *job_id, json_t *payload,
			  struct job_outcome *outcome, char *err, size_t err_len);

/* The round of a time: floor((epoch_s - delay_s) / period_s). */
long long stats_round(long long epoch_s, long long period_s, long long delay_s);
/* Whether a failed poll of round `round` (attempt `attempt`, of at most
 * max_attempts) is retried at now_s: only before its interval ends and
 * while another attempt is left (at most 3 attempts); otherwise the poll is
 * finished as a gap. */
bool stats_poll_retry(long long round, long long interval_s, int attempt, int max_attempts, long long now_s);

#endif
