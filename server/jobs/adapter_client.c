/*
 * libcurl calls to switch adapters (see adapter_client.h). One easy handle
 * per call: calls are rare (a few per job), and a fresh handle shares no
 * state between worker threads.
 */
#include "jobs/adapter_client.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A capture report may be large (up to the gate's 4 MiB); what is past
 * this is dropped and the call fails as truncated. */
#define REPLY_MAX (4u << 20)

struct reply {
	char *data;
	size_t len, cap;
	bool truncated;
};

static size_t on_body(char *ptr, size_t size, size_t n, void *userdata)
{
	struct reply *r = userdata;
	size_t add = size * n;
	size_t take = add < REPLY_MAX - r->len ? add : REPLY_MAX - r->len;
	if (take < add)
		r->truncated = true;
	if (r->len + take + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < r->len + take + 1)
			cap *= 2;
		char *grown = realloc(r->data, cap);
		if (!grown) {
			r->truncated = true;
			return add;
		}
		r->data = grown;
		r->cap = cap;
	}
	memcpy(r->data + r->len, ptr, take);
	r->len += take;
	r->data[r->len] = '\0';
	return add;
}

/* The reason of a problem body ("title: detail"), one line, at most 200
 * characters; the raw start of the body when it is no problem. */
static void reply_reason(const struct reply *r, char *out, size_t out_len)
{
	json_t *j = json_loadb(r->data, r->len, 0, NULL);
	const char *title = json_string_value(json_object_get(j, "title"));
	const char *detail = json_string_value(json_object_get(j, "detail"));
	if (title || detail)
		snprintf(out, out_len, "%.80s%s%.160s", title ? title : "", title && detail ? ": " : "",
			 detail ? detail : "");
	else
		snprintf(out, out_len, "%.120s", r->len ? r->data : "(no body)");
	json_decref(j);
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
}

/* A secret that an adapter might echo never reaches a record. */
void adapter_scrub(char *text, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	char *hit;
	while (n && (hit = strstr(text, secret)))
		memset(hit, '*', n);
}

/* One call: method, path below the adapter's URL, an optional JSON body and
 * Idempotency-Key. The status into *status and the body (at most
 * REPLY_MAX bytes) into *body when body is not NULL (caller frees). 0 when
 * the adapter answered at all; -1 with a one-line reason in err otherwise. */
