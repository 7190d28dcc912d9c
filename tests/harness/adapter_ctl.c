/*
 * Control of the test adapter (see adapter_ctl.h).
 */
#include "adapter_ctl.h"

#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *binary(void)
{
	const char *b = getenv("IXAPI_BIN");
	static char path[1024];
	/* build/ixapid -> build/tests/harness/adapter/test_adapter */
	snprintf(path, sizeof(path), "%s", b && *b ? b : "build/ixapid");
	char *slash = strrchr(path, '/');
	size_t at = slash ? (size_t)(slash - path + 1) : 0;
	snprintf(path + at, sizeof(path) - at, "tests/harness/adapter/test_adapter");
	return path;
}

static size_t sink(char *p, size_t s, size_t n, void *u)
{
	(void)p, (void)u;
	return s * n;
}

static long get_status(const struct test_adapter *a, const char *method, const char *path, const char *body)
{
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", a->port, path);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return status;
}

int test_adapter_restart(struct test_adapter *a)
{
	char port[16];
	snprintf(port, sizeof(port), "%d", a->port);
	pid_t pid = fork();
	if (pid == 0) {
		execl(binary(), binary(), port, a->secret_file, a->log_file, (char *)NULL);
		_exit(127);
	}
	a->pid = pid;
	for (int i = 0; i < 400; i++) { /* up to 20 s: sanitizer builds start slowly */
		if (get_status(a, "POST", "/control/reset", "{}") == 200)
			return 0;
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			a->pid = 0; /* reaped: nothing left to stop */
			break;
		}
		usleep(50000);
	}
	fprintf(stderr, "adapter_ctl: the test adapter (%s) did not start\n", binary());
	return -1;
}

int test_adapter_start(struct test_adapter *a, const char *workdir)
{
	memset(a, 0, sizeof(*a));
	unsigned char raw[24];
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -1;
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(a->secret + 2 * i, 3, "%02x", raw[i]);
	snprintf(a->secret_file, sizeof(a->secret_file), "%s/adapter.secret", workdir);
	snprintf(a->log_file, sizeof(a->log_file), "%s/adapter-requests.jsonl", workdir);
	snprintf(a->config_file, sizeof(a->config_file), "%s/adapters.json", workdir);
	FILE *f = fopen(a->secret_file, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n", a->secret);
	fclose(f);
	a->port = itest_free_port();
	return test_adapter_restart(a);
}

void test_adapter_stop(struct test_adapter *a)
{
	if (a->pid <= 0)
		return;
	kill(a->pid, SIGKILL);
	waitpid(a->pid, NULL, 0);
	a->pid = 0;
}

int test_adapter_control(const struct test_adapter *a, const char *what, const char *body)
{
	char path[128];
	snprintf(path, sizeof(path), "/control/%s", what);
	return get_status(a, "POST", path, body ? body : "{}") == 200 ? 0 : -1;
}

json_t *test_adapter_requests(const struct test_adapter *a)
{
	json_t *all = json_array();
	FILE *f = fopen(a->log_file, "r");
	char line[80000];
	while (f && fgets(line, sizeof(line), f)) {
		json_t *j = json_loads(line, 0, NULL);
		if (j)
			json_array_append_new(all, j);
	}
	if (f)
		fclose(f);
	return all;
}

int test_adapter_configure(struct test_adapter *a, const char *devices_json)
{
	return test_adapter_configure_rs(a, devices_json, NULL);
}

int test_adapter_configure_rs(struct test_adapter *a, const char *devices_json, const char *route_servers_json)
{
	FILE *f = fopen(a->config_file, "w");
	if (!f)
		return -1;
	fprintf(f,
		"{\"switch_adapters\": [{\"name\": \"test\", \"url\": \"http://127.0.0.1:%d\","
		" \"secret_file\": \"adapter.secret\", \"devices\": %s}]",
		a->port, devices_json);
	if (route_servers_json)
		fprintf(f,
			", \"route_server_adapters\": [{\"name\": \"test-rs\", \"url\": \"http://127.0.0.1:%d\","
			" \"secret_file\": \"adapter.secret\", \"route_servers\": %s}]",
			a->port, route_servers_json);
	fprintf(f, "}\n");
	fclose(f);
	setenv("IXAPI_ADAPTERS_FILE", a->config_file, 1);
	return 0;
}

static size_t collect(char *p, size_t s, size_t n, void *u)
{
	char *buf = u;
	size_t have = strlen(buf), add = s * n;
	if (have + add < 4096) {
		memcpy(buf + have, p, add);
		buf[have + add] = '\0';
	}
	return s * n;
}

int test_adapter_boot_id(const struct test_adapter *a, char *out, size_t out_len)
{
	char url[128], auth[160], body[4096] = "";
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/health", a->port);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", a->secret);
	CURL *c = curl_easy_init();
	struct curl_slist *hs = curl_slist_append(NULL, auth);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hs);
	curl_easy_cleanup(c);
	json_t *j = json_loads(body, 0, NULL);
	const char *b = json_string_value(json_object_get(j, "boot_id"));
	int rc = status == 200 && b ? 0 : -1;
	snprintf(out, out_len, "%s", b ? b : "");
	json_decref(j);
	return rc;
}
