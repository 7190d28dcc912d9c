/*
 * A controllable switch adapter for the workers' fault tests (adapter
 * protocol v1: GET /v1/health, PUT and GET /v1/ports/{port}, POST
 * /v1/ports/{port}/captures, GET /v1/captures/{id} and GET /v1/counters), on
 * libmicrohttpd, one thread per connection so a hanging answer holds up
 * nothing else. It keeps the ports' state in memory, checks the bearer
 * secret, replays the answer of a repeated Idempotency-Key (per key, method
 * and path, as the protocol says; the last 1,000),
 * and appends every request (method, path, key, whether the secret was
 * right, body, time) to a JSON-lines file that survives its restarts.
 *
 * Control (no secret; tests only):
 *   POST /control/fail  {"count": n, "status": 503}  the next n PUTs fail
 *   POST /control/hang  {"count": n, "ms": t}        the next n PUTs wait t ms
 *   POST /control/capture {"report": {"frames": n, "classes": [...],
 *                          "probe_answers": [...]}, "running_ms": t}
 *        the captures started from now on report this (each with its own
 *        id, port and seconds) and stay "running" t ms (default: their
 *        seconds); without it a capture reports silence (no frame)
 *   POST /control/boot {"boot_id": "b-2", "hold_ms": t}  GET /v1/health answers this boot_id
 *        from now on (without one: a new random one), as after a restart;
 *        health requests until t ms from now are all answered at that moment
 *        (nodes that check at different times then record it concurrently)
 *   POST /control/counters {"at": ..., "ports": [...]}  GET /v1/counters answers this text
 *        verbatim from now on (uint64 values beyond jansson's int64 pass through); before it:
 *        {"at": now, "ports": []}
 *   POST /control/counters_fail {"count": n, "status": 503}  the next n GET /v1/counters fail
 *   POST /control/reset                              no failures, no hangs, silent captures,
 *                                                    no route-server refusals or session states
 *
 * It is a route-server adapter too (openapi/adapter-rs.json): PUT
 * /v1/route-servers/{server} keeps the desired state (recorded whole, the
 * passwords included: the test reads what ixapid sent), GET
 * /v1/route-servers/{server} answers each session of it with one family
 * per address, "down" with the session's limit unless told otherwise, POST
 * .../sessions/{id}/enable clears a limit hit.
 *   POST /control/rs_refuse {"count": n, "detail": "bird.conf.new:3:1 ..."}
 *        the next n PUTs of a route server are refused (400, that detail)
 *   POST /control/rs_session {"server": "rs1", "id": "12", "state": {...}}
 *        what GET reports for that session's family (merged over the default)
 *
 * GET /v1/health answers `"ports": []` (the adapter takes any port) and a
 * boot_id that is random at each start: a restart is a new boot.
 *
 * Usage: test_adapter PORT SECRET_FILE LOG_FILE
 */
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define KEYS_KEPT 1000
#define BODY_MAX  (64 * 1024)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char secret[4096];
static const char *log_path;
static json_t *ports; /* name -> state */
static int fail_count, fail_status = 503, hang_count, hang_ms;
static struct {
	char key[600]; /* method, path and Idempotency-Key */
	int status;
	char *body;
} keys[KEYS_KEPT];
static int key_next;
static json_t *capture_report; /* what captures started now will report */
static int capture_running_ms; /* -1: the capture's seconds */
static json_t *captures;       /* id -> {port, seconds, started, running_ms, report} */
static int capture_next;
static char boot_id[129];        /* GET /v1/health; new at each start */
static double health_hold_until; /* health answers wait until then */
static json_t *rs_desired;       /* server -> the last desired state PUT */
static json_t *rs_overrides;     /* "server/id" -> family state members */
static int rs_refuse_count;
static char rs_refuse_detail[512];
static char *counters_answer; /* GET /v1/counters, verbatim; NULL: none set */
static int counters_fail_count, counters_fail_status = 503;

struct upload {
	char data[BODY_MAX + 1];
	size_t len;
	int too_big;
};

