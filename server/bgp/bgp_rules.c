/*
 * Route server rules that need no database (see bgp_rules.h).
 */
#include "bgp/bgp_rules.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#define PREFIX_STEP   1000
#define STRINGIFY_(x) #x
#define STRINGIFY(x)  STRINGIFY_(x)

double bgp_max_prefix_coefficient(long long announced)
{
	double y = (double)announced;
	if (announced < 1000)
		return 2.0;
	/* Linear in log(y): log2(y / 1000) runs from 0 to 1 over the tier,
	 * and is exactly 0 at its start, so x is exactly 2 there. */
	if (announced < 2000)
		return 2.0 - 0.5 * log2(y / 1000.0);
	if (announced < 10000)
		return 1.5 - 0.3 * (log(y / 2000.0) / log(5.0));
	return 1.2;
}

/* The next multiple of PREFIX_STEP strictly above y * x for a sliding tier.
 * y * x is a multiple of 1000 only at the start of a tier (x rational there,
 * irrational in between), where the product is exact in floating point. A
 * quotient within 1e-9 of a whole number elsewhere would be rounding noise;
 * it is snapped to that number so noise cannot move the limit a step (the
 * unit test shows no y in the tiers comes near that margin). */
static long long sliding_limit(long long y)
{
	double steps = (double)y * bgp_max_prefix_coefficient(y) / PREFIX_STEP;
	double nearest = round(steps);
	if (fabs(steps - nearest) < 1e-9)
		steps = nearest;
	return ((long long)floor(steps) + 1) * PREFIX_STEP;
}

long long bgp_max_prefix_limit(long long announced)
{
	long long y = announced < 0 ? 0 : announced;
	if (y < 50)
		return 100;
	if (y < 250)
		return 500;
	if (y < 500)
		return 1000;
	if (y < 1000)
		return 2000;
	if (y < 10000)
		return sliding_limit(y);
	/* x = 1.2 = 6/5 in integers: floor(6y / 5000) without forming 6y,
	 * which would overflow for y above LLONG_MAX / 6. */
	long long q = y / 5000, r = y % 5000;
	long long steps = 6 * q + 6 * r / 5000;
	if (steps >= LLONG_MAX / PREFIX_STEP)
		return LLONG_MAX;
	return (steps + 1) * PREFIX_STEP;
}

/* IANA's special-purpose AS numbers plus the reserved block 65552-131071
 * of the IANA AS number registry. Sorted, not overlapping. */
static const struct {
	long long first, last;
	const char *reason;
} unusable_asns[] = {
	{0, 0, "AS 0 is reserved (RFC 7607) and cannot be used."},
	{23456, 23456, "AS 23456 is AS_TRANS (RFC 6793), not a real AS."},
	{64496, 64511, "AS 64496-64511 are reserved for documentation (RFC 5398)."},
	{64512, 65534, "AS 64512-65534 are private (RFC 6996) and cannot be used on a peering LAN."},
	{65535, 65535, "AS 65535 is reserved (RFC 7300)."},
	{65536, 65551, "AS 65536-65551 are reserved for documentation (RFC 5398)."},
	{65552, 131071, "AS 65552-131071 are reserved by IANA."},
	{4200000000LL, 4294967294LL,
	 "AS 4200000000-4294967294 are private (RFC 6996) and cannot be used on a peering LAN."},
	{4294967295LL, 4294967295LL, "AS 4294967295 is reserved (RFC 7300)."},
};

const char *bgp_asn_unusable_reason(long long asn)
{
	if (asn < 0 || asn > 4294967295LL)
		return "An AS number is between 1 and 4294967295.";
	for (size_t i = 0; i < sizeof(unusable_asns) / sizeof(unusable_asns[0]); i++)
		if (asn >= unusable_asns[i].first && asn <= unusable_asns[i].last)
			return unusable_asns[i].reason;
	return NULL;
}

#define AS_SET_MAX_LEN     200
#define IRR_SOURCE_MAX_LEN 32

static bool is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool starts_with_as(const char *s, size_t len)
{
	return len >= 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's');
}

/* "AS" then 1..4294967295 without leading zeros. */
static bool is_aut_num(const char *s, size_t len)
{
	if (!starts_with_as(s, len) || len < 3 || len > 12 || s[2] == '0')
		return false;
	long long n = 0;
	for (size_t i = 2; i < len; i++) {
		if (!is_digit(s[i]))
			return false;
		n = n * 10 + (s[i] - '0');
	}
	return n <= 4294967295LL;
}

/* "AS-" then letters, digits, '-' and '_', ending in a letter or digit as
 * every RPSL object name does (RFC 2622, section 2). */
static bool is_as_set_name(const char *s, size_t len)
{
	if (!starts_with_as(s, len) || len < 4 || s[2] != '-')
		return false;
	for (size_t i = 3; i < len; i++)
		if (!is_letter(s[i]) && !is_digit(s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return is_letter(s[len - 1]) || is_digit(s[len - 1]);
}

bool bgp_as_set_is_valid(const char *s)
{
	if (!s)
		return false;
	size_t len = strnlen(s, AS_SET_MAX_LEN + 1);
	const char *at = memchr(s, '@', len);
	if (len > AS_SET_MAX_LEN || !at)
		return false;
	size_t source_len = len - (size_t)(at - s) - 1;
	if (source_len < 1 || source_len > IRR_SOURCE_MAX_LEN)
		return false;
	for (const char *c = at + 1; *c; c++)
		if (!is_letter(*c) && !is_digit(*c) && *c != '-')
			return false;
	/* The set: components between ':', at least one of them an as-set
	 * name unless the whole is one aut-num (RFC 2622, section 5.1). */
	size_t components = 0, set_names = 0;
	for (const char *start = s; start <= at;) {
		const char *end = start;
		while (end < at && *end != ':')
			end++;
		size_t n = (size_t)(end - start);
		if (is_as_set_name(start, n))
			set_names++;
		else if (!is_aut_num(start, n))
			return false;
		components++;
		start = end + 1;
	}
	return set_names > 0 || components == 1;
}

const char *const bgp_filtering_modes[] = {"irrdb_rpki", "irrdb", "rpki", "tagging", NULL};

bool bgp_filtering_mode_is_valid(const char *mode)
{
	if (!mode)
		return false;
	for (size_t i = 0; bgp_filtering_modes[i]; i++)
		if (strcmp(mode, bgp_filtering_modes[i]) == 0)
			return true;
	return false;
}

const char *bgp_filtering_mode_default(void)
{
	return bgp_filtering_modes[0];
}

const char *bgp_password_unusable_reason(const char *pw)
{
	if (strnlen(pw, BGP_PASSWORD_MAX + 1) > BGP_PASSWORD_MAX)
		return "at most " STRINGIFY(BGP_PASSWORD_MAX) " characters (the kernel's limit for a TCP-MD5 key)";
	for (const unsigned char *c = (const unsigned char *)pw; *c; c++) {
		if (*c == '"' || *c == '\\')
			return "no \" or \\ (the route servers' configuration quotes it)";
		/* not isprint(): the locale would decide */
		if (*c < ' ' || *c > '~')
			return "printable ASCII only (space to ~), no control characters";
	}
	return NULL;
}
