/*
 * The operator's command line for the route servers' policy data: `ixapid
 * rs-data roas FILE` loads the ROA table (rpki-client's or Routinator's
 * JSON export, or the bare list) and `ixapid rs-data as-set AS-SET@SOURCE
 * FILE` an AS-SET's expansion (bgpq4's JSON), FILE "-" for standard input.
 * The same loads as PUT /route-server-data/roas and .../as-sets/{as_set}
 * (rsdata_load_roas, rsdata_load_as_set), without the API's 1 MiB body
 * limit: a full RPKI table is ~45 MB. Audited with request id cli:<user>.
 */
#ifndef IXAPI_ROUTESERVERS_RSDATA_CLI_H
#define IXAPI_ROUTESERVERS_RSDATA_CLI_H

#include "db/db.h"

#include <stdio.h>

/* Its statements' bound (a whole RPKI table in one transaction). */
#define RSDATA_CLI_STATEMENT_TIMEOUT_MS 300000

/* argv[0] is the first word after `rs-data`. Returns the exit code: 0, 1
 * (the data or the database said no), 2 (usage). */
int rsdata_cli(struct db_pool *pool, int argc, char **argv, FILE *out, FILE *err);
void rsdata_cli_usage(FILE *out);

#endif
