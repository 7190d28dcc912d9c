/*
 * Parsing the imported IRR and RPKI data (see rsdata.h).
 */
#include "routeservers/rsdata.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool rsdata_prefix_ok(const char *prefix, int family, int *family_out, int *len_out)
{
	if (!prefix)
		return false;
	const char *slash = strchr(prefix, '/');
	if (!slash || slash == prefix || slash - prefix >= 64 || !slash[1] || strlen(slash + 1) > 3)
		return false;
	char addr[64];
	memcpy(addr, prefix, (size_t)(slash - prefix));
	addr[slash - prefix] = '\0';
	for (const char *c = slash + 1; *c; c++)
		if (*c < '0' || *c > '9')
			return false;
	int len = atoi(slash + 1);
	unsigned char bytes[16];
	int fam = strchr(addr, ':') ? 6 : 4;
	if ((family && fam != family) || inet_pton(fam == 4 ? AF_INET : AF_INET6, addr, bytes) != 1)
		return false;
	int bits = fam == 4 ? 32 : 128;
	if (len > bits || (slash[1] == '0' && slash[2]))
		return false;
	for (int b = len; b < bits; b++)
		if (bytes[b / 8] & (0x80 >> (b % 8)))
			return false;
	if (family_out)
		*family_out = fam;
	if (len_out)
		*len_out = len;
	return true;
}

/* bgpq4 prints {"NN": [...]}: the one list of such an object, or the bare
 * list itself; NULL otherwise. */
static const json_t *bgpq4_list(const json_t *j)
{
	if (json_is_array(j))
		return j;
	if (json_is_object(j) && json_object_size(j) == 1) {
		const char *k;
		json_t *v;
		json_object_foreach ((json_t *)j, k, v)
			if (json_is_array(v))
				return v;
	}
	return NULL;
}

static bool only_keys(const json_t *j, const char *const *keys, const char **bad)
{
	const char *k;
	json_t *v;
	json_object_foreach ((json_t *)j, k, v) {
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], k) != 0)
			i++;
		if (!keys[i]) {
			*bad = k;
			return false;
		}
	}
	return true;
}

/* A length bound of a bgpq4 entry: absent (-1) or an integer. */
static bool bound(const json_t *e, const char *key, long long *out)
{
	const json_t *v = json_object_get(e, key);
	*out = -1;
	if (!v)
		return true;
	if (!json_is_integer(v))
		return false;
	*out = json_integer_value(v);
	return true;
}

static struct problem *prefix_list(const json_t *j, const char *prop, int family, json_t **out)
{
	static const char *const keys[] = {"prefix", "exact", "greater-equal", "less-equal", NULL};
	*out = NULL;
	const json_t *list = bgpq4_list(j);
	if (!list)
		return problem_invalid(prop,
				       "Expected bgpq4's JSON output (bgpq4 -j -%d): {\"NN\": [prefixes]} or "
				       "the list.",
				       family);
	if (json_array_size(list) > RSDATA_PREFIXES_MAX)
		return problem_invalid(prop, "At most %d prefixes.", RSDATA_PREFIXES_MAX);
	json_t *arr = json_array();
	size_t i;
	json_t *e;
	json_array_foreach (list, i, e) {
		int len = 0;
		long long ge, le;
		const char *bad = NULL;
		const json_t *exact = json_object_get(e, "exact");
		if (!json_is_object(e) || !only_keys(e, keys, &bad)) {
			json_decref(arr);
			return problem_invalid(prop, "Entry %zu: %s%s.", i,
					       bad ? "unknown member "
						   : "expected {prefix, exact, greater-equal, "
						     "less-equal}",
					       bad ? bad : "");
		}
		if (!rsdata_prefix_ok(json_string_value(json_object_get(e, "prefix")), family, NULL, &len)) {
			json_decref(arr);
			return problem_invalid(prop, "Entry %zu: prefix must be an IPv%d prefix without host bits.", i,
					       family);
		}
		if ((exact && !json_is_boolean(exact)) || !bound(e, "greater-equal", &ge) ||
		    !bound(e, "less-equal", &le)) {
			json_decref(arr);
			return problem_invalid(prop,
					       "Entry %zu: exact is true or false, greater-equal and less-equal "
					       "are lengths.",
					       i);
		}
		int bits = family == 4 ? 32 : 128;
		if (ge < 0)
			ge = len;
		if (le < 0)
			le = json_object_get(e, "greater-equal") ? bits : ge;
		if (ge < len || le < ge || le > bits) {
			json_decref(arr);
			return problem_invalid(prop, "Entry %zu: %s{%lld,%lld} is not a range of lengths (%d to %d).",
					       i, json_string_value(json_object_get(e, "prefix")), ge, le, len, bits);
		}
		bool is_exact = exact ? json_is_true(exact) : (ge == len && le == len);
		json_t *n = json_pack("{s:O, s:b}", "prefix", json_object_get(e, "prefix"), "exact", is_exact);
		if (!is_exact || ge != len || le != len) {
			json_object_set_new(n, "greater-equal", json_integer(ge));
			json_object_set_new(n, "less-equal", json_integer(le));
		}
		json_array_append_new(arr, n);
	}
	*out = arr;
	return NULL;
}

