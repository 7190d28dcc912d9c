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
#include "adapters/common/ad_daemon.h"
#include "adapters/switch/sw_api.h"
#include "adapters/switch/sw_capture.h"
#include "adapters/switch/sw_peers.h"
#include "adapters/switch/sw_ports.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: ixapi-switchd --secret-file FILE (--ports p1,p2,... | --ports-file FILE)\n"
	"                     [--listen ADDR] [--port N] [--netns NS] [--log-level debug|info|warn|error]\n";

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

/* Enters the network namespace /run/netns/NS (the whole process: no thread
 * exists yet). */
static int enter_netns(const char *netns)
{
	if (ad_daemon_enter_netns(netns) != 0) {
		LOG_ERROR("cannot enter the network namespace %s: %s", netns, strerror(errno));
		return -1;
	}
	LOG_INFO("driving the bridges of network namespace %s", netns);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {{"ports", required_argument, NULL, 'p'},
						{"ports-file", required_argument, NULL, 'f'},
						{"netns", required_argument, NULL, 'n'},
						AD_DAEMON_OPTIONS};
	struct ad_options o = {
		.prog = "ixapi-switchd", .usage = usage, .listen_addr = "127.0.0.1", .listen_port = 8710};
	const char *netns = NULL;
	char *names[SW_PORTS_MAX];
	size_t n_names = 0;
	int rc = 1, opt, taken, listen_fd = -1;
	char *secret = NULL, *err = NULL, *text = NULL;
	bool is_started = false, has_ports = false;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'p':
		case 'f':
			text = opt == 'p' ? xstrdup(optarg) : ad_daemon_file_read(optarg, 1024 * 1024);
			has_ports = true;
			if (!text) {
				fprintf(stderr, "ixapi-switchd: cannot read the ports file %s\n", optarg);
				goto out;
			}
			if (add_port_names(text, names, &n_names) != 0)
				goto out;
			free(text);
			text = NULL;
			break;
		case 'n':
			if (!sw_port_name_is_valid(optarg)) {
				fprintf(stderr,
					"ixapi-switchd: --netns takes a namespace name (1-15 of [A-Za-z0-9_.-])\n");
				goto out;
			}
			netns = optarg;
			break;
		default:
			if ((taken = ad_daemon_option(&o, opt, optarg)) != AD_OPTION_TAKEN) {
				rc = taken;
				goto out;
			}
		}
	}
	if (optind != argc || !o.secret_file || !has_ports) {
		rc = ad_daemon_usage(&o);
		goto out;
	}
	if (!(secret = ad_daemon_secret_read(&o)))
		goto out;
	ad_daemon_block_signals();

	/* The API's socket is bound here, in the namespace we were started in;
	 * everything after (netlink, nftables, pcap, every thread) runs in
	 * --netns's. */
	if ((listen_fd = ad_http_listen(o.listen_addr, o.listen_port)) < 0)
		goto out;
	if (netns && enter_netns(netns) != 0)
		goto out;
	if (sw_ports_init((const char *const *)names, n_names, &err) != 0) {
		LOG_ERROR("cannot take the ports: %s", err);
		goto out;
	}
	is_started = true;
	if (sw_peers_init(&err) != 0) {
		LOG_ERROR("cannot set up the peer counters: %s", err);
		goto out;
	}
	char ready[64];
	snprintf(ready, sizeof(ready), "ixapi-switchd ready: %zu ports", n_names);
	rc = ad_daemon_serve(listen_fd, &o, secret, &sw_api, ready) == 0 ? 0 : 1;
	listen_fd = -1; /* the server's now, closed by it even on failure */
out:
	if (listen_fd >= 0)
		close(listen_fd);
	ad_http_stop();
	sw_capture_shutdown();
	if (is_started) {
		sw_peers_close();
		sw_ports_close();
	}
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	ad_daemon_secret_free(secret);
	free(text);
	free(err);
	return rc;
}
