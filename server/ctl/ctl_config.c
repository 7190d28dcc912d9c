/*
 * Where ixapictl finds the API and the operator's key (see ctl_config.h).
 */
#include "ctl/ctl_config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int copy(char *dst, size_t len, const char *src, const char *what, char *err, size_t err_len)
{
	if (strlen(src) >= len) {
		snprintf(err, err_len, "%s is too long", what);
		return 2;
	}
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* The entry `as` of a credentials file ({"operator": {"api_key",
 * "api_secret"}, ...}). */
static int from_file(const char *path, const char *as, struct ctl_config *cfg, char *err, size_t err_len)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	int rc = 2;
	if (!j) {
		snprintf(err, err_len, "%s: %s", path, je.text);
		goto out;
	}
	json_t *entry = json_object_get(j, as);
	const char *key = json_string_value(json_object_get(entry, "api_key"));
	const char *secret = json_string_value(json_object_get(entry, "api_secret"));
	if (!key || !secret) {
		snprintf(err, err_len, "%s: no entry \"%s\" with an api_key and an api_secret", path, as);
		goto out;
	}
	if (copy(cfg->key, sizeof(cfg->key), key, "the api_key", err, err_len) ||
	    copy(cfg->secret, sizeof(cfg->secret), secret, "the api_secret", err, err_len))
		goto out;
	snprintf(cfg->source, sizeof(cfg->source), "%.250s (%.40s)", path, as);
	rc = 0;
out:
	json_decref(j);
	return rc;
}

int ctl_config_resolve(const struct ctl_args *a, struct ctl_config *cfg, char *err, size_t err_len)
{
	memset(cfg, 0, sizeof(*cfg));
	const char *url = a->url ? a->url : getenv("IXAPI_URL");
	if (!url || !*url)
		url = CTL_DEFAULT_URL;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(err, err_len, "--url %.200s: not an http:// or https:// URL", url);
		return 2;
	}
	if (copy(cfg->url, sizeof(cfg->url), url, "--url", err, err_len))
		return 2;
	const char *as = a->as ? a->as : "operator";
	if (a->key || a->secret) {
		if (!a->key || !a->secret) {
			snprintf(err, err_len, "--key and --secret go together");
			return 2;
		}
		if (a->credentials || a->as) {
			snprintf(err, err_len, "--key/--secret or --credentials/--as, not both");
			return 2;
		}
		snprintf(cfg->source, sizeof(cfg->source), "--key");
		return copy(cfg->key, sizeof(cfg->key), a->key, "--key", err, err_len) ||
				       copy(cfg->secret, sizeof(cfg->secret), a->secret, "--secret", err, err_len)
			       ? 2
			       : 0;
	}
	if (a->credentials)
		return from_file(a->credentials, as, cfg, err, err_len);
	const char *key = getenv("IXAPI_API_KEY"), *secret = getenv("IXAPI_API_SECRET");
	if (!a->as && key && *key && secret && *secret) {
		snprintf(cfg->source, sizeof(cfg->source), "IXAPI_API_KEY");
		return copy(cfg->key, sizeof(cfg->key), key, "IXAPI_API_KEY", err, err_len) ||
				       copy(cfg->secret, sizeof(cfg->secret), secret, "IXAPI_API_SECRET", err, err_len)
			       ? 2
			       : 0;
	}
	const char *file = getenv("IXAPI_CREDENTIALS");
	if (file && *file)
		return from_file(file, as, cfg, err, err_len);
	if (access(CTL_DEMO_CREDENTIALS, R_OK) == 0)
		return from_file(CTL_DEMO_CREDENTIALS, as, cfg, err, err_len);
	snprintf(err, err_len,
		 "no API key: give --key and --secret, --credentials FILE, or set IXAPI_API_KEY and IXAPI_API_SECRET");
	return 2;
}
