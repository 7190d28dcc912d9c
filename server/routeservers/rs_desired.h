/*
 * The whole desired state of one route server as the route-server adapter
 * takes it (PUT /v1/route-servers/{server}, openapi/adapter-rs.json), from
 * the facts the database gives when the job runs (rs_desired_facts.sql).
 * Pure: no I/O, no clock.
 *
 * - One session per live feature config, its id the config's id, with the
 *   config's one address (ipv4 or ipv6), the MD5 password when it has one,
 *   the filtering mode (IX-API flag irrdb_rpki/irrdb/rpki/tagging ->
 *   irr_and_rpki/irr/rpki/tagging; none enabled: irr_and_rpki) and the
 *   AS-SETs.
 * - Limits: a member's explicit max_prefix_v4/_v6 wins, within the LAN's
 *   ceiling (network_services.max_prefix_ceiling_v4/_v6); without one the
 *   dynamic limit bgp_max_prefix_limit(observed peak) (100 while unknown),
 *   also within the ceiling; at least 1, at most the adapter's 10,000,000.
 * - AS-SETs by a key the adapter takes ([A-Za-z0-9:_.-]): the IX-API
 *   spelling upper-cased with '@' as '.' (AS-EXAMPLE@RIPE ->
 *   AS-EXAMPLE.RIPE; RPSL names have no '.', so the key is unambiguous).
 */
#ifndef IXAPI_ROUTESERVERS_RS_DESIRED_H
#define IXAPI_ROUTESERVERS_RS_DESIRED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_LIMIT_MAX 10000000LL /* the adapter's largest receive limit */

/* The limit of one family: explicit (< 0: none), observed (< 0: unknown),
 * ceiling (< 0: none). */
long long rs_session_limit(long long explicit_limit, long long observed, long long ceiling);
/* The adapter's key of an IX-API AS-SET ("AS-X@RIPE" -> "AS-X.RIPE") into
 * out; false when it does not fit. */
bool rs_as_set_key(const char *as_set, char *out, size_t out_len);
/* The adapter's filtering mode of an IX-API flag (NULL: the default). */
const char *rs_filtering_of_flag(const char *flag);
/* The desired state (new reference) of the facts, or NULL with a reason in
 * err (facts without a route server). */
json_t *rs_desired_render(const json_t *facts, char *err, size_t err_len);

#endif
