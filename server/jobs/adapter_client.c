/*
 * libcurl calls to switch adapters (see adapter_client.h). One easy handle
 * per call: calls are rare (a few per job), and a fresh handle shares no
 * state between worker threads.
 */
#include "jobs/adapter_client.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY_MAX (64 * 1024)

struct reply {
	char data[REPLY_MAX + 1];
	size_t len;
};

static size_t on_body(char *ptr, size_t size, size_t n, void *userdata)
{
	struct reply *r = userdata;
	size_t add = size * n;
	size_t room = REPLY_MAX - r->len;
	size_t take = add < room ? add : room; /* the rest is dropped: only the start is reported */
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
static void scrub(char *text, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	char *hit;
	while (n && (hit = strstr(text, secret)))
		memset(hit, '*', n);
}

int adapter_put_port(const struct switch_adapter *a, const struct adapter_timeouts *t, const char *port,
		     const char *desired_json, const char *idempotency_key, char *err, size_t err_len)
{
	int rc = -1;
	CURL *c = curl_easy_init();
	struct curl_slist *hs = NULL;
	char *escaped = NULL, *auth = NULL;
	struct reply *r = calloc(1, sizeof(*r));
	if (!c || !r) {
		snprintf(err, err_len, "adapter %s: cannot start a call", a->name);
		goto out;
	}
	escaped = curl_easy_escape(c, port, 0);
	char url[2048];
	snprintf(url, sizeof(url), "%s/v1/ports/%s", a->url, escaped ? escaped : "");
	size_t auth_len = strlen(a->secret) + 32;
	auth = malloc(auth_len);
	if (!auth)
		goto out;
	snprintf(auth, auth_len, "Authorization: Bearer %s", a->secret);
	char key[96];
	snprintf(key, sizeof(key), "Idempotency-Key: %s", idempotency_key);
	hs = curl_slist_append(hs, auth);
	hs = curl_slist_append(hs, key);
	hs = curl_slist_append(hs, "Content-Type: application/json");
	hs = curl_slist_append(hs, "Accept: application/json");
	hs = curl_slist_append(hs, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, desired_json);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(desired_json));
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
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK) {
		snprintf(err, err_len, "adapter %s: PUT /v1/ports/%s: %s", a->name, port, curl_easy_strerror(cc));
	} else if (status != 200) {
		char reason[256];
		reply_reason(r, reason, sizeof(reason));
		snprintf(err, err_len, "adapter %s: PUT /v1/ports/%s: HTTP %ld: %s", a->name, port, status, reason);
	} else {
		rc = 0;
	}
	if (rc != 0)
		scrub(err, a->secret);
out:
	if (auth) {
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	curl_free(escaped);
	curl_slist_free_all(hs);
	if (c)
		curl_easy_cleanup(c);
	free(r);
	return rc;
}
