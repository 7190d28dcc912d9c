/*
 * Side-by-side latency of two requests, for `make bench`: sends A, then B,
 * then A again and so on, one at a time, until SECONDS have passed and
 * each has been sent at least MIN times, and prints the mean latency of
 * each in milliseconds. Alternating request by request puts both under
 * the same load of a shared, noisy machine, so their ratio means something
 * even when the absolute figures wander.
 *
 * A target is a URL (GET over one keep-alive connection, with the -H
 * headers) or "pg:" and an SQL statement (run over one libpq connection to
 * $DATABASE_URL, the way pgbench -n runs a script: the simple query
 * protocol, the whole result read). One unmeasured warm-up request each
 * comes first. Any answer that is not 2xx (or an SQL error) ends the run
 * with status 1: a benchmark of error answers measures nothing.
 *
 * Usage: latency [-H HEADER]... SECONDS MIN A B
 * Prints: "MEAN_A_MS MEAN_B_MS COUNT_A COUNT_B BYTES_A BYTES_B"
 */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct target {
	const char *spec;
	CURL *curl;
	PGconn *pg;
	double total_ms;
	long count;
	size_t bytes; /* of the last answer */
	size_t received;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t count_bytes(char *data, size_t size, size_t nmemb, void *arg)
{
	(void)data;
	struct target *t = arg;
	t->received += size * nmemb;
	return size * nmemb;
}

static bool is_sql(const struct target *t)
{
	return strncmp(t->spec, "pg:", 3) == 0;
}

static int target_open(struct target *t, struct curl_slist *headers)
{
	if (is_sql(t)) {
		const char *url = getenv("DATABASE_URL");
		t->pg = PQconnectdb(url ? url : "");
		if (PQstatus(t->pg) != CONNECTION_OK) {
			fprintf(stderr, "latency: %s", PQerrorMessage(t->pg));
			return -1;
		}
		return 0;
	}
	t->curl = curl_easy_init();
	if (!t->curl)
		return -1;
	curl_easy_setopt(t->curl, CURLOPT_URL, t->spec);
	curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, count_bytes);
	curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->curl, CURLOPT_TIMEOUT, 30L);
	return 0;
}

/* One request; its latency is added to t unless warm_up. */
static int target_send(struct target *t, bool warm_up)
{
	int rc = -1;
	PGresult *res = NULL;
	t->received = 0;
	double start = now_ms();
	if (is_sql(t)) {
		res = PQexec(t->pg, t->spec + 3);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "latency: %s: %s", t->spec, PQerrorMessage(t->pg));
			goto out;
		}
		for (int r = 0; r < PQntuples(res); r++)
			for (int c = 0; c < PQnfields(res); c++)
				t->received += (size_t)PQgetlength(res, r, c);
	} else {
		CURLcode cc = curl_easy_perform(t->curl);
		long status = 0;
		curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
		if (cc != CURLE_OK || status < 200 || status > 299) {
			fprintf(stderr, "latency: GET %s answered %ld (%s)\n", t->spec, status,
				cc == CURLE_OK ? "not 2xx" : curl_easy_strerror(cc));
			goto out;
		}
	}
	double elapsed = now_ms() - start;
	t->bytes = t->received;
	if (!warm_up) {
		t->total_ms += elapsed;
		t->count++;
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
}

static void target_close(struct target *t)
{
	if (t->curl)
		curl_easy_cleanup(t->curl);
	if (t->pg)
		PQfinish(t->pg);
}

int main(int argc, char **argv)
{
	struct curl_slist *headers = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "H:")) != -1) {
		if (opt != 'H') {
			fprintf(stderr, "usage: latency [-H HEADER]... SECONDS MIN A B\n");
			return 2;
		}
		headers = curl_slist_append(headers, optarg);
	}
	if (argc - optind != 4) {
		fprintf(stderr, "usage: latency [-H HEADER]... SECONDS MIN A B\n");
		return 2;
	}
	double seconds = atof(argv[optind]);
	long min_count = atol(argv[optind + 1]);
	struct target t[2] = {{.spec = argv[optind + 2]}, {.spec = argv[optind + 3]}};
	int rc = 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (target_open(&t[0], headers) != 0 || target_open(&t[1], headers) != 0)
		goto out;
	if (target_send(&t[0], true) != 0 || target_send(&t[1], true) != 0)
		goto out;
	double end = now_ms() + seconds * 1e3;
	while (now_ms() < end || t[0].count < min_count || t[1].count < min_count)
		for (int i = 0; i < 2; i++)
			if (target_send(&t[i], false) != 0)
				goto out;
	printf("%.3f %.3f %ld %ld %zu %zu\n", t[0].total_ms / t[0].count, t[1].total_ms / t[1].count, t[0].count,
	       t[1].count, t[0].bytes, t[1].bytes);
	rc = 0;
out:
	target_close(&t[0]);
	target_close(&t[1]);
	curl_slist_free_all(headers);
	curl_global_cleanup();
	return rc;
}
