/*
 * Parsing and checking of a route server's desired state (rs_state.h).
 * Everything that reaches the BIRD configuration passes through here as a
 * number or a canonical address (inet_pton/inet_ntop), except the MD5
 * password, which is kept to printable ASCII without quotes or backslashes:
 * nothing a member sends can add a line to the configuration.
 */
#include "adapters/rs/rs_state.h"

#include "core/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rs_filtering_name(enum rs_filtering f)
{
	switch (f) {
	case RS_FILTERING_IRR:
		return "irr";
	case RS_FILTERING_RPKI:
		return "rpki";
	case RS_FILTERING_TAGGING:
		return "tagging";
	case RS_FILTERING_IRR_AND_RPKI:
		break;
	}
	return "irr_and_rpki";
}

static bool only_keys(const json_t *j, const char *const *keys, const char *where, struct problem **p)
{
	const char *k;
	json_t *v;
	json_object_foreach ((json_t *)j, k, v) {
		bool is_known = false;
		for (size_t i = 0; keys[i]; i++)
			is_known = is_known || strcmp(k, keys[i]) == 0;
		if (!is_known) {
			char *name = xasprintf("%s%s", where, k);
			*p = problem_invalid(name, "is not a property of a route server's desired state");
			free(name);
			return false;
		}
	}
	return true;
}

/* An address of family (4 or 6) in canonical text; false when not one. */
static bool canonical_addr(const char *text, int family, char *out)
{
	unsigned char buf[16];
	int af = family == 4 ? AF_INET : AF_INET6;
	if (strlen(text) >= RS_ADDR_MAX || inet_pton(af, text, buf) != 1)
		return false;
	return inet_ntop(af, buf, out, RS_ADDR_MAX) != NULL;
}

/* A prefix "addr/len" of family (0: either) without host bits, canonical. */
static bool canonical_prefix(const char *text, int family, char *out, int *out_family, int *out_len)
{
	char addr[RS_ADDR_MAX];
	const char *slash = strchr(text, '/');
	if (!slash || (size_t)(slash - text) >= sizeof(addr))
		return false;
	memcpy(addr, text, (size_t)(slash - text));
	addr[slash - text] = '\0';
	int fam = strchr(addr, ':') ? 6 : 4;
	if (family && fam != family)
		return false;
	long long len;
	if (!util_parse_ll(slash + 1, 0, fam == 4 ? 32 : 128, &len))
		return false;
	unsigned char buf[16];
	if (inet_pton(fam == 4 ? AF_INET : AF_INET6, addr, buf) != 1)
		return false;
	int bytes = fam == 4 ? 4 : 16;
	for (int bit = (int)len; bit < bytes * 8; bit++)
		if (buf[bit / 8] & (0x80 >> (bit % 8)))
			return false;
	char canon[INET6_ADDRSTRLEN];
	inet_ntop(fam == 4 ? AF_INET : AF_INET6, buf, canon, sizeof(canon));
	snprintf(out, RS_ADDR_MAX, "%s/%d", canon, (int)len);
	*out_family = fam;
	*out_len = (int)len;
	return true;
}

/* An ASN: a number 1..4294967295 or a string "AS<number>". */
/* An ASN from min (1; 0 for a ROA's: an AS0 ROA says "never routed") to
 * 4294967295, a number or "AS<n>". */
