/*
 * The statistics statements (see stats_db.h). Every statement reads the
 * window's rows of the object's series by the tables' key (series, slot),
 * so a request costs the rows of its window whatever the table holds;
 * the partitions outside the window are pruned at execution.
 *
 * Per slot (r): the object's rates are the sum over its series of each
 * series' count / seconds counted (a connection = the sum of its ports);
 * a 5-minute slot is present when every series has it with at least 150
 * seconds counted, a rollup row counts the 5-minute samples it holds (the
 * least over the series). Maxima: a 5-minute slot's rate; a rollup row's
 * highest 5-minute rate (over several series: the sum of theirs, an upper
 * bound, exact for one series) and when it was (the series with the
 * highest; the peak's time rides along in one pass, max(ARRAY[rate,
 * epoch]): a tie goes to the later). The 95th percentile is percentile_disc over the window's
 * per-slot rates: over 5-minute rates from stats_5m, over hourly (daily)
 * averages from the rollups.
 *
 * Parameters: $1 the series (bigint[]), $2 / $3 the window's start and end
 * (seconds since the epoch), $4 the series every slot should have.
 */
#include "statistics/stats_db.h"

#include "core/util.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_ROWS                                                                                                    \
	" WHERE x.series = ANY ($1::bigint[]) AND x.slot >= to_timestamp($2::bigint)"                                  \
	"   AND x.slot < to_timestamp($3::bigint) GROUP BY x.slot"

#define RATES                                                                                                          \
	" sum(x.in_octets / x.seconds::float8) AS ops_in, sum(x.out_octets / x.seconds::float8) AS ops_out,"           \
	" sum(x.in_packets / x.seconds::float8) AS pps_in, sum(x.out_packets / x.seconds::float8) AS pps_out,"         \
	" sum(x.in_errors / x.seconds::float8) AS eps_in, sum(x.out_errors / x.seconds::float8) AS eps_out,"           \
	" sum(x.in_discards / x.seconds::float8) AS dps_in, sum(x.out_discards / x.seconds::float8) AS dps_out,"

#define SLOTS_5M                                                                                                       \
	"SELECT x.slot, CASE WHEN count(*) = $4::int AND min(x.seconds) >= 150 THEN 1 ELSE 0 END AS present," RATES    \
	" sum(x.in_octets / x.seconds::float8) AS mx_ops_in, sum(x.out_octets / x.seconds::float8) AS mx_ops_out,"     \
	" sum(x.in_packets / x.seconds::float8) AS mx_pps_in, sum(x.out_packets / x.seconds::float8) AS mx_pps_out,"   \
	" x.slot AS mx_in_at, x.slot AS mx_out_at"                                                                     \
	" FROM stats_5m x" WINDOW_ROWS

#define SLOTS_ROLLUP(TABLE)                                                                                            \
	"SELECT x.slot, CASE WHEN count(*) = $4::int THEN min(x.samples) ELSE 0 END AS present," RATES                 \
	" sum(x.max_ops_in)::float8 AS mx_ops_in, sum(x.max_ops_out)::float8 AS mx_ops_out,"                           \
	" sum(x.max_pps_in)::float8 AS mx_pps_in, sum(x.max_pps_out)::float8 AS mx_pps_out,"                           \
	" (array_agg(x.max_in_at ORDER BY x.max_ops_in DESC))[1] AS mx_in_at,"                                         \
	" (array_agg(x.max_out_at ORDER BY x.max_ops_out DESC))[1] AS mx_out_at"                                       \
	" FROM " TABLE " x" WINDOW_ROWS

/* One series (a port, a network service): its rows are the slots, no
 * grouping ($4 is 1 then; named so that the statement has its type). */
#define RATES_ONE                                                                                                      \
	" x.in_octets / x.seconds::float8 AS ops_in, x.out_octets / x.seconds::float8 AS ops_out,"                     \
	" x.in_packets / x.seconds::float8 AS pps_in, x.out_packets / x.seconds::float8 AS pps_out,"                   \
	" x.in_errors / x.seconds::float8 AS eps_in, x.out_errors / x.seconds::float8 AS eps_out,"                     \
	" x.in_discards / x.seconds::float8 AS dps_in, x.out_discards / x.seconds::float8 AS dps_out,"
#define ONE_ROWS                                                                                                       \
	" WHERE x.series = ANY ($1::bigint[]) AND x.slot >= to_timestamp($2::bigint)"                                  \
	"   AND x.slot < to_timestamp($3::bigint) AND $4::int = 1"

#define SLOTS_5M_ONE                                                                                                   \
	"SELECT x.slot, CASE WHEN x.seconds >= 150 THEN 1 ELSE 0 END AS present," RATES_ONE                            \
	" x.in_octets / x.seconds::float8 AS mx_ops_in, x.out_octets / x.seconds::float8 AS mx_ops_out,"               \
	" x.in_packets / x.seconds::float8 AS mx_pps_in, x.out_packets / x.seconds::float8 AS mx_pps_out,"             \
	" x.slot AS mx_in_at, x.slot AS mx_out_at"                                                                     \
	" FROM stats_5m x" ONE_ROWS

