/*
 * ixapi-rsd: the route-server adapter. Serves the route-server adapter
 * protocol v1 (openapi/adapter-rs.json) and drives one BIRD 2 per route
 * server, each with its own directory (configuration, control socket) and
 * optionally its own network namespace (BIRD then runs there; the API
 * listens where ixapi-rsd was started).
 *
 *   ixapi-rsd --secret-file FILE --server NAME:DIR[:NETNS] [--server ...]
 *             [--listen 127.0.0.1] [--port 8711] [--bird bird] [--log-level info]
 *
 * SIGTERM/SIGINT: stop taking requests, exit 0. The BIRDs keep running (a
 * route server keeps serving while its management agent restarts); the next
 * start finds them by their control sockets. While it runs, a BIRD that
 * stopped is started again on its last good configuration within a second
 * (rs_servers_keep).
 */
#include "adapters/common/ad_daemon.h"
#include "adapters/rs/rs_api.h"
#include "adapters/rs/rs_servers.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>

#define KEEP_MS 1000 /* how often a stopped BIRD is looked for */

static const char usage[] =
	"usage: ixapi-rsd --secret-file FILE --server NAME:DIR[:NETNS] [--server ...]\n"
	"                 [--listen ADDR] [--port N] [--bird PATH] [--log-level debug|info|warn|error]\n";

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"server", required_argument, NULL, 'S'}, {"bird", required_argument, NULL, 'b'}, AD_DAEMON_OPTIONS};
	struct ad_options o = {.prog = "ixapi-rsd", .usage = usage, .listen_addr = "127.0.0.1", .listen_port = 8711};
	const char *bird = "bird";
	const char *specs[RS_SERVERS_MAX];
	size_t n_specs = 0;
	int rc = 1, opt, taken, listen_fd = -1;
	char *secret = NULL, *err = NULL;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'S':
			if (n_specs == RS_SERVERS_MAX) {
				fprintf(stderr, "ixapi-rsd: at most %d route servers\n", RS_SERVERS_MAX);
				goto out;
			}
			specs[n_specs++] = optarg;
			break;
		case 'b':
			bird = optarg;
			break;
		default:
			if ((taken = ad_daemon_option(&o, opt, optarg)) != AD_OPTION_TAKEN) {
				rc = taken;
				goto out;
			}
		}
	}
	if (optind != argc || !o.secret_file || n_specs == 0) {
		rc = ad_daemon_usage(&o);
		goto out;
	}
	if (!(secret = ad_daemon_secret_read(&o)))
		goto out;
	ad_daemon_block_signals();
	if (rs_servers_init(specs, n_specs, bird, &err) != 0) {
		LOG_ERROR("cannot take the route servers: %s", err);
		goto out;
	}
	if ((listen_fd = ad_http_listen(o.listen_addr, o.listen_port)) < 0)
		goto out;
	if (rs_servers_keep(KEEP_MS) != 0) {
		LOG_ERROR("cannot start the thread that keeps the BIRDs running");
		goto out;
	}
	char ready[64];
	snprintf(ready, sizeof(ready), "ixapi-rsd ready: %zu route servers", n_specs);
	rc = ad_daemon_serve(listen_fd, &o, secret, &rs_api, ready) == 0 ? 0 : 1;
out:
	ad_http_stop();
	rs_servers_close();
	ad_daemon_secret_free(secret);
	free(err);
	return rc;
}
