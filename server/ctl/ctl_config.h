/*
 * Where ixapictl finds the API and the operator's key: the command line
 * first, then the environment, then make run's var/demo-credentials.json
 * in the working folder (see ctl_config_resolve).
 */
#ifndef IXAPI_CTL_CONFIG_H
#define IXAPI_CTL_CONFIG_H

#include "ctl/ctl_args.h"

#include <stddef.h>

#define CTL_DEFAULT_URL      "http://127.0.0.1:8080/api/v2"
#define CTL_DEMO_CREDENTIALS "var/demo-credentials.json"

struct ctl_config {
	char url[512];
	char key[128];
	char secret[256];
	char source[300]; /* where the key came from, for messages */
};

/* Fills cfg: url from --url, IXAPI_URL or the default; the key and secret
 * from --key/--secret, else the entry `--as` (default "operator") of the
 * --credentials file, else IXAPI_API_KEY/IXAPI_API_SECRET, else that entry
 * of the file IXAPI_CREDENTIALS names, else of CTL_DEMO_CREDENTIALS when
 * it exists. 0, or 2 with a one-line reason in err (a usage error: nothing
 * was sent). */
int ctl_config_resolve(const struct ctl_args *a, struct ctl_config *cfg, char *err, size_t err_len);

#endif
