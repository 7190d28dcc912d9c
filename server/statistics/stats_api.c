/*
 * The statistics handlers (see stats_api.h): input is checked first (pure,
 * stats_window.c), then one pooled connection resolves the object as the
 * caller sees it (404 otherwise) and runs one statement per aggregate, or
 * one for a timeseries. Nothing is written.
 *
 * The answer's times: `created_at` is when it was computed (the samples
 * are read at each request), `next_update_at` when the next row of the
 * window's table completes. Numbers: rates per second; packets and octets
 * as integers, errors and discards as floats.
 */
#include "statistics/stats_api.h"

#include "app.h"
#include "core/config.h"
#include "core/util.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct filter_spec stats_query[] = {
	{"start", FILTER_TIME, NULL},
	{"end", FILTER_TIME, NULL},
	{NULL, FILTER_TEXT, NULL},
};
const struct filter_spec stats_timeseries_query[] = {
	{"start", FILTER_TIME, NULL},    {"end", FILTER_TIME, NULL}, {"fields", FILTER_TEXT, NULL},
	{"precision", FILTER_INT, NULL}, {NULL, FILTER_TEXT, NULL},
};

const enum stats_object stats_of_port = STATS_PORT, stats_of_connection = STATS_CONNECTION,
			stats_of_config = STATS_CONFIG, stats_of_service = STATS_SERVICE;

/* The collector's retention (IXAPI_STATS_RAW_DAYS, IXAPI_STATS_HOURLY_DAYS):
 * which table holds a window. */
static struct stats_retention retention(const struct request *req)
{
	return (struct stats_retention){.raw_days = req->app->cfg->stats_raw_days,
					.hourly_days = req->app->cfg->stats_hourly_days};
}

/* stats_fields: which are floats (errors, discards, accuracy) and which
 * integers the IX-API requires (the averages: 0 when nothing was found). */
static bool field_is_float(int i)
{
	return (i >= 4 && i <= 7) || i == 16;
}

static json_t *field_value(const PGresult *res, int row, int i)
{
	const char *v = db_get(res, row, stats_fields[i]);
	if (!v)
		return i <= 3 ? json_integer(0) : json_null();
	return field_is_float(i) ? json_real(strtod(v, NULL)) : json_integer(strtoll(v, NULL, 10));
}

