/*
 * Desired state of ports, applied with rtnetlink (sw_link) and nftables
 * (sw_maclock); actual state and counters read back from the kernel (see
 * sw_ports.h).
 */
#include "adapters/switch/sw_ports.h"

#include "adapters/switch/sw_link.h"
#include "adapters/switch/sw_maclock.h"
#include "core/log.h"
#include "core/mac.h"
#include "core/util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define ALIAS_PREFIX SW_SERVICE_ALIAS_PREFIX
#define SERVICE_MAX  64

struct port {
	char name[SW_IFNAME_MAX];
	struct sw_maclock lock;
	long long applied_at; /* wall clock seconds of the last PUT, 0: none since start */
};

static struct port *ports;
static size_t n_ports;
static bool has_vlan_filtering;

bool sw_port_name_is_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= SW_IFNAME_MAX || name[0] == '.' || name[0] == '-' || name[0] == '_')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* The identity of this run (GET /v1/health `boot_id`): new at each start,
 * so ixapid re-pushes the stored desired state of every port. (This adapter
 * reads its bridges back at start, but the lab it drives may be new.) */
static char boot_id[33];

static void new_boot_id(void)
{
	unsigned char raw[16];
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		unsigned long long t = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
		for (size_t i = 0; i < sizeof(raw); i++)
			raw[i] = (unsigned char)(t >> (8 * (i % 8))) ^ (unsigned char)(i * 37);
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(boot_id + 2 * i, 3, "%02x", raw[i]);
}

int sw_ports_init(const char *const *names, size_t n, char **err)
{
	new_boot_id();
	int rc = -1;
	if (n == 0 || n > SW_PORTS_MAX) {
		*err = xasprintf("between 1 and %d ports, not %zu", SW_PORTS_MAX, n);
		return -1;
	}
	ports = xcalloc(n, sizeof(*ports));
	struct sw_maclock *locks = xcalloc(n, sizeof(*locks));
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < i; k++) {
			if (strcmp(names[k], names[i]) == 0) {
				*err = xasprintf("port %s is listed twice", names[i]);
				goto out;
			}
		}
		snprintf(ports[i].name, sizeof(ports[i].name), "%s", names[i]);
		struct sw_link l;
		if (sw_link_get(names[i], &l) != 0)
			LOG_WARN("port %s is not (yet) in this namespace: requests for it answer 503 until it is",
				 names[i]);
	}
	n_ports = n;
	has_vlan_filtering = sw_link_has_vlan_filtering();
	LOG_INFO("802.1Q VLAN filtering on bridges: %s; model: bridge-per-service%s",
		 has_vlan_filtering ? "available" : "not in this kernel",
		 has_vlan_filtering ? " (the vlan-filtering model is not implemented yet)" : "");
	if (sw_maclock_init(names, n, locks, err) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		ports[i].lock = locks[i];
	rc = 0;
out:
	free(locks);
	return rc;
}

void sw_ports_close(void)
{
	sw_maclock_close();
	free(ports);
	ports = NULL;
	n_ports = 0;
}

static struct port *port_find(const char *name)
{
	for (size_t i = 0; i < n_ports; i++)
		if (strcmp(ports[i].name, name) == 0)
			return &ports[i];
	return NULL;
}

bool sw_port_is_managed(const char *port)
{
	return port_find(port) != NULL;
}

json_t *sw_ports_health(void)
{
	json_t *j_ports = json_array();
	for (size_t i = 0; i < n_ports; i++)
		json_array_append_new(j_ports, json_string(ports[i].name));
	return json_pack("{s:s, s:s, s:s, s:b, s:o, s:s}", "adapter", "linux-bridge", "version", "1", "model",
			 "bridge-per-service", "vlan_filtering", has_vlan_filtering, "ports", j_ports, "boot_id",
			 boot_id);
}

