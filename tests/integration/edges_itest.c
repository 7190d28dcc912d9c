/*
 * Integration tests of the HTTP edges, over raw sockets: slow clients (a
 * request head that trickles in has a deadline; per-address and total
 * connection caps leave room for a fresh client) and malformed requests
 * (each gets exactly one well-formed HTTP answer, an RFC 7807 problem
 * where the server, not libmicrohttpd, answers). Small limits are set
 * through the settings so that a few connections from loopback suffice.
 */
#include "harness.h"
#include "fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define HEAD_TIMEOUT_S  2
#define MAX_CONNECTIONS 32
#define MAX_PER_IP      8

static struct itest_server srv;

static int setup(void **state)
{
	(void)state;
	char value[16];
	snprintf(value, sizeof(value), "%d", HEAD_TIMEOUT_S);
	setenv("IXAPI_REQUEST_HEAD_TIMEOUT", value, 1);
	snprintf(value, sizeof(value), "%d", MAX_CONNECTIONS);
	setenv("IXAPI_MAX_CONNECTIONS", value, 1);
	snprintf(value, sizeof(value), "%d", MAX_PER_IP);
	setenv("IXAPI_MAX_CONNECTIONS_PER_IP", value, 1);
	setenv("IXAPI_CONNECTION_TIMEOUT", "30", 1); /* idle timeout: far longer than the head's deadline */
	return itest_start(&srv);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish(&srv) == 0 ? 0 : -1;
}

/* A connection to the server from the loopback address `from` (127.x.y.z). */
static int connect_from(const char *from)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in local = {.sin_family = AF_INET};
	assert_int_equal(inet_pton(AF_INET, from, &local.sin_addr), 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&local, sizeof(local)), 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)srv.port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static bool send_all(int fd, const char *text)
{
	return send(fd, text, strlen(text), MSG_NOSIGNAL) == (ssize_t)strlen(text);
}

/* Whether the server closed (or reset) the connection. */
static bool is_closed(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN | POLLRDHUP};
	if (poll(&p, 1, 0) <= 0)
		return false;
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* A client that sends a header line every 400 ms never completes its head:
 * it is disconnected after the head's deadline, although every line resets
 * libmicrohttpd's idle timeout (30 s here). */
static void test_trickled_head_has_a_deadline(void **state)
{
	(void)state;
	int fd = connect_from("127.0.0.1");
	long long started = itest_now_ms();
	assert_true(send_all(fd, "GET /api/v2/health HTTP/1.1\r\nHost: x\r\n"));
	while (itest_now_ms() - started < 3 * HEAD_TIMEOUT_S * 1000) {
		usleep(400000);
		if (is_closed(fd) || !send_all(fd, "X-Trickle: 1\r\n"))
			break;
	}
	long long lasted = itest_now_ms() - started;
	close(fd);
	if (lasted < HEAD_TIMEOUT_S * 1000 - 100 || lasted > HEAD_TIMEOUT_S * 1000 + 1500)
		fprintf(stderr, "the trickling connection lasted %lld ms\n", lasted);
	assert_true(lasted >= HEAD_TIMEOUT_S * 1000 - 100);
	assert_true(lasted <= HEAD_TIMEOUT_S * 1000 + 1500);
}

/* Tricklers from five addresses try 10 connections each: at most
 * MAX_PER_IP per address stay, the total stays below MAX_CONNECTIONS, and
 * a fresh client still gets its 200 at once. */
