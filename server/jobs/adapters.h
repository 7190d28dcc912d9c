/*
 * The switch adapters ixapid's workers talk to (adapter protocol v1,
 * openapi/adapter-switch.json), from the JSON file IXAPI_ADAPTERS_FILE names:
 *
 *   {"switch_adapters": [{"name": "lab", "url": "http://127.0.0.1:9100",
 *     "secret_file": "lab.secret", "devices": ["edge1", "edge2"],
 *     "model": "bridge-per-service", "ca_file": "ca.pem"}]}
 *
 * Each adapter serves the devices it names (ports.name of a port of such a
 * device is the adapter's port). secret_file (relative paths: to the JSON
 * file's folder) holds its bearer secret; the secret lives in memory only:
 * never logged, never in jobs, events or error texts. ca_file is optional
 * (https with a private CA). model "bridge-per-service" (the default: a port
 * is untagged in one service) or "vlan-filtering" (tagged VLANs are sent).
 * The route-server adapters ("route_server_adapters") are parsed by
 * jobs/rs_adapters.c; either list may be absent.
 */
#ifndef IXAPI_JOBS_ADAPTERS_H
#define IXAPI_JOBS_ADAPTERS_H

#include <stdbool.h>
#include <stddef.h>

struct switch_adapter {
	char *name;
	char *url; /* base URL, without /v1 and without a trailing slash */
	char *secret;
	char *ca_file; /* NULL: the system's CAs */
	bool vlan_filtering;
	char **devices;
	size_t device_count;
};

struct rs_adapter; /* jobs/rs_adapters.h: "route_server_adapters" of the same file */

struct switch_adapters {
	struct switch_adapter *items;
	size_t count;
	struct rs_adapter *rs_items;
	size_t rs_count;
};

/* Parses the JSON text of an adapters file; secret files are read relative
 * to base_dir. 0, or -1 with a message in err (never a secret). */
int adapters_parse(const char *json_text, const char *base_dir, struct switch_adapters *out, char *err, size_t err_len);
/* The secret of secret_file (relative: to base_dir), one printable line;
 * NULL with a message in err (never the secret). Caller wipes and frees. */
char *adapters_read_secret(const char *base_dir, const char *file, char *err, size_t err_len);
/* Reads and parses the file at path (adapters_parse). */
int adapters_load(const char *path, struct switch_adapters *out, char *err, size_t err_len);
/* The adapter serving a device, or NULL (borrowed from list). */
const struct switch_adapter *adapters_for_device(const struct switch_adapters *list, const char *device);
/* Frees what adapters_parse filled (the secrets wiped first). */
void adapters_free(struct switch_adapters *list);

#endif