static json_t *time_value(long long t)
{
	char buf[32];
	util_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *aggregate_json(const PGresult *res, const struct stats_window *w, const struct stats_target *t,
			      enum stats_object kind, long long now)
{
	json_t *j = json_object();
	json_object_set_new(j, "title", json_string(w->title));
	json_object_set_new(j, "start", time_value(w->start));
	json_object_set_new(j, "end", time_value(w->end));
	json_object_set_new(j, "accuracy", json_real(stats_accuracy(atoll(db_get(res, 0, "present")), w->expected)));
	json_object_set_new(j, "created_at", time_value(now));
	json_object_set_new(j, "next_update_at", time_value(w->next_update));
	for (int i = 0; stats_fields[i]; i++)
		if (strcmp(stats_fields[i], "accuracy") != 0)
			json_object_set_new(j, stats_fields[i], field_value(res, 0, i));
	json_object_set_new(j, "maximum_in_at", text_or_null(db_get(res, 0, "maximum_in_at")));
	json_object_set_new(j, "maximum_out_at", text_or_null(db_get(res, 0, "maximum_out_at")));
	if (kind == STATS_CONFIG && t->capacity_mbps >= 0) {
		/* what is left of the config's capacity at its busier
		 * direction's 95th percentile, in Mbps */
		const char *in = db_get(res, 0, "percentile95_ops_in"), *out = db_get(res, 0, "percentile95_ops_out");
		long long ops = 0;
		if (in && atoll(in) > ops)
			ops = atoll(in);
		if (out && atoll(out) > ops)
			ops = atoll(out);
		long long left = t->capacity_mbps - (ops * 8 + 999999) / 1000000;
		json_object_set_new(j, "nsc_available_capacity", json_integer(left > 0 ? left : 0));
	}
	return j;
}

struct stats_call {
	struct request *req;
	enum stats_object kind;
	struct stats_target target;
	PGconn *conn;
};

/* Acquires a connection and resolves the object (404 when the caller may
 * not read its statistics). */
static struct problem *call_begin(struct stats_call *c, struct request *req)
{
	memset(c, 0, sizeof(*c));
	c->req = req;
	c->kind = *(const enum stats_object *)req->route->data;
	struct problem *p = db_acquire(req->app->pool, &c->conn);
	if (p)
		return p;
	struct actor actor = request_actor(req);
	return stats_db_target(c->conn, c->kind, req->params[0], &actor, &c->target);
}

static void call_end(struct stats_call *c)
{
	if (c->conn)
		db_release(c->req->app->pool, c->conn);
	stats_target_clear(&c->target);
}

struct problem *stats_read(struct request *req, struct response *res)
{
	struct stats_retention keep = retention(req);
	long long now = util_now_s();
	const char *start = request_query(req, "start"), *end = request_query(req, "end");
	struct stats_window windows[8];
	size_t n = 0;
	/* what the caller may not see is a 404 whatever it asks */
	struct stats_call c;
	struct problem *p = call_begin(&c, req);
	if (!p && (start || end))
		p = stats_window_custom("custom", start, end, now, &keep, &windows[n++]);
	else
		for (; !p && stats_aggregates[n]; n++)
			p = stats_window_named(stats_aggregates[n], now, &keep, &windows[n]);
	json_t *j_aggregates = json_object();
	for (size_t i = 0; i < n && !p; i++) {
		PGresult *r = NULL;
		p = stats_db_aggregate(c.conn, &c.target, &windows[i], &r);
		if (!p)
			json_object_set_new(j_aggregates, windows[i].title,
					    aggregate_json(r, &windows[i], &c.target, c.kind, now));
		PQclear(r);
	}
	call_end(&c);
	if (p) {
		json_decref(j_aggregates);
		return p;
	}
	json_t *j = json_pack("{s:o}", "aggregates", j_aggregates);
	if (c.kind == STATS_PORT) {
		/* the switch adapters report no optics */
		json_object_set_new(j, "light_levels_tx", json_array());
		json_object_set_new(j, "light_levels_rx", json_array());
	}
	response_json(res, 200, j);
	return NULL;
}

struct problem *stats_timeseries_read(struct request *req, struct response *res)
{
	struct stats_retention keep = retention(req);
	long long now = util_now_s();
	const char *aggregate = req->params[1];
	const char *start = request_query(req, "start"), *end = request_query(req, "end");
	struct stats_window w;
	/* what the caller may not see is a 404 whatever it asks */
	struct stats_call c;
	struct problem *p = call_begin(&c, req);
	if (p) {
		/* nothing to do */
	} else if (strcmp(aggregate, "custom") == 0 || start || end) {
		p = stats_window_custom("custom", start, end, now, &keep, &w);
		/* a named aggregate over a window of its own keeps its name (and
		 * its default precision) */
		if (!p && strcmp(aggregate, "custom") != 0) {
			struct stats_window named;
			p = stats_window_named(aggregate, now, &keep, &named);
			snprintf(w.title, sizeof(w.title), "%s", named.title);
		}
	} else {
		p = stats_window_named(aggregate, now, &keep, &w);
	}
	long long precision = 0;
	int fields[STATS_FIELDS_MAX];
	size_t nfields = 0;
	if (!p)
		p = stats_precision(request_query(req, "precision"), &w, &precision);
	if (!p)
		p = stats_fields_parse(request_query(req, "fields"), fields, &nfields);
	bool with_percentiles = false;
	for (size_t i = 0; i < nfields; i++)
		if (strncmp(stats_fields[fields[i]], "percentile95_", 13) == 0)
			with_percentiles = true;

	PGresult *r = NULL;
	if (!p)
		p = stats_db_timeseries(c.conn, &c.target, &w, precision, with_percentiles, &r);
	call_end(&c);
	if (p) {
		PQclear(r);
		return p;
	}
	json_t *j_fields = json_array(), *j_samples = json_array();
	for (size_t i = 0; i < nfields; i++)
		json_array_append_new(j_fields, json_string(stats_fields[fields[i]]));
	for (int row = 0; row < PQntuples(r); row++) {
		long long t = atoll(db_get(r, row, "t"));
		json_t *j_sample = json_array();
		json_array_append_new(j_sample, time_value(t));
		for (size_t i = 0; i < nfields; i++) {
			if (strcmp(stats_fields[fields[i]], "accuracy") == 0)
				json_array_append_new(
					j_sample, json_real(stats_accuracy(atoll(db_get(r, row, "present")),
									   stats_bucket_expected(&w, precision, t))));
			else
				json_array_append_new(j_sample, field_value(r, row, fields[i]));
		}
		json_array_append_new(j_samples, j_sample);
	}
	PQclear(r);
	json_t *j =
		json_pack("{s:s, s:I, s:o, s:o, s:s, s:o, s:o}", "title", w.title, "precision", (json_int_t)precision,
			  "created_at", time_value(now), "next_update_at", time_value(w.next_update), "origin_timezone",
			  "UTC", "fields", j_fields, "samples", j_samples);
	response_json(res, 200, j);
	return NULL;
}
