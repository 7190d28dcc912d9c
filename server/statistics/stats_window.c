/*
 * Windows, tables, precision, fields and accuracy of the statistics
 * resources (see stats_window.h). Pure: no clock of its own (`now` is
 * passed in), no database.
 */
#include "statistics/stats_window.h"

#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const stats_aggregates[] = {"PT5M", "PT1H", "P1D", "P30D", "P1Y", NULL};

/* Per named aggregate, in stats_aggregates order: its length (P1Y: a
 * calendar year, 0 here) and its timeseries' default precision. */
static const long long aggregate_seconds[] = {STATS_SLOT_S, STATS_HOUR_S, STATS_DAY_S, 30 * (long long)STATS_DAY_S, 0};
static const long long aggregate_precision[] = {STATS_SLOT_S, STATS_SLOT_S, STATS_SLOT_S, STATS_HOUR_S, STATS_DAY_S};

const char *const stats_fields[] = {
	"average_pps_in",
	"average_pps_out",
	"average_ops_in",
	"average_ops_out",
	"average_eps_in",
	"average_eps_out",
	"average_dps_in",
	"average_dps_out",
	"percentile95_pps_in",
	"percentile95_pps_out",
	"percentile95_ops_in",
	"percentile95_ops_out",
	"maximum_pps_in",
	"maximum_pps_out",
	"maximum_ops_in",
	"maximum_ops_out",
	"accuracy",
	NULL,
};