int adapter_call(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *method, const char *path,
		 const char *what, const char *json, const char *idempotency_key, long *status, char **body, char *err,
		 size_t err_len)
{
	int rc = -1;
	CURL *c = curl_easy_init();
	struct curl_slist *hs = NULL;
	char *auth = NULL;
	struct reply *r = calloc(1, sizeof(*r));
	*status = 0;
	if (body)
		*body = NULL;
	if (!c || !r) {
		snprintf(err, err_len, "adapter %s: cannot start a call", a->name);
		goto out;
	}
	char url[2048];
	snprintf(url, sizeof(url), "%s%s", a->url, path);
	size_t auth_len = strlen(a->secret) + 32;
	auth = malloc(auth_len);
	if (!auth)
		goto out;
	snprintf(auth, auth_len, "Authorization: Bearer %s", a->secret);
	hs = curl_slist_append(hs, auth);
	if (idempotency_key) {
		char key[96];
		snprintf(key, sizeof(key), "Idempotency-Key: %s", idempotency_key);
		hs = curl_slist_append(hs, key);
	}
	if (json)
		hs = curl_slist_append(hs, "Content-Type: application/json");
	hs = curl_slist_append(hs, "Accept: application/json");
	hs = curl_slist_append(hs, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (json) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(json));
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, t->connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, t->total_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (a->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, a->ca_file);
	CURLcode cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (cc != CURLE_OK) {
		snprintf(err, err_len, "adapter %s: %s %s: %s", a->name, method, what, curl_easy_strerror(cc));
		adapter_scrub(err, a->secret);
		goto out;
	}
	if (r->truncated) {
		snprintf(err, err_len, "adapter %s: %s %s: the answer is larger than %u bytes", a->name, method, what,
			 REPLY_MAX);
		goto out;
	}
	rc = 0;
	if (body) {
		*body = r->data ? r->data : calloc(1, 1);
		r->data = NULL;
	}
out:
	if (auth) {
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	curl_slist_free_all(hs);
	if (c)
		curl_easy_cleanup(c);
	if (r)
		free(r->data);
	free(r);
	return rc;
}

/* The one-line reason of an answer that is not the expected status. */
void adapter_unexpected(const struct switch_adapter *a, const char *method, const char *what, long status,
			const char *body, char *err, size_t err_len)
{
	char reason[256] = "(no body)";
	if (body) {
		struct reply r = {.data = (char *)body, .len = strlen(body)};
		reply_reason(&r, reason, sizeof(reason));
	}
	snprintf(err, err_len, "adapter %s: %s %s: HTTP %ld: %s", a->name, method, what, status, reason);
	adapter_scrub(err, a->secret);
}

char *adapter_escape(const char *segment)
{
	CURL *c = curl_easy_init();
	char *e = c ? curl_easy_escape(c, segment, 0) : NULL;
	if (c)
		curl_easy_cleanup(c);
	return e;
}

int adapter_put_port(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *port,
		     const char *desired_json, const char *idempotency_key, char *err, size_t err_len)
{
	char *e = adapter_escape(port), path[512], what[512];
	snprintf(path, sizeof(path), "/v1/ports/%s", e ? e : "");
	snprintf(what, sizeof(what), "/v1/ports/%s", port);
	curl_free(e);
	long status = 0;
	char *body = NULL;
	if (adapter_call(a, t, "PUT", path, what, desired_json, idempotency_key, &status, &body, err, err_len) != 0)
		return -1;
	int rc = 0;
	if (status != 200) {
		adapter_unexpected(a, "PUT", what, status, body, err, err_len);
		rc = -1;
	}
	free(body);
	return rc;
}

int adapter_start_capture(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *port,
			  const char *request_json, const char *idempotency_key, char *id, size_t id_len, char *err,
			  size_t err_len)
{
	char *e = adapter_escape(port), path[512], what[512];
	snprintf(path, sizeof(path), "/v1/ports/%s/captures", e ? e : "");
	snprintf(what, sizeof(what), "/v1/ports/%s/captures", port);
	curl_free(e);
	long status = 0;
	char *body = NULL;
	if (adapter_call(a, t, "POST", path, what, request_json, idempotency_key, &status, &body, err, err_len) != 0)
		return -1;
	int rc = -1;
	json_t *j = status == 202 ? json_loads(body ? body : "", 0, NULL) : NULL;
	const char *given = json_string_value(json_object_get(j, "id"));
	if (status != 202)
		adapter_unexpected(a, "POST", what, status, body, err, err_len);
	else if (!given || !*given || strlen(given) >= id_len ||
		 strspn(given, "abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "0123456789-_.") != strlen(given))
		snprintf(err, err_len, "adapter %s: POST %s: the answer has no usable capture id", a->name, what);
	else {
		snprintf(id, id_len, "%s", given);
		rc = 0;
	}
	json_decref(j);
	free(body);
	return rc;
}

int adapter_get_capture(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *id, char **report,
			char *err, size_t err_len)
{
	char *e = adapter_escape(id), path[512], what[512];
	snprintf(path, sizeof(path), "/v1/captures/%s", e ? e : "");
	snprintf(what, sizeof(what), "/v1/captures/%s", id);
	curl_free(e);
	long status = 0;
	*report = NULL;
	char *body = NULL;
	if (adapter_call(a, t, "GET", path, what, NULL, NULL, &status, &body, err, err_len) != 0)
		return -1;
	if (status != 200) {
		adapter_unexpected(a, "GET", what, status, body, err, err_len);
		free(body);
		return -1;
	}
	*report = body;
	return 0;
}

int adapter_get_health(const struct switch_adapter *a, const struct adapter_timeouts *t, char **health, char *err,
		       size_t err_len)
{
	long status = 0;
	char *body = NULL;
	*health = NULL;
	if (adapter_call(a, t, "GET", "/v1/health", "/v1/health", NULL, NULL, &status, &body, err, err_len) != 0)
		return -1;
	if (status != 200) {
		adapter_unexpected(a, "GET", "/v1/health", status, body, err, err_len);
		free(body);
		return -1;
	}
	*health = body;
	return 0;
}