static double now_s(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* One line of the request log (takes the reference). */
static void log_request(json_t *j)
{
	char *line = json_dumps(j, JSON_COMPACT);
	FILE *f = fopen(log_path, "a");
	if (f) {
		fprintf(f, "%s\n", line);
		fclose(f);
	}
	free(line);
	json_decref(j);
}

static void record(const char *method, const char *url, const char *key, int auth_ok, const char *body, int status)
{
	json_t *j = json_pack("{s:s, s:s, s:s?, s:b, s:s, s:f, s:i}", "method", method, "path", url, "key", key,
			      "auth_ok", auth_ok, "body", body ? body : "", "at", now_s(), "status", status);
	log_request(j);
}

/* record(), with the answer given (captures: which id a key got). */
static void record_reply(const char *method, const char *url, const char *key, const char *body, int status,
			 const char *answer)
{
	json_t *j = json_pack("{s:s, s:s, s:s?, s:b, s:s, s:f, s:i, s:s}", "method", method, "path", url, "key", key,
			      "auth_ok", 1, "body", body ? body : "", "at", now_s(), "status", status, "reply", answer);
	log_request(j);
}

static enum MHD_Result reply(struct MHD_Connection *c, int status, const char *body, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, "Content-Type", type);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result problem(struct MHD_Connection *c, int status, const char *title, const char *detail)
{
	json_t *j = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title", title, "status", status, "detail",
			      detail);
	char *text = json_dumps(j, JSON_COMPACT);
	enum MHD_Result ret = reply(c, status, text, "application/problem+json");
	free(text);
	json_decref(j);
	return ret;
}

/* What a remembered answer is found by: method, path and key. */
static void slot_key(const char *method, const char *url, const char *key, char *out, size_t out_len)
{
	snprintf(out, out_len, "%s %.256s %.200s", method, url, key);
}

static void remember(const char *method, const char *url, const char *key, int status, const char *body)
{
	if (!key || !*key)
		return;
	free(keys[key_next].body);
	slot_key(method, url, key, keys[key_next].key, sizeof(keys[key_next].key));
	keys[key_next].status = status;
	keys[key_next].body = strdup(body);
	key_next = (key_next + 1) % KEYS_KEPT;
}

/* A repeated key's stored answer (copied) or NULL; status into *status. */
static char *replay(const char *method, const char *url, const char *key, int *status)
{
	char *copy = NULL, want[600];
	if (!key || !*key)
		return NULL;
	slot_key(method, url, key, want, sizeof(want));
	pthread_mutex_lock(&lock);
	for (int i = 0; i < KEYS_KEPT; i++)
		if (keys[i].body && strcmp(keys[i].key, want) == 0) {
			copy = strdup(keys[i].body);
			*status = keys[i].status;
			break;
		}
	pthread_mutex_unlock(&lock);
	return copy;
}

static enum MHD_Result handle_put(struct MHD_Connection *c, const char *url, const char *port, const char *key,
				  const char *body)
{
	pthread_mutex_lock(&lock);
	int hang = 0, fail = 0;
	if (hang_count > 0) {
		hang_count--;
		hang = hang_ms;
	}
	if (fail_count > 0) {
		fail_count--;
		fail = fail_status;
	}
	pthread_mutex_unlock(&lock);
	if (hang)
		usleep((useconds_t)hang * 1000);
	if (fail) {
		record("PUT", url, key, 1, body, fail);
		return problem(c, fail, "Switch unavailable", "the switch does not answer (injected)");
	}
	int replayed = 0;
	char *again = replay("PUT", url, key, &replayed);
	if (again) {
		record("PUT", url, key, 1, body, replayed);
		enum MHD_Result ret = reply(c, replayed, again, "application/json");
		free(again);
		return ret;
	}
	json_t *j = json_loads(body, 0, NULL);
	if (!json_is_object(j) || !json_is_string(json_object_get(j, "admin_state"))) {
		json_decref(j);
		record("PUT", url, key, 1, body, 400);
		return problem(c, 400, "Bad desired state", "admin_state missing");
	}
	char at[32];
	time_t t = time(NULL);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	json_object_set_new(j, "port", json_string(port));
	json_object_set_new(j, "oper_state", json_string(json_string_value(json_object_get(j, "admin_state"))));
	json_object_set_new(j, "applied_at", json_string(at));
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	pthread_mutex_lock(&lock);
	json_object_set(ports, port, j);
	remember("PUT", url, key, 200, text);
	pthread_mutex_unlock(&lock);
	record("PUT", url, key, 1, body, 200);
	enum MHD_Result ret = reply(c, 200, text, "application/json");
	free(text);
	json_decref(j);
	return ret;
}

