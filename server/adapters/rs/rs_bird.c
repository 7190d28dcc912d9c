/*
 * BIRD's control socket (rs_bird.h): a client of a few lines and the parse
 * of `show protocols all`, whose entries start with a 1002 line (name,
 * protocol, table, state, since, info) followed by 1006 detail lines.
 */
#include "adapters/rs/rs_bird.h"

#include "core/util.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* True when line (without its newline) ends a reply: "DDDD text". */
static bool is_last_line(const char *line, size_t len, int *code)
{
	if (len < 4)
		return false;
	for (int i = 0; i < 4; i++)
		if (line[i] < '0' || line[i] > '9')
			return false;
	if (len > 4 && line[4] != ' ')
		return false;
	*code = (line[0] - '0') * 1000 + (line[1] - '0') * 100 + (line[2] - '0') * 10 + (line[3] - '0');
	return true;
}

/* Reads lines into b until a last line; returns its code, or -1. */
static int read_reply(int fd, int timeout_ms, struct strbuf *b)
{
	size_t line_start = b->len;
	char chunk[8192];
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, timeout_ms);
		if (r <= 0)
			return -1;
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got <= 0)
			return -1;
		strbuf_put(b, chunk, (size_t)got);
		if (b->len > RS_BIRD_REPLY_MAX)
			return -1;
		char *nl;
		while ((nl = memchr(b->text + line_start, '\n', b->len - line_start))) {
			int code;
			if (is_last_line(b->text + line_start, (size_t)(nl - b->text) - line_start, &code))
				return code;
			line_start = (size_t)(nl - b->text) + 1;
		}
	}
}

int rs_bird_command(const char *sock_path, const char *cmd, int timeout_ms, char **reply)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct strbuf greeting = {0}, b = {0};
	int code = -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (strlen(sock_path) >= sizeof(sa.sun_path)) {
		*reply = xasprintf("the control socket path %s is too long", sock_path);
		goto out;
	}
	strcpy(sa.sun_path, sock_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		*reply = xasprintf("no BIRD on %s: %s", sock_path, strerror(errno));
		goto out;
	}
	if (read_reply(fd, timeout_ms, &greeting) != 1) { /* 0001 BIRD x.y ready. */
		*reply = xasprintf("BIRD on %s did not greet", sock_path);
		goto out;
	}
	char *line = xasprintf("%s\n", cmd);
	size_t len = strlen(line);
	bool is_sent = write(fd, line, len) == (ssize_t)len;
	free(line);
	if (!is_sent || (code = read_reply(fd, timeout_ms, &b)) < 0) {
		*reply = xasprintf("BIRD on %s did not answer '%s'", sock_path, cmd);
		code = -1;
		free(b.text);
		goto out;
	}
	*reply = b.text ? b.text : xstrdup("");
out:
	if (fd >= 0)
		close(fd);
	free(greeting.text);
	return code;
}

bool rs_bird_is_up(const char *sock_path)
{
	char *reply = NULL;
	int code = rs_bird_command(sock_path, "show status", 1000, &reply);
	free(reply);
	return code >= 0 && code < 8000;
}

/* Copies the value after "Key:" (trimmed) into out. */
static bool field(const char *line, const char *key, char *out, size_t out_len)
{
	while (*line == ' ')
		line++;
	size_t n = strlen(key);
	if (strncmp(line, key, n) != 0 || line[n] != ':')
		return false;
	line += n + 1;
	while (*line == ' ')
		line++;
	snprintf(out, out_len, "%s", line);
	size_t l = strlen(out);
	while (l && (out[l - 1] == ' ' || out[l - 1] == '\r'))
		out[--l] = '\0';
	return true;
}

static void parse_entry_line(const char *text, struct rs_bird_protocol *p)
{
	/* name proto table state date time info... */
	char date[16] = "", time_of_day[16] = "";
	int used = 0;
	if (sscanf(text, "%63s %*s %*s %15s %15s %15s %n", p->name, p->state, date, time_of_day, &used) < 4)
		return;
	snprintf(p->since, sizeof(p->since), "%s %s", date, time_of_day);
	snprintf(p->info, sizeof(p->info), "%s", text + used);
	size_t l = strlen(p->info);
	while (l && p->info[l - 1] == ' ')
		p->info[--l] = '\0';
}

struct rs_bird_protocol *rs_bird_parse_protocols(const char *reply, size_t *n)
{
	size_t cap = 16;
	struct rs_bird_protocol *out = xcalloc(cap, sizeof(*out)), *cur = NULL;
	*n = 0;
	const char *line = reply;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *text = xcalloc(1, len + 1);
		memcpy(text, line, len);
		const char *body = text;
		bool is_entry = len > 5 && strncmp(text, "1002", 4) == 0 && (text[4] == '-' || text[4] == ' ');
		if (len > 5 && text[0] >= '0' && text[0] <= '9' && (text[4] == '-' || text[4] == ' '))
			body = text + 5;
		if (is_entry) {
			if (*n == cap)
				out = xrealloc(out, (cap *= 2) * sizeof(*out));
			cur = &out[(*n)++];
			*cur = (struct rs_bird_protocol){
				.imported = -1, .filtered = -1, .exported = -1, .receive_limit = -1};
			parse_entry_line(body, cur);
		} else if (cur) {
			char value[128];
			long long a, b, c;
			if (field(body, "BGP state", cur->bgp_state, sizeof(cur->bgp_state)) ||
			    field(body, "Last error", cur->last_error, sizeof(cur->last_error))) {
				/* taken */
			} else if (field(body, "Routes", value, sizeof(value)) &&
				   sscanf(value, "%lld imported, %lld filtered, %lld exported", &a, &b, &c) == 3) {
				cur->imported = a, cur->filtered = b, cur->exported = c;
			} else if (field(body, "Routes", value, sizeof(value)) &&
				   sscanf(value, "%lld imported, %lld exported", &a, &c) == 2) {
				cur->imported = a, cur->filtered = 0, cur->exported = c;
			} else if (field(body, "Receive limit", value, sizeof(value)) &&
				   sscanf(value, "%lld", &a) == 1) {
				cur->receive_limit = a;
				cur->is_limit_hit = strstr(value, "[HIT]") != NULL;
			}
		}
		free(text);
		line = nl ? nl + 1 : NULL;
	}
	return out;
}
