/*
 * Benchmark baseline: the smallest useful libmicrohttpd server, with the
 * same daemon flags and thread count as ixapid, answering every request with
 * a fixed JSON body. `make bench` measures ixapid against it in the same run.
 *
 * Usage: baseline PORT THREADS
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char body[] = "{\"id\":\"1\",\"state\":\"production\",\"name\":\"Demo IXP Operator\"}";

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			      const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;
	struct MHD_Response *r =
		MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: baseline PORT THREADS\n");
		return 2;
	}
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC, (uint16_t)atoi(argv[1]),
						NULL, NULL, answer, NULL, MHD_OPTION_THREAD_POOL_SIZE,
						(unsigned)atoi(argv[2]), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
						MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_END);
	if (!d)
		return 1;
	int sig;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	return 0;
}
