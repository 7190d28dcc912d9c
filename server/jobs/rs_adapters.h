/*
 * The route-server adapters ixapid's workers talk to
 * (openapi/adapter-rs.json), from the same file as the switch adapters
 * (IXAPI_ADAPTERS_FILE):
 *
 *   {"route_server_adapters": [{"name": "rsd", "url": "http://127.0.0.1:8711",
 *     "secret_file": "rs.secret", "ca_file": "ca.pem",
 *     "route_servers": ["rs1.demo-ix.net",
 *                       {"network_feature": "rs2.demo-ix.net", "server": "rs2"}]}]}
 *
 * Each adapter serves the route servers it names: network features of type
 * route_server matched by their name or fqdn; "server" is the adapter's
 * name for it (the {server} of /v1/route-servers/{server}; a plain string
 * is both). The secret as for switch adapters: read at start-up, in memory
 * only.
 */
#ifndef IXAPI_JOBS_RS_ADAPTERS_H
#define IXAPI_JOBS_RS_ADAPTERS_H

#include "jobs/adapters.h"

#include <jansson.h>
#include <stddef.h>

struct rs_adapter_server {
	char *feature; /* a network feature's name or fqdn */
	char *server;  /* the adapter's route server */
};

struct rs_adapter {
	struct switch_adapter http; /* name, url, secret, ca_file (no devices) */
	struct rs_adapter_server *servers;
	size_t server_count;
};

/* Parses the "route_server_adapters" list into out->rs_items; secret files
 * relative to base_dir. 0, or -1 with a message in err (never a secret). */
int rs_adapters_parse(const json_t *list, const char *base_dir, struct switch_adapters *out, char *err, size_t err_len);
/* The adapter serving the route server known by name or fqdn (either may
 * be NULL), and the adapter's name for it into *server; NULL when none. */
const struct rs_adapter *rs_adapter_for(const struct switch_adapters *list, const char *name, const char *fqdn,
					const char **server);
/* Frees out->rs_items (the secrets wiped first). */
void rs_adapters_free(struct switch_adapters *list);

#endif