static bool parse_asn_from(const json_t *j, long long min, uint32_t *out)
{
	long long v;
	if (json_is_integer(j)) {
		v = json_integer_value(j);
	} else if (json_is_string(j) && strncasecmp(json_string_value(j), "AS", 2) == 0) {
		if (!util_parse_ll(json_string_value(j) + 2, min, 4294967295LL, &v))
			return false;
	} else {
		return false;
	}
	if (v < min || v > 4294967295LL)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool parse_asn(const json_t *j, uint32_t *out)
{
	return parse_asn_from(j, 1, out);
}

/* bgpq4's JSON output is {"NAME": [...]}: take the list from such an object
 * or a bare list. NULL when neither. */
static const json_t *bgpq4_list(const json_t *j)
{
	if (json_is_array(j))
		return j;
	if (json_is_object(j) && json_object_size(j) == 1) {
		const char *k;
		json_t *v;
		json_object_foreach ((json_t *)j, k, v) {
			(void)k;
			return json_is_array(v) ? v : NULL;
		}
	}
	return NULL;
}

static struct problem *parse_prefix_list(const json_t *j, int family, const char *prop, struct rs_prefix **out,
					 size_t *n_out)
{
	if (!j || json_is_null(j))
		return NULL;
	const json_t *list = bgpq4_list(j);
	if (!list)
		return problem_invalid(prop, "must be bgpq4's JSON output (bgpq4 -j): a list of prefixes");
	*out = xcalloc(json_array_size(list) + 1, sizeof(**out));
	size_t i;
	json_t *e;
	json_array_foreach (list, i, e) {
		struct rs_prefix *p = &(*out)[i];
		const json_t *j_prefix = json_object_get(e, "prefix");
		const json_t *j_exact = json_object_get(e, "exact");
		const json_t *j_ge = json_object_get(e, "greater-equal");
		const json_t *j_le = json_object_get(e, "less-equal");
		int max = family == 4 ? 32 : 128;
		if (!json_is_string(j_prefix) ||
		    !canonical_prefix(json_string_value(j_prefix), family, p->net, &p->family, &p->len))
			return problem_invalid(prop, "entry %zu: \"prefix\" must be an IPv%d prefix without host bits",
					       i, family);
		p->ge = p->le = p->len;
		if (j_exact && !json_is_boolean(j_exact))
			return problem_invalid(prop, "entry %zu: \"exact\" must be true or false", i);
		if (!json_is_true(j_exact)) {
			if ((j_ge && !json_is_integer(j_ge)) || (j_le && !json_is_integer(j_le)))
				return problem_invalid(prop, "entry %zu: greater-equal and less-equal are lengths", i);
			p->ge = j_ge ? (int)json_integer_value(j_ge) : p->len;
			p->le = j_le ? (int)json_integer_value(j_le) : max;
			if (p->ge < p->len || p->le < p->ge || p->le > max)
				return problem_invalid(prop, "entry %zu: %s{%d,%d} is not a range of lengths", i,
						       p->net, p->ge, p->le);
		}
		*n_out = i + 1;
	}
	return NULL;
}

static bool is_as_set_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 100)
		return false;
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr(":_.-", *c))
			return false;
	return true;
}

