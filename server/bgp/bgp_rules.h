/*
 * Rules of the exchange's route servers that need no database: the dynamic
 * per-AS prefix limit, which AS numbers may peer, the IX-API "AS-SET@IRR"
 * spelling of as_set_v4/as_set_v6, and the route servers' filtering modes.
 * Pure functions: no I/O, no allocation; every string returned is static.
 *
 * Prefix limit (AMS-IX "Dynamic per-AS Prefix Limits"): with y announced
 * prefixes (y < 0 counts as 0) the limit is 100 below 50, 500 for 50..249,
 * 1000 for 250..499 and 2000 for 500..999. From 1000 on it is y * x rounded up
 * to the next step of 1000 strictly above (18000 -> 19000, 2625 -> 3000),
 * where the coefficient x slides from 2 to 1.5 over 1000..2000, from 1.5 to
 * 1.2 over 2000..10000 and stays 1.2 above. The document does not say how x
 * slides. We interpolate it linearly in log(y) within each sliding tier:
 * that gives 1.2196 at 9000 (the document prints 1.22, limit 11000) and 1.71
 * at 1500 (the document prints 1.75; both give 3000), whereas interpolating
 * linearly in y gives 1.2375 at 9000 and a limit of 12000, contradicting the
 * document's example. y * x(y) is strictly increasing in both tiers, so the
 * limit never falls as y grows. Above 10000 it is computed in integers.
 */
#ifndef IXAPI_BGP_BGP_RULES_H
#define IXAPI_BGP_BGP_RULES_H

#include <stdbool.h>

/* The coefficient x of the prefix limit table for y announced prefixes
 * (2 up to 1000, then sliding as above, 1.2 from 10000). */
double bgp_max_prefix_coefficient(long long announced);
/* The maximum prefix limit the route servers set for an AS announcing
 * `announced` prefixes. Non-decreasing in `announced`; saturates at
 * LLONG_MAX rather than overflowing. */
long long bgp_max_prefix_limit(long long announced);

/* NULL when asn is a public AS number usable on a peering LAN; otherwise a
 * short reason (static string) for a validation problem: out of range,
 * AS_TRANS, documentation, private or reserved (IANA special-purpose and
 * reserved AS numbers). */
const char *bgp_asn_unusable_reason(long long asn);

/* Whether s is an IX-API as_set_v4/as_set_v6 value "SET@SOURCE": SET is an
 * RPSL (RFC 2622) as-set name, possibly hierarchical ("AS1200:AS-CUSTOMERS"),
 * or a single aut-num ("AS206238"); SOURCE is an IRR database name such as
 * RIPE or RADB (1..32 of A-Z a-z 0-9 -). At most 200 characters in all. */
bool bgp_as_set_is_valid(const char *s);

/* A route-server session's MD5 password: at most BGP_PASSWORD_MAX
 * characters, the kernel's limit for a TCP-MD5 key (TCP_MD5SIG_MAXKEYLEN, 80
 * bytes), printable ASCII (space to '~') without '"' and '\\', which the
 * route servers' BIRD configuration quotes (the route-server adapter,
 * server/adapters/rs/rs_state.c, refuses anything else). NULL when pw is
 * usable (the empty string: no password); otherwise a short reason. */
#define BGP_PASSWORD_MAX 80
const char *bgp_password_unusable_reason(const char *pw);

/* The route servers' filtering modes ("3+1": IRRDB and RPKI, IRRDB only,
 * RPKI only, or tagging without filtering), NULL-terminated; the first is
 * the default. */
extern const char *const bgp_filtering_modes[];
/* Whether mode is one of bgp_filtering_modes (exact, case-sensitive). */
bool bgp_filtering_mode_is_valid(const char *mode);
/* The mode a route server session gets when none is asked for. */
const char *bgp_filtering_mode_default(void);

#endif
