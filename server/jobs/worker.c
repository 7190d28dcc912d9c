/*
 * The outbox workers (see worker.h). Database calls go through the pool
 * (statement and lock timeouts of every pooled session); the listener has a
 * connection of its own with the same statement timeout, and never blocks
 * longer than a quarter second, so stopping is prompt. No transaction is
 * open while an adapter is called: the claim commits (the lease), the
 * outcome is written by a second transaction that checks the lease is still
 * ours.
 */
#include "jobs/worker.h"

#include "core/log.h"
#include "core/util.h"
#include "jobs/handlers.h"
#include "jobs/rs_adapters.h"
#include "jobs/rs_handlers.h"
#include "statistics/peer_jobs.h"
#include "statistics/collect.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

struct jobs_workers {
	const struct config *cfg;
	struct job_context ctx;
	pthread_t *threads;
	int thread_count;
	pthread_t listener;
	bool has_listener;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	unsigned long long wake_seq; /* bumped by every NOTIFY (and reconnect) */
	bool stopping;
	char node[96];     /* host:pid */
	const char *kinds; /* the kinds this node claims (jobs_claimable_kinds) */
	unsigned long long claims;
	pthread_t watcher; /* reads the adapters' boot_id (watch_main) */
	bool has_watcher;
	pthread_cond_t watch;
	bool check_now;     /* a job succeeded after failures: read the boot_ids now */
	bool *adapter_down; /* per adapter: its last health check failed (said once) */
	int *rs_down;       /* per route-server adapter: 1 no answer or a route server not running, 0 fine, -1 not
			     * checked yet */
	struct smtp_settings smtp; /* ctx.smtp points here when IXAPI_SMTP_URL is set */
};

long long jobs_backoff_ms(int attempt, long long base_ms, long long cap_ms, double unit)
{
	if (attempt < 1)
		attempt = 1;
	double ceiling = (double)base_ms * pow(2.0, (double)(attempt - 1));
	if (ceiling > (double)cap_ms)
		ceiling = (double)cap_ms;
	if (unit < 0)
		unit = 0;
	if (unit >= 1)
		unit = 0.999999;
	return (long long)(unit * (ceiling + 1));
}

static double random_unit(void)
{
	unsigned int r = 0;
	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (unsigned int)rand();
	return (double)r / 4294967296.0;
}

static bool is_stopping(struct jobs_workers *w)
{
	pthread_mutex_lock(&w->lock);
	bool s = w->stopping;
	pthread_mutex_unlock(&w->lock);
	return s;
}

static bool stopping_cb(void *arg)
{
	return is_stopping(arg);
}

static void bump(struct jobs_workers *w)
{
	pthread_mutex_lock(&w->lock);
	w->wake_seq++;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

/* LISTEN ixapi_jobs on a connection of its own; every notification wakes
 * the workers. Reconnects (and wakes them) after a lost connection. */
static void *listen_main(void *arg)
{
	struct jobs_workers *w = arg;
	PGconn *conn = NULL;
	int backoff_ms = 100;
	bool said_lost = false;
	while (!is_stopping(w)) {
		if (!conn) {
			const char *keys[] = {"dbname", "connect_timeout", NULL};
			const char *values[] = {w->cfg->database_url, "5", NULL};
			conn = PQconnectdbParams(keys, values, 1);
			PGresult *r = NULL;
			char sql[128];
			snprintf(sql, sizeof(sql), "SET statement_timeout = %d",
				 w->cfg->db_statement_timeout_ms ? w->cfg->db_statement_timeout_ms : 10000);
			if (PQstatus(conn) == CONNECTION_OK) {
				r = PQexec(conn, sql);
				PQclear(r);
				r = PQexec(conn, "LISTEN ixapi_jobs");
			}
			if (PQstatus(conn) != CONNECTION_OK || PQresultStatus(r) != PGRES_COMMAND_OK) {
				if (!said_lost)
					LOG_WARN("job listener: cannot LISTEN (%s); polling every %d ms meanwhile",
						 PQerrorMessage(conn), w->cfg->job_poll_ms);
				said_lost = true;
				PQclear(r);
				PQfinish(conn);
				conn = NULL;
				for (int slept = 0; slept < backoff_ms && !is_stopping(w); slept += 50)
					usleep(50000);
				backoff_ms = backoff_ms < 5000 ? backoff_ms * 2 : 5000;
				continue;
			}
			PQclear(r);
			if (said_lost)
				LOG_INFO("job listener: listening again");
			said_lost = false;
			backoff_ms = 100;
			bump(w); /* jobs written while we were away */
		}
		struct pollfd pfd = {.fd = PQsocket(conn), .events = POLLIN};
		int n = poll(&pfd, 1, 250);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && !PQconsumeInput(conn)) {
			PQfinish(conn);
			conn = NULL;
			continue;
		}
		PGnotify *note;
		bool any = false;
		while ((note = PQnotifies(conn))) {
			any = true;
			PQfreemem(note);
		}
		if (any)
			bump(w);
		if (PQstatus(conn) != CONNECTION_OK) {
			PQfinish(conn);
			conn = NULL;
		}
	}
	PQfinish(conn);
	return NULL;
}

