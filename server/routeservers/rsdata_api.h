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

#include "http/router.h"

struct problem *rsdata_as_set_put(struct request *req, struct response *res);
struct problem *rsdata_roas_put(struct request *req, struct response *res);
struct problem *rsdata_enable_session(struct request *req, struct response *res);

#endif