static struct problem *parse_as_sets(const json_t *j, struct rs_state *s)
{
	static const char *const keys[] = {"prefixes_v4", "prefixes_v6", "origins", NULL};
	if (!j || json_is_null(j))
		return NULL;
	if (!json_is_object(j))
		return problem_invalid("as_sets", "must be an object of AS-SET name -> expansion");
	/* Sorted by name, so the rendered text does not depend on key order. */
	const char **names = xcalloc(json_object_size(j) + 1, sizeof(*names));
	const char *k;
	json_t *v;
	size_t n = 0;
	json_object_foreach ((json_t *)j, k, v) {
		(void)v;
		names[n++] = k;
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			if (strcmp(names[a], names[b]) > 0) {
				const char *t = names[a];
				names[a] = names[b];
				names[b] = t;
			}
	s->as_sets = xcalloc(n + 1, sizeof(*s->as_sets));
	struct problem *p = NULL;
	for (size_t i = 0; i < n && !p; i++) {
		struct rs_as_set *set = &s->as_sets[i];
		const json_t *j_set = json_object_get(j, names[i]);
		char *prop = xasprintf("as_sets.%s", names[i]);
		s->n_as_sets = i + 1;
		set->name = xstrdup(names[i]);
		if (!is_as_set_name_ok(names[i]))
			p = problem_invalid(prop, "an AS-SET name has 1 to 100 of [A-Za-z0-9:_.-]");
		else if (!json_is_object(j_set))
			p = problem_invalid(prop, "must be an object with prefixes_v4, prefixes_v6, origins");
		else if (only_keys(j_set, keys, "", &p)) {
			char *p4 = xasprintf("%s.prefixes_v4", prop), *p6 = xasprintf("%s.prefixes_v6", prop);
			p = parse_prefix_list(json_object_get(j_set, "prefixes_v4"), 4, p4, &set->v4, &set->n_v4);
			if (!p)
				p = parse_prefix_list(json_object_get(j_set, "prefixes_v6"), 6, p6, &set->v6,
						      &set->n_v6);
			free(p4);
			free(p6);
			const json_t *j_origins = json_object_get(j_set, "origins");
			const json_t *list = j_origins ? bgpq4_list(j_origins) : NULL;
			if (!p && j_origins && !json_is_null(j_origins) && !list)
				p = problem_invalid(prop, "origins must be bgpq4's JSON output (bgpq4 -j -t): ASNs");
			set->origins = xcalloc(list ? json_array_size(list) + 1 : 1, sizeof(uint32_t));
			size_t o;
			json_t *e;
			if (list && !p)
				json_array_foreach (list, o, e) {
					if (!parse_asn(e, &set->origins[o])) {
						p = problem_invalid(prop, "origins: entry %zu is not an ASN", o);
						break;
					}
					set->n_origins = o + 1;
				}
		}
		free(prop);
	}
	free(names);
	return p;
}

static const struct rs_as_set *find_as_set(const struct rs_state *s, const char *name)
{
	for (size_t i = 0; i < s->n_as_sets; i++)
		if (strcmp(s->as_sets[i].name, name) == 0)
			return &s->as_sets[i];
	return NULL;
}

/* A ROA list (rpki-client's and Routinator's JSON exports, or the bare
 * list) into *out (caller frees) and *n; property names it in problems. */
static struct problem *parse_roa_list(const json_t *j, const char *property, struct rs_roa **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* rpki-client's and Routinator's JSON exports: {"roas": [...]} */
	if (json_is_object(j) && json_is_array(json_object_get(j, "roas")))
		j = json_object_get(j, "roas");
	if (!json_is_array(j))
		return problem_invalid(property, "must be a list of {prefix, max_length, asn}");
	struct rs_roa *roas = xcalloc(json_array_size(j) + 1, sizeof(*roas));
	size_t i;
	json_t *e;
	struct problem *p = NULL;
	json_array_foreach (j, i, e) {
		struct rs_roa *r = &roas[i];
		const json_t *j_prefix = json_object_get(e, "prefix");
		const json_t *j_max = json_object_get(e, "max_length");
		int len;
		if (!j_max)
			j_max = json_object_get(e, "maxLength");
		if (!json_is_string(j_prefix) ||
		    !canonical_prefix(json_string_value(j_prefix), 0, r->net, &r->family, &len)) {
			p = problem_invalid(property, "entry %zu: prefix must be a prefix without host bits", i);
			break;
		}
		r->max_len = j_max ? (int)json_integer_value(j_max) : len;
		if ((j_max && !json_is_integer(j_max)) || r->max_len < len ||
		    r->max_len > (r->family == 4 ? 32 : 128)) {
			p = problem_invalid(property, "entry %zu: max_length must be from %d to %d", i, len,
					    r->family == 4 ? 32 : 128);
			break;
		}
		if (!parse_asn_from(json_object_get(e, "asn"), 0, &r->asn)) {
			p = problem_invalid(property, "entry %zu: asn must be an ASN (a number or \"AS<number>\")", i);
			break;
		}
	}
	if (p) {
		free(roas);
		return p;
	}
	*out = roas;
	*n = json_array_size(j);
	return NULL;
}

static bool is_version_ok(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > RS_ROAS_VERSION_MAX)
		return false;
	for (const char *c = v; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("-_.:", *c))
			return false;
	return true;
}

static struct problem *parse_roas(const json_t *j, const json_t *j_version, struct rs_state *s)
{
	if (j_version && !json_is_null(j_version)) {
		if (j && !json_is_null(j))
			return problem_invalid("roas_version", "name a loaded ROA table or send roas inline, not both");
		if (!json_is_string(j_version) || !is_version_ok(json_string_value(j_version)))
			return problem_invalid("roas_version",
					       "must be 1 to %d letters, digits or -_.:", RS_ROAS_VERSION_MAX);
		snprintf(s->roas_version, sizeof(s->roas_version), "%s", json_string_value(j_version));
		return NULL;
	}
	if (!j || json_is_null(j))
		return NULL;
	return parse_roa_list(j, "roas", &s->roas, &s->n_roas);
}