static void test_tricklers_leave_room_for_a_fresh_client(void **state)
{
	(void)state;
	enum { ADDRESSES = 5, PER_ADDRESS = 10 };
	int fds[ADDRESSES][PER_ADDRESS];
	for (int a = 0; a < ADDRESSES; a++) {
		char from[32];
		snprintf(from, sizeof(from), "127.0.0.%d", a + 2);
		for (int i = 0; i < PER_ADDRESS; i++) {
			fds[a][i] = connect_from(from);
			assert_true(send_all(fds[a][i], "GET /api/v2/health HTTP/1.1\r\n"));
		}
	}
	usleep(500000); /* the guard makes room within a tick or two */
	long long started = itest_now_ms();
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", "/health", NULL, NULL, NULL, &r), 0);
	long long took = itest_now_ms() - started;
	assert_int_equal(r.status, 200);
	http_result_free(&r);
	if (took > 1000)
		fprintf(stderr, "the fresh client waited %lld ms\n", took);
	assert_true(took <= 1000);

	int open_total = 0;
	for (int a = 0; a < ADDRESSES; a++) {
		int open_here = 0;
		for (int i = 0; i < PER_ADDRESS; i++)
			if (!is_closed(fds[a][i]))
				open_here++;
		if (open_here > MAX_PER_IP)
			fprintf(stderr, "127.0.0.%d kept %d connections\n", a + 2, open_here);
		assert_true(open_here <= MAX_PER_IP);
		open_total += open_here;
	}
	if (open_total >= MAX_CONNECTIONS)
		fprintf(stderr, "%d trickling connections kept\n", open_total);
	assert_true(open_total < MAX_CONNECTIONS);
	for (int a = 0; a < ADDRESSES; a++)
		for (int i = 0; i < PER_ADDRESS; i++)
			close(fds[a][i]);
}

/* Sends one request in one write and reads the whole answer (the server
 * closes these connections). */
static size_t exchange(const char *request, char *reply, size_t reply_size)
{
	int fd = connect_from("127.0.0.1");
	assert_true(send_all(fd, request));
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	size_t got = 0;
	ssize_t n;
	while (got < reply_size - 1 && (n = recv(fd, reply + got, reply_size - 1 - got, 0)) > 0)
		got += (size_t)n;
	reply[got] = '\0';
	close(fd);
	return got;
}

static int count_status_lines(const char *reply)
{
	int n = 0;
	for (const char *p = reply; (p = strstr(p, "HTTP/1.")); p++)
		if (p == reply || p[-1] == '\n')
			n++;
	return n;
}

static void test_malformed_requests_get_one_answer(void **state)
{
	(void)state;
	const struct {
		const char *request;
		int status;
		bool is_problem; /* answered by the server, not by libmicrohttpd */
	} cases[] = {
		{"POST /api/v2/auth/token HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, true},
		{"POST /api/v2/auth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 413,
		 true},
		{"GET /api/v2/health\r\n\r\n", 400, true},
		{"GET /api/v2/health HTTP/2.0\r\nHost: x\r\n\r\n", 505, true},
		{"GET /api/v2/health HTTP/1.1\r\nHost: x\r\nThis is no header\r\n\r\n", 400, true},
		/* A bad chunk size comes after the head: libmicrohttpd's own
		 * answer (README, "Limits and behaviour at the edges"). */
		{"POST /api/v2/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
		 400, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char reply[8192];
		exchange(cases[i].request, reply, sizeof(reply));
		int status = 0;
		sscanf(reply, "HTTP/1.1 %d", &status);
		int lines = count_status_lines(reply);
		char *body = strstr(reply, "\r\n\r\n");
		json_t *j = body && cases[i].is_problem ? json_loads(body + 4, 0, NULL) : NULL;
		bool ok =
			status == cases[i].status && lines == 1 &&
			(!cases[i].is_problem ||
			 (strstr(reply, "Content-Type: application/problem+json\r\n") && json_is_object(j) &&
			  json_integer_value(json_object_get(j, "status")) == cases[i].status &&
			  json_is_string(json_object_get(j, "type")) && json_is_string(json_object_get(j, "detail"))));
		if (!ok)
			fprintf(stderr, "request %zu: expected one %d%s answer, got %d status line(s):\n%s\n", i,
				cases[i].status, cases[i].is_problem ? " problem" : "", lines, reply);
		json_decref(j);
		assert_true(ok);
	}
	/* The server still answers well-formed requests. */
	struct http_result r;
	assert_int_equal(http_call(&srv, "GET", "/health", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	http_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trickled_head_has_a_deadline),
		cmocka_unit_test(test_tricklers_leave_room_for_a_fresh_client),
		cmocka_unit_test(test_malformed_requests_get_one_answer),
	};
	return cmocka_run_group_tests_name("HTTP edges (integration)", tests, setup, teardown);
}
