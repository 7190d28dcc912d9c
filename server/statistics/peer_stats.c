/*
 * Peer statistics and RTT handlers (see peer_stats.h): query parameters
 * checked here (a MAC by mac_normalise, an address by inet_pton, the
 * aggregate by name), windows by peer_stats_window() in SQL.
 */
#include "statistics/peer_stats.h"

#include "app.h"
#include "core/mac.h"
#include "core/util.h"
#include "statistics/peer_stats_db.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct filter_spec peer_statistics_filters[] = {
	{"start", FILTER_TIME, NULL},
	{"end", FILTER_TIME, NULL},
	{NULL, 0, NULL},
};

const struct filter_spec peer_timeseries_filters[] = {
	{"peer", FILTER_TEXT, NULL},
	{"start", FILTER_TIME, NULL},
	{"end", FILTER_TIME, NULL},
	{"fields", FILTER_TEXT, NULL},
	{NULL, 0, NULL},
};

/* asn and after are checked here: FILTER_INT stops at 2^31 - 1, an ASN
 * and a serial go beyond */
const struct filter_spec rtt_statistics_filters[] = {
	{"asn", FILTER_TEXT, NULL},
	{"ip", FILTER_TEXT, NULL},
	{"after", FILTER_TEXT, NULL},
	{NULL, 0, NULL},
};

struct problem *peer_statistics_list(struct request *req, struct response *res)
{
	struct filter_values v;
	struct problem *p = filters_parse(req, peer_statistics_filters, &v);
	if (p)
		return p;
	const char *start = v.values[0], *end = v.values[1];
	char *json = NULL;
	if (end && !start)
		p = problem_invalid("start", "A custom window needs start (end defaults to now).");
	else {
		struct actor a = request_actor(req);
		p = peer_stats_db_list(req->app->pool, &a, req->params[0], start, end, &json);
	}
	filters_clear(&v);
	return response_from(res, 200, p, json);
}

static const struct {
	const char *name, *title;
	long long seconds;
} aggregates[] = {
	{"PT5M", "5 minutes", 300},
	{"P1D", "1 day", 86400},
	{"P30D", "30 days", 30 * 86400},
	{"custom", "custom", 0},
};

static const char *const timeseries_fields[] = {"average_pps_in", "average_pps_out", "average_ops_in",
						"average_ops_out"};

/* The fields parameter as a text[] literal (caller frees); the default
 * when absent. */
static struct problem *fields_literal(const char *fields, char **out)
{
	struct strbuf b = {0};
	strbuf_puts(&b, "{");
	if (!fields) {
		strbuf_puts(&b, "average_pps_in,average_pps_out,average_ops_in,average_ops_out}");
		*out = b.text;
		return NULL;
	}
	char *copy = xstrdup(fields), *save = NULL;
	size_t n = 0;
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		bool known = false;
		for (size_t i = 0; i < sizeof(timeseries_fields) / sizeof(timeseries_fields[0]); i++)
			known = known || strcmp(f, timeseries_fields[i]) == 0;
		if (!known || n == 16) {
			free(copy);
			free(b.text);
			return problem_invalid("fields", "fields is a comma list of average_pps_in, average_pps_out, "
							 "average_ops_in and average_ops_out.");
		}
		strbuf_puts(&b, n++ ? "," : "");
		strbuf_puts(&b, f);
	}
	free(copy);
	if (n == 0) {
		free(b.text);
		return problem_invalid("fields", "fields names at least one field.");
	}
	strbuf_puts(&b, "}");
	*out = b.text;
	return NULL;
}

struct problem *peer_statistics_timeseries(struct request *req, struct response *res)
{
	struct filter_values v;
	struct problem *p = filters_parse(req, peer_timeseries_filters, &v);
	if (p)
		return p;
	const char *peer = v.values[0], *start = v.values[1], *end = v.values[2];
	char mac[18], *fields = NULL, *json = NULL, from[32], to[32];
	size_t agg = 0;
	while (agg < sizeof(aggregates) / sizeof(aggregates[0]) && strcmp(aggregates[agg].name, req->params[1]) != 0)
		agg++;
	if (agg == sizeof(aggregates) / sizeof(aggregates[0])) {
		p = problem_new(PROBLEM_NOT_FOUND, "No aggregate %s: PT5M, P1D, P30D or custom (with start and end).",
				req->params[1]);
		goto out;
	}
	if (!peer) {
		p = problem_invalid("peer", "peer names the peer by its MAC address.");
		goto out;
	}
	enum mac_verdict verdict = mac_normalise(peer, mac);
	if (verdict != MAC_OK) {
		p = problem_invalid("peer", "peer: %s", mac_verdict_reason(verdict));
		goto out;
	}
	if ((p = fields_literal(v.values[3], &fields)))
		goto out;
	if (aggregates[agg].seconds == 0 && !start) {
		p = problem_invalid("start", "The custom aggregate needs start (end defaults to now).");
		goto out;
	}
	if (aggregates[agg].seconds != 0 && (start || end)) {
		p = problem_invalid("start", "start and end go with the custom aggregate only.");
		goto out;
	}
	if (!start) {
		/* the aggregate's window, ending with the current 5-minute slot */
		long long edge = (long long)time(NULL) / 300 * 300 + 300;
		util_rfc3339(edge - aggregates[agg].seconds, from, sizeof(from));
		util_rfc3339(edge, to, sizeof(to));
		start = from;
		end = to;
	}
	struct actor a = request_actor(req);
	p = peer_stats_db_timeseries(req->app->pool, &a, req->params[0], mac, aggregates[agg].title, start, end, fields,
				     &json);
out:
	free(fields);
	filters_clear(&v);
	return response_from(res, 200, p, json);
}

struct problem *rtt_statistics_list(struct request *req, struct response *res)
{
	struct filter_values v;
	struct problem *p = filters_parse(req, rtt_statistics_filters, &v);
	if (p)
		return p;
	char *json = NULL, ip[INET6_ADDRSTRLEN];
	const char *ip_param = NULL;
	long long n;
	if (v.values[0] && !util_parse_ll(v.values[0], 0, 4294967295LL, &n)) {
		p = problem_invalid("asn", "asn is an AS number (0 to 4294967295).");
		goto out;
	}
	if (v.values[2] && !util_parse_ll(v.values[2], 0, INT64_MAX, &n)) {
		p = problem_invalid("after", "after is a serial (a whole number).");
		goto out;
	}
	if (v.values[1]) {
		unsigned char buf[16];
		int family = strchr(v.values[1], ':') ? AF_INET6 : AF_INET;
		if (inet_pton(family, v.values[1], buf) != 1 || !inet_ntop(family, buf, ip, sizeof(ip))) {
			p = problem_invalid("ip", "ip is an IPv4 or IPv6 address.");
			goto out;
		}
		ip_param = ip;
	}
	struct actor a = request_actor(req);
	p = peer_stats_db_rtt(req->app->pool, &a, req->params[0], v.values[0], ip_param, v.values[2], &json);
out:
	filters_clear(&v);
	return response_from(res, 200, p, json);
}
