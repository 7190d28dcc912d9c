/*
 * The ports the adapter manages and what it does with them in the
 * bridge-per-service model: one plain bridge per service, created on
 * demand, named from the service (s-<service>, or s-<hash> when that would
 * pass the kernel's 15 characters) and carrying the alias
 * "ixapi-service:<service>", from which a port's service is read back after
 * a restart. A port is untagged in at most one service.
 * Not thread-safe: the HTTP thread alone calls these.
 */
#ifndef IXAPI_ADAPTERS_SWITCH_SW_PORTS_H
#define IXAPI_ADAPTERS_SWITCH_SW_PORTS_H

#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SW_PORTS_MAX 256
/* A service bridge's alias: this prefix, then the service. */
#define SW_SERVICE_ALIAS_PREFIX "ixapi-service:"

/* True when name can be a managed port's name (1-15 of [A-Za-z0-9_.-],
 * starting with a letter or digit). */
bool sw_port_name_is_valid(const char *name);
/* Takes the list of managed ports (copied), detects VLAN filtering and sets
 * up the MAC lock's table. Returns 0, or -1 with a message in *err (caller
 * frees). */
int sw_ports_init(const char *const *names, size_t n, char **err);
void sw_ports_close(void);
/* True when the adapter manages the port. */
bool sw_port_is_managed(const char *port);
/* GET /v1/health's body (caller owns). */
json_t *sw_ports_health(void);
/* The bridge that realises a service (out: 16 bytes). */
void sw_service_bridge_name(const char *service, char *out);
/* Applies a PUT of desired state; *j_state is the port's state after it
 * (caller owns). 400 for what cannot be realised, 404 unknown port. */
struct problem *sw_port_put(const char *port, json_t *j_body, json_t **j_state);
/* The port's actual state (caller owns). */
struct problem *sw_port_get(const char *port, json_t **j_state);
/* Counters of one port, or all when port is NULL (caller owns). */
struct problem *sw_port_counters(const char *port, json_t **j_out);

#endif