struct problem *rs_roa_table_parse(const json_t *j, struct rs_roa_table **out)
{
	static const char *const keys[] = {"version", "roas", NULL};
	struct problem *p = NULL;
	if (!json_is_object(j))
		return problem_invalid("", "the body is {\"version\", \"roas\"}");
	if (!only_keys(j, keys, "", &p))
		return p;
	const json_t *j_version = json_object_get(j, "version");
	if (!json_is_string(j_version) || !is_version_ok(json_string_value(j_version)))
		return problem_invalid("version", "must be 1 to %d letters, digits or -_.:", RS_ROAS_VERSION_MAX);
	struct rs_roa_table *t = xcalloc(1, sizeof(*t));
	t->refs = 1;
	snprintf(t->version, sizeof(t->version), "%s", json_string_value(j_version));
	if ((p = parse_roa_list(json_object_get(j, "roas"), "roas", &t->roas, &t->n))) {
		free(t);
		return p;
	}
	*out = t;
	return NULL;
}

struct rs_roa_table *rs_roa_table_ref(struct rs_roa_table *t)
{
	if (t)
		t->refs++;
	return t;
}

void rs_roa_table_unref(struct rs_roa_table *t)
{
	if (t && --t->refs == 0) {
		free(t->roas);
		free(t);
	}
}

const struct rs_roa *rs_state_roas(const struct rs_state *s, size_t *n)
{
	if (s->roa_table) {
		*n = s->roa_table->n;
		return s->roa_table->roas;
	}
	*n = s->n_roas;
	return s->roas;
}

static bool is_password_ok(const char *pw)
{
	size_t n = strlen(pw);
	if (n == 0 || n > RS_PASSWORD_MAX)
		return false;
	for (const char *c = pw; *c; c++)
		if (!isprint((unsigned char)*c) || *c == '"' || *c == '\\')
			return false;
	return true;
}

static bool is_session_id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > RS_SESSION_ID_MAX)
		return false;
	for (const char *c = id; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			return false;
	return true;
}

