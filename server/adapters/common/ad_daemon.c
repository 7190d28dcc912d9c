/*
 * The adapters' programs' shared parts (see ad_daemon.h).
 */
#include "adapters/common/ad_daemon.h"

#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sigset_t stop_signals;

int ad_daemon_usage(const struct ad_options *o)
{
	fputs(o->usage, stderr);
	return 2;
}

int ad_daemon_option(struct ad_options *o, int opt, const char *arg)
{
	long long port;
	switch (opt) {
	case 's':
		o->secret_file = arg;
		return AD_OPTION_TAKEN;
	case 'l':
		o->listen_addr = arg;
		return AD_OPTION_TAKEN;
	case 'P':
		if (!util_parse_ll(arg, 1, 65535, &port)) {
			fprintf(stderr, "%s: --port takes 1 to 65535\n", o->prog);
			return 1;
		}
		o->listen_port = (uint16_t)port;
		return AD_OPTION_TAKEN;
	case 'v':
		if (log_level_parse(arg) < 0) {
			fprintf(stderr, "%s: --log-level takes debug, info, warn or error\n", o->prog);
			return 1;
		}
		log_set_level((enum log_level)log_level_parse(arg));
		return AD_OPTION_TAKEN;
	case 'h':
		ad_daemon_usage(o);
		return 0;
	default:
		return ad_daemon_usage(o);
	}
}

char *ad_daemon_secret_read(const struct ad_options *o)
{
	FILE *f = fopen(o->secret_file, "r");
	if (!f) {
		fprintf(stderr, "%s: the secret file %s cannot be read\n", o->prog, o->secret_file);
		return NULL;
	}
	char *s = xcalloc(1, AD_SECRET_MAX + 2);
	if (!fgets(s, AD_SECRET_MAX + 2, f))
		s[0] = '\0';
	fclose(f);
	s[strcspn(s, "\r\n")] = '\0';
	if (strlen(s) < 16 || strlen(s) > AD_SECRET_MAX) {
		fprintf(stderr, "%s: the secret file %s must hold a secret of 16 to %d characters on its first line\n",
			o->prog, o->secret_file, AD_SECRET_MAX);
		ad_daemon_secret_free(s);
		return NULL;
	}
	return s;
}

void ad_daemon_secret_free(char *secret)
{
	if (!secret)
		return;
	memset(secret, 0, strlen(secret));
	free(secret);
}

void ad_daemon_block_signals(void)
{
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int ad_daemon_serve(int listen_fd, const struct ad_options *o, const char *secret, const struct ad_api *api,
		    const char *ready)
{
	if (ad_http_start(listen_fd, o->listen_addr, o->listen_port, secret, api) != 0)
		return -1;
	LOG_INFO("%s", ready);
	int sig = 0;
	sigwait(&stop_signals, &sig);
	LOG_INFO("signal %d: stopping", sig);
	return 0;
}

char *ad_daemon_file_read(const char *path, size_t max_bytes)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct strbuf b = {0};
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len <= max_bytes)
		strbuf_put(&b, chunk, got);
	fclose(f);
	if (b.len > max_bytes) {
		free(b.text);
		return NULL;
	}
	return b.text ? b.text : xstrdup("");
}

int ad_daemon_enter_netns(const char *netns)
{
	char path[64];
	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	int ns_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ns_fd < 0)
		return -1;
	int rc = setns(ns_fd, CLONE_NEWNET);
	int saved = errno;
	close(ns_fd);
	errno = saved;
	return rc;
}

void ad_daemon_child_setup(int out_fd, const char *netns)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	close_range(3, ~0U, 0);
	if (netns && netns[0] && ad_daemon_enter_netns(netns) != 0) {
		dprintf(2, "cannot enter the network namespace %s: %s\n", netns, strerror(errno));
		_exit(127);
	}
}
