/*
 * The controllable test adapter (tests/harness/adapter/test_adapter.c) from
 * an integration test: start, stop, kill and restart it on a fixed port,
 * inject failures and hangs, read the requests it recorded, and write the
 * adapters file (IXAPI_ADAPTERS_FILE) that points ixapid at it.
 */
#ifndef IXAPI_TESTS_ADAPTER_CTL_H
#define IXAPI_TESTS_ADAPTER_CTL_H

#include <jansson.h>
#include <sys/types.h>

struct test_adapter {
	pid_t pid;
	int port;
	char secret[80];
	char secret_file[512];
	char log_file[512];
	char config_file[512];
};

/* Starts it (a new secret and files under workdir); 0 when it answers. */
int test_adapter_start(struct test_adapter *a, const char *workdir);
/* Starts it again on the same port with the same secret and log. */
int test_adapter_restart(struct test_adapter *a);
/* SIGTERM and wait (sig SIGKILL: kill). */
void test_adapter_stop(struct test_adapter *a);
/* POST /control/<what> with body. 0 on 200. */
int test_adapter_control(const struct test_adapter *a, const char *what, const char *body);
/* The boot_id GET /v1/health answers now, into out. 0 on 200. */
int test_adapter_boot_id(const struct test_adapter *a, char *out, size_t out_len);
/* Every recorded request (a new array). */
json_t *test_adapter_requests(const struct test_adapter *a);
/* Writes the adapters file naming the adapter for the devices (a JSON
 * array text) and sets IXAPI_ADAPTERS_FILE to it. */
int test_adapter_configure(struct test_adapter *a, const char *devices_json);
/* The same, and the adapter as a route-server adapter too, serving the
 * route servers of route_servers_json (its "route_servers" array). */
int test_adapter_configure_rs(struct test_adapter *a, const char *devices_json, const char *route_servers_json);

#endif
