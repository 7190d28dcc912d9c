/*
 * Storage of the peer statistics and RTT read side (see peer_stats.h): each
 * call one statement over the SQL functions peer_statistics_json,
 * peer_timeseries_json and rtt_results_json, scoped by the actor. Results
 * are JSON texts the caller frees; a config or LAN outside the actor's
 * scope is a 404.
 */
#ifndef IXAPI_STATISTICS_PEER_STATS_DB_H
#define IXAPI_STATISTICS_PEER_STATS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

/* start/end: RFC 3339 texts or NULL (then PT5M, P1D, P30D). */
struct problem *peer_stats_db_list(struct db_pool *pool, const struct actor *a, const char *config, const char *start,
				   const char *end, char **json);
/* One peer's samples over [start, end) (texts, given); fields: a text[]
 * literal. */
struct problem *peer_stats_db_timeseries(struct db_pool *pool, const struct actor *a, const char *config,
					 const char *mac, const char *title, const char *start, const char *end,
					 const char *fields, char **json);
/* asn, ip, after: texts or NULL. */
struct problem *peer_stats_db_rtt(struct db_pool *pool, const struct actor *a, const char *service, const char *asn,
				  const char *ip, const char *after, char **json);

#endif
