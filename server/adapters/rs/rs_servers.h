/*
 * The route servers ixapi-rsd manages: each a BIRD 2 of its own, with its
 * own directory (bird.conf: the last good configuration, desired.json: the
 * state it was rendered from, bird.ctl: the control socket, bird.pid) and
 * optionally its own network namespace. A desired state is rendered,
 * checked by `bird -p -c`, and applied by `configure` over the control
 * socket; a configuration BIRD refuses is never applied. Calls come from
 * the HTTP thread alone, one at a time: two servers are never changed at
 * once.
 */
#ifndef IXAPI_ADAPTERS_RS_RS_SERVERS_H
#define IXAPI_ADAPTERS_RS_RS_SERVERS_H

#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>

#define RS_SERVERS_MAX 16

/* Takes the servers: specs "NAME:DIR" or "NAME:DIR:NETNS"; bird is BIRD's
 * executable. Creates the directories, and starts BIRD on the last good
 * configuration of a server whose BIRD is not running. Returns 0, or -1
 * with *err (caller frees). */
int rs_servers_init(const char *const *specs, size_t n, const char *bird, char **err);
/* Starts the keeper: every interval_ms, a server whose BIRD does not
 * answer gets BIRD again on its last good configuration (a crashed or
 * killed BIRD comes back without a PUT). 0, or -1 when it cannot start. */
int rs_servers_keep(int interval_ms);
/* Stops the keeper; forgets the servers (their BIRDs keep running). */
void rs_servers_close(void);
bool rs_server_is_managed(const char *name);
/* The server's network namespace ("" for the adapter's own), NULL for an
 * unknown server (borrowed). */
const char *rs_server_netns(const char *name);

/* GET /v1/health's body (new reference): the servers, whether each one's
 * BIRD answers (running), and boot_id, drawn at each start: ixapid puts a
 * route server's whole desired state back when it sees a new one. */
json_t *rs_servers_health(void);
/* PUT: renders, validates and applies j_state on server; *j_out: the
 * outcome (new reference). */
struct problem *rs_server_put(const char *server, const json_t *j_state, json_t **j_out);
/* PUT /v1/roas: the adapter-wide ROA table desired states name by
 * roas_version; *j_out: its version and counts (new reference). It reaches
 * a route server with the next PUT naming it. */
struct problem *rs_roas_put(const json_t *j_body, json_t **j_out);
/* GET: the server's state with every session's. */
struct problem *rs_server_get(const char *server, json_t **j_out);
/* GET one session's state. */
struct problem *rs_session_get(const char *server, const char *session_id, json_t **j_out);
/* POST .../enable: re-enables a session's protocols (after its receive
 * limit disabled them). */
struct problem *rs_session_enable(const char *server, const char *session_id, json_t **j_out);

#endif
