/*
 * What the adapters' programs (ixapi-switchd, ixapi-rsd) share around
 * their HTTP server: the common command-line options, the secret file, the
 * stop signals and the serving loop, whole files read with a ceiling.
 */
#ifndef IXAPI_ADAPTERS_COMMON_AD_DAEMON_H
#define IXAPI_ADAPTERS_COMMON_AD_DAEMON_H

#include "adapters/common/ad_http.h"

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#define AD_SECRET_MAX 1024

/* The options every adapter takes: --secret-file FILE [--listen ADDR]
 * [--port N] [--log-level L] [--help]; and how the program is called. */
struct ad_options {
	const char *prog;  /* the program's name in messages */
	const char *usage; /* its usage text */
	const char *secret_file;
	const char *listen_addr; /* "127.0.0.1" unless given */
	uint16_t listen_port;    /* the adapter's default unless given */
};

/* Their getopt_long entries, the end of the table included: the last
 * entries of an adapter's own table. */
#define AD_DAEMON_OPTIONS                                                                                              \
	{"secret-file", required_argument, NULL, 's'}, {"listen", required_argument, NULL, 'l'},                       \
		{"port", required_argument, NULL, 'P'}, {"log-level", required_argument, NULL, 'v'},                   \
		{"help", no_argument, NULL, 'h'},                                                                      \
	{                                                                                                              \
		NULL, 0, NULL, 0                                                                                       \
	}

#define AD_OPTION_TAKEN (-1)

/* Takes getopt_long's opt and its argument when it is a shared option
 * (--log-level is applied at once): AD_OPTION_TAKEN. Otherwise the status
 * the program exits with: 1 for a bad value (said on stderr), 0 for
 * --help, 2 for an unknown option (both after the usage). */
int ad_daemon_option(struct ad_options *o, int opt, const char *arg);
/* Prints the usage on stderr; returns 2, the status to exit with. */
int ad_daemon_usage(const struct ad_options *o);

/* The first line of o->secret_file (16 to AD_SECRET_MAX characters), or
 * NULL said on stderr. Free with ad_daemon_secret_free. */
char *ad_daemon_secret_read(const struct ad_options *o);
/* Wipes and frees a secret (NULL is fine). */
void ad_daemon_secret_free(char *secret);

/* Blocks SIGTERM and SIGINT (ad_daemon_serve waits for them) and ignores
 * SIGPIPE. Call before any thread starts: every thread inherits the mask. */
void ad_daemon_block_signals(void);
/* Serves api on listen_fd (ad_http_start: owned by the server from now on)
 * with secret, logs ready, waits for SIGTERM or SIGINT. Returns 0 after a
 * signal (the server still runs: ad_http_stop), -1 when it did not start
 * (logged). */
int ad_daemon_serve(int listen_fd, const struct ad_options *o, const char *secret, const struct ad_api *api,
		    const char *ready);

/* Enters the network namespace /run/netns/NAME: the calling thread's (the
 * whole process's before any thread starts). 0, or -1 with errno set. */
int ad_daemon_enter_netns(const char *netns);
/* In a child between fork() and exec(): the default signal mask and SIGPIPE
 * (the daemon blocks and ignores them), out_fd as stdout and stderr, no
 * other descriptor, and the network namespace netns when one is named
 * (NULL or "": none). When that fails it says why on out_fd and _exits 127. */
void ad_daemon_child_setup(int out_fd, const char *netns);

/* The whole file at path ("" when empty; caller frees), or NULL when it
 * cannot be read or holds more than max_bytes. */
char *ad_daemon_file_read(const char *path, size_t max_bytes);

#endif