static bool service_is_valid(const char *s)
{
	if (strcmp(s, "quarantine") == 0 || strcmp(s, "peering") == 0)
		return true;
	size_t n = strlen(s);
	if (strncmp(s, "vc-", 3) != 0 || n == 3 || n > SERVICE_MAX)
		return false;
	for (size_t i = 3; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

void sw_service_bridge_name(const char *service, char *out)
{
	if (strlen(service) <= SW_IFNAME_MAX - 3) {
		snprintf(out, SW_IFNAME_MAX, "s-%s", service);
		return;
	}
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)service; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(out, SW_IFNAME_MAX, "s-%013llx", (unsigned long long)(h & 0xfffffffffffffULL));
}

struct desired {
	bool is_admin_up;
	bool has_service;
	char service[SERVICE_MAX + 1];
	struct sw_maclock lock;
};

static struct problem *parse_desired(json_t *j_body, struct desired *d)
{
	static const char *const keys[] = {"admin_state", "service", "vlan", "mac_lock", "allowed_macs", "lag_members"};
	if (!json_is_object(j_body))
		return problem_new(PROBLEM_VALIDATION, "the body must be a JSON object");
	const char *k;
	json_t *v;
	json_object_foreach (j_body, k, v) {
		bool known = false;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			known = known || strcmp(k, keys[i]) == 0;
		if (!known)
			return problem_invalid(k, "is not a property of a port's desired state");
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_object_get(j_body, keys[i]))
			return problem_invalid(keys[i], "is required (a PUT sets the whole desired state)");
	const char *admin = json_string_value(json_object_get(j_body, "admin_state"));
	if (!admin || (strcmp(admin, "up") != 0 && strcmp(admin, "down") != 0))
		return problem_invalid("admin_state", "must be \"up\" or \"down\"");
	d->is_admin_up = strcmp(admin, "up") == 0;
	json_t *j_service = json_object_get(j_body, "service");
	if (!json_is_null(j_service)) {
		const char *s = json_string_value(j_service);
		if (!s || !service_is_valid(s))
			return problem_invalid(
				"service",
				"must be null, \"quarantine\", \"peering\" or \"vc-<id>\" (id: 1-%d of [A-Za-z0-9_-])",
				SERVICE_MAX - 3);
		d->has_service = true;
		snprintf(d->service, sizeof(d->service), "%s", s);
	}
	json_t *j_vlan = json_object_get(j_body, "vlan");
	if (!json_is_null(j_vlan)) {
		if (!json_is_integer(j_vlan) || json_integer_value(j_vlan) < 1 || json_integer_value(j_vlan) > 4094)
			return problem_invalid("vlan", "must be null (untagged) or a VLAN id from 1 to 4094");
		return problem_invalid(
			"vlan",
			"a tagged member port needs 802.1Q VLAN filtering; this adapter runs the bridge-per-service model (%s), where a port is untagged in one service",
			has_vlan_filtering ? "the vlan-filtering model is not implemented"
					   : "this kernel has no 802.1Q support");
	}
	json_t *j_lock = json_object_get(j_body, "mac_lock");
	if (!json_is_boolean(j_lock))
		return problem_invalid("mac_lock", "must be true or false");
	d->lock.is_locked = json_is_true(j_lock);
	json_t *j_macs = json_object_get(j_body, "allowed_macs");
	if (!json_is_array(j_macs) || json_array_size(j_macs) > SW_MACLOCK_MAX_MACS)
		return problem_invalid("allowed_macs", "must be a list of at most %d MAC addresses",
				       SW_MACLOCK_MAX_MACS);
	size_t i;
	json_array_foreach (j_macs, i, v) {
		const char *mac = json_string_value(v);
		char canonical[18];
		enum mac_verdict verdict = mac ? mac_normalise(mac, canonical) : MAC_MALFORMED;
		if (verdict != MAC_OK)
			return problem_invalid("allowed_macs", "item %zu: %s", i, mac_verdict_reason(verdict));
		if (strcmp(canonical, mac) != 0)
			return problem_invalid("allowed_macs", "item %zu must be spelt canonically (%s)", i, canonical);
		bool seen = false;
		for (size_t k2 = 0; k2 < d->lock.n_macs; k2++)
			seen = seen || strcmp(d->lock.macs[k2], canonical) == 0;
		if (!seen)
			memcpy(d->lock.macs[d->lock.n_macs++], canonical, 18);
	}
	json_t *j_lag = json_object_get(j_body, "lag_members");
	if (!json_is_array(j_lag))
		return problem_invalid("lag_members", "must be a list");
	if (json_array_size(j_lag) > 0)
		return problem_invalid(
			"lag_members",
			"the bridge-per-service model has no LAGs: a port stands alone (lag_members must be [])");
	return NULL;
}

static struct problem *link_problem(const char *port, const char *what, int rc)
{
	if (rc == -ENODEV)
		return problem_new(PROBLEM_UNAVAILABLE, "port %s is not in the switch's namespace", port);
	return problem_new(PROBLEM_INTERNAL, "port %s: %s: %s", port, what, strerror(-rc));
}

/* The bridge of a service, created when missing. */
static struct problem *service_bridge(const char *service, int *ifindex)
{
	char name[SW_IFNAME_MAX];
	char alias[sizeof(ALIAS_PREFIX) + SERVICE_MAX];
	sw_service_bridge_name(service, name);
	snprintf(alias, sizeof(alias), ALIAS_PREFIX "%s", service);
	struct sw_link br;
	int rc = sw_link_get(name, &br);
	if (rc == -ENODEV) {
		rc = sw_link_bridge_create(name, alias);
		if (rc == 0) {
			LOG_INFO("service %s: bridge %s created", service, name);
			rc = sw_link_get(name, &br);
		}
	}
	if (rc != 0)
		return problem_new(PROBLEM_INTERNAL, "the bridge %s of service %s: %s", name, service, strerror(-rc));
	if (!br.is_bridge || strcmp(br.alias, alias) != 0)
		return problem_new(PROBLEM_CONFLICT, "%s, the name of service %s's bridge, is taken by another link",
				   name, service);
	*ifindex = br.ifindex;
	return NULL;
}

struct problem *sw_port_put(const char *port, json_t *j_body, json_t **j_state)
{
	struct port *p = port_find(port);
	if (!p)
		return problem_new(PROBLEM_NOT_FOUND, "the adapter does not manage a port %s", port);
	struct desired d = {0};
	struct problem *prob = parse_desired(j_body, &d);
	if (prob)
		return prob;
	struct sw_link l;
	int rc = sw_link_get(port, &l);
	if (rc != 0)
		return link_problem(port, "read", rc);
	/* Down first, up last: a port being moved or relocked carries nothing
	 * in between. The lock changes before the port joins a new service. */
	if (!d.is_admin_up && l.is_admin_up && (rc = sw_link_set_admin_up(l.ifindex, false)) != 0)
		return link_problem(port, "admin down", rc);
	char *err = NULL;
	if (sw_maclock_apply(port, &p->lock, &d.lock, &err) != 0) {
		prob = problem_new(PROBLEM_INTERNAL, "port %s: MAC lock: %s", port, err);
		free(err);
		return prob;
	}
	p->lock = d.lock;
	int master = 0;
	if (d.has_service && (prob = service_bridge(d.service, &master)) != NULL)
		return prob;
	if (l.master != master && (rc = sw_link_set_master(l.ifindex, master)) != 0)
		return link_problem(port, master ? "set master" : "set nomaster", rc);
	if (d.is_admin_up && !l.is_admin_up && (rc = sw_link_set_admin_up(l.ifindex, true)) != 0)
		return link_problem(port, "admin up", rc);
	p->applied_at = util_now_s();
	LOG_INFO("port %s: admin %s, service %s, MAC lock %s (%zu MACs)", port, d.is_admin_up ? "up" : "down",
		 d.has_service ? d.service : "none", d.lock.is_locked ? "on" : "off", d.lock.n_macs);
	return sw_port_get(port, j_state);
}

struct problem *sw_port_get(const char *port, json_t **j_state)
{
	struct port *p = port_find(port);
	if (!p)
		return problem_new(PROBLEM_NOT_FOUND, "the adapter does not manage a port %s", port);
	struct sw_link l, m;
	int rc = sw_link_get(port, &l);
	if (rc != 0)
		return link_problem(port, "read", rc);
	json_t *j_service = json_null();
	if (l.master && sw_link_get_by_index(l.master, &m) == 0) {
		if (strncmp(m.alias, ALIAS_PREFIX, strlen(ALIAS_PREFIX)) == 0)
			j_service = json_string(m.alias + strlen(ALIAS_PREFIX));
		else
			LOG_WARN("port %s is in bridge %s, which is not a service's", port, m.name);
	}
	json_t *j_macs = json_array();
	for (size_t i = 0; i < p->lock.n_macs; i++)
		json_array_append_new(j_macs, json_string(p->lock.macs[i]));
	char at[32];
	util_rfc3339(p->applied_at, at, sizeof(at));
	*j_state = json_pack("{s:s, s:s, s:s, s:o, s:n, s:b, s:o, s:[], s:o}", "port", port, "admin_state",
			     l.is_admin_up ? "up" : "down", "oper_state", l.is_oper_up ? "up" : "down", "service",
			     j_service, "vlan", "mac_lock", p->lock.is_locked, "allowed_macs", j_macs, "lag_members",
			     "applied_at", p->applied_at ? json_string(at) : json_null());
	return NULL;
}

static json_t *port_counters(const struct port *p, const struct sw_link *l, json_t *j_drops)
{
	json_t *j_drop = json_object_get(j_drops, p->name);
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "port", p->name, "rx_octets",
			 (json_int_t)l->stats.rx_bytes, "tx_octets", (json_int_t)l->stats.tx_bytes, "rx_packets",
			 (json_int_t)l->stats.rx_packets, "tx_packets", (json_int_t)l->stats.tx_packets, "rx_errors",
			 (json_int_t)l->stats.rx_errors, "tx_errors", (json_int_t)l->stats.tx_errors, "rx_discards",
			 (json_int_t)l->stats.rx_dropped, "tx_discards", (json_int_t)l->stats.tx_dropped,
			 "mac_lock_drops", json_is_integer(j_drop) ? json_integer_value(j_drop) : (json_int_t)0);
}