/* Asks the watcher to read the adapters' boot_id now (an adapter that
 * failed a job answers again: it may have restarted meanwhile). */
static void check_soon(struct jobs_workers *w)
{
	pthread_mutex_lock(&w->lock);
	w->check_now = true;
	pthread_cond_broadcast(&w->watch);
	pthread_mutex_unlock(&w->lock);
}

/* One adapter's GET /v1/health: a boot_id new to the database writes one
 * switch.port_sync job per port of its devices (switch_adapter_booted.sql;
 * one node, once, whatever the number of nodes). */
static void check_adapter(struct jobs_workers *w, size_t i)
{
	const struct switch_adapter *a = &w->ctx.adapters->items[i];
	char err[512];
	char *body = NULL;
	json_t *health = NULL, *devices = NULL;
	char *devices_text = NULL, *ports_text = NULL;
	if (adapter_get_health(a, &w->ctx.timeouts, &body, err, sizeof(err)) != 0) {
		if (!w->adapter_down[i])
			LOG_WARN("adapter %s: health check failed (%s); checked again every %d ms", a->name, err,
				 w->cfg->adapter_check_ms);
		w->adapter_down[i] = true;
		goto out;
	}
	if (w->adapter_down[i])
		LOG_INFO("adapter %s answers its health check again", a->name);
	w->adapter_down[i] = false;
	health = json_loads(body, 0, NULL);
	const char *boot_id = json_string_value(json_object_get(health, "boot_id"));
	json_t *ports = json_object_get(health, "ports");
	if (!boot_id || !*boot_id || strlen(boot_id) > 128 || !json_is_array(ports)) {
		LOG_WARN("adapter %s: GET /v1/health has no usable boot_id or ports: its ports' state is not re-pushed "
			 "when it restarts",
			 a->name);
		goto out;
	}
	devices = json_array();
	for (size_t k = 0; k < a->device_count; k++)
		json_array_append_new(devices, json_string(a->devices[k]));
	devices_text = json_dumps(devices, JSON_COMPACT);
	ports_text = json_dumps(ports, JSON_COMPACT);
	const char *params[] = {a->name, boot_id, devices_text, ports_text};
	PGresult *res = NULL;
	struct problem *p = db_query(w->ctx.pool,
				     "SELECT switch_adapter_booted($1, $2,"
				     " ARRAY(SELECT jsonb_array_elements_text($3::jsonb)),"
				     " ARRAY(SELECT jsonb_array_elements_text($4::jsonb))) AS jobs",
				     4, params, &res);
	if (p) {
		LOG_WARN("adapter %s: recording its boot_id: %s", a->name, problem_detail(p));
		problem_free(p);
		goto out;
	}
	int n = atoi(db_get(res, 0, "jobs"));
	PQclear(res);
	if (n > 0)
		LOG_INFO("adapter %s: boot_id %s is new: %d port(s) get their stored state again", a->name, boot_id, n);
out:
	json_decref(devices);
	json_decref(health);
	free(devices_text);
	free(ports_text);
	free(body);
}

/* Jobs waiting for an unreachable route server (jobs.waits) are due now:
 * an adapter answers again, or restarted. Returns how many. */