static enum MHD_Result handle_capture_start(struct MHD_Connection *c, const char *url, const char *port,
					    const char *key, const char *body)
{
	int status = 0;
	char *again = replay("POST", url, key, &status);
	if (again) {
		record_reply("POST", url, key, body, status, again);
		enum MHD_Result ret = reply(c, status, again, "application/json");
		free(again);
		return ret;
	}
	json_t *j = json_loads(body, 0, NULL);
	json_int_t seconds = json_integer_value(json_object_get(j, "seconds"));
	json_t *probes = json_object_get(j, "probes");
	json_t *source = json_object_get(j, "probe_source");
	if (seconds < 1 || seconds > 60 || !json_is_array(json_object_get(probes, "arp")) ||
	    !json_is_array(json_object_get(probes, "nd")) || !json_is_string(json_object_get(source, "mac"))) {
		json_decref(j);
		record("POST", url, key, 1, body, 400);
		return problem(c, 400, "Bad capture request", "seconds 1..60, probes.arp, probes.nd, probe_source.mac");
	}
	json_decref(j);
	pthread_mutex_lock(&lock);
	char id[32];
	snprintf(id, sizeof(id), "c-%d", ++capture_next);
	json_t *cap = json_pack("{s:s, s:I, s:f, s:i, s:O}", "port", port, "seconds", seconds, "started", now_s(),
				"running_ms", capture_running_ms >= 0 ? capture_running_ms : (int)seconds * 1000,
				"report", capture_report);
	json_object_set_new(captures, id, cap);
	json_t *answer = json_pack("{s:s, s:s}", "id", id, "state", "running");
	char *text = json_dumps(answer, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(answer);
	remember("POST", url, key, 202, text);
	pthread_mutex_unlock(&lock);
	record_reply("POST", url, key, body, 202, text);
	enum MHD_Result ret = reply(c, 202, text, "application/json");
	free(text);
	return ret;
}

static enum MHD_Result handle_capture_get(struct MHD_Connection *c, const char *url, const char *id)
{
	pthread_mutex_lock(&lock);
	json_t *cap = json_object_get(captures, id);
	json_t *out = NULL;
	if (cap) {
		double started = json_real_value(json_object_get(cap, "started"));
		double running = (double)json_integer_value(json_object_get(cap, "running_ms")) / 1000.0;
		bool done = now_s() >= started + running;
		out = json_pack("{s:s, s:O, s:s, s:O}", "id", id, "port", json_object_get(cap, "port"), "state",
				done ? "done" : "running", "seconds", json_object_get(cap, "seconds"));
		if (done) {
			json_t *rep = json_object_get(cap, "report");
			json_object_set(out, "frames", json_object_get(rep, "frames"));
			json_object_set(out, "classes", json_object_get(rep, "classes"));
			json_object_set(out, "probe_answers", json_object_get(rep, "probe_answers"));
		}
	}
	pthread_mutex_unlock(&lock);
	if (!out) {
		record("GET", url, NULL, 1, "", 404);
		return problem(c, 404, "Not Found", "no such capture");
	}
	char *text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(out);
	record("GET", url, NULL, 1, "", 200);
	enum MHD_Result ret = reply(c, 200, text, "application/json");
	free(text);
	return ret;
}

static void new_boot_id(void)
{
	unsigned char raw[8];
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		memset(raw, (int)getpid(), sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(boot_id + 2 * i, 3, "%02x", raw[i]);
}

/* The route-server part: /v1/route-servers/{server}[/sessions/{id}/enable]. */
static json_t *rs_family_state(const char *server, json_t *session, const char *family)
{
	bool v6 = strcmp(family, "ipv6") == 0;
	json_t *limit = json_object_get(session, v6 ? "max_prefix_v6" : "max_prefix_v4");
	char proto[96], key[160];
	snprintf(proto, sizeof(proto), "s_%s_%s", json_string_value(json_object_get(session, "id")), v6 ? "v6" : "v4");
	json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:n, s:s, s:n, s:b, s:O, s:i, s:i, s:i, s:i}", "family", family,
			      "protocol", proto, "state", "down", "bgp_state", "Active", "since", "info", "",
			      "last_error", "limit_hit", 0, "receive_limit", limit ? limit : json_null(), "received", 0,
			      "accepted", 0, "filtered", 0, "exported", 0);
	snprintf(key, sizeof(key), "%s/%s", server, json_string_value(json_object_get(session, "id")));
	json_object_update(f, json_object_get(rs_overrides, key));
	return f;
}

static json_t *rs_session_state(const char *server, json_t *session)
{
	json_t *fams = json_array();
	if (json_is_string(json_object_get(session, "ipv4")))
		json_array_append_new(fams, rs_family_state(server, session, "ipv4"));
	if (json_is_string(json_object_get(session, "ipv6")))
		json_array_append_new(fams, rs_family_state(server, session, "ipv6"));
	return json_pack("{s:O, s:O, s:O, s:o}", "id", json_object_get(session, "id"), "peer_asn",
			 json_object_get(session, "peer_asn"), "filtering", json_object_get(session, "filtering"),
			 "families", fams);
}

