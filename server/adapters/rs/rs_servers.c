/*
 * The route servers of ixapi-rsd (rs_servers.h). The order of a change:
 * render into bird.conf.new, `bird -p -c bird.conf.new` (BIRD's own parser
 * is the judge; its "file:line:col message" becomes the problem's detail),
 * then bird.conf -> bird.conf.prev, bird.conf.new -> bird.conf and
 * `configure "bird.conf"` over the control socket (BIRD restarts only the
 * protocols whose configuration changed); on a refusal the previous file
 * comes back. BIRD runs daemonised: it outlives ixapi-rsd (a route server
 * keeps serving while its management agent restarts), and a start finds
 * it again by its control socket. A keeper thread restarts a BIRD that
 * stopped (crashed, killed) on its last good configuration; a lock keeps
 * it and the HTTP thread's calls one at a time.
 */
#include "adapters/rs/rs_servers.h"

#include "adapters/common/ad_daemon.h"
#include "adapters/rs/rs_bird.h"
#include "adapters/rs/rs_render.h"
#include "adapters/rs/rs_state.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIRD_TIMEOUT_MS 10000
/* `configure` of a large configuration (thousands of protocols, a full
 * RPKI table) is BIRD's longest command: measured > 10 s for 2,000 BGP
 * protocols on a loaded 2-core machine. */
#define BIRD_CONFIGURE_TIMEOUT_MS 60000

struct server {
	char name[32], netns[32];
	char dir[PATH_MAX], conf[PATH_MAX + 16], conf_new[PATH_MAX + 16], conf_prev[PATH_MAX + 16];
	char ctl[PATH_MAX + 16], pid[PATH_MAX + 16], desired[PATH_MAX + 16];
	struct rs_state *state; /* as last applied; NULL before the first */
	char applied_at[32];
	bool keeper_failed;    /* the keeper's last restart failed (said once) */
	long long keeper_next; /* the keeper's next try after a failure (monotonic ms) */
};

static struct server servers[RS_SERVERS_MAX];
static size_t n_servers;
static char *bird_path;
static struct rs_roa_table *roa_table; /* PUT /v1/roas; NULL before the first */
static char boot_id[33];               /* GET /v1/health: new at each start */
/* The HTTP thread's calls and the keeper, one at a time. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t keeper;
static pthread_cond_t keeper_wake = PTHREAD_COND_INITIALIZER;
static bool has_keeper, keeper_stop;
static int keeper_ms;

static struct server *find(const char *name)
{
	for (size_t i = 0; i < n_servers; i++)
		if (strcmp(servers[i].name, name) == 0)
			return &servers[i];
	return NULL;
}

bool rs_server_is_managed(const char *name)
{
	return find(name) != NULL;
}

const char *rs_server_netns(const char *name)
{
	const struct server *srv = find(name);
	return srv ? srv->netns : NULL;
}

/* Runs argv (in netns when given), its stderr and stdout into *output
 * (caller frees). Returns the exit status, or -1. */
static int run(char *const argv[], const char *netns, char **output)
{
	int fds[2];
	struct strbuf b = {0};
	if (pipe2(fds, O_CLOEXEC) != 0) {
		*output = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* BIRD must not inherit our blocked SIGTERM (sigwait's) nor any
		 * descriptor beyond stdio (a caller's pipe would stay open for
		 * as long as the daemon lives). */
		ad_daemon_child_setup(fds[1], netns);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		*output = xasprintf("fork: %s", strerror(errno));
		return -1;
	}
	char chunk[4096];
	ssize_t got;
	while ((got = read(fds[0], chunk, sizeof(chunk))) > 0)
		if (b.len < 64 * 1024)
			strbuf_put(&b, chunk, (size_t)got);
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*output = b.text ? b.text : xstrdup("");
	size_t l = strlen(*output);
	while (l && ((*output)[l - 1] == '\n' || (*output)[l - 1] == ' '))
		(*output)[--l] = '\0';
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* BIRD's daemon on srv's last good configuration; waits for its socket. */
static int start_bird(struct server *srv, char **why)
{
	char *argv[] = {bird_path, "-c", srv->conf, "-s", srv->ctl, "-P", srv->pid, NULL};
	int rc = run(argv, srv->netns, why);
	if (rc != 0)
		return -1;
	free(*why);
	*why = NULL;
	for (int i = 0; i < 300; i++) {
		if (rs_bird_is_up(srv->ctl)) {
			LOG_INFO("route server %s: BIRD started on %s%s%s", srv->name, srv->conf,
				 srv->netns[0] ? " in network namespace " : "", srv->netns);
			return 0;
		}
		usleep(10000);
	}
	*why = xasprintf("BIRD did not open its control socket %s", srv->ctl);
	return -1;
}

static bool write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	size_t len = strlen(text), done = 0;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w <= 0) {
			close(fd);
			return false;
		}
		done += (size_t)w;
	}
	return fsync(fd) == 0 && close(fd) == 0;
}