static int wake_waiting(struct jobs_workers *w, const char *adapter)
{
	PGresult *res = NULL;
	struct problem *p =
		db_query(w->ctx.pool,
			 "UPDATE jobs SET run_after = now(), updated_at = now()"
			 " WHERE state = 'failed' AND waits > 0"
			 "   AND kind IN ('route_server.session', 'route_server.refresh', 'route_server.enable')"
			 "   AND run_after > now()",
			 0, NULL, &res);
	if (p) {
		LOG_WARN("route-server adapter %s: waking the jobs that wait for it: %s", adapter, problem_detail(p));
		problem_free(p);
		return 0;
	}
	int n = atoi(PQcmdTuples(res));
	PQclear(res);
	if (n > 0) {
		LOG_INFO("route-server adapter %s answers again: %d waiting job(s) due now", adapter, n);
		bump(w);
	}
	return n;
}

/* One route-server adapter's GET /v1/health: a boot_id new to the
 * database queues a refresh of each route server it serves
 * (rs_adapter_booted.sql; one node, once); the first answer after a
 * failure, or with all its route servers running again after one was not,
 * makes the jobs waiting for a route server due. */
static void check_rs_adapter(struct jobs_workers *w, size_t i)
{
	const struct rs_adapter *a = &w->ctx.adapters->rs_items[i];
	char err[512];
	char *body = NULL, *servers_text = NULL;
	json_t *health = NULL, *servers = NULL;
	bool was_down = w->rs_down[i] != 0, first = w->rs_down[i] < 0;
	if (adapter_get_health(&a->http, &w->ctx.timeouts, &body, err, sizeof(err)) != 0) {
		if (!was_down || first)
			LOG_WARN("route-server adapter %s: health check failed (%s); checked again every %d ms",
				 a->http.name, err, w->cfg->adapter_check_ms);
		w->rs_down[i] = 1;
		goto out;
	}
	health = json_loads(body, 0, NULL);
	bool all_running = true;
	const char *name;
	json_t *v;
	json_object_foreach (json_object_get(health, "running"), name, v)
		if (json_is_false(v)) {
			if (!was_down || first)
				LOG_WARN("route-server adapter %s: route server %s is not running", a->http.name, name);
			all_running = false;
		}
	w->rs_down[i] = all_running ? 0 : 1;
	int n = 0;
	const char *boot_id = json_string_value(json_object_get(health, "boot_id"));
	if (boot_id && *boot_id && strlen(boot_id) <= 128) {
		servers = json_array();
		for (size_t k = 0; k < a->server_count; k++)
			json_array_append_new(servers, json_string(a->servers[k].feature));
		servers_text = json_dumps(servers, JSON_COMPACT);
		const char *params[] = {a->http.name, boot_id, servers_text};
		PGresult *res = NULL;
		struct problem *p =
			db_query(w->ctx.pool,
				 "SELECT rs_adapter_booted($1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))"
				 " AS jobs",
				 3, params, &res);
		if (p) {
			LOG_WARN("route-server adapter %s: recording its boot_id: %s", a->http.name, problem_detail(p));
			problem_free(p);
		} else {
			n = atoi(db_get(res, 0, "jobs"));
			PQclear(res);
		}
		if (n > 0)
			LOG_INFO("route-server adapter %s: boot_id %s is new: %d route server(s) get their whole "
				 "desired state again",
				 a->http.name, boot_id, n);
	} else if (first) {
		LOG_WARN("route-server adapter %s: GET /v1/health has no usable boot_id: its route servers' state is "
			 "not re-pushed when it restarts",
			 a->http.name);
	}
	if ((was_down && !w->rs_down[i]) || n > 0) {
		if (was_down && !first)
			LOG_INFO("route-server adapter %s answers its health check again, its route servers running",
				 a->http.name);
		wake_waiting(w, a->http.name);
	}
out:
	json_decref(servers);
	json_decref(health);
	free(servers_text);
	free(body);
}

