/*
 * Peer statistics and RTT storage (see peer_stats_db.h).
 */
#include "statistics/peer_stats_db.h"

#include "core/util.h"

#include <string.h>

#define RTT_LIMIT "1000"

/* Runs sql ($1, $2 the actor's scope; its one row's `json` or no row:
 * `missing` names the 404). */
static struct problem *one_json(struct db_pool *pool, const char *sql, int n, const char *const *params,
				const char *missing, const char *id, char **json)
{
	PGresult *res = NULL;
	struct problem *p = db_query(pool, sql, n, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s does not exist.", missing, id);
	else
		*json = xstrdup(db_get(res, 0, "json"));
	PQclear(res);
	return p;
}

#define CONFIG_IN_SCOPE                                                                                                \
	"  FROM network_service_configs c"                                                                             \
	" WHERE c.id = CASE WHEN $3 ~ '^[0-9]{1,18}$' THEN $3::bigint END"                                             \
	"   AND owner_in_scope(c.managing_account, c.consuming_account, $1::bigint, $2::boolean)"

struct problem *peer_stats_db_list(struct db_pool *pool, const struct actor *a, const char *config, const char *start,
				   const char *end, char **json)
{
	const char *params[5];
	actor_scope_params(a, params);
	params[2] = config;
	params[3] = start;
	params[4] = end;
	return one_json(
		pool,
		"SELECT peer_statistics_json(c.id, $4::timestamptz, $5::timestamptz)::text AS json" CONFIG_IN_SCOPE, 5,
		params, "Network service config", config, json);
}

struct problem *peer_stats_db_timeseries(struct db_pool *pool, const struct actor *a, const char *config,
					 const char *mac, const char *title, const char *start, const char *end,
					 const char *fields, char **json)
{
	const char *params[8];
	actor_scope_params(a, params);
	params[2] = config;
	params[3] = mac;
	params[4] = title;
	params[5] = start;
	params[6] = end;
	params[7] = fields;
	return one_json(pool,
			"SELECT peer_timeseries_json(c.id, $4, $5, $6::timestamptz, $7::timestamptz, $8::text[])::text"
			"       AS json" CONFIG_IN_SCOPE,
			8, params, "Network service config", config, json);
}

struct problem *peer_stats_db_rtt(struct db_pool *pool, const struct actor *a, const char *service, const char *asn,
				  const char *ip, const char *after, char **json)
{
	const char *params[6];
	actor_scope_params(a, params);
	params[2] = service;
	params[3] = asn;
	params[4] = ip;
	params[5] = after;
	return one_json(pool,
			"SELECT rtt_results_json(s.id, $4::bigint, $5::inet, $6::bigint, " RTT_LIMIT ")::text AS json"
			"  FROM network_services s"
			" WHERE s.id = CASE WHEN $3 ~ '^[0-9]{1,18}$' THEN $3::bigint END"
			"   AND network_service_visible(s, $1::bigint, $2::boolean)",
			6, params, "Network service", service, json);
}