static struct problem *parse_session(const json_t *j, size_t i, struct rs_state *s)
{
	static const char *const keys[] = {"id",        "peer_asn",      "ipv4",          "ipv6",      "password",
					   "filtering", "max_prefix_v4", "max_prefix_v6", "as_set_v4", "as_set_v6",
					   NULL};
	struct rs_session *ses = &s->sessions[i];
	struct problem *p = NULL;
	char where[32];
	snprintf(where, sizeof(where), "sessions[%zu].", i);
#define PROP(name) (snprintf(prop, sizeof(prop), "%s%s", where, name), prop)
	char prop[64];
	if (!json_is_object(j))
		return problem_invalid(PROP(""), "must be an object");
	if (!only_keys(j, keys, where, &p))
		return p;
	const json_t *v = json_object_get(j, "id");
	if (!json_is_string(v) || !is_session_id_ok(json_string_value(v)))
		return problem_invalid(PROP("id"), "must be 1 to %d of [A-Za-z0-9_]", RS_SESSION_ID_MAX);
	snprintf(ses->id, sizeof(ses->id), "%s", json_string_value(v));
	for (size_t k = 0; k < i; k++)
		if (strcmp(s->sessions[k].id, ses->id) == 0)
			return problem_invalid(PROP("id"), "%s is the id of sessions[%zu] too", ses->id, k);
	if (!parse_asn(json_object_get(j, "peer_asn"), &ses->peer_asn))
		return problem_invalid(PROP("peer_asn"), "must be an ASN from 1 to 4294967295");
	if (ses->peer_asn == s->asn)
		return problem_invalid(PROP("peer_asn"), "is the route server's own ASN");
	const char *fam_keys[2] = {"ipv4", "ipv6"};
	char *fam_out[2] = {ses->ipv4, ses->ipv6};
	for (int f = 0; f < 2; f++) {
		v = json_object_get(j, fam_keys[f]);
		if (v && !json_is_null(v) &&
		    (!json_is_string(v) || !canonical_addr(json_string_value(v), f ? 6 : 4, fam_out[f])))
			return problem_invalid(PROP(fam_keys[f]), "must be an IPv%d address or null", f ? 6 : 4);
	}
	if (!ses->ipv4[0] && !ses->ipv6[0])
		return problem_invalid(PROP("ipv4"), "a session needs an ipv4 or an ipv6 address");
	if ((ses->ipv4[0] && !s->ipv4[0]) || (ses->ipv6[0] && !s->ipv6[0]))
		return problem_invalid(PROP(ses->ipv4[0] && !s->ipv4[0] ? "ipv4" : "ipv6"),
				       "the route server has no address of that family");
	v = json_object_get(j, "password");
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || !is_password_ok(json_string_value(v)))
			return problem_invalid(PROP("password"),
					       "must be 1 to %d printable ASCII characters without \" and \\",
					       RS_PASSWORD_MAX);
		ses->password = xstrdup(json_string_value(v));
	}
	v = json_object_get(j, "filtering");
	ses->filtering = RS_FILTERING_IRR_AND_RPKI;
	if (v) {
		const char *names[] = {"irr_and_rpki", "irr", "rpki", "tagging"};
		bool is_known = false;
		for (int f = 0; f < 4; f++)
			if (json_is_string(v) && strcmp(json_string_value(v), names[f]) == 0) {
				ses->filtering = (enum rs_filtering)f;
				is_known = true;
			}
		if (!is_known)
			return problem_invalid(PROP("filtering"), "must be irr_and_rpki, irr, rpki or tagging");
	}
	const char *max_keys[2] = {"max_prefix_v4", "max_prefix_v6"};
	long long *max_out[2] = {&ses->max_prefix_v4, &ses->max_prefix_v6};
	for (int f = 0; f < 2; f++) {
		v = json_object_get(j, max_keys[f]);
		*max_out[f] = 100; /* the document's limit for a member whose count is not known */
		if (v && !json_is_null(v)) {
			if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 10000000)
				return problem_invalid(PROP(max_keys[f]), "must be from 1 to 10000000");
			*max_out[f] = json_integer_value(v);
		}
	}
	const char *set_keys[2] = {"as_set_v4", "as_set_v6"};
	for (int f = 0; f < 2; f++) {
		v = json_object_get(j, set_keys[f]);
		if (v && !json_is_null(v) && (!json_is_string(v) || !is_as_set_name_ok(json_string_value(v))))
			return problem_invalid(PROP(set_keys[f]),
					       "must be an AS-SET name (1 to 100 of [A-Za-z0-9:_.-]) or null");
		char *name = v && !json_is_null(v) ? xstrdup(json_string_value(v)) : NULL;
		const struct rs_as_set *set = name ? find_as_set(s, name) : NULL;
		if (f == 0) {
			ses->as_set_v4_name = name;
			ses->as_set_v4 = set;
		} else {
			ses->as_set_v6_name = name;
			ses->as_set_v6 = set;
		}
	}
#undef PROP
	return NULL;
}

static struct problem *parse_own_addresses(const json_t *j, struct rs_state *s)
{
	const char *keys[4] = {"ipv4", "ipv6", "lan_v4", "lan_v6"};
	char *outs[4] = {s->ipv4, s->ipv6, s->lan_v4, s->lan_v6};
	for (int i = 0; i < 4; i++) {
		const json_t *v = json_object_get(j, keys[i]);
		int fam = i % 2 ? 6 : 4, got_fam, len;
		if (!v || json_is_null(v))
			continue;
		bool is_ok = json_is_string(v) &&
			     (i < 2 ? canonical_addr(json_string_value(v), fam, outs[i])
				    : canonical_prefix(json_string_value(v), fam, outs[i], &got_fam, &len));
		if (!is_ok)
			return problem_invalid(keys[i],
					       i < 2 ? "must be an IPv%d address or null"
						     : "must be an IPv%d prefix without host bits, or null",
					       fam);
	}
	if (!s->ipv4[0] && !s->ipv6[0])
		return problem_invalid("ipv4", "the route server needs an ipv4 or an ipv6 address");
	const json_t *v = json_object_get(j, "router_id");
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || !canonical_addr(json_string_value(v), 4, s->router_id))
			return problem_invalid("router_id", "must be an IPv4 address");
	} else if (s->ipv4[0]) {
		snprintf(s->router_id, sizeof(s->router_id), "%s", s->ipv4);
	} else {
		return problem_invalid("router_id", "is required when the route server has no ipv4 address");
	}
	return NULL;
}