/* A route server's answer to a PUT (takes the reference to answer):
 * remembered for the key's replays, recorded, sent. */
static enum MHD_Result rs_answer_put(struct MHD_Connection *c, const char *url, const char *key, const char *body,
				     int status, json_t *answer, const char *type)
{
	char *text = json_dumps(answer, JSON_COMPACT);
	json_decref(answer);
	pthread_mutex_lock(&lock);
	remember("PUT", url, key, status, text);
	pthread_mutex_unlock(&lock);
	record("PUT", url, key, 1, body, status);
	enum MHD_Result ret = reply(c, status, text, type);
	free(text);
	return ret;
}

static enum MHD_Result handle_rs(struct MHD_Connection *c, const char *method, const char *url, const char *key,
				 const char *body)
{
	char server[64] = "", id[64] = "", rest[64] = "";
	int n = sscanf(url, "/v1/route-servers/%63[^/]/sessions/%63[^/]/%63s", server, id, rest);
	if (n < 1 || (n == 2) || (n == 3 && strcmp(rest, "enable") != 0)) {
		record(method, url, key, 1, body, 404);
		return problem(c, 404, "Not Found", "no such resource");
	}
	if (n == 1 && strcmp(method, "PUT") == 0) {
		int replayed = 0;
		char *again = replay("PUT", url, key, &replayed);
		if (again) {
			record("PUT", url, key, 1, body, replayed);
			enum MHD_Result ret = reply(c, replayed, again,
						    replayed == 200 ? "application/json" : "application/problem+json");
			free(again);
			return ret;
		}
		json_t *j = json_loads(body, 0, NULL);
		if (!json_is_object(j) || !json_is_array(json_object_get(j, "sessions")) ||
		    !json_is_integer(json_object_get(j, "asn"))) {
			json_decref(j);
			record("PUT", url, key, 1, body, 400);
			return problem(c, 400, "Bad desired state", "asn and sessions are required");
		}
		pthread_mutex_lock(&lock);
		bool refuse = rs_refuse_count > 0;
		if (refuse)
			rs_refuse_count--;
		char detail[512];
		snprintf(detail, sizeof(detail), "%s", rs_refuse_detail);
		if (!refuse)
			json_object_set(rs_desired, server, j);
		pthread_mutex_unlock(&lock);
		if (refuse) {
			json_decref(j);
			json_t *p = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title",
					      "BIRD refused the configuration", "status", 400, "detail", detail);
			return rs_answer_put(c, url, key, body, 400, p, "application/problem+json");
		}
		char at[32];
		time_t t = time(NULL);
		strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		json_t *a = json_pack("{s:s, s:s, s:I, s:{}}", "server", server, "applied_at", at, "sessions",
				      (json_int_t)json_array_size(json_object_get(j, "sessions")), "timings_ms");
		json_decref(j);
		return rs_answer_put(c, url, key, body, 200, a, "application/json");
	}
	if (n == 1 && strcmp(method, "GET") == 0) {
		pthread_mutex_lock(&lock);
		json_t *d = json_object_get(rs_desired, server), *sessions = json_array();
		size_t i;
		json_t *s;
		json_array_foreach (json_object_get(d, "sessions"), i, s)
			json_array_append_new(sessions, rs_session_state(server, s));
		pthread_mutex_unlock(&lock);
		json_t *out = json_pack("{s:s, s:b, s:n, s:o}", "server", server, "running", 1, "applied_at",
					"sessions", sessions);
		char *text = json_dumps(out, JSON_COMPACT);
		json_decref(out);
		record(method, url, key, 1, "", 200);
		enum MHD_Result ret = reply(c, 200, text, "application/json");
		free(text);
		return ret;
	}
	if (n == 3 && strcmp(method, "POST") == 0) {
		pthread_mutex_lock(&lock);
		json_t *d = json_object_get(rs_desired, server), *found = NULL;
		size_t i;
		json_t *s;
		json_array_foreach (json_object_get(d, "sessions"), i, s)
			if (strcmp(json_string_value(json_object_get(s, "id")), id) == 0)
				found = s;
		char k[160];
		snprintf(k, sizeof(k), "%s/%s", server, id);
		json_t *o = json_object_get(rs_overrides, k);
		if (o)
			json_object_set_new(o, "limit_hit", json_false());
		json_t *st = found ? rs_session_state(server, found) : NULL;
		char *text = st ? json_dumps(st, JSON_COMPACT) : NULL;
		json_decref(st);
		pthread_mutex_unlock(&lock);
		record(method, url, key, 1, body, text ? 200 : 404);
		if (!text)
			return problem(c, 404, "Not Found", "no such session");
		enum MHD_Result ret = reply(c, 200, text, "application/json");
		free(text);
		return ret;
	}
	record(method, url, key, 1, body, 405);
	return problem(c, 405, "Method Not Allowed", "not on this resource");
}

