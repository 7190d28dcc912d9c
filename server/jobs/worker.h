/*
 * The outbox workers of `ixapid serve` (IXAPI_WORKERS threads): they claim
 * due jobs with FOR UPDATE SKIP LOCKED (any number of nodes may run them),
 * never start a job while an earlier unfinished job of its object exists,
 * hold a claim as a lease (locked_at; a job whose node went silent for
 * IXAPI_JOB_LEASE_MS is claimed again), wake on NOTIFY ixapi_jobs and poll
 * every IXAPI_JOB_POLL_MS as a fallback. A failed attempt is retried after a
 * backoff with full jitter; after IXAPI_JOB_MAX_ATTEMPTS the job is dead and
 * its object in `error` (job_dead.sql). What each kind does: handlers.c.
 */
#ifndef IXAPI_JOBS_WORKER_H
#define IXAPI_JOBS_WORKER_H

#include "core/config.h"
#include "db/db.h"
#include "jobs/adapters.h"

struct jobs_workers;

/* Starts cfg->workers threads and a listener (nothing when 0, or when no
 * adapter is configured: then jobs wait, and the log says so once). The
 * adapters are borrowed and must outlive the workers. NULL when nothing
 * was started. */
struct jobs_workers *jobs_workers_start(const struct config *cfg, struct db_pool *pool,
					const struct switch_adapters *adapters);
/* Stops the threads (an adapter call in flight ends within its timeout;
 * its job is then finished or left to its lease). NULL is fine. */
void jobs_workers_stop(struct jobs_workers *w);

/* Backoff before attempt `attempt` + 1 (attempt >= 1): full jitter, a
 * uniform draw from [0, min(cap, base * 2^(attempt-1))]; `unit` is a
 * random number in [0, 1). */
long long jobs_backoff_ms(int attempt, long long base_ms, long long cap_ms, double unit);

#endif