struct problem *rs_state_parse(const json_t *j, struct rs_state **out)
{
	static const char *const keys[] = {"asn",      "router_id", "ipv4", "ipv6",         "lan_v4", "lan_v6",
					   "sessions", "as_sets",   "roas", "roas_version", NULL};
	struct rs_state *s = xcalloc(1, sizeof(*s));
	struct problem *p = NULL;
	if (!json_is_object(j)) {
		p = problem_invalid("", "the desired state is a JSON object");
		goto out;
	}
	if (!only_keys(j, keys, "", &p))
		goto out;
	/* Standard communities carry the route server's ASN in 16 bits. Any
	 * 16-bit ASN but 0 (the (0, *) "not to" communities), 23456 (AS_TRANS)
	 * and 65535 (the well-known communities 65535:*, which rs_strip would
	 * delete): with `rs client` the ASN never enters an AS path, so the
	 * documentation (64496-64511) and private (64512-65534) ASNs a lab or a
	 * demo uses are fine. */
	const json_t *v = json_object_get(j, "asn");
	json_int_t asn = json_is_integer(v) ? json_integer_value(v) : 0;
	if (asn < 1 || asn > 65534 || asn == 23456) {
		p = problem_invalid("asn",
				    "must be a 16-bit ASN other than 0, 23456 and 65535 (the communities 0:<asn> "
				    "and <asn>:<peer-as> carry it)");
		goto out;
	}
	s->asn = (uint32_t)json_integer_value(v);
	if ((p = parse_own_addresses(j, s)) || (p = parse_as_sets(json_object_get(j, "as_sets"), s)) ||
	    (p = parse_roas(json_object_get(j, "roas"), json_object_get(j, "roas_version"), s)))
		goto out;
	const json_t *j_sessions = json_object_get(j, "sessions");
	if (!json_is_array(j_sessions) || json_array_size(j_sessions) > RS_SESSIONS_MAX) {
		p = problem_invalid("sessions", "must be a list of at most %d sessions", RS_SESSIONS_MAX);
		goto out;
	}
	s->sessions = xcalloc(json_array_size(j_sessions) + 1, sizeof(*s->sessions));
	size_t i;
	json_t *e;
	json_array_foreach (j_sessions, i, e) {
		s->n_sessions = i + 1;
		if ((p = parse_session(e, i, s)))
			goto out;
	}
out:
	if (p) {
		rs_state_free(s);
		return p;
	}
	*out = s;
	return NULL;
}

const struct rs_session *rs_state_session(const struct rs_state *s, const char *id)
{
	for (size_t i = 0; i < s->n_sessions; i++)
		if (strcmp(s->sessions[i].id, id) == 0)
			return &s->sessions[i];
	return NULL;
}

void rs_state_free(struct rs_state *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_sessions; i++) {
		struct rs_session *ses = &s->sessions[i];
		if (ses->password) {
			memset(ses->password, 0, strlen(ses->password));
			free(ses->password);
		}
		free(ses->as_set_v4_name);
		free(ses->as_set_v6_name);
	}
	for (size_t i = 0; i < s->n_as_sets; i++) {
		free(s->as_sets[i].name);
		free(s->as_sets[i].v4);
		free(s->as_sets[i].v6);
		free(s->as_sets[i].origins);
	}
	free(s->sessions);
	free(s->as_sets);
	free(s->roas);
	rs_roa_table_unref(s->roa_table);
	free(s);
}