struct problem *sw_port_counters(const char *port, json_t **j_out)
{
	if (port && !port_find(port))
		return problem_new(PROBLEM_NOT_FOUND, "the adapter does not manage a port %s", port);
	char *err = NULL;
	json_t *j_drops = sw_maclock_drops(&err);
	if (!j_drops) {
		struct problem *prob = problem_new(PROBLEM_INTERNAL, "MAC lock counters: %s", err);
		free(err);
		return prob;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char at[32], stamp[40];
	util_rfc3339(ts.tv_sec, at, sizeof(at));
	snprintf(stamp, sizeof(stamp), "%.19s.%03ldZ", at, ts.tv_nsec / 1000000);
	json_t *j_ports = json_array();
	for (size_t i = 0; i < n_ports; i++) {
		if (port && strcmp(ports[i].name, port) != 0)
			continue;
		struct sw_link l;
		int rc = sw_link_get(ports[i].name, &l);
		if (rc == -ENODEV && !port)
			continue; /* listed, not (yet) there: nothing to count */
		if (rc != 0) {
			json_decref(j_ports);
			json_decref(j_drops);
			return link_problem(ports[i].name, "read", rc);
		}
		json_array_append_new(j_ports, port_counters(&ports[i], &l, j_drops));
	}
	json_decref(j_drops);
	*j_out = json_pack("{s:s, s:o}", "at", stamp, "ports", j_ports);
	return NULL;
}
