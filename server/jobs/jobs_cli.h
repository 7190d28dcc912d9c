/*
 * The operator's command line for the outbox: `ixapid jobs [list]
 * [--state S] [--kind K] [--object O] [--json]` prints the jobs (newest
 * first, at most 1,000), `ixapid jobs retry ID` re-drives a dead or failed
 * job. The same code as GET /jobs and POST /jobs/{id}/retry
 * (jobs_list_text, jobs_retry_now), straight on the database like
 * `ixapid migrate`: for an operator on the server's host when the API is
 * not at hand.
 */
#ifndef IXAPI_JOBS_JOBS_CLI_H
#define IXAPI_JOBS_JOBS_CLI_H

#include "db/db.h"

#include <stdio.h>

/* argv[0] is the first word after `jobs`; output to out, errors to err.
 * Returns the exit code: 0, 1 (the database said no), 2 (usage). */
int jobs_cli(struct db_pool *pool, int argc, char **argv, FILE *out, FILE *err);
void jobs_cli_usage(FILE *out);

#endif
