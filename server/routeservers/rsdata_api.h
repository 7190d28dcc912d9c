/*
 * The route-servers extension (announced in /extensions; operators only):
 *
 *   PUT  /route-server-data/as-sets/{as_set}   an AS-SET's expansion (bgpq4's JSON output)
 *   PUT  /route-server-data/roas               the ROA table (rpki-client / Routinator JSON)
 *   POST /network-feature-configs/{id}/enable-session
 *        re-enable a session its max-prefix limit disabled
 *
 * Each load is one transaction that stores the data (rsdata.h checks it
 * first: bad input is a problem and changes nothing), records its audit
 * event and queues a refresh of every route server (route_server.refresh:
 * the workers render and PUT each route server's whole desired state).
 * enable-session queues a route_server.enable job (after the config's
 * earlier jobs); the adapter re-enables the session.
 */
#ifndef IXAPI_ROUTESERVERS_RSDATA_API_H
#define IXAPI_ROUTESERVERS_RSDATA_API_H

#include "db/events.h"
#include "http/router.h"

#include <jansson.h>

/* The loads themselves, for the handlers and `ixapid rs-data` (no body
 * limit: a full RPKI table is ~45 MB): j_body as the PUT takes it; the
 * answer (the summary after, with refresh_jobs) into *json_out (caller
 * frees) or a problem; one transaction. */
struct problem *rsdata_load_as_set(struct db_pool *pool, const struct actor *actor, const char *name,
				   const json_t *j_body, char **json_out);
struct problem *rsdata_load_roas(struct db_pool *pool, const struct actor *actor, const json_t *j_body,
				 char **json_out);

struct problem *rsdata_as_set_put(struct request *req, struct response *res);
struct problem *rsdata_roas_put(struct request *req, struct response *res);
struct problem *rsdata_enable_session(struct request *req, struct response *res);

#endif
