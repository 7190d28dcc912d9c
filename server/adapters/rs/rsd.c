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
 * start finds them by their control sockets.
 */
#include "adapters/rs/rs_api.h"
#include "adapters/rs/rs_servers.h"
#include "adapters/switch/sw_idem.h"
#include "core/log.h"
#include "core/util.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_MAX 1024

static void usage(void)
{
	fprintf(stderr,
		"usage: ixapi-rsd --secret-file FILE --server NAME:DIR[:NETNS] [--server ...]\n"
		"                 [--listen ADDR] [--port N] [--bird PATH] [--log-level debug|info|warn|error]\n");
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

int main(int argc, char **argv)
{
	static const struct option options[] = {{"secret-file", required_argument, NULL, 's'},
						{"server", required_argument, NULL, 'S'},
						{"listen", required_argument, NULL, 'l'},
						{"port", required_argument, NULL, 'P'},
						{"bird", required_argument, NULL, 'b'},
						{"log-level", required_argument, NULL, 'v'},
						{"help", no_argument, NULL, 'h'},
						{NULL, 0, NULL, 0}};
	const char *secret_file = NULL, *listen_addr = "127.0.0.1", *bird = "bird";
	const char *specs[RS_SERVERS_MAX];
	size_t n_specs = 0;
	long long listen_port = 8711;
	int rc = 1, opt, listen_fd = -1;
	char *secret = NULL, *err = NULL;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			secret_file = optarg;
			break;
		case 'S':
			if (n_specs == RS_SERVERS_MAX) {
				fprintf(stderr, "ixapi-rsd: at most %d route servers\n", RS_SERVERS_MAX);
				goto out;
			}
			specs[n_specs++] = optarg;
			break;
		case 'l':
			listen_addr = optarg;
			break;
		case 'P':
			if (!util_parse_ll(optarg, 1, 65535, &listen_port)) {
				fprintf(stderr, "ixapi-rsd: --port takes 1 to 65535\n");
				goto out;
			}
			break;
		case 'b':
			bird = optarg;
			break;
		case 'v':
			if (log_level_parse(optarg) < 0) {
				fprintf(stderr, "ixapi-rsd: --log-level takes debug, info, warn or error\n");
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
	if (optind != argc || !secret_file || n_specs == 0) {
		usage();
		rc = 2;
		goto out;
	}
	const char *why;
	if (!(secret = read_secret(secret_file, &why))) {
		fprintf(stderr, "ixapi-rsd: the secret file %s %s\n", secret_file, why);
		goto out;
	}
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (rs_servers_init(specs, n_specs, bird, &err) != 0) {
		LOG_ERROR("cannot take the route servers: %s", err);
		goto out;
	}
	if ((listen_fd = rs_api_listen(listen_addr, (uint16_t)listen_port)) < 0)
		goto out;
	rc = rs_api_start(listen_fd, listen_addr, (uint16_t)listen_port, secret);
	listen_fd = -1;
	if (rc != 0) {
		rc = 1;
		goto out;
	}
	LOG_INFO("ixapi-rsd ready: %zu route servers", n_specs);
	int sig = 0;
	sigwait(&stop_signals, &sig);
	LOG_INFO("signal %d: stopping", sig);
	rc = 0;
out:
	rs_api_stop();
	rs_servers_close();
	sw_idem_clear();
	if (secret) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
	free(err);
	return rc;
}
