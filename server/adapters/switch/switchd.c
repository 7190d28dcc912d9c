/*
 * ixapi-switchd: the reference switch adapter. Serves the switch adapter
 * protocol v1 (openapi/adapter-switch.json) and drives the Linux bridges of
 * the network namespace it runs in (start it with `ip netns exec NS`), or of
 * the named namespace with --netns NS: then it listens in the namespace it
 * was started in (e.g. the host's, where ixapid's workers reach it) and
 * drives the bridges of NS (/run/netns/NS, as `ip netns add` makes it).
 *
 *   ixapi-switchd --secret-file FILE (--ports p1,p2 | --ports-file FILE)
 *                 [--listen 127.0.0.1] [--port 8710] [--netns NS] [--log-level info]
 *
 * SIGTERM/SIGINT: stop taking requests, end running captures, exit 0. The
 * bridges, ports and MAC locks stay as they are (a switch keeps forwarding
 * while its management agent restarts); the next start reads them back.
 */
#include "adapters/switch/sw_api.h"
#include "adapters/switch/sw_capture.h"
#include "adapters/switch/sw_idem.h"
#include "adapters/switch/sw_ports.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECRET_MAX 1024

static void usage(void)
{
	fprintf(stderr,
		"usage: ixapi-switchd --secret-file FILE (--ports p1,p2,... | --ports-file FILE)\n"
		"                     [--listen ADDR] [--port N] [--netns NS] [--log-level debug|info|warn|error]\n");
}

/* The first line of a file (the bearer secret), or NULL with *why. */
static char *read_secret(const char *path, const char **why)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		*why = "cannot be read";
		return NULL;
	}
	char *s = xcalloc(1, SECRET_MAX + 2);
	if (!fgets(s, SECRET_MAX + 2, f))
		s[0] = '\0';
	fclose(f);
	s[strcspn(s, "\r\n")] = '\0';
	if (strlen(s) < 16 || strlen(s) > SECRET_MAX) {
		*why = "must hold a secret of 16 to 1024 characters on its first line";
		free(s);
		return NULL;
	}
	return s;
}

/* Appends the names in text (split at commas, blanks and newlines; # starts a
 * comment to the end of the line) to names. Returns -1 on a bad name. */
static int add_port_names(char *text, char **names, size_t *n)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		line[strcspn(line, "#")] = '\0';
		char *save;
		for (char *name = strtok_r(line, ", \t\r", &save); name; name = strtok_r(NULL, ", \t\r", &save)) {
			if (!sw_port_name_is_valid(name)) {
				fprintf(stderr, "ixapi-switchd: '%s' is not a port name (1-15 of [A-Za-z0-9_.-])\n",
					name);
				return -1;
			}
			if (*n == SW_PORTS_MAX) {
				fprintf(stderr, "ixapi-switchd: at most %d ports\n", SW_PORTS_MAX);
				return -1;
			}
			names[(*n)++] = xstrdup(name);
		}
	}
	return 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct strbuf b = {0};
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < 1024 * 1024)
		strbuf_put(&b, chunk, got);
	fclose(f);
	return b.text ? b.text : xstrdup("");
}

