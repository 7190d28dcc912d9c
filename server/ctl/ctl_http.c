/*
 * ixapictl's side of HTTP (see ctl_http.h).
 */
#include "ctl/ctl_http.h"

#include "core/util.h"

#include <curl/curl.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The largest answer read (an agreement's PDF is at most 4 MiB; a list of
 * 1,000 jobs or events stays far below). */
#define MAX_ANSWER_BYTES (32u * 1024 * 1024)
/* A token is renewed this many seconds before it expires. */
#define RENEW_MARGIN_S 30

int ctl_client_init(struct ctl_client *c, const char *url, const char *key, const char *secret)
{
	memset(c, 0, sizeof(*c));
	c->base_url = xstrdup(url);
	size_t n = strlen(c->base_url);
	while (n > 0 && c->base_url[n - 1] == '/')
		c->base_url[--n] = '\0';
	c->key = xstrdup(key);
	c->secret = xstrdup(secret);
	c->connect_timeout_ms = 5000;
	c->timeout_ms = 60000;
	c->curl = curl_easy_init();
	return c->curl ? 0 : -1;
}

static void wipe_free(char **s)
{
	if (*s) {
		explicit_bzero(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

void ctl_client_free(struct ctl_client *c)
{
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c->base_url);
	free(c->key);
	wipe_free(&c->secret);
	wipe_free(&c->access);
	wipe_free(&c->refresh);
	memset(c, 0, sizeof(*c));
}

void ctl_response_free(struct ctl_response *r)
{
	free(r->body);
	json_decref(r->j);
	memset(r, 0, sizeof(*r));
}

struct sink {
	struct strbuf b;
	bool too_big;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	if (s->b.len + size * n > MAX_ANSWER_BYTES) {
		s->too_big = true;
		return 0;
	}
	strbuf_put(&s->b, data, size * n);
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct ctl_response *r = arg;
	size_t len = size * n;
	static const char name[] = "X-Next-After:";
	if (len > sizeof(name) - 1 && strncasecmp(data, name, sizeof(name) - 1) == 0) {
		const char *v = data + sizeof(name) - 1;
		size_t vlen = len - (sizeof(name) - 1);
		while (vlen > 0 && (*v == ' ' || *v == '\t'))
			v++, vlen--;
		while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
			vlen--;
		if (vlen < sizeof(r->next_after)) {
			memcpy(r->next_after, v, vlen);
			r->next_after[vlen] = '\0';
		}
	}
	return len;
}

/* One HTTP exchange with an optional bearer token; 0 or 1 (printed). */
static int exchange(struct ctl_client *c, const char *method, const char *path, const char *token,
		    const char *content_type, const char *body, size_t body_len, struct ctl_response *r, FILE *err)
{
	CURL *h = c->curl;
	memset(r, 0, sizeof(*r));
	char *url = xasprintf("%s%s", c->base_url, path);
	struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json, application/problem+json, */*");
	char *auth = NULL, *ctype = NULL;
	if (token) {
		auth = xasprintf("Authorization: Bearer %s", token);
		headers = curl_slist_append(headers, auth);
	}
	if (content_type) {
		ctype = xasprintf("Content-Type: %s", content_type);
		headers = curl_slist_append(headers, ctype);
	}
	headers = curl_slist_append(headers, "Expect:");
	struct sink s = {0};
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ixapictl");
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
	CURLcode rc = curl_easy_perform(h);
	int result = 1;
	if (rc != CURLE_OK) {
		fprintf(err, "error: %s %s: %s\n", method, url,
			s.too_big ? "the answer is larger than ixapictl reads" : curl_easy_strerror(rc));
		free(s.b.text);
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	r->body = s.b.text ? s.b.text : xstrdup("");
	r->len = s.b.len;
	r->j = r->len ? json_loadb(r->body, r->len, 0, NULL) : NULL;
	result = 0;
out:
	curl_slist_free_all(headers);
	if (auth)
		wipe_free(&auth);
	free(ctype);
	free(url);
	return result;
}

static void take_tokens(struct ctl_client *c, json_t *j)
{
	const char *access = json_string_value(json_object_get(j, "access_token"));
	const char *refresh = json_string_value(json_object_get(j, "refresh_token"));
	wipe_free(&c->access);
	wipe_free(&c->refresh);
	c->access = xstrdup(access);
	c->refresh = xstrdup(refresh);
	c->access_exp = access ? ctl_jwt_exp(access) : 0;
	c->refresh_exp = refresh ? ctl_jwt_exp(refresh) : 0;
}

/* POST /auth/refresh when the refresh token is still good, else a login
 * with the key and secret. 0, or 1 (printed). */
static int renew(struct ctl_client *c, bool may_refresh, FILE *err)
{
	long long now = (long long)time(NULL);
	struct ctl_response r;
	if (may_refresh && c->refresh && c->refresh_exp > now + RENEW_MARGIN_S) {
		json_t *j = json_pack("{s:s}", "refresh_token", c->refresh);
		char *body = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		int rc = exchange(c, "POST", "/auth/refresh", NULL, "application/json", body, strlen(body), &r, err);
		wipe_free(&body);
		if (rc == 0 && r.status / 100 == 2 && json_string_value(json_object_get(r.j, "access_token"))) {
			take_tokens(c, r.j);
			ctl_response_free(&r);
			return 0;
		}
		if (rc == 0)
			ctl_response_free(&r);
	}
	json_t *j = json_pack("{s:s, s:s}", "api_key", c->key, "api_secret", c->secret);
	char *body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	int rc = exchange(c, "POST", "/auth/token", NULL, "application/json", body, strlen(body), &r, err);
	wipe_free(&body);
	if (rc)
		return 1;
	if (r.status / 100 != 2 || !json_string_value(json_object_get(r.j, "access_token"))) {
		fputs("login failed: ", err);
		ctl_print_problem(r.status, r.body, err);
		ctl_response_free(&r);
		return 1;
	}
	take_tokens(c, r.j);
	ctl_response_free(&r);
	return 0;
}

int ctl_request(struct ctl_client *c, const char *method, const char *path, const char *content_type, const char *body,
		size_t body_len, struct ctl_response *r, FILE *err)
{
	long long now = (long long)time(NULL);
	if ((!c->access || (c->access_exp && c->access_exp <= now + RENEW_MARGIN_S)) && renew(c, true, err))
		return 1;
	if (exchange(c, method, path, c->access, content_type, body, body_len, r, err))
		return 1;
	if (r->status != 401)
		return 0;
	/* revoked or expired early (clock skew): one new login, one more try */
	ctl_response_free(r);
	if (renew(c, false, err))
		return 1;
	return exchange(c, method, path, c->access, content_type, body, body_len, r, err);
}

int ctl_call(struct ctl_client *c, const char *method, const char *path, const char *json_body, json_t **out, FILE *err)
{
	struct ctl_response r;
	*out = NULL;
	if (ctl_request(c, method, path, json_body ? "application/json" : NULL, json_body,
			json_body ? strlen(json_body) : 0, &r, err))
		return 1;
	int rc = 1;
	if (r.status < 200 || r.status > 299) {
		ctl_print_problem(r.status, r.body, err);
		goto out;
	}
	if (r.len && !r.j) {
		fprintf(err, "error: %s %s answered %ld with a body that is no JSON\n", method, path, r.status);
		goto out;
	}
	*out = r.j ? json_incref(r.j) : json_null();
	rc = 0;
out:
	ctl_response_free(&r);
	return rc;
}

static const char *reason_phrase(long status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 409:
		return "Conflict";
	case 413:
		return "Payload Too Large";
	case 415:
		return "Unsupported Media Type";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	default:
		return "HTTP error";
	}
}

void ctl_print_problem(long status, const char *body, FILE *err)
{
	json_t *j = body ? json_loads(body, 0, NULL) : NULL;
	const char *title = json_string_value(json_object_get(j, "title"));
	const char *detail = json_string_value(json_object_get(j, "detail"));
	fprintf(err, "error %ld: %s", status, title ? title : reason_phrase(status));
	if (detail && *detail)
		fprintf(err, ": %s", detail);
	else if (!j && body && *body)
		fprintf(err, ": %.200s", body);
	fputc('\n', err);
	size_t i;
	json_t *prop;
	json_array_foreach (json_object_get(j, "properties"), i, prop) {
		const char *name = json_string_value(json_object_get(prop, "name"));
		const char *reason = json_string_value(json_object_get(prop, "reason"));
		if (reason && detail && strstr(detail, reason))
			continue; /* the detail says it already */
		fprintf(err, "  %s: %s\n", name ? name : "?", reason ? reason : "");
	}
	json_decref(j);
}

/* base64url (no padding) into a new NUL-terminated string, or NULL. */
static char *base64url_decode(const char *s, size_t n)
{
	char *out = xmalloc(n * 3 / 4 + 4);
	size_t o = 0;
	unsigned bits = 0, value = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		int v = ch >= 'A' && ch <= 'Z'   ? ch - 'A'
			: ch >= 'a' && ch <= 'z' ? ch - 'a' + 26
			: ch >= '0' && ch <= '9' ? ch - '0' + 52
			: ch == '-' || ch == '+' ? 62
			: ch == '_' || ch == '/' ? 63
			: ch == '='              ? -2
						 : -1;
		if (v == -2)
			break;
		if (v < 0) {
			free(out);
			return NULL;
		}
		value = (value << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((value >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return out;
}

long long ctl_jwt_exp(const char *token)
{
	const char *dot1 = strchr(token, '.');
	const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (!dot2)
		return 0;
	char *payload = base64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	json_t *j = payload ? json_loads(payload, 0, NULL) : NULL;
	json_t *exp = json_object_get(j, "exp");
	long long v = json_is_integer(exp) ? (long long)json_integer_value(exp) : 0;
	json_decref(j);
	free(payload);
	return v;
}

char *ctl_query_add(char *path, const char *name, const char *value)
{
	if (!value)
		return path;
	char *escaped = curl_easy_escape(NULL, value, 0);
	if (!escaped)
		abort();
	char *next = xasprintf("%s%c%s=%s", path, strchr(path, '?') ? '&' : '?', name, escaped);
	curl_free(escaped);
	free(path);
	return next;
}