/* An ASN as a number or "AS<n>", from min to 4294967295; -1 otherwise. */
static long long asn_of(const json_t *v, long long min)
{
	long long n = -1;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if ((s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's') && s[2] && strlen(s) <= 12 &&
		    strspn(s + 2, "0123456789") == strlen(s + 2) && (s[2] != '0' || !s[3]))
			n = strtoll(s + 2, NULL, 10);
	}
	return n >= min && n <= 4294967295LL ? n : -1;
}

struct problem *rsdata_as_set_parse(const json_t *j, json_t **out)
{
	static const char *const keys[] = {"prefixes_v4", "prefixes_v6", "origins", NULL};
	const char *bad = NULL;
	*out = NULL;
	if (!json_is_object(j))
		return problem_invalid("", "Expected {\"prefixes_v4\": ..., \"prefixes_v6\": ..., \"origins\": ...}.");
	if (!only_keys(j, keys, &bad))
		return problem_invalid(bad,
				       "Not a member of an AS-SET's expansion (prefixes_v4, prefixes_v6, origins).");
	if (json_object_size(j) == 0)
		return problem_invalid("prefixes_v4", "An expansion has prefixes_v4, prefixes_v6 or origins.");
	json_t *r = json_object();
	struct problem *p = NULL;
	for (int f = 0; f < 2 && !p; f++) {
		const char *key = f ? "prefixes_v6" : "prefixes_v4";
		json_t *list = NULL;
		const json_t *v = json_object_get(j, key);
		if (!v)
			list = json_array();
		else
			p = prefix_list(v, key, f ? 6 : 4, &list);
		if (list)
			json_object_set_new(r, key, list);
	}
	const json_t *origins = json_object_get(j, "origins");
	if (!p && origins) {
		const json_t *list = bgpq4_list(origins);
		if (!list)
			p = problem_invalid("origins",
					    "Expected bgpq4's JSON output (bgpq4 -j -t): {\"NN\": [ASNs]} or "
					    "the list.");
		json_t *o = json_array();
		size_t i;
		json_t *e;
		json_array_foreach (list, i, e) {
			long long n = asn_of(e, 1);
			if (n < 0) {
				p = problem_invalid("origins", "Entry %zu is not an AS number (1 to 4294967295).", i);
				break;
			}
			json_array_append_new(o, json_integer(n));
		}
		json_object_set_new(r, "origins", o);
	} else if (!p)
		json_object_set_new(r, "origins", json_array());
	if (p) {
		json_decref(r);
		return p;
	}
	*out = r;
	return NULL;
}

struct problem *rsdata_roas_parse(const json_t *j, json_t **out)
{
	*out = NULL;
	const json_t *list = json_is_object(j) ? json_object_get(j, "roas") : j;
	if (!json_is_array(list))
		return problem_invalid("roas", "Expected rpki-client's or Routinator's JSON export ({\"roas\": [...]}) "
					       "or the list of ROAs.");
	if (json_array_size(list) > RSDATA_ROAS_MAX)
		return problem_invalid("roas", "At most %d ROAs.", RSDATA_ROAS_MAX);
	json_t *r = json_array();
	size_t i;
	json_t *e;
	json_array_foreach (list, i, e) {
		int fam = 0, len = 0;
		const char *prefix = json_string_value(json_object_get(e, "prefix"));
		const json_t *ml = json_object_get(e, "maxLength");
		if (!ml)
			ml = json_object_get(e, "max_length");
		long long asn = asn_of(json_object_get(e, "asn"), 0);
		struct problem *p = NULL;
		if (!json_is_object(e))
			p = problem_invalid("roas", "Entry %zu: expected {prefix, maxLength, asn}.", i);
		else if (!rsdata_prefix_ok(prefix, 0, &fam, &len))
			p = problem_invalid("roas",
					    "Entry %zu: prefix must be an IPv4 or IPv6 prefix without host bits.", i);
		else if (ml && (!json_is_integer(ml) || json_integer_value(ml) < len ||
				json_integer_value(ml) > (fam == 4 ? 32 : 128)))
			p = problem_invalid("roas", "Entry %zu: maxLength must be from %d to %d.", i, len,
					    fam == 4 ? 32 : 128);
		else if (asn < 0)
			p = problem_invalid("roas",
					    "Entry %zu: asn must be an AS number (0 to 4294967295, or \"AS<n>\").", i);
		if (p) {
			json_decref(r);
			return p;
		}
		json_array_append_new(r, json_pack("{s:s, s:I, s:I}", "prefix", prefix, "max_length",
						   (json_int_t)(ml ? json_integer_value(ml) : len), "asn",
						   (json_int_t)asn));
	}
	*out = r;
	return NULL;
}