/* At start and every IXAPI_ADAPTER_CHECK_MS (sooner when asked). */
static void *watch_main(void *arg)
{
	struct jobs_workers *w = arg;
	while (!is_stopping(w)) {
		for (size_t i = 0; i < w->ctx.adapters->count && !is_stopping(w); i++)
			check_adapter(w, i);
		for (size_t i = 0; i < w->ctx.adapters->rs_count && !is_stopping(w); i++)
			check_rs_adapter(w, i);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		long long ns = (long long)until.tv_nsec + (long long)w->cfg->adapter_check_ms * 1000000LL;
		until.tv_sec += (time_t)(ns / 1000000000LL);
		until.tv_nsec = (long)(ns % 1000000000LL);
		pthread_mutex_lock(&w->lock);
		while (!w->stopping && !w->check_now)
			if (pthread_cond_timedwait(&w->watch, &w->lock, &until) == ETIMEDOUT)
				break;
		w->check_now = false;
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

struct claimed {
	char id[24];
	char kind[64];
	char lock_token[128];
	int attempts;
	int waits;
	json_t *payload;
};

/* Claims one due job, if any: 1 claimed, 0 none, -1 database trouble. */
static int claim(struct jobs_workers *w, int worker, struct claimed *job)
{
	pthread_mutex_lock(&w->lock);
	unsigned long long n = ++w->claims;
	pthread_mutex_unlock(&w->lock);
	snprintf(job->lock_token, sizeof(job->lock_token), "%s/%d/%llu", w->node, worker, n);
	char lease[24];
	snprintf(lease, sizeof(lease), "%d", w->cfg->job_lease_ms);
	const char *params[] = {job->lock_token, w->kinds, lease};
	PGresult *res = NULL;
	struct problem *p = db_query(
		w->ctx.pool,
		"UPDATE jobs j SET state = 'running', locked_by = $1, locked_at = now(), attempts = j.attempts + 1,"
		"       updated_at = now()"
		"  FROM (SELECT c.id FROM jobs c"
		"         WHERE c.kind = ANY ($2::text[])"
		"           AND ((c.state IN ('pending', 'failed') AND c.run_after <= now())"
		"                OR (c.state = 'running' AND c.locked_at < now() - $3::int * interval '1 millisecond'))"
		"           AND NOT EXISTS (SELECT 1 FROM jobs e"
		"                            WHERE e.object = c.object AND e.id < c.id AND e.state <> 'done')"
		"         ORDER BY c.run_after, c.id LIMIT 1 FOR UPDATE SKIP LOCKED) AS pick"
		" WHERE j.id = pick.id"
		" RETURNING j.id::text AS id, j.kind, j.payload::text AS payload, j.attempts, j.waits",
		3, params, &res);
	if (p) {
		LOG_WARN("claiming a job: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	int rc = 0;
	if (PQntuples(res) == 1) {
		snprintf(job->id, sizeof(job->id), "%s", db_get(res, 0, "id"));
		snprintf(job->kind, sizeof(job->kind), "%s", db_get(res, 0, "kind"));
		job->attempts = atoi(db_get(res, 0, "attempts"));
		job->waits = atoi(db_get(res, 0, "waits"));
		job->payload = json_loads(db_get(res, 0, "payload"), 0, NULL);
		rc = 1;
	}
	PQclear(res);
	return rc;
}

struct finish {
	const struct claimed *job;
	const struct job_outcome *outcome;
	const char *error; /* NULL: success */
	bool waiting;      /* the error is an unreachable route server: a wait, not an attempt */
	long long backoff_ms;
	int max_attempts;
	bool lost_lease;
	bool dead;
};

static struct problem *finish_tx(PGconn *conn, void *arg)
{
	struct finish *f = arg;
	PGresult *res = NULL;
	struct problem *p;
	if (!f->error) {
		const char *params[] = {f->job->id, f->job->lock_token};
		p = db_exec(conn,
			    "UPDATE jobs SET state = 'done', finished_at = now(), updated_at = now()"
			    " WHERE id = $1::bigint AND locked_by = $2 AND state = 'running' RETURNING id",
			    2, params, &res);
	} else if (f->waiting) {
		/* the claim counted an attempt: taken back, counted as a wait;
		 * never dead (the route server comes back, or an operator acts) */
		char backoff[24];
		snprintf(backoff, sizeof(backoff), "%lld", f->backoff_ms);
		const char *params[] = {f->job->id, f->job->lock_token, f->error, backoff};
		p = db_exec(
			conn,
			"UPDATE jobs SET state = 'failed', attempts = greatest(attempts - 1, 0), waits = waits + 1,"
			"       last_error = left('waiting for the route server (not counted as an attempt): ' || $3,"
			"                         1000),"
			"       locked_by = NULL, locked_at = NULL, updated_at = now(),"
			"       run_after = now() + $4::bigint * interval '1 millisecond'"
			" WHERE id = $1::bigint AND locked_by = $2 AND state = 'running' RETURNING state",
			4, params, &res);
	} else {
		char backoff[24], max[16];
		snprintf(backoff, sizeof(backoff), "%lld", f->backoff_ms);
		snprintf(max, sizeof(max), "%d", f->max_attempts);
		const char *params[] = {f->job->id, f->job->lock_token, f->error, backoff, max};
		p = db_exec(
			conn,
			"UPDATE jobs SET state = CASE WHEN attempts >= $5::int THEN 'dead' ELSE 'failed' END,"
			"       last_error = left($3, 1000), locked_by = NULL, locked_at = NULL, updated_at = now(),"
			"       run_after = now() + $4::bigint * interval '1 millisecond',"
			"       finished_at = CASE WHEN attempts >= $5::int THEN now() END"
			" WHERE id = $1::bigint AND locked_by = $2 AND state = 'running' RETURNING state",
			5, params, &res);
	}
	if (p)
		return p;
	f->lost_lease = PQntuples(res) == 0;
	f->dead = !f->lost_lease && f->error && strcmp(PQgetvalue(res, 0, 0), "dead") == 0;
	PQclear(res);
	if (f->lost_lease)
		return NULL;
	if (f->dead) {
		const char *params[] = {f->job->id, f->error};
		return db_exec(conn, "SELECT job_dead($1::bigint, left($2, 800))", 2, params, NULL);
	}
	if (f->error)
		return NULL;
	if (f->outcome->kind == OUTCOME_FOLLOW) {
		const char *params[] = {f->outcome->connection, f->job->id, f->outcome->wired ? "true" : "false"};
		p = db_exec(conn, "SELECT switch_follow($1::bigint, $2::bigint, $3::boolean)", 3, params, NULL);
	} else if (f->outcome->kind == OUTCOME_VERDICT) {
		const char *params[] = {f->outcome->config, f->job->id, f->outcome->passed ? "true" : "false",
					f->outcome->entries};
		p = db_exec(conn, "SELECT quarantine_verdict($1::bigint, $2::bigint, $3::boolean, $4::jsonb)", 4,
			    params, NULL);
	} else if (f->outcome->kind == OUTCOME_ARCHIVE) {
		const char *params[] = {f->outcome->object_type, f->outcome->object_id, f->job->id};
		p = db_exec(conn, "SELECT job_archive($1, $2::bigint, $3::bigint)", 3, params, NULL);
	} else if (f->outcome->kind == OUTCOME_CALL) {
		const char *params[] = {f->job->id, f->outcome->entries};
		p = db_exec(conn, f->outcome->call_sql, 2, params, NULL);
	}
	return p;
}

static void run_job(struct jobs_workers *w, struct claimed *job)
{
	job_handler h = jobs_handler_for(job->kind);
	struct job_outcome outcome = {.kind = OUTCOME_NONE};
	char err[1024] = "";
	int rc = h ? h(&w->ctx, job->id, job->payload, &outcome, err, sizeof(err)) : -1;
	if (!h)
		snprintf(err, sizeof(err), "no handler for %s", job->kind);
	struct finish f = {.job = job,
			   .outcome = &outcome,
			   .error = rc == 0 ? NULL : err,
			   .max_attempts = w->cfg->job_max_attempts};
	f.waiting = rc != 0 && outcome.unavailable;
	if (rc != 0)
		f.backoff_ms = jobs_backoff_ms(f.waiting ? job->waits + 1 : job->attempts, w->cfg->job_backoff_base_ms,
					       w->cfg->job_backoff_cap_ms, random_unit());
	/* The outcome must be written even while the database is briefly away:
	 * a few tries, then the lease brings the job back. */
	struct problem *p = NULL;
	for (int i = 0; i < 5; i++) {
		p = db_transaction(w->ctx.pool, finish_tx, &f);
		if (!p)
			break;
		LOG_WARN("job %s (%s): recording the outcome: %s", job->id, job->kind, problem_detail(p));
		problem_free(p);
		p = NULL;
		usleep(200000u << i);
	}
	free(outcome.entries);
	if (f.lost_lease)
		LOG_WARN("job %s (%s): the lease ran out before it finished; another worker has it", job->id,
			 job->kind);
	else if (rc == 0)
		LOG_INFO("job %s (%s) done (attempt %d)", job->id, job->kind, job->attempts);
	else if (f.dead)
		LOG_ERROR("job %s (%s) is dead after %d attempts: %s", job->id, job->kind, job->attempts, err);
	else if (f.waiting)
		LOG_WARN("job %s (%s) waits for its route server (wait %d, not an attempt), next try in %lld ms: %s",
			 job->id, job->kind, job->waits + 1, f.backoff_ms, err);
	else
		LOG_WARN("job %s (%s) attempt %d failed, next in %lld ms: %s", job->id, job->kind, job->attempts,
			 f.backoff_ms, err);
	if (rc == 0 && (job->attempts > 1 || job->waits > 0))
		check_soon(w);
}

struct worker_arg {
	struct jobs_workers *w;
	int index;
};

static void *worker_main(void *arg)
{
	struct worker_arg *wa = arg;
	struct jobs_workers *w = wa->w;
	int index = wa->index;
	free(wa);
	while (!is_stopping(w)) {
		pthread_mutex_lock(&w->lock);
		unsigned long long seen = w->wake_seq;
		pthread_mutex_unlock(&w->lock);
		struct claimed job = {0};
		int got = claim(w, index, &job);
		if (got == 1) {
			run_job(w, &job);
			json_decref(job.payload);
			continue;
		}
		if (index == 0) {
			rs_poll_schedule(&w->ctx);
			peer_jobs_schedule(&w->ctx);
		}
		stats_schedule(&w->ctx); /* any idle worker: one busy with a long job does not delay the polls */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		long long ns = (long long)until.tv_nsec + (long long)w->cfg->job_poll_ms * 1000000LL;
		until.tv_sec += (time_t)(ns / 1000000000LL);
		until.tv_nsec = (long)(ns % 1000000000LL);
		pthread_mutex_lock(&w->lock);
		while (!w->stopping && w->wake_seq == seen)
			if (pthread_cond_timedwait(&w->wake, &w->lock, &until) == ETIMEDOUT)
				break;
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

struct jobs_workers *jobs_workers_start(const struct config *cfg, struct db_pool *pool,
					const struct switch_adapters *adapters)
{
	if (cfg->workers <= 0) {
		LOG_INFO("no job workers (IXAPI_WORKERS=0): jobs wait for another node");
		return NULL;
	}
	bool has_adapters = adapters && (adapters->count > 0 || adapters->rs_count > 0);
	bool has_smtp = cfg->smtp_url && *cfg->smtp_url;
	if (!has_adapters && !has_smtp) {
		LOG_WARN(
			"no switch or route-server adapter configured (IXAPI_ADAPTERS_FILE), so no job workers: jobs wait, "
			"nothing reaches the network");
		return NULL;
	}
	if (!has_adapters)
		LOG_WARN("no switch or route-server adapter configured (IXAPI_ADAPTERS_FILE): the network's jobs wait, "
			 "nothing reaches the network; workers run mail and the jobs that need no adapter");
	if (!has_smtp)
		LOG_INFO("no SMTP server configured (IXAPI_SMTP_URL): mail waits (mail.send jobs stay pending)");
	struct jobs_workers *w = xmalloc(sizeof(*w));
	memset(w, 0, sizeof(*w));
	w->cfg = cfg;
	if (has_smtp) {
		w->smtp = (struct smtp_settings){.url = cfg->smtp_url,
						 .require_starttls = cfg->smtp_starttls,
						 .user = cfg->smtp_user,
						 .password = cfg->smtp_password,
						 .from = cfg->mail_from,
						 .ca_file = cfg->smtp_ca_file,
						 .connect_timeout_ms =
							 cfg->smtp_timeout_ms < 10000 ? cfg->smtp_timeout_ms : 10000,
						 .timeout_ms = cfg->smtp_timeout_ms};
		w->ctx.smtp = &w->smtp;
		bool is_tls = strncasecmp(cfg->smtp_url, "smtps://", 8) == 0 || cfg->smtp_starttls;
		if (*cfg->smtp_user && !is_tls)
			LOG_WARN(
				"IXAPI_SMTP_USER with a plain smtp:// server and IXAPI_SMTP_STARTTLS=0: the SMTP password "
				"crosses the network in the clear");
		LOG_INFO("mail through %s%s%s, from %s", cfg->smtp_url,
			 cfg->smtp_starttls ? " (STARTTLS required)" : "", *cfg->smtp_user ? " with AUTH" : "",
			 cfg->mail_from);
	}
	w->ctx.pool = pool;
	w->ctx.timeouts.connect_ms = cfg->adapter_connect_timeout_ms;
	w->ctx.timeouts.total_ms = cfg->adapter_timeout_ms;
	w->ctx.quarantine_seconds = cfg->quarantine_seconds;
	w->ctx.quarantine_probe_mac = cfg->quarantine_probe_mac;
	w->ctx.rs_poll_ms = cfg->rs_poll_ms;
	w->ctx.peer_poll_s = cfg->peer_poll_s;
	w->ctx.rtt_interval_s = cfg->rtt_interval_s;
	w->ctx.job_max_attempts = cfg->job_max_attempts;
	w->ctx.port_assignment_auto = strcmp(cfg->port_assignment, "auto") == 0;
	w->ctx.stats_interval_s = cfg->stats_interval_s;
	w->ctx.stats_max_gap_s = cfg->stats_max_gap_s;
	w->ctx.stats_raw_days = cfg->stats_raw_days;
	w->ctx.stats_hourly_days = cfg->stats_hourly_days;
	w->kinds = jobs_claimable_kinds(adapters && adapters->count > 0, adapters && adapters->rs_count > 0, has_smtp);
	w->ctx.stopping = stopping_cb;
	w->ctx.stopping_arg = w;
	if ((long long)cfg->job_lease_ms < (long long)cfg->quarantine_seconds * 1000 + 15000)
		LOG_WARN(
			"IXAPI_JOB_LEASE_MS (%d) is shorter than a quarantine test may take (%d s + 15 s): such a test "
			"is claimed again while it runs (it replays the same capture)",
			cfg->job_lease_ms, cfg->quarantine_seconds);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->watch, NULL);
	static const struct switch_adapters none;
	if (!adapters)
		adapters = &none;
	w->ctx.adapters = adapters;
	w->adapter_down = xmalloc((adapters->count + 1) * sizeof(bool));
	memset(w->adapter_down, 0, (adapters->count + 1) * sizeof(bool));
	w->rs_down = xmalloc((adapters->rs_count + 1) * sizeof(int));
	for (size_t i = 0; i < adapters->rs_count; i++)
		w->rs_down[i] = -1; /* the first answer wakes what waits from before this start */
	char host[64] = "node";
	gethostname(host, sizeof(host) - 1);
	snprintf(w->node, sizeof(w->node), "%s:%d", host, (int)getpid());
	(void)jobs_handled_kinds(); /* built once, before the threads read it */
	w->has_listener = pthread_create(&w->listener, NULL, listen_main, w) == 0;
	w->has_watcher = pthread_create(&w->watcher, NULL, watch_main, w) == 0;
	w->threads = xmalloc((size_t)cfg->workers * sizeof(pthread_t));
	for (int i = 0; i < cfg->workers; i++) {
		struct worker_arg *wa = xmalloc(sizeof(*wa));
		wa->w = w;
		wa->index = i;
		if (pthread_create(&w->threads[w->thread_count], NULL, worker_main, wa) != 0) {
			free(wa);
			break;
		}
		w->thread_count++;
	}
	if (has_adapters)
		LOG_INFO("%d job worker(s) for %zu switch and %zu route-server adapter(s); lease %d ms, %d attempts; "
			 "boot_id checked every %d ms",
			 w->thread_count, adapters->count, adapters->rs_count, cfg->job_lease_ms, cfg->job_max_attempts,
			 cfg->adapter_check_ms);
	else /* said apart: no switch job is claimed here */
		LOG_INFO("%d worker thread(s) for mail; lease %d ms, %d attempts", w->thread_count, cfg->job_lease_ms,
			 cfg->job_max_attempts);
	return w;
}

void jobs_workers_stop(struct jobs_workers *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	pthread_cond_broadcast(&w->watch);
	pthread_mutex_unlock(&w->lock);
	for (int i = 0; i < w->thread_count; i++)
		pthread_join(w->threads[i], NULL);
	if (w->has_listener)
		pthread_join(w->listener, NULL);
	if (w->has_watcher)
		pthread_join(w->watcher, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->watch);
	free(w->adapter_down);
	free(w->rs_down);
	free(w->threads);
	free(w);
}