#define SLOTS_ROLLUP_ONE(TABLE)                                                                                        \
	"SELECT x.slot, x.samples AS present," RATES_ONE                                                               \
	" x.max_ops_in::float8 AS mx_ops_in, x.max_ops_out::float8 AS mx_ops_out,"                                     \
	" x.max_pps_in::float8 AS mx_pps_in, x.max_pps_out::float8 AS mx_pps_out,"                                     \
	" x.max_in_at AS mx_in_at, x.max_out_at AS mx_out_at"                                                          \
	" FROM " TABLE " x" ONE_ROWS

#define AVERAGES                                                                                                       \
	" round(avg(r.pps_in))::bigint AS average_pps_in, round(avg(r.pps_out))::bigint AS average_pps_out,"           \
	" round(avg(r.ops_in))::bigint AS average_ops_in, round(avg(r.ops_out))::bigint AS average_ops_out,"           \
	" avg(r.eps_in) AS average_eps_in, avg(r.eps_out) AS average_eps_out,"                                         \
	" avg(r.dps_in) AS average_dps_in, avg(r.dps_out) AS average_dps_out,"                                         \
	" round(max(r.mx_pps_in))::bigint AS maximum_pps_in, round(max(r.mx_pps_out))::bigint AS maximum_pps_out,"     \
	" round(max(r.mx_ops_in))::bigint AS maximum_ops_in, round(max(r.mx_ops_out))::bigint AS maximum_ops_out,"

#define P95(FILTER)                                                                                                    \
	" round(percentile_disc(0.95) WITHIN GROUP (ORDER BY r.pps_in)" FILTER ")::bigint AS percentile95_pps_in,"     \
	" round(percentile_disc(0.95) WITHIN GROUP (ORDER BY r.pps_out)" FILTER ")::bigint AS percentile95_pps_out,"   \
	" round(percentile_disc(0.95) WITHIN GROUP (ORDER BY r.ops_in)" FILTER ")::bigint AS percentile95_ops_in,"     \
	" round(percentile_disc(0.95) WITHIN GROUP (ORDER BY r.ops_out)" FILTER ")::bigint AS percentile95_ops_out"

#define AGGREGATE(SLOTS)                                                                                                       \
	"SELECT count(*) AS slots, coalesce(sum(r.present), 0) AS present," AVERAGES P95(                                      \
		"") ","                                                                                                        \
		    " rfc3339(to_timestamp((max(ARRAY[r.mx_ops_in, date_part('epoch', r.mx_in_at)]))[2])) AS maximum_in_at,"   \
		    " rfc3339(to_timestamp((max(ARRAY[r.mx_ops_out, date_part('epoch', r.mx_out_at)]))[2])) AS maximum_out_at" \
		    " FROM (" SLOTS ") r"

/* $5 the precision (seconds), $6 whether to compute the percentiles. */
#define TIMESERIES(SLOTS)                                                                                              \
	"WITH r AS (SELECT $2::bigint + (date_part('epoch', s.slot)::bigint - $2::bigint) / $5::bigint * $5::bigint"   \
	"                  AS t, s.* FROM (" SLOTS ") s)"                                                              \
	" SELECT r.t, sum(r.present) AS present," AVERAGES P95(                                                        \
		" FILTER (WHERE $6::boolean)") " FROM r GROUP BY r.t ORDER BY r.t"

/* [several series?][table] */
static const char *const aggregate_sql[2][3] = {
	{AGGREGATE(SLOTS_5M_ONE), AGGREGATE(SLOTS_ROLLUP_ONE("stats_1h")), AGGREGATE(SLOTS_ROLLUP_ONE("stats_1d"))},
	{AGGREGATE(SLOTS_5M), AGGREGATE(SLOTS_ROLLUP("stats_1h")), AGGREGATE(SLOTS_ROLLUP("stats_1d"))}};
static const char *const timeseries_sql[2][3] = {
	{TIMESERIES(SLOTS_5M_ONE), TIMESERIES(SLOTS_ROLLUP_ONE("stats_1h")), TIMESERIES(SLOTS_ROLLUP_ONE("stats_1d"))},
	{TIMESERIES(SLOTS_5M), TIMESERIES(SLOTS_ROLLUP("stats_1h")), TIMESERIES(SLOTS_ROLLUP("stats_1d"))}};

/* A target of one expected series and at most one found reads its rows
 * as they are. */
static int several(const struct stats_target *t)
{
	return t->expected_series == 1 && strchr(t->series, ',') == NULL ? 0 : 1;
}

