/*
 * The jobs extension (operators only; members never see jobs): GET /jobs
 * lists the outbox (newest first, at most 1,000; filters state, kind,
 * object), POST /jobs/{id}/retry re-drives a dead (or waiting) job now with
 * its attempts counted from zero. Announced in /extensions.
 */
#ifndef IXAPI_JOBS_JOBS_API_H
#define IXAPI_JOBS_JOBS_API_H

#include "http/filters.h"
#include "http/request.h"

extern const struct filter_spec jobs_filters[];
struct problem *jobs_list(struct request *req, struct response *res);
struct problem *jobs_retry(struct request *req, struct response *res);

#endif