static long long floor_to(long long t, long long step)
{
	long long r = t % step;
	return r < 0 ? t - r - step : t - r;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool stats_parse_time(const char *s, long long *out)
{
	if (!s || !util_is_rfc3339(s))
		return false;
	int year = 0, mon = 0, day = 0, hour = 0, min = 0, sec = 0;
	digits(s, 4, &year);
	digits(s + 5, 2, &mon);
	digits(s + 8, 2, &day);
	digits(s + 11, 2, &hour);
	digits(s + 14, 2, &min);
	digits(s + 17, 2, &sec);
	const char *rest = s + 19;
	if (*rest == '.')
		for (rest++; *rest >= '0' && *rest <= '9'; rest++)
			;
	long long offset = 0;
	if (*rest == '+' || *rest == '-') {
		int oh = 0, om = 0;
		digits(rest + 1, 2, &oh);
		digits(rest + 4, 2, &om);
		if (oh > 23 || om > 59)
			return false;
		offset = (oh * 60LL + om) * 60 * (*rest == '-' ? -1 : 1);
	}
	if (year < 1970 || mon < 1 || mon > 12 || day < 1 || hour > 23 || min > 59 || sec > 59)
		return false;
	struct tm tm = {.tm_year = year - 1900,
			.tm_mon = mon - 1,
			.tm_mday = day,
			.tm_hour = hour,
			.tm_min = min,
			.tm_sec = sec};
	time_t t = timegm(&tm);
	/* timegm() carries 31 April into May: a day the month lacks is refused */
	if (tm.tm_mday != day || tm.tm_mon != mon - 1)
		return false;
	*out = (long long)t - offset;
	return true;
}

long long stats_year_before(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	tm.tm_year -= 1;
	if (tm.tm_mon == 1 && tm.tm_mday == 29)
		tm.tm_mday = 28;
	return (long long)timegm(&tm);
}

long long stats_table_resolution(enum stats_table table)
{
	return table == STATS_5M ? STATS_SLOT_S : table == STATS_1H ? STATS_HOUR_S : STATS_DAY_S;
}

enum stats_table stats_table_for(long long start, long long now, const struct stats_retention *keep)
{
	if (start >= now - keep->raw_days * (long long)STATS_DAY_S)
		return STATS_5M;
	if (start >= now - keep->hourly_days * (long long)STATS_DAY_S)
		return STATS_1H;
	return STATS_1D;
}

static void window_finish(struct stats_window *w)
{
	w->resolution = stats_table_resolution(w->table);
	w->expected = (w->end - w->start) / STATS_SLOT_S;
	w->next_update = w->end + w->resolution;
}

static int aggregate_index(const char *name)
{
	for (int i = 0; stats_aggregates[i]; i++)
		if (strcmp(stats_aggregates[i], name) == 0)
			return i;
	return -1;
}

static long long named_start(int i, long long end)
{
	return aggregate_seconds[i] ? end - aggregate_seconds[i] : stats_year_before(end);
}

struct problem *stats_window_named(const char *aggregate, long long now, const struct stats_retention *keep,
				   struct stats_window *w)
{
	int i = aggregate_index(aggregate);
	if (i < 0)
		return problem_invalid("aggregate",
				       "\"%.16s\" is not an aggregate of ours: PT5M, PT1H, P1D, P30D, P1Y, or custom "
				       "with start and end.",
				       aggregate);
	memset(w, 0, sizeof(*w));
	snprintf(w->title, sizeof(w->title), "%s", aggregate);
	/* the table is the one holding the window's first sample; the window
	 * then ends with that table's last complete row */
	w->table = stats_table_for(named_start(i, floor_to(now, STATS_SLOT_S)), now, keep);
	long long res = stats_table_resolution(w->table);
	w->end = floor_to(now, res);
	w->start = floor_to(named_start(i, w->end), res);
	window_finish(w);
	return NULL;
}

struct problem *stats_window_custom(const char *title, const char *start, const char *end, long long now,
				    const struct stats_retention *keep, struct stats_window *w)
{
	long long s, e = now;
	if (!start)
		return problem_invalid("start", "Needed with end: the window is start to end (end defaults to now).");
	if (!stats_parse_time(start, &s))
		return problem_invalid("start", "Expected an RFC 3339 date-time such as 2026-01-31T12:00:00Z.");
	if (end && !stats_parse_time(end, &e))
		return problem_invalid("end", "Expected an RFC 3339 date-time such as 2026-01-31T12:00:00Z.");
	if (s >= e)
		return problem_invalid("start", "Must be before end.");
	if (s >= now)
		return problem_invalid("start", "Lies in the future: there are no statistics yet.");
	bool to_now = e >= now;
	if (e > now)
		e = now;
	memset(w, 0, sizeof(*w));
	snprintf(w->title, sizeof(w->title), "%s", title);
	w->table = stats_table_for(s, now, keep);
	long long res = stats_table_resolution(w->table);
	w->start = floor_to(s, res);
	w->end = floor_to(e, res);
	/* up to now on the 5-minute samples: the current slot too, as counted
	 * so far (traffic shows after the next poll, not once its slot is
	 * complete) */
	if (to_now && w->table == STATS_5M)
		w->end += res;
	if (w->start >= w->end)
		return problem_invalid("end",
				       "The window holds no complete %lld-second period of the statistics kept for it "
				       "(they cover whole periods up to the last complete one).",
				       res);
	window_finish(w);
	if (to_now && w->table == STATS_5M)
		w->next_update = w->end; /* the current slot grows at each poll until then */
	return NULL;
}

long long stats_points(const struct stats_window *w, long long precision)
{
	return (w->end - w->start + precision - 1) / precision;
}

long long stats_bucket_start(const struct stats_window *w, long long precision, long long slot)
{
	return w->start + floor_to(slot - w->start, precision);
}

long long stats_bucket_expected(const struct stats_window *w, long long precision, long long bucket)
{
	long long end = bucket + precision < w->end ? bucket + precision : w->end;
	return end > bucket ? (end - bucket) / STATS_SLOT_S : 0;
}

struct problem *stats_precision(const char *text, const struct stats_window *w, long long *out)
{
	static const long long candidates[] = {300, 900, 3600, 21600, 86400, 604800};
	const size_t n = sizeof(candidates) / sizeof(candidates[0]);
	if (!text) {
		int i = aggregate_index(w->title);
		long long least = i >= 0 ? aggregate_precision[i] : STATS_SLOT_S;
		/* a named aggregate's default, a custom window's about 1,000
		 * points; either a multiple of what the table holds */
		for (size_t k = 0; k < n; k++) {
			long long c = candidates[k];
			if (c >= least && c % w->resolution == 0 &&
			    stats_points(w, c) <= (i >= 0 ? STATS_MAX_POINTS : 1000)) {
				*out = c;
				return NULL;
			}
		}
		*out = candidates[n - 1];
		return NULL;
	}
	long long p;
	if (!util_parse_ll(text, 1, 100LL * 366 * STATS_DAY_S, &p) || p % STATS_SLOT_S != 0)
		return problem_invalid("precision",
				       "Expected a whole number of seconds, a multiple of 300 (5 minutes).");
	if (p % w->resolution != 0)
		return problem_invalid(
			"precision",
			"The statistics of this window are kept as %lld-second rollups (5-minute samples "
			"only for the most recent days): the precision must be a multiple of %lld.",
			w->resolution, w->resolution);
	long long points = stats_points(w, p);
	if (points > STATS_MAX_POINTS)
		return problem_invalid("precision",
				       "Gives %lld points over the window; at most %d: choose a larger precision or a "
				       "shorter window.",
				       points, STATS_MAX_POINTS);
	*out = p;
	return NULL;
}

double stats_accuracy(long long present, long long expected)
{
	if (expected <= 0 || present <= 0)
		return 0.0;
	return present >= expected ? 1.0 : (double)present / (double)expected;
}

struct problem *stats_fields_parse(const char *text, int *out, size_t *count)
{
	const char *s = text ? text : STATS_DEFAULT_FIELDS;
	size_t k = 0;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		int found = -1;
		for (int i = 0; stats_fields[i] && found < 0; i++)
			if (strlen(stats_fields[i]) == len && strncmp(stats_fields[i], s, len) == 0)
				found = i;
		if (found < 0)
			return problem_invalid("fields",
					       "\"%.*s\" is not a field of the timeseries: a comma-separated list of "
					       "average_{pps,ops,eps,dps}_{in,out}, percentile95_{pps,ops}_{in,out}, "
					       "maximum_{pps,ops}_{in,out}, accuracy.",
					       (int)(len > 40 ? 40 : len), s);
		if (k == STATS_FIELDS_MAX)
			return problem_invalid("fields", "At most %d fields.", STATS_FIELDS_MAX);
		out[k++] = found;
		if (!comma)
			break;
		s = comma + 1;
	}
	*count = k;
	return NULL;
}
