/*
 * The first look at a connection's request head (see head_check.h). The
 * rules follow what libmicrohttpd 0.9.75 refuses (connection.c:
 * parse_initial_message_line, parse_http_version, process_header_line,
 * parse_connection_headers); lines end with LF, an optional CR before it.
 */
#include "http/head_check.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Next complete line from *pos: sets line and its length (CR stripped);
 * false when no complete line is left. */
static bool next_line(const char *data, size_t len, size_t *pos, const char **line, size_t *line_len)
{
	const char *nl = memchr(data + *pos, '\n', len - *pos);
	if (!nl)
		return false;
	*line = data + *pos;
	*line_len = (size_t)(nl - *line);
	if (*line_len && (*line)[*line_len - 1] == '\r')
		(*line_len)--;
	*pos = (size_t)(nl - data) + 1;
	return true;
}

static struct problem *check_request_line(const char *line, size_t len)
{
	const char *space = memchr(line, ' ', len);
	if (!space || space == line)
		return problem_new(PROBLEM_BAD_REQUEST, "The request line is not 'METHOD target HTTP/1.1'.");
	size_t target = (size_t)(space - line) + 1;
	while (target < len && line[target] == ' ')
		target++;
	/* The version is the last word (libmicrohttpd searches from the end). */
	size_t end = len;
	while (end > target && line[end - 1] == ' ')
		end--;
	size_t start = end;
	while (start > target && line[start - 1] != ' ')
		start--;
	if (start == target) /* "GET /path": no version, an HTTP/0.9 request */
		return problem_new(PROBLEM_BAD_REQUEST,
				   "The request line names no HTTP version (HTTP/0.9 is not supported).");
	const char *v = line + start;
	size_t vlen = end - start;
	if (vlen != 8 || strncmp(v, "HTTP/", 5) != 0 || v[6] != '.' || v[5] < '0' || v[5] > '9' || v[7] < '0' ||
	    v[7] > '9')
		return problem_new(PROBLEM_BAD_REQUEST, "The request line names no valid HTTP version.");
	if (v[5] != '1')
		return problem_new(PROBLEM_HTTP_VERSION, "Only HTTP/1.0 and HTTP/1.1 are supported.");
	return NULL;
}

static struct problem *check_content_length(const char *value, size_t len)
{
	while (len && (*value == ' ' || *value == '\t')) {
		value++;
		len--;
	}
	while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	if (!len)
		return problem_new(PROBLEM_BAD_REQUEST, "Content-Length is empty.");
	uint64_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (value[i] < '0' || value[i] > '9')
			return problem_new(PROBLEM_BAD_REQUEST, "Content-Length is not a whole number of bytes.");
		unsigned digit = (unsigned)(value[i] - '0');
		if (n > (UINT64_MAX - digit) / 10)
			return problem_new(PROBLEM_PAYLOAD_TOO_LARGE, "Content-Length is too large.");
		n = n * 10 + digit;
	}
	return NULL;
}

struct problem *http_head_check(const char *data, size_t len)
{
	size_t pos = 0;
	const char *line;
	size_t line_len;
	/* Empty lines before the request line are tolerated. */
	do {
		if (!next_line(data, len, &pos, &line, &line_len))
			return NULL;
	} while (line_len == 0);
	struct problem *p = check_request_line(line, line_len);
	if (p)
		return p;
	while (next_line(data, len, &pos, &line, &line_len)) {
		if (line_len == 0)
			return NULL; /* the end of the head */
		if (line[0] == ' ' || line[0] == '\t')
			continue; /* a folded continuation of the previous header */
		const char *colon = memchr(line, ':', line_len);
		if (!colon)
			return problem_new(PROBLEM_BAD_REQUEST, "A header line is not 'Name: value'.");
		size_t name_len = (size_t)(colon - line);
		if (name_len == 14 && strncasecmp(line, "Content-Length", 14) == 0) {
			p = check_content_length(colon + 1, line_len - name_len - 1);
			if (p)
				return p;
		}
	}
	return NULL;
}
