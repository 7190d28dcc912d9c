/*
 * The pure side of the statistics resources (issue 13, stats_api.c): which
 * window an aggregate covers, which table holds it, what a timeseries'
 * precision may be, which fields it may name, and the accuracy of what was
 * found. Times are whole seconds since the epoch, UTC (DST plays no part).
 * No database here: the unit tests (stats_window_test.c) cover it all.
 */
#ifndef IXAPI_STATISTICS_STATS_WINDOW_H
#define IXAPI_STATISTICS_STATS_WINDOW_H

#include "core/problem.h"

#include <stdbool.h>
#include <stddef.h>

#define STATS_SLOT_S 300 /* one 5-minute sample */
#define STATS_HOUR_S 3600
#define STATS_DAY_S  86400
/* A slot counts as present when its counting covered at least this much. */
#define STATS_PRESENT_S 150
/* A timeseries has at most this many points. */
#define STATS_MAX_POINTS 10000

/* Where a window's samples are read: the raw 5-minute slots (kept
 * raw_days), the hourly rollups (kept hourly_days) or the daily ones
 * (kept forever). */
enum stats_table { STATS_5M, STATS_1H, STATS_1D };

/* How long the collector keeps each table (IXAPI_STATS_RAW_DAYS,
 * IXAPI_STATS_HOURLY_DAYS). */
struct stats_retention {
	int raw_days, hourly_days;
};

/* The named aggregates every statistics resource answers, in order:
 * PT5M, PT1H, P1D, P30D, P1Y (NULL ends). */
extern const char *const stats_aggregates[];

/* One aggregate's window [start, end), aligned to its table's resolution. */
struct stats_window {
	char title[8];        /* "PT5M" ... "P1Y", or "custom" */
	long long start, end; /* seconds since the epoch */
	enum stats_table table;
	long long resolution;  /* seconds of one row of the table: 300, 3600, 86400 */
	long long expected;    /* 5-minute samples the window should hold */
	long long next_update; /* when the next row of the table completes */
};

/* Parses an RFC 3339 date-time (Z or an offset; a fraction is dropped)
 * into seconds since the epoch; false for anything else, a day the
 * calendar does not have (2027-02-29) included. */
bool stats_parse_time(const char *s, long long *out);
/* The same moment one calendar year earlier (UTC): 29 February goes to
 * 28 February. */
long long stats_year_before(long long t);
/* Seconds of one row of the table. */
long long stats_table_resolution(enum stats_table table);
/* The table holding samples from `start` on, seen at `now`. */
enum stats_table stats_table_for(long long start, long long now, const struct stats_retention *keep);

/* The window of a named aggregate at `now`: it ends at the last complete
 * row of its table. A problem naming `aggregate` for another name. */
struct problem *stats_window_named(const char *aggregate, long long now, const struct stats_retention *keep,
				   struct stats_window *w);
/* The window of `start`/`end` (RFC 3339 text; end NULL: now), titled
 * `title`: a problem naming the parameter that is malformed, a start not
 * before the end, a start in the future, or a window shorter than one row
 * of the table that holds it. An end in the future is now; a window up to
 * now on the 5-minute samples ends with the current slot (counted so far,
 * next_update then its end). */
struct problem *stats_window_custom(const char *title, const char *start, const char *end, long long now,
				    const struct stats_retention *keep, struct stats_window *w);

/* The precision of a timeseries over w: `text` (seconds; NULL: the
 * aggregate's default) must be a positive multiple of 300 and of the
 * table's resolution (a window older than the raw retention has no
 * 5-minute samples), giving at most STATS_MAX_POINTS points; a problem
 * naming `precision` otherwise. */
struct problem *stats_precision(const char *text, const struct stats_window *w, long long *out);
/* The number of points (buckets) of precision over w: the last may be
 * shorter. */
long long stats_points(const struct stats_window *w, long long precision);
/* The start of the bucket holding `slot` (buckets of `precision` seconds
 * from w->start). */
long long stats_bucket_start(const struct stats_window *w, long long precision, long long slot);
/* 5-minute samples a bucket starting at `bucket` should hold (the last
 * bucket ends with the window). */
long long stats_bucket_expected(const struct stats_window *w, long long precision, long long bucket);

/* Samples present / expected, 0 when nothing is expected, at most 1. */
double stats_accuracy(long long present, long long expected);

/* The fields a timeseries may name (NULL ends) and the default list. */
extern const char *const stats_fields[];
#define STATS_DEFAULT_FIELDS "average_pps_in,average_pps_out,average_ops_in,average_ops_out"
#define STATS_FIELDS_MAX     32
/* Splits a comma list of field names (NULL: the default) into out[] (the
 * indexes into stats_fields): a problem naming `fields` for an unknown or
 * empty name or too many. */
struct problem *stats_fields_parse(const char *text, int *out, size_t *count);

#endif
