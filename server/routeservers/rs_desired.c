/*
 * The route server's desired state from the database's facts (see
 * rs_desired.h).
 */
#include "routeservers/rs_desired.h"

#include "bgp/bgp_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

long long rs_session_limit(long long explicit_limit, long long observed, long long ceiling)
{
	long long limit = explicit_limit >= 0 ? explicit_limit : bgp_max_prefix_limit(observed < 0 ? 0 : observed);
	if (ceiling >= 0 && limit > ceiling)
		limit = ceiling;
	if (limit > RS_LIMIT_MAX)
		limit = RS_LIMIT_MAX;
	return limit < 1 ? 1 : limit;
}

bool rs_as_set_key(const char *as_set, char *out, size_t out_len)
{
	size_t n = strlen(as_set);
	if (n == 0 || n >= out_len)
		return false;
	for (size_t i = 0; i <= n; i++)
		out[i] = as_set[i] == '@' ? '.' : (char)toupper((unsigned char)as_set[i]);
	return true;
}

const char *rs_filtering_of_flag(const char *flag)
{
	static const char *const map[][2] = {
		{"irrdb_rpki", "irr_and_rpki"}, {"irrdb", "irr"}, {"rpki", "rpki"}, {"tagging", "tagging"}};
	for (size_t i = 0; flag && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(flag, map[i][0]) == 0)
			return map[i][1];
	return "irr_and_rpki";
}

/* An integer member, or -1 when it is null or absent. */
static long long int_or_none(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(j, key);
	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

static void set_text(json_t *j, const char *key, const json_t *from, const char *from_key)
{
	const char *v = json_string_value(json_object_get(from, from_key));
	if (v && *v)
		json_object_set_new(j, key, json_string(v));
}

static json_t *session_of(const json_t *f, const json_t *lan)
{
	json_t *s = json_object();
	json_object_set(s, "id", json_object_get(f, "id"));
	json_object_set(s, "peer_asn", json_object_get(f, "asn"));
	int version = (int)json_integer_value(json_object_get(f, "ip_version"));
	set_text(s, version == 6 ? "ipv6" : "ipv4", f, "ip");
	set_text(s, "password", f, "password");
	json_object_set_new(s, "filtering",
			    json_string(rs_filtering_of_flag(json_string_value(json_object_get(f, "filtering_mode")))));
	const char *fams[] = {"v4", "v6"};
	for (int i = 0; i < 2; i++) {
		char max[32], observed[32], ceiling[40], set[16];
		snprintf(max, sizeof(max), "max_prefix_%s", fams[i]);
		snprintf(observed, sizeof(observed), "observed_%s", fams[i]);
		snprintf(ceiling, sizeof(ceiling), "max_prefix_ceiling_%s", fams[i]);
		snprintf(set, sizeof(set), "as_set_%s", fams[i]);
		json_object_set_new(s, max,
				    json_integer(rs_session_limit(int_or_none(f, max), int_or_none(f, observed),
								  int_or_none(lan, ceiling))));
		const char *name = json_string_value(json_object_get(f, set));
		char key[256];
		if (name && rs_as_set_key(name, key, sizeof(key)))
			json_object_set_new(s, set, json_string(key));
	}
	return s;
}

json_t *rs_desired_render(const json_t *facts, char *err, size_t err_len)
{
	const json_t *rs = json_object_get(facts, "route_server");
	const json_t *lan = json_object_get(facts, "lan");
	if (!json_is_object(rs) || !json_is_integer(json_object_get(rs, "asn"))) {
		snprintf(err, err_len, "no route server in the facts");
		return NULL;
	}
	json_t *d = json_object();
	json_object_set(d, "asn", json_object_get(rs, "asn"));
	set_text(d, "router_id", rs, "ip_v4");
	set_text(d, "ipv4", rs, "ip_v4");
	set_text(d, "ipv6", rs, "ip_v6");
	set_text(d, "lan_v4", lan, "subnet_v4");
	set_text(d, "lan_v6", lan, "subnet_v6");
	json_t *sessions = json_array();
	size_t i;
	json_t *f;
	json_array_foreach (json_object_get(facts, "sessions"), i, f)
		json_array_append_new(sessions, session_of(f, lan));
	json_object_set_new(d, "sessions", sessions);
	json_t *sets = json_object();
	const char *name;
	json_t *v;
	json_object_foreach (json_object_get(facts, "as_sets"), name, v) {
		char key[256];
		if (rs_as_set_key(name, key, sizeof(key)))
			json_object_set(sets, key, v);
	}
	json_object_set_new(d, "as_sets", sets);
	/* the ROA table goes to the adapter on its own (PUT /v1/roas) */
	const json_t *version = json_object_get(facts, "roas_version");
	if (json_is_string(version))
		json_object_set(d, "roas_version", (json_t *)version);
	else
		json_object_set_new(d, "roas", json_array());
	return d;
}
