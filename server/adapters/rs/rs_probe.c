/*
 * The RTT probe (see rs_probe.h): targets are checked to be IP addresses
 * (inet_pton) before they become ping's argument; each ping runs in a child
 * that entered the server's namespace. ping -q prints a few hundred bytes,
 * well within a pipe's buffer: the children never block on their output,
 * so they are all waited for before their pipes are read.
 */
#include "adapters/rs/rs_probe.h"

#include "adapters/common/ad_daemon.h"

#include "core/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int rs_ping_parse(const char *output, struct rs_ping_summary *s)
{
	struct rs_ping_summary r = {0};
	const char *line = strstr(output, " packets transmitted, ");
	if (!line)
		return -1;
	while (line > output && line[-1] != '\n')
		line--;
	if (sscanf(line, "%d packets transmitted, %d received", &r.tx, &r.rx) != 2 || r.tx < 0 || r.rx < 0)
		return -1;
	const char *eol = strchr(line, '\n');
	const char *t = strstr(line, ", time ");
	if (t && (!eol || t < eol))
		r.time_ms = strtol(t + 7, NULL, 10);
	const char *rtt = strstr(output, " min/avg/max/mdev = ");
	if (rtt && sscanf(rtt, " min/avg/max/mdev = %lf/%lf/%lf/%lf", &r.min_ms, &r.avg_ms, &r.max_ms, &r.mdev_ms) == 4)
		r.has_rtt = true;
	*s = r;
	return 0;
}

static struct problem *bad(const char *property, const char *detail)
{
	return problem_invalid(property, "%s", detail);
}

static struct problem *parse(const json_t *j_body, const char **targets, size_t *n, int *count)
{
	static const char *const keys[] = {"targets", "count"};
	const char *key;
	json_t *j_v;
	if (!json_is_object(j_body))
		return problem_new(PROBLEM_VALIDATION, "the body is a JSON object {targets, count}");
	json_object_foreach ((json_t *)j_body, key, j_v) {
		bool known = false;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			known = known || strcmp(key, keys[i]) == 0;
		if (!known)
			return bad(key, "not a property of a probe request");
	}
	json_t *j_targets = json_object_get(j_body, "targets");
	if (!json_is_array(j_targets) || json_array_size(j_targets) == 0 ||
	    json_array_size(j_targets) > RS_PROBE_TARGETS_MAX)
		return bad("targets", "targets: 1 to 64 IP addresses");
	json_t *j_count = json_object_get(j_body, "count");
	if (!json_is_integer(j_count) || json_integer_value(j_count) < 1 ||
	    json_integer_value(j_count) > RS_PROBE_COUNT_MAX)
		return bad("count", "count: the echo requests per target, 1 to 10");
	size_t i;
	json_t *j_t;
	json_array_foreach (j_targets, i, j_t) {
		const char *t = json_string_value(j_t);
		unsigned char buf[16];
		if (!t || (inet_pton(AF_INET, t, buf) != 1 && inet_pton(AF_INET6, t, buf) != 1))
			return bad("targets", "every target is an IPv4 or IPv6 address");
		targets[i] = t;
	}
	*n = json_array_size(j_targets);
	*count = (int)json_integer_value(j_count);
	return NULL;
}

struct child {
	pid_t pid;
	int fd;
	int status;
};

static void start_ping(struct child *c, const char *netns, const char *target, int count)
{
	int fds[2];
	c->pid = -1;
	c->fd = -1;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return;
	char count_s[16];
	snprintf(count_s, sizeof(count_s), "%d", count);
	pid_t pid = fork();
	if (pid == 0) {
		ad_daemon_child_setup(fds[1], netns);
		/* No -w: with a deadline ping sends until it, count or not.
		 * -W 1: a silent target costs count * 0.2 s + 1 s. */
		char *argv[] = {"ping", "-n", "-q", "-c", count_s, "-i", "0.2", "-W", "1", (char *)target, NULL};
		execvp(argv[0], argv);
		dprintf(2, "cannot run ping: %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return;
	}
	c->pid = pid;
	c->fd = fds[0];
}

static json_t *finish_ping(struct child *c, const char *target, int count)
{
	char out[4096];
	size_t len = 0;
	if (c->pid > 0)
		while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
			;
	if (c->fd >= 0) {
		ssize_t got;
		while (len < sizeof(out) - 1 && (got = read(c->fd, out + len, sizeof(out) - 1 - len)) > 0)
			len += (size_t)got;
		close(c->fd);
	}
	out[len] = '\0';
	struct rs_ping_summary s;
	if (c->pid <= 0 || rs_ping_parse(out, &s) != 0) {
		/* ping did not run or printed no summary: its first line says why */
		out[strcspn(out, "\n")] = '\0';
		return json_pack("{s:s, s:i, s:i, s:f, s:n, s:n, s:n, s:n, s:n, s:s}", "target", target, "tx", 0, "rx",
				 0, "loss", 1.0, "time_ms", "rtt_min_ms", "rtt_avg_ms", "rtt_max_ms", "rtt_mdev_ms",
				 "error", c->pid <= 0 ? "cannot start ping" : out);
	}
	(void)count;
	double loss = s.tx > 0 ? 1.0 - (double)s.rx / (double)s.tx : 1.0;
	json_t *j = json_pack("{s:s, s:i, s:i, s:f, s:I}", "target", target, "tx", s.tx, "rx", s.rx, "loss", loss,
			      "time_ms", (json_int_t)s.time_ms);
	json_object_set_new(j, "rtt_min_ms", s.has_rtt ? json_real(s.min_ms) : json_null());
	json_object_set_new(j, "rtt_avg_ms", s.has_rtt ? json_real(s.avg_ms) : json_null());
	json_object_set_new(j, "rtt_max_ms", s.has_rtt ? json_real(s.max_ms) : json_null());
	json_object_set_new(j, "rtt_mdev_ms", s.has_rtt ? json_real(s.mdev_ms) : json_null());
	return j;
}

struct problem *rs_probe_run(const char *server, const char *netns, const json_t *j_body, json_t **j_out)
{
	const char *targets[RS_PROBE_TARGETS_MAX];
	size_t n = 0;
	int count = 0;
	struct problem *p = parse(j_body, targets, &n, &count);
	if (p)
		return p;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char at[32];
	util_rfc3339(ts.tv_sec, at, sizeof(at));
	json_t *j_results = json_array();
	for (size_t first = 0; first < n; first += RS_PROBE_PARALLEL) {
		struct child children[RS_PROBE_PARALLEL];
		size_t batch = n - first < RS_PROBE_PARALLEL ? n - first : RS_PROBE_PARALLEL;
		for (size_t i = 0; i < batch; i++)
			start_ping(&children[i], netns, targets[first + i], count);
		for (size_t i = 0; i < batch; i++)
			json_array_append_new(j_results, finish_ping(&children[i], targets[first + i], count));
	}
	*j_out = json_pack("{s:s, s:s, s:i, s:o}", "server", server, "at", at, "count", count, "results", j_results);
	return NULL;
}
