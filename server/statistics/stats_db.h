/*
 * Storage of the statistics resources: which series an object's statistics
 * sum and whether the caller may read them (stats_db_target), and the
 * aggregate and timeseries statements over the sample tables of migration
 * 033 (stats_5m, stats_1h, stats_1d). Rates, sums over series, 95th
 * percentiles and maxima are computed in SQL over the rows of the window
 * of the object's few series (the (series, slot) key), never over whole
 * tables.
 */
#ifndef IXAPI_STATISTICS_STATS_DB_H
#define IXAPI_STATISTICS_STATS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "statistics/stats_window.h"

#include <libpq-fe.h>
#include <stdbool.h>

/* The objects with statistics. */
enum stats_object { STATS_PORT, STATS_CONNECTION, STATS_CONFIG, STATS_SERVICE };

/* What an object's statistics are made of. */
struct stats_target {
	char *series;            /* owned: the series ids as a bigint[] literal, "{4,7}" */
	int expected_series;     /* series every slot should hold (a connection's ports) */
	long long capacity_mbps; /* configs: their capacity, else their ports' speed; -1 otherwise */
};

/* The target of object `id` as the caller sees it: a 404 problem when it
 * does not exist or the caller may not read its statistics (members: their
 * own ports, connections and configs; a config also by its
 * shared_statistics policy; a network service whoever may read it). */
struct problem *stats_db_target(PGconn *conn, enum stats_object kind, const char *id, const struct actor *actor,
				struct stats_target *out);
void stats_target_clear(struct stats_target *t);

/* One row: slots, present, and every aggregate field of stats_fields but
 * accuracy, plus maximum_in_at/maximum_out_at (RFC 3339 text). Caller
 * PQclear()s *out. */
struct problem *stats_db_aggregate(PGconn *conn, const struct stats_target *t, const struct stats_window *w,
				   PGresult **out);
/* One row per bucket of `precision` seconds that holds samples, in time
 * order: t (the bucket's start, seconds since the epoch), present, and the
 * fields (percentiles only when with_percentiles). Caller PQclear()s. */
struct problem *stats_db_timeseries(PGconn *conn, const struct stats_target *t, const struct stats_window *w,
				    long long precision, bool with_percentiles, PGresult **out);

#endif