static int server_init(struct server *srv, const char *spec, char **err)
{
	char *copy = xstrdup(spec), *save = NULL;
	char *name = strtok_r(copy, ":", &save), *dir = strtok_r(NULL, ":", &save), *ns = strtok_r(NULL, ":", &save);
	int rc = -1;
	if (!name || !dir || strtok_r(NULL, ":", &save) || strlen(name) >= sizeof(srv->name) ||
	    (ns && strlen(ns) >= sizeof(srv->netns))) {
		*err = xasprintf("'%s' is not NAME:DIR or NAME:DIR:NETNS", spec);
		goto out;
	}
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '_')) {
			*err = xasprintf("server name '%s': only [A-Za-z0-9_-]", name);
			goto out;
		}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*err = xasprintf("cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	if (!realpath(dir, srv->dir)) {
		*err = xasprintf("cannot resolve %s: %s", dir, strerror(errno));
		goto out;
	}
	snprintf(srv->name, sizeof(srv->name), "%s", name);
	snprintf(srv->netns, sizeof(srv->netns), "%s", ns ? ns : "");
	snprintf(srv->conf, sizeof(srv->conf), "%s/bird.conf", srv->dir);
	snprintf(srv->conf_new, sizeof(srv->conf_new), "%s/bird.conf.new", srv->dir);
	snprintf(srv->conf_prev, sizeof(srv->conf_prev), "%s/bird.conf.prev", srv->dir);
	snprintf(srv->ctl, sizeof(srv->ctl), "%s/bird.ctl", srv->dir);
	snprintf(srv->pid, sizeof(srv->pid), "%s/bird.pid", srv->dir);
	snprintf(srv->desired, sizeof(srv->desired), "%s/desired.json", srv->dir);
	/* The state the last good configuration came from, if any. */
	json_error_t jerr;
	json_t *j = json_load_file(srv->desired, 0, &jerr);
	if (j) {
		struct problem *p = rs_state_parse(j, &srv->state);
		if (p) {
			LOG_WARN("route server %s: %s no longer parses: %s", name, srv->desired, problem_detail(p));
			problem_free(p);
		}
		struct stat st;
		if (stat(srv->conf, &st) == 0)
			util_rfc3339(st.st_mtime, srv->applied_at, sizeof(srv->applied_at));
		json_decref(j);
	}
	if (!rs_bird_is_up(srv->ctl) && access(srv->conf, R_OK) == 0) {
		char *why = NULL;
		if (start_bird(srv, &why) != 0) {
			*err = xasprintf("route server %s: BIRD does not start on %s: %s", name, srv->conf, why);
			free(why);
			goto out;
		}
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

int rs_servers_init(const char *const *specs, size_t n, const char *bird, char **err)
{
	unsigned char raw[16];
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		*err = xasprintf("getrandom: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(boot_id + 2 * i, 3, "%02x", raw[i]);
	bird_path = xstrdup(bird);
	for (size_t i = 0; i < n; i++) {
		if (n_servers == RS_SERVERS_MAX) {
			*err = xasprintf("at most %d route servers", RS_SERVERS_MAX);
			return -1;
		}
		struct server *srv = &servers[n_servers];
		if (server_init(srv, specs[i], err) != 0)
			return -1;
		if (find(srv->name)) {
			*err = xasprintf("route server %s is named twice", srv->name);
			return -1;
		}
		n_servers++;
	}
	return 0;
}

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A server with a last good configuration whose BIRD does not answer:
 * BIRD again on that file (after a failed try, the next in 10 s). */
static void keep(struct server *srv)
{
	if (access(srv->conf, R_OK) != 0 || rs_bird_is_up(srv->ctl))
		return;
	long long now = mono_ms();
	if (srv->keeper_failed && now < srv->keeper_next)
		return;
	LOG_WARN("route server %s: BIRD does not answer on %s: starting it on its last good configuration", srv->name,
		 srv->ctl);
	char *why = NULL;
	if (start_bird(srv, &why) == 0) {
		srv->keeper_failed = false;
		return;
	}
	if (!srv->keeper_failed)
		LOG_ERROR("route server %s: BIRD does not start on %s: %s (tried again every 10 s)", srv->name,
			  srv->conf, why);
	srv->keeper_failed = true;
	srv->keeper_next = now + 10000;
	free(why);
}

static void *keeper_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!keeper_stop) {
		for (size_t i = 0; i < n_servers; i++)
			keep(&servers[i]);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		long long ns = (long long)until.tv_nsec + (long long)keeper_ms * 1000000LL;
		until.tv_sec += (time_t)(ns / 1000000000LL);
		until.tv_nsec = (long)(ns % 1000000000LL);
		while (!keeper_stop && pthread_cond_timedwait(&keeper_wake, &lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int rs_servers_keep(int interval_ms)
{
	keeper_ms = interval_ms;
	keeper_stop = false;
	has_keeper = pthread_create(&keeper, NULL, keeper_main, NULL) == 0;
	return has_keeper ? 0 : -1;
}

void rs_servers_close(void)
{
	if (has_keeper) {
		pthread_mutex_lock(&lock);
		keeper_stop = true;
		pthread_cond_broadcast(&keeper_wake);
		pthread_mutex_unlock(&lock);
		pthread_join(keeper, NULL);
		has_keeper = false;
	}
	for (size_t i = 0; i < n_servers; i++)
		rs_state_free(servers[i].state);
	n_servers = 0;
	rs_roa_table_unref(roa_table);
	roa_table = NULL;
	free(bird_path);
	bird_path = NULL;
}

json_t *rs_servers_health(void)
{
	json_t *j_names = json_array(), *j_running = json_object();
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_servers; i++) {
		json_array_append_new(j_names, json_string(servers[i].name));
		json_object_set_new(j_running, servers[i].name, json_boolean(rs_bird_is_up(servers[i].ctl)));
	}
	json_t *j_roas = roa_table ? json_string(roa_table->version) : json_null();
	pthread_mutex_unlock(&lock);
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:o}", "adapter", "bird2", "version", "1", "model",
			 "route-server", "servers", j_names, "running", j_running, "boot_id", boot_id, "roas_version",
			 j_roas);
}

struct problem *rs_roas_put(const json_t *j_body, json_t **j_out)
{
	struct rs_roa_table *t = NULL;
	struct problem *p = rs_roa_table_parse(j_body, &t);
	if (p)
		return p;
	size_t v4 = 0;
	for (size_t i = 0; i < t->n; i++)
		v4 += t->roas[i].family == 4;
	pthread_mutex_lock(&lock);
	rs_roa_table_unref(roa_table); /* states applied with it keep their reference */
	roa_table = t;
	pthread_mutex_unlock(&lock);
	LOG_INFO("ROA table %s loaded: %zu ROAs (%zu IPv4, %zu IPv6)", t->version, t->n, v4, t->n - v4);
	*j_out = json_pack("{s:s, s:I, s:I, s:I}", "version", t->version, "roas", (json_int_t)t->n, "roas_v4",
			   (json_int_t)v4, "roas_v6", (json_int_t)(t->n - v4));
	return NULL;
}

/* "file:line:col message" with the directory dropped (it is ours). */
static char *bird_message(const struct server *srv, const char *text)
{
	struct strbuf b = {0};
	size_t dl = strlen(srv->dir);
	for (const char *c = text; *c;) {
		if (strncmp(c, srv->dir, dl) == 0 && c[dl] == '/') {
			c += dl + 1;
			continue;
		}
		if (strncmp(c, "bird: ", 6) == 0) {
			c += 6;
			continue;
		}
		strbuf_put(&b, c, 1);
		c++;
	}
	return b.text ? b.text : xstrdup("");
}

static double ms_since(long long t0_us)
{
	return (double)(util_now_us() - t0_us) / 1000.0;
}

static struct problem *server_put_locked(const char *name, const json_t *j_state, json_t **j_out)
{
	struct server *srv = find(name);
	struct rs_state *state = NULL;
	char *text = NULL, *out = NULL, *reply = NULL;
	struct problem *p = NULL;
	bool has_prev = false;
	if (!srv)
		return problem_new(PROBLEM_NOT_FOUND, "the adapter manages no route server %s", name);
	long long t0 = util_now_us();
	if ((p = rs_state_parse(j_state, &state)))
		goto out;
	if (state->roas_version[0]) {
		if (!roa_table || strcmp(roa_table->version, state->roas_version) != 0) {
			p = problem_new(PROBLEM_CONFLICT,
					"the ROA table %s is not loaded (loaded: %s): PUT /v1/roas first",
					state->roas_version, roa_table ? roa_table->version : "none");
			problem_add_property(p, "roas_version", "not loaded: PUT /v1/roas with it first");
			goto out;
		}
		state->roa_table = rs_roa_table_ref(roa_table);
	}
	text = rs_render(state);
	double render_ms = ms_since(t0);
	long long t1 = util_now_us();
	if (!write_file(srv->conf_new, text)) {
		p = problem_new(PROBLEM_INTERNAL, "cannot write %s: %s", srv->conf_new, strerror(errno));
		goto out;
	}
	char *argv[] = {bird_path, "-p", "-c", srv->conf_new, NULL};
	int rc = run(argv, NULL, &out);
	double validate_ms = ms_since(t1);
	if (rc != 0) {
		char *msg = bird_message(srv, out);
		LOG_WARN("route server %s: BIRD refused the configuration: %s", name, msg);
		p = problem_new(PROBLEM_UNABLE_TO_FULFILL,
				"BIRD refused the configuration (bird -p): %s; the running configuration is unchanged",
				msg);
		free(msg);
		unlink(srv->conf_new);
		goto out;
	}
	long long t2 = util_now_us();
	has_prev = rename(srv->conf, srv->conf_prev) == 0;
	if (rename(srv->conf_new, srv->conf) != 0) {
		p = problem_new(PROBLEM_INTERNAL, "cannot rename %s: %s", srv->conf_new, strerror(errno));
		goto restore;
	}
	if (!rs_bird_is_up(srv->ctl)) {
		char *why = NULL;
		if (start_bird(srv, &why) != 0) {
			p = problem_new(PROBLEM_UNAVAILABLE, "route server %s: BIRD does not start: %s", name, why);
			free(why);
			goto restore;
		}
	} else {
		char *cmd = xasprintf("configure \"%s\"", srv->conf);
		int code = rs_bird_command(srv->ctl, cmd, BIRD_CONFIGURE_TIMEOUT_MS, &reply);
		free(cmd);
		if (code < 0) {
			p = problem_new(PROBLEM_UNAVAILABLE, "route server %s: %s", name, reply);
			goto restore;
		}
		if (code >= 8000) {
			char *msg = bird_message(srv, reply);
			p = problem_new(PROBLEM_UNABLE_TO_FULFILL,
					"BIRD refused the configuration (configure): %s; the running configuration is "
					"unchanged",
					msg);
			free(msg);
			goto restore;
		}
	}
	double apply_ms = ms_since(t2);
	char *desired_text = json_dumps(j_state, JSON_COMPACT | JSON_SORT_KEYS);
	if (!write_file(srv->desired, desired_text))
		LOG_WARN("route server %s: cannot write %s: %s", name, srv->desired, strerror(errno));
	free(desired_text);
	rs_state_free(srv->state);
	srv->state = state;
	state = NULL;
	util_rfc3339(util_now_s(), srv->applied_at, sizeof(srv->applied_at));
	LOG_INFO("route server %s: applied %zu sessions (render %.1f ms, bird -p %.1f ms, configure %.1f ms)", name,
		 srv->state->n_sessions, render_ms, validate_ms, apply_ms);
	*j_out = json_pack("{s:s, s:s, s:I, s:{s:f, s:f, s:f}}", "server", name, "applied_at", srv->applied_at,
			   "sessions", (json_int_t)srv->state->n_sessions, "timings_ms", "render", render_ms,
			   "validate", validate_ms, "apply", apply_ms);
	goto out;
restore:
	if (has_prev)
		rename(srv->conf_prev, srv->conf);
	else
		unlink(srv->conf);
	if (has_prev && rs_bird_is_up(srv->ctl)) {
		char *cmd = xasprintf("configure \"%s\"", srv->conf), *r2 = NULL;
		rs_bird_command(srv->ctl, cmd, BIRD_CONFIGURE_TIMEOUT_MS, &r2);
		free(cmd);
		free(r2);
	}
out:
	rs_state_free(state);
	free(text);
	free(out);
	free(reply);
	return p;
}

/* BIRD's local "YYYY-MM-DD HH:MM:SS" as RFC 3339 UTC, or NULL. */
static json_t *since_json(const char *since)
{
	struct tm tm = {0};
	const char *end = strptime(since, "%Y-%m-%d %H:%M:%S", &tm);
	if (!end)
		return json_null();
	tm.tm_isdst = -1;
	char out[32];
	util_rfc3339((long long)mktime(&tm), out, sizeof(out));
	return json_string(out);
}

static json_t *family_json(const struct rs_session *ses, int fam, const struct rs_bird_protocol *protos, size_t n)
{
	char name[64];
	rs_protocol_name(ses->id, fam, name, sizeof(name));
	const struct rs_bird_protocol *bp = NULL;
	for (size_t i = 0; i < n && !bp; i++)
		if (strcmp(protos[i].name, name) == 0)
			bp = &protos[i];
	json_t *j = json_pack("{s:s, s:s}", "family", fam == 4 ? "ipv4" : "ipv6", "protocol", name);
	if (!bp) {
		json_object_set_new(j, "state", json_string("unknown"));
		return j;
	}
	bool is_up = strcmp(bp->bgp_state, "Established") == 0;
	json_object_set_new(j, "state", json_string(is_up ? "up" : "down"));
	json_object_set_new(j, "bgp_state", json_string(bp->bgp_state));
	json_object_set_new(j, "since", since_json(bp->since));
	json_object_set_new(j, "info", json_string(bp->info));
	json_object_set_new(j, "last_error", bp->last_error[0] ? json_string(bp->last_error) : json_null());
	json_object_set_new(j, "limit_hit", json_boolean(bp->is_limit_hit));
	json_object_set_new(j, "receive_limit", bp->receive_limit >= 0 ? json_integer(bp->receive_limit) : json_null());
	long long imported = bp->imported < 0 ? 0 : bp->imported, filtered = bp->filtered < 0 ? 0 : bp->filtered;
	json_object_set_new(j, "received", json_integer(imported + filtered));
	json_object_set_new(j, "accepted", json_integer(imported));
	json_object_set_new(j, "filtered", json_integer(filtered));
	json_object_set_new(j, "exported", json_integer(bp->exported < 0 ? 0 : bp->exported));
	return j;
}

static json_t *session_json(const struct rs_session *ses, const struct rs_bird_protocol *protos, size_t n)
{
	json_t *j_fams = json_array();
	if (ses->ipv4[0])
		json_array_append_new(j_fams, family_json(ses, 4, protos, n));
	if (ses->ipv6[0])
		json_array_append_new(j_fams, family_json(ses, 6, protos, n));
	return json_pack("{s:s, s:I, s:s, s:o}", "id", ses->id, "peer_asn", (json_int_t)ses->peer_asn, "filtering",
			 rs_filtering_name(ses->filtering), "families", j_fams);
}

/* BIRD's protocols of srv, or a problem when BIRD does not answer. */
static struct problem *read_protocols(const struct server *srv, struct rs_bird_protocol **protos, size_t *n)
{
	char *reply = NULL;
	int code = rs_bird_command(srv->ctl, "show protocols all \"s_*\"", BIRD_TIMEOUT_MS, &reply);
	if (code == 8003) { /* "No protocols match": a route server without sessions */
		free(reply);
		*protos = NULL;
		*n = 0;
		return NULL;
	}
	if (code < 0 || code >= 8000) {
		struct problem *p = problem_new(PROBLEM_UNAVAILABLE, "route server %s: %s", srv->name, reply);
		free(reply);
		return p;
	}
	*protos = rs_bird_parse_protocols(reply, n);
	free(reply);
	return NULL;
}

static struct problem *server_get_locked(const char *name, json_t **j_out)
{
	struct server *srv = find(name);
	if (!srv)
		return problem_new(PROBLEM_NOT_FOUND, "the adapter manages no route server %s", name);
	struct rs_bird_protocol *protos = NULL;
	size_t n = 0;
	bool is_running = rs_bird_is_up(srv->ctl);
	json_t *j_sessions = json_array();
	if (is_running && srv->state) {
		struct problem *p = read_protocols(srv, &protos, &n);
		if (p) {
			json_decref(j_sessions);
			return p;
		}
	}
	for (size_t i = 0; srv->state && i < srv->state->n_sessions; i++)
		json_array_append_new(j_sessions, session_json(&srv->state->sessions[i], protos, n));
	free(protos);
	*j_out = json_pack("{s:s, s:b, s:o, s:o}", "server", name, "running", is_running, "applied_at",
			   srv->applied_at[0] ? json_string(srv->applied_at) : json_null(), "sessions", j_sessions);
	return NULL;
}

static struct problem *find_session(const char *name, const char *id, struct server **srv,
				    const struct rs_session **ses)
{
	*srv = find(name);
	if (!*srv)
		return problem_new(PROBLEM_NOT_FOUND, "the adapter manages no route server %s", name);
	*ses = (*srv)->state ? rs_state_session((*srv)->state, id) : NULL;
	if (!*ses)
		return problem_new(PROBLEM_NOT_FOUND, "route server %s has no session %s", name, id);
	return NULL;
}

static struct problem *session_get_locked(const char *name, const char *id, json_t **j_out)
{
	struct server *srv;
	const struct rs_session *ses;
	struct rs_bird_protocol *protos = NULL;
	size_t n = 0;
	struct problem *p = find_session(name, id, &srv, &ses);
	if (!p)
		p = read_protocols(srv, &protos, &n);
	if (!p)
		*j_out = session_json(ses, protos, n);
	free(protos);
	return p;
}

static struct problem *session_enable_locked(const char *name, const char *id, json_t **j_out)
{
	struct server *srv;
	const struct rs_session *ses;
	struct problem *p = find_session(name, id, &srv, &ses);
	if (p)
		return p;
	for (int fam = 4; fam <= 6; fam += 2) {
		if (!(fam == 4 ? ses->ipv4[0] : ses->ipv6[0]))
			continue;
		char proto[64], *reply = NULL;
		rs_protocol_name(ses->id, fam, proto, sizeof(proto));
		char *cmd = xasprintf("enable %s", proto);
		int code = rs_bird_command(srv->ctl, cmd, BIRD_TIMEOUT_MS, &reply);
		free(cmd);
		if (code < 0 || code >= 8000)
			p = problem_new(code < 0 ? PROBLEM_UNAVAILABLE : PROBLEM_UNABLE_TO_FULFILL,
					"route server %s: enable %s: %s", name, proto, reply);
		else
			LOG_INFO("route server %s: session %s (%s) enabled", name, id, proto);
		free(reply);
		if (p)
			return p;
	}
	return session_get_locked(name, id, j_out);
}

struct problem *rs_server_put(const char *name, const json_t *j_state, json_t **j_out)
{
	pthread_mutex_lock(&lock);
	struct problem *p = server_put_locked(name, j_state, j_out);
	pthread_mutex_unlock(&lock);
	return p;
}

struct problem *rs_server_get(const char *name, json_t **j_out)
{
	pthread_mutex_lock(&lock);
	struct problem *p = server_get_locked(name, j_out);
	pthread_mutex_unlock(&lock);
	return p;
}

struct problem *rs_session_get(const char *name, const char *id, json_t **j_out)
{
	pthread_mutex_lock(&lock);
	struct problem *p = session_get_locked(name, id, j_out);
	pthread_mutex_unlock(&lock);
	return p;
}

struct problem *rs_session_enable(const char *name, const char *id, json_t **j_out)
{
	pthread_mutex_lock(&lock);
	struct problem *p = session_enable_locked(name, id, j_out);
	pthread_mutex_unlock(&lock);
	return p;
}