int main(int argc, char **argv)
{
	static const struct option options[] = {{"secret-file", required_argument, NULL, 's'},
						{"ports", required_argument, NULL, 'p'},
						{"ports-file", required_argument, NULL, 'f'},
						{"listen", required_argument, NULL, 'l'},
						{"port", required_argument, NULL, 'P'},
						{"netns", required_argument, NULL, 'n'},
						{"log-level", required_argument, NULL, 'v'},
						{"help", no_argument, NULL, 'h'},
						{NULL, 0, NULL, 0}};
	const char *secret_file = NULL, *listen_addr = "127.0.0.1", *netns = NULL;
	long long listen_port = 8710;
	char *names[SW_PORTS_MAX];
	size_t n_names = 0;
	int rc = 1, opt, listen_fd = -1;
	char *secret = NULL, *err = NULL;
	bool is_started = false, has_ports = false;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		char *text;
		switch (opt) {
		case 's':
			secret_file = optarg;
			break;
		case 'p':
			text = xstrdup(optarg);
			has_ports = true;
			if (add_port_names(text, names, &n_names) != 0) {
				free(text);
				goto out;
			}
			free(text);
			break;
		case 'f':
			text = read_file(optarg);
			has_ports = true;
			if (!text) {
				fprintf(stderr, "ixapi-switchd: cannot read the ports file %s\n", optarg);
				goto out;
			}
			if (add_port_names(text, names, &n_names) != 0) {
				free(text);
				goto out;
			}
			free(text);
			break;
		case 'l':
			listen_addr = optarg;
			break;
		case 'P':
			if (!util_parse_ll(optarg, 1, 65535, &listen_port)) {
				fprintf(stderr, "ixapi-switchd: --port takes 1 to 65535\n");
				goto out;
			}
			break;
		case 'n':
			if (!sw_port_name_is_valid(optarg)) {
				fprintf(stderr,
					"ixapi-switchd: --netns takes a namespace name (1-15 of [A-Za-z0-9_.-])\n");
				goto out;
			}
			netns = optarg;
			break;
		case 'v':
			if (log_level_parse(optarg) < 0) {
				fprintf(stderr, "ixapi-switchd: --log-level takes debug, info, warn or error\n");
				goto out;
			}
			log_set_level((enum log_level)log_level_parse(optarg));
			break;
		case 'h':
			usage();
			rc = 0;
			goto out;
		default:
			usage();
			rc = 2;
			goto out;
		}
	}
	if (optind != argc || !secret_file || !has_ports) {
		usage();
		rc = 2;
		goto out;
	}
	const char *why;
	if (!(secret = read_secret(secret_file, &why))) {
		fprintf(stderr, "ixapi-switchd: the secret file %s %s\n", secret_file, why);
		goto out;
	}

	/* Signals are taken by sigwait below: block them before any thread
	 * starts, so every thread inherits the mask. */
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* The API's socket is bound here, in the namespace we were started in;
	 * everything after (netlink, nftables, pcap, every thread) runs in
	 * --netns's. No thread exists yet: setns moves the whole process. */
	if ((listen_fd = sw_api_listen(listen_addr, (uint16_t)listen_port)) < 0)
		goto out;
	if (netns) {
		char path[64];
		snprintf(path, sizeof(path), "/run/netns/%s", netns);
		int ns_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (ns_fd < 0 || setns(ns_fd, CLONE_NEWNET) != 0) {
			LOG_ERROR("cannot enter the network namespace %s: %s", netns, strerror(errno));
			if (ns_fd >= 0)
				close(ns_fd);
			goto out;
		}
		close(ns_fd);
		LOG_INFO("driving the bridges of network namespace %s", netns);
	}
	if (sw_ports_init((const char *const *)names, n_names, &err) != 0) {
		LOG_ERROR("cannot take the ports: %s", err);
		goto out;
	}
	is_started = true;
	rc = sw_api_start(listen_fd, listen_addr, (uint16_t)listen_port, secret);
	listen_fd = -1; /* the daemon's now, closed by it even on failure */
	if (rc != 0) {
		rc = 1;
		goto out;
	}
	rc = 1;
	LOG_INFO("ixapi-switchd ready: %zu ports", n_names);
	int sig = 0;
	sigwait(&stop_signals, &sig);
	LOG_INFO("signal %d: stopping", sig);
	rc = 0;
out:
	if (listen_fd >= 0)
		close(listen_fd);
	sw_api_stop();
	sw_capture_shutdown();
	if (is_started)
		sw_ports_close();
	sw_idem_clear();
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	if (secret) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
	free(err);
	return rc;
}