static void capture_silent(void)
{
	json_decref(capture_report);
	capture_report = json_pack("{s:i, s:[], s:[]}", "frames", 0, "classes", "probe_answers");
	capture_running_ms = -1;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload_data, size_t *upload_size, void **ctx)
{
	(void)cls, (void)version;
	struct upload *u = *ctx;
	if (!u) {
		u = calloc(1, sizeof(*u));
		*ctx = u;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t take = *upload_size;
		if (u->len + take > BODY_MAX) {
			u->too_big = 1;
			take = BODY_MAX - u->len;
		}
		memcpy(u->data + u->len, upload_data, take);
		u->len += take;
		u->data[u->len] = '\0';
		*upload_size = 0;
		return MHD_YES;
	}
	if (strncmp(url, "/control/", 9) == 0) {
		json_t *j = json_loads(u->data, 0, NULL);
		pthread_mutex_lock(&lock);
		if (strcmp(url, "/control/counters") == 0) {
			free(counters_answer);
			counters_answer = strdup(u->data);
		} else if (strcmp(url, "/control/counters_fail") == 0) {
			counters_fail_count = (int)json_integer_value(json_object_get(j, "count"));
			if (json_object_get(j, "status"))
				counters_fail_status = (int)json_integer_value(json_object_get(j, "status"));
		} else if (strcmp(url, "/control/fail") == 0) {
			fail_count = (int)json_integer_value(json_object_get(j, "count"));
			if (json_object_get(j, "status"))
				fail_status = (int)json_integer_value(json_object_get(j, "status"));
		} else if (strcmp(url, "/control/hang") == 0) {
			hang_count = (int)json_integer_value(json_object_get(j, "count"));
			hang_ms = (int)json_integer_value(json_object_get(j, "ms"));
		} else if (strcmp(url, "/control/capture") == 0) {
			json_t *rep = json_object_get(j, "report");
			if (json_is_object(rep)) {
				json_decref(capture_report);
				capture_report = json_incref(rep);
			}
			json_t *ms = json_object_get(j, "running_ms");
			capture_running_ms = json_is_integer(ms) ? (int)json_integer_value(ms) : -1;
		} else if (strcmp(url, "/control/boot") == 0) {
			const char *given = json_string_value(json_object_get(j, "boot_id"));
			if (given && *given)
				snprintf(boot_id, sizeof(boot_id), "%s", given);
			else
				new_boot_id();
			health_hold_until =
				now_s() + (double)json_integer_value(json_object_get(j, "hold_ms")) / 1000.0;
		} else if (strcmp(url, "/control/rs_refuse") == 0) {
			rs_refuse_count = (int)json_integer_value(json_object_get(j, "count"));
			snprintf(rs_refuse_detail, sizeof(rs_refuse_detail), "%s",
				 json_string_value(json_object_get(j, "detail"))
					 ? json_string_value(json_object_get(j, "detail"))
					 : "refused");
		} else if (strcmp(url, "/control/rs_session") == 0) {
			char k[160];
			snprintf(k, sizeof(k), "%s/%s", json_string_value(json_object_get(j, "server")),
				 json_string_value(json_object_get(j, "id")));
			json_object_set(rs_overrides, k, json_object_get(j, "state"));
		} else if (strcmp(url, "/control/reset") == 0) {
			fail_count = hang_count = 0;
			counters_fail_count = 0;
			rs_refuse_count = 0;
			json_object_clear(rs_overrides);
			capture_silent();
		}
		pthread_mutex_unlock(&lock);
		json_decref(j);
		return reply(c, 200, "{}", "application/json");
	}
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");
	char expected[4200];
	snprintf(expected, sizeof(expected), "Bearer %s", secret);
	int auth_ok = auth && strcmp(auth, expected) == 0;
	if (!auth_ok) {
		record(method, url, key, 0, u->data, 401);
		return problem(c, 401, "Unauthorized", "a wrong or missing bearer secret");
	}
	if (strcmp(url, "/v1/health") == 0) {
		pthread_mutex_lock(&lock);
		double hold = health_hold_until - now_s();
		pthread_mutex_unlock(&lock);
		if (hold > 0)
			usleep((useconds_t)(hold * 1e6));
		pthread_mutex_lock(&lock);
		json_t *h = json_pack("{s:s, s:s, s:s, s:b, s:[], s:s}", "adapter", "test", "version", "1", "model",
				      "bridge-per-service", "vlan_filtering", 0, "ports", "boot_id", boot_id);
		pthread_mutex_unlock(&lock);
		char *text = json_dumps(h, JSON_COMPACT);
		json_decref(h);
		record(method, url, key, 1, "", 200);
		enum MHD_Result ret = reply(c, 200, text, "application/json");
		free(text);
		return ret;
	}
	if (strcmp(url, "/v1/counters") == 0 && strcmp(method, "GET") == 0) {
		pthread_mutex_lock(&lock);
		int fail = counters_fail_count > 0 ? counters_fail_status : 0;
		if (fail)
			counters_fail_count--;
		char *text = counters_answer ? strdup(counters_answer) : NULL;
		pthread_mutex_unlock(&lock);
		if (fail) {
			free(text);
			record(method, url, key, 1, "", fail);
			return problem(c, fail, "Counters unavailable", "injected failure");
		}
		if (!text) {
			char at[32];
			time_t t = time(NULL);
			strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
			text = malloc(64);
			snprintf(text, 64, "{\"at\":\"%s\",\"ports\":[]}", at);
		}
		record(method, url, key, 1, "", 200);
		enum MHD_Result ret = reply(c, 200, text, "application/json");
		free(text);
		return ret;
	}
	if (strncmp(url, "/v1/route-servers/", 18) == 0)
		return handle_rs(c, method, url, key, u->data);
	if (strncmp(url, "/v1/captures/", 13) == 0 && url[13] && strcmp(method, "GET") == 0)
		return handle_capture_get(c, url, url + 13);
	size_t n = strlen(url);
	if (strncmp(url, "/v1/ports/", 10) == 0 && n > 19 && strcmp(url + n - 9, "/captures") == 0 &&
	    strcmp(method, "POST") == 0) {
		char port[256];
		snprintf(port, sizeof(port), "%.*s", (int)(n - 19), url + 10);
		return handle_capture_start(c, url, port, key, u->data);
	}
	if (strncmp(url, "/v1/ports/", 10) == 0 && url[10]) {
		const char *port = url + 10;
		if (strcmp(method, "PUT") == 0)
			return handle_put(c, url, port, key, u->data);
		if (strcmp(method, "GET") == 0) {
			pthread_mutex_lock(&lock);
			json_t *j = json_object_get(ports, port);
			char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
			pthread_mutex_unlock(&lock);
			record(method, url, key, 1, "", text ? 200 : 404);
			if (!text)
				return problem(c, 404, "Not Found", "no such port");
			enum MHD_Result ret = reply(c, 200, text, "application/json");
			free(text);
			return ret;
		}
	}
	record(method, url, key, 1, u->data, 404);
	return problem(c, 404, "Not Found", "no such resource");
}

static void done(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode code)
{
	(void)cls, (void)c, (void)code;
	free(*ctx);
	*ctx = NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: test_adapter PORT SECRET_FILE LOG_FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "r");
	if (!f || !fgets(secret, sizeof(secret), f)) {
		fprintf(stderr, "test_adapter: cannot read %s\n", argv[2]);
		return 2;
	}
	fclose(f);
	secret[strcspn(secret, "\r\n")] = '\0';
	log_path = argv[3];
	ports = json_object();
	captures = json_object();
	rs_desired = json_object();
	rs_overrides = json_object();
	capture_silent();
	new_boot_id();
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	struct MHD_Daemon *d =
		MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
				 (uint16_t)atoi(argv[1]), NULL, NULL, handle, NULL, MHD_OPTION_NOTIFY_COMPLETED, done,
				 NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "test_adapter: cannot listen on %s\n", argv[1]);
		return 1;
	}
	int sig;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	json_decref(ports);
	json_decref(captures);
	json_decref(capture_report);
	json_decref(rs_desired);
	json_decref(rs_overrides);
	free(counters_answer);
	for (int i = 0; i < KEYS_KEPT; i++)
		free(keys[i].body);
	return 0;
}
