/*
 * The jobs extension (operators only; members never see jobs): GET /jobs
 * lists the outbox (newest first, at most 1,000; filters state, kind,
 * object), POST /jobs/{id}/retry re-drives a dead (or waiting) job now with
 * its attempts counted from zero. Announced in /extensions.
 */
#ifndef IXAPI_JOBS_JOBS_API_H
#define IXAPI_JOBS_JOBS_API_H

#include "db/actor.h"
#include "db/db.h"
#include "http/filters.h"
#include "http/request.h"

extern const struct filter_spec jobs_filters[];
extern const char *const job_states[]; /* NULL-terminated */

/* The list as JSON text in *out (caller frees); values are the filters
 * state, kind, object (NULL: any). Shared by GET /jobs and `ixapid jobs`. */
struct problem *jobs_list_text(struct db_pool *pool, const char *const values[3], char **out);
/* Re-drives job `id` in one transaction (an update event by `actor`); the
 * job's JSON after it in *out (caller frees). Shared by POST
 * /jobs/{id}/retry and `ixapid jobs retry`. */
struct problem *jobs_retry_now(struct db_pool *pool, const char *id, const struct actor *actor, char **out);
struct problem *jobs_list(struct request *req, struct response *res);
struct problem *jobs_retry(struct request *req, struct response *res);

#endif