#define SCOPED(OWNER)                                                                                                  \
	"($2::boolean OR " OWNER ".managing_account = ANY (scope_accounts($1::bigint))"                                \
	" OR " OWNER ".consuming_account = ANY (scope_accounts($1::bigint)))"

#define CONNECTION_SERIES(CONN)                                                                                        \
	"ARRAY(SELECT s.id FROM ports p JOIN stats_series s ON s.kind = 'port' AND s.object = p.id"                    \
	"       WHERE p.connection = " CONN " ORDER BY s.id)::text AS series,"                                         \
	" (SELECT count(*) FROM ports p WHERE p.connection = " CONN ")::int AS expected_series,"

/* $1 the caller's account, $2 whether it is an operator, $3 the id. */
static const char *const target_sql[] = {
	[STATS_PORT] = "SELECT ARRAY(SELECT s.id FROM stats_series s WHERE s.kind = 'port' AND s.object = p.id)::text"
		       "       AS series, 1 AS expected_series, NULL::bigint AS capacity"
		       "  FROM ports p WHERE p.id = id_or_null($3) AND " SCOPED("p"),
	[STATS_CONNECTION] =
		"SELECT " CONNECTION_SERIES("c.id") " NULL::bigint AS capacity"
						    "  FROM connections c WHERE c.id = id_or_null($3) AND " SCOPED("c"),
	/* bridge-per-service: a port is untagged in exactly one service, so
	 * a config's share is its connection's ports' whole traffic. Other
	 * accounts read it as its shared_statistics policy says. */
	[STATS_CONFIG] = "SELECT " CONNECTION_SERIES(
		"c.connection") " coalesce(c.capacity, (SELECT sum(p.speed)"
				"       FROM ports p WHERE p.connection = c.connection))::bigint AS capacity"
				"  FROM network_service_configs c WHERE c.id = id_or_null($3)"
				"   AND (" SCOPED(
					"c") " OR CASE c.shared_statistics->>'policy'"
					     "        WHEN 'allow' THEN NOT coalesce(c.shared_statistics->'accounts_denied', '[]') ? $1::text"
					     "        WHEN 'deny' THEN coalesce(c.shared_statistics->'accounts_allowed', '[]') ? $1::text ELSE false END)",
	[STATS_SERVICE] = "SELECT ARRAY(SELECT s.id FROM stats_series s WHERE s.kind = 'network_service'"
			  "       AND s.object = n.id)::text AS series, 1 AS expected_series, NULL::bigint AS capacity"
			  "  FROM network_services n WHERE n.id = id_or_null($3)"
			  "   AND network_service_visible(n, $1::bigint, $2::boolean)",
};

static const char *const object_titles[] = {[STATS_PORT] = "Port",
					    [STATS_CONNECTION] = "Connection",
					    [STATS_CONFIG] = "Network service config",
					    [STATS_SERVICE] = "Network service"};

void stats_target_clear(struct stats_target *t)
{
	free(t->series);
	t->series = NULL;
}

struct problem *stats_db_target(PGconn *conn, enum stats_object kind, const char *id, const struct actor *actor,
				struct stats_target *out)
{
	const char *params[3];
	actor_scope_params(actor, params);
	params[2] = id;
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, target_sql[kind], 3, params, &res);
	if (p)
		return p;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return problem_new(PROBLEM_NOT_FOUND, "%s %.80s does not exist.", object_titles[kind], id);
	}
	out->series = xstrdup(db_get(res, 0, "series"));
	out->expected_series = atoi(db_get(res, 0, "expected_series"));
	const char *cap = db_get(res, 0, "capacity");
	out->capacity_mbps = cap ? atoll(cap) : -1;
	PQclear(res);
	return NULL;
}

static struct problem *window_exec(PGconn *conn, const char *sql, const struct stats_target *t,
				   const struct stats_window *w, const char *precision, bool with_percentiles,
				   PGresult **out)
{
	char start[24], end[24], expected[16];
	snprintf(start, sizeof(start), "%lld", w->start);
	snprintf(end, sizeof(end), "%lld", w->end);
	snprintf(expected, sizeof(expected), "%d", t->expected_series);
	const char *params[] = {t->series, start, end, expected, precision, with_percentiles ? "t" : "f"};
	return db_exec(conn, sql, precision ? 6 : 4, params, out);
}

struct problem *stats_db_aggregate(PGconn *conn, const struct stats_target *t, const struct stats_window *w,
				   PGresult **out)
{
	return window_exec(conn, aggregate_sql[several(t)][w->table], t, w, NULL, false, out);
}

struct problem *stats_db_timeseries(PGconn *conn, const struct stats_target *t, const struct stats_window *w,
				    long long precision, bool with_percentiles, PGresult **out)
{
	char prec[24];
	snprintf(prec, sizeof(prec), "%lld", precision);
	return window_exec(conn, timeseries_sql[several(t)][w->table], t, w, prec, with_percentiles, out);
}
