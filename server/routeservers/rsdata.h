/*
 * The IRR and RPKI data the exchange imports for its route servers (there is
 * no internet here: an operator loads what bgpq4 and rpki-client/Routinator
 * produced elsewhere). Pure: strict parsing into the normalised JSON the
 * database keeps (rs_as_sets, rs_roas), or a validation problem naming the
 * property. No I/O.
 *
 * An AS-SET's expansion, PUT /route-server-data/as-sets/{AS-SET@SOURCE}:
 *   {"prefixes_v4": <bgpq4 -j -4 -l NN AS-SET>, "prefixes_v6": <bgpq4 -j -6 ...>,
 *    "origins": <bgpq4 -j -t -l NN AS-SET>}
 * each as bgpq4 prints it ({"NN": [...]}, one list) or the bare list; at
 * least one member. Prefixes: {"prefix": "a/len", "exact": bool,
 * "greater-equal": n, "less-equal": n}, no host bits, len <= ge <= le <=
 * 32/128. Origins: ASNs 1..4294967295 (numbers or "AS<n>").
 *
 * ROAs, PUT /route-server-data/roas: rpki-client's or Routinator's JSON
 * export ({"roas": [{"prefix", "maxLength", "asn", "ta", ...}], other
 * top-level members ignored) or the bare list; asn a number or "AS<n>"
 * (AS0 included), maxLength (or max_length) from the prefix length to
 * 32/128, the prefix length when absent.
 */
#ifndef IXAPI_ROUTESERVERS_RSDATA_H
#define IXAPI_ROUTESERVERS_RSDATA_H

#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>

#define RSDATA_PREFIXES_MAX 1000000
#define RSDATA_ROAS_MAX     2000000

/* The normalised expansion into *out (new reference): {"prefixes_v4": [...],
 * "prefixes_v6": [...], "origins": [...]} with bare lists, prefixes as
 * {"prefix", "exact"[, "greater-equal", "less-equal"]}, origins numbers. */
struct problem *rsdata_as_set_parse(const json_t *j_body, json_t **out);
/* The normalised ROA list into *out (new reference): [{"prefix",
 * "max_length", "asn"}] with asn a number. */
struct problem *rsdata_roas_parse(const json_t *j_body, json_t **out);
/* Whether prefix is "addr/len" of family (4 or 6; 0: either) without host
 * bits; its family and length into *family, *len (may be NULL). */
bool rsdata_prefix_ok(const char *prefix, int family, int *family_out, int *len_out);

#endif
