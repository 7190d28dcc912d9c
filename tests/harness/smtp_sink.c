/*
 * The SMTP sink's process and its messages (see smtp_sink.h).
 */
#include "smtp_sink.h"

#include "fixtures.h"
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *sink_path(void)
{
	const char *p = getenv("IXAPI_SMTP_SINK");
	return p && *p ? p : "tests/tools/smtp-sink.py";
}

static const char *parts_path(void)
{
	const char *p = getenv("IXAPI_MAIL_PARTS");
	return p && *p ? p : "tests/tools/mail-parts.py";
}

static bool log_says_listening(const char *dir)
{
	char path[320], line[256];
	snprintf(path, sizeof(path), "%s/sink.log", dir);
	FILE *f = fopen(path, "r");
	bool yes = false;
	while (f && !yes && fgets(line, sizeof(line), f))
		yes = strncmp(line, "listening", 9) == 0;
	if (f)
		fclose(f);
	return yes;
}

int itest_smtp_sink_start(struct itest_smtp_sink *s, const char *const *args)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/ixapi-smtp-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	bool smtps = false;
	for (size_t i = 0; args && args[i]; i++)
		smtps = smtps || strcmp(args[i], "--smtps") == 0;
	for (int attempt = 0; attempt < 3; attempt++) { /* a port taken between the pick and the bind */
		s->port = itest_free_port();
		char port[16];
		snprintf(port, sizeof(port), "%d", s->port);
		pid_t pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			char log[320];
			snprintf(log, sizeof(log), "%s/sink.log", s->dir);
			int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			const char *argv[32] = {"/usr/bin/python3", sink_path(), "--port", port, "--dir", s->dir};
			size_t n = 6;
			for (size_t i = 0; args && args[i] && n + 1 < sizeof(argv) / sizeof(argv[0]); i++)
				argv[n++] = args[i];
			argv[n] = NULL;
			execv(argv[0], (char *const *)argv);
			_exit(127);
		}
		s->pid = pid;
		for (long long until = itest_now_ms() + 10000; itest_now_ms() < until;) {
			if (log_says_listening(s->dir)) {
				snprintf(s->url, sizeof(s->url), "%s://127.0.0.1:%d", smtps ? "smtps" : "smtp",
					 s->port);
				return 0;
			}
			int status;
			if (waitpid(pid, &status, WNOHANG) == pid) {
				s->pid = 0;
				break;
			}
			usleep(50000);
		}
		if (s->pid)
			itest_smtp_sink_stop(s);
	}
	fprintf(stderr, "itest_smtp_sink_start: the sink did not start; see %s/sink.log\n", s->dir);
	return -1;
}

void itest_smtp_sink_stop(struct itest_smtp_sink *s)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	int status;
	for (int i = 0; i < 100; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return;
		}
		usleep(50000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
}

void itest_smtp_sink_remove(struct itest_smtp_sink *s)
{
	itest_smtp_sink_stop(s);
	if (!*s->dir || strncmp(s->dir, "/tmp/ixapi-smtp-", 16) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		execlp("rm", "rm", "-rf", "--", s->dir, (char *)NULL);
		_exit(127);
	}
	int status;
	if (pid > 0)
		waitpid(pid, &status, 0);
	s->dir[0] = '\0';
}

int itest_mail_count(const char *dir)
{
	int n = 0;
	for (;; n++) {
		char path[320];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%d.eml", dir, n + 1);
		if (stat(path, &st) != 0)
			return n;
	}
}

bool itest_mail_wait(const char *dir, int n, int timeout_ms)
{
	long long until = itest_now_ms() + timeout_ms;
	do {
		if (itest_mail_count(dir) >= n)
			return true;
		usleep(50000);
	} while (itest_now_ms() < until);
	fprintf(stderr, "itest_mail_wait: %s holds %d message(s), wanted %d\n", dir, itest_mail_count(dir), n);
	return false;
}

json_t *itest_mail_envelope(const char *dir, int n)
{
	char path[320];
	snprintf(path, sizeof(path), "%s/%d.json", dir, n);
	return json_load_file(path, 0, NULL);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + used, 1, cap - used, f)) > 0) {
		used += got;
		if (used == cap) {
			cap *= 2;
			char *grown = realloc(buf, cap + 1);
			if (!grown)
				free(buf);
			buf = grown;
		}
	}
	fclose(f);
	if (buf)
		buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

static int run(const char *const *argv)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int itest_mail_parse(const char *dir, int n, struct itest_mail *m)
{
	memset(m, 0, sizeof(*m));
	char eml[320], path[340];
	snprintf(eml, sizeof(eml), "%s/%d.eml", dir, n);
	snprintf(m->parts_dir, sizeof(m->parts_dir), "%s/%d.parts", dir, n);
	const char *argv[] = {"/usr/bin/python3", parts_path(), eml, m->parts_dir, NULL};
	if (run(argv) != 0) {
		fprintf(stderr, "itest_mail_parse: %s cannot be taken apart\n", eml);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/headers.json", m->parts_dir);
	m->headers = json_load_file(path, 0, NULL);
	snprintf(path, sizeof(path), "%s/attachments.json", m->parts_dir);
	m->attachments = json_load_file(path, 0, NULL);
	snprintf(path, sizeof(path), "%s/body.txt", m->parts_dir);
	m->body = slurp(path, NULL);
	return m->headers && m->attachments && m->body ? 0 : -1;
}

unsigned char *itest_mail_attachment(const struct itest_mail *m, const char *name, size_t *len)
{
	if (strchr(name, '/'))
		return NULL;
	char path[400];
	snprintf(path, sizeof(path), "%s/attachment-%s", m->parts_dir, name);
	return (unsigned char *)slurp(path, len);
}

void itest_mail_free(struct itest_mail *m)
{
	json_decref(m->headers);
	json_decref(m->attachments);
	free(m->body);
	memset(m, 0, sizeof(*m));
}

int itest_self_signed_cert(const char *dir)
{
	char key[300], cert[300];
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("openssl", "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
		       cert, "-days", "1", "-subj", "/CN=localhost", "-addext",
		       "subjectAltName=DNS:localhost,IP:127.0.0.1", (char *)NULL);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}
