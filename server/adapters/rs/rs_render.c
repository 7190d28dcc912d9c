/*
 * Rendering of a route server's BIRD 2 configuration (rs_render.h).
 *
 * Where each rule of the policy document lives:
 *   import (per session and family, filter rs_import_<id>_v4/_v6): bogons and
 *   martians (Team Cymru's bogon list; IPv6: outside 2000::/3 and the
 *   martians), the default route, the peering LAN itself (allowed traffic
 *   3.2), prefix length bounds, first AS = the peer's AS, next hop = the
 *   peer's address, AS-path length, private/reserved ASNs, transit-free
 *   networks behind the peer; then the informational tags: IRR valid
 *   <rs>:65011 / invalid <rs>:65021, RPKI valid <rs>:65012 / invalid
 *   <rs>:65022 / unknown <rs>:65023 (a member's own copies are removed first).
 *   export (per receiving session, filter rs_export_<id>): the action
 *   communities (0:<peer>, <rs>:<peer>, 0:<rs>, <rs>:<rs>; RT:0:<peer>,
 *   RT:<rs>:<peer>, RT:0:<rs>; <rs>:0:<peer>, <rs>:1:<peer>, <rs>:0:0), the
 *   receiver's filtering mode (withhold IRR-invalid and/or RPKI-invalid),
 *   prepends (<rs>:65501..65503, <rs>:101..103:<as>), then removal of the
 *   route server's action communities (the informational tags stay).
 * Only numbers and canonical addresses from rs_state.c reach the text.
 */
#include "adapters/rs/rs_render.h"

#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const bogons_v4[] = {
	"0.0.0.0/8",       "10.0.0.0/8",     "100.64.0.0/10", "127.0.0.0/8",    "169.254.0.0/16",
	"172.16.0.0/12",   "192.0.0.0/24",   "192.0.2.0/24",  "192.168.0.0/16", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",   "240.0.0.0/4",    NULL};
static const char *const martians_v6[] = {"::/8",          "100::/64",  "2001:2::/48", "2001:10::/28",
					  "2001:db8::/32", "2002::/16", "3ffe::/16",   "fc00::/7",
					  "fe80::/10",     "fec0::/10", "ff00::/8",    NULL};
/* Networks that buy no transit: seen behind a member, it leaks. */
static const unsigned transit_free[] = {174,  209,  286,  701,  1239, 1299, 2828, 2914, 3257, 3320,
					3356, 3491, 5511, 6453, 6461, 6762, 6830, 7018, 12956};

static void put(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = NULL;
	if (vasprintf(&text, fmt, ap) < 0)
		abort();
	va_end(ap);
	strbuf_puts(b, text);
	free(text);
}

void rs_protocol_name(const char *session_id, int family, char *out, size_t out_len)
{
	snprintf(out, out_len, "s_%s_v%d", session_id, family);
}

static bool is_transit_free(uint32_t asn)
{
	for (size_t i = 0; i < sizeof(transit_free) / sizeof(*transit_free); i++)
		if (transit_free[i] == asn)
			return true;
	return false;
}

static void put_list(struct strbuf *b, const char *name, const char *const *items, const char *suffix)
{
	put(b, "define %s = [\n", name);
	for (size_t i = 0; items[i]; i++)
		put(b, "\t%s%s%s\n", items[i], suffix, items[i + 1] ? "," : "");
	put(b, "];\n");
}

static void put_header(struct strbuf *b, const struct rs_state *s)
{
	unsigned rs = s->asn;
	put(b, "# BIRD 2 configuration of a route server of AS%u, rendered whole by ixapi-rsd\n", rs);
	put(b, "# from its desired state: the next change replaces this file, do not edit it.\n\n");
	put(b, "router id %s;\n", s->router_id);
	put(b, "timeformat protocol iso long;\n");
	put(b, "timeformat route iso long;\n\n");
	put(b, "# Informational communities (the document's \"Just tagging\" list).\n");
	put(b, "define RS_IRR_VALID = (%u, 65011);\n", rs);
	put(b, "define RS_IRR_INVALID = (%u, 65021);\n", rs);
	put(b, "define RS_RPKI_VALID = (%u, 65012);\n", rs);
	put(b, "define RS_RPKI_INVALID = (%u, 65022);\n", rs);
	put(b, "define RS_RPKI_UNKNOWN = (%u, 65023);\n", rs);
	put(b, "define RS_INFO = [(%u, 65011..65012), (%u, 65021..65023)];\n\n", rs, rs);
	put(b, "# Bogons, RFC 1918 and martians: Team Cymru's bogon list.\n");
	put_list(b, "BOGONS_V4", bogons_v4, "+");
	put(b, "# IPv6: anything outside global unicast 2000::/3, and these.\n");
	put_list(b, "MARTIANS_V6", martians_v6, "+");
	put(b, "# Private, documentation and reserved ASNs (0, AS_TRANS, 64496-131071, 4200000000-).\n");
	put(b, "define RESERVED_ASNS = [0, 23456, 64496..131071, 4200000000..4294967295];\n");
	put(b, "# Transit-free networks: behind a member they are a leak.\n");
	put(b, "define TRANSIT_FREE_ASNS = [");
	for (size_t i = 0; i < sizeof(transit_free) / sizeof(*transit_free); i++)
		put(b, "%s%u", i ? ", " : "", transit_free[i]);
	put(b, "];\n");
	if (s->lan_v4[0])
		put(b, "# The peering LAN is not announced (allowed traffic 3.2).\ndefine LAN_V4 = [%s+];\n",
		    s->lan_v4);
	if (s->lan_v6[0])
		put(b, "%sdefine LAN_V6 = [%s+];\n", s->lan_v4[0] ? "" : "# The peering LAN is not announced.\n",
		    s->lan_v6);
	put(b, "\n# Sorted tables: `secondary` exports the best route a receiver's filter\n");
	put(b, "# accepts (no path hiding).\n");
	put(b, "ipv4 table master4 sorted;\nipv6 table master6 sorted;\n");
	put(b, "roa4 table rs_roa4;\nroa6 table rs_roa6;\n\n");
	put(b, "protocol device {\n}\n\n");
}

static void put_roas(struct strbuf *b, const struct rs_state *s)
{
	size_t n;
	const struct rs_roa *roas = rs_state_roas(s, &n);
	for (int fam = 4; fam <= 6; fam += 2) {
		put(b, "# RPKI: the exchange's ROAs (no RTR cache needed).\n");
		put(b, "protocol static rs_roas_v%d {\n\troa%d { table rs_roa%d; };\n", fam, fam, fam);
		for (size_t i = 0; i < n; i++)
			if (roas[i].family == fam)
				put(b, "\troute %s max %d as %u;\n", roas[i].net, roas[i].max_len, roas[i].asn);
		put(b, "}\n\n");
	}
}

static void put_prefix_set(struct strbuf *b, const struct rs_prefix *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i].ge == p[i].len && p[i].le == p[i].len)
			put(b, "\t%s%s\n", p[i].net, i + 1 < n ? "," : "");
		else
			put(b, "\t%s{%d,%d}%s\n", p[i].net, p[i].ge, p[i].le, i + 1 < n ? "," : "");
	}
}

static void put_as_sets(struct strbuf *b, const struct rs_state *s)
{
	for (size_t i = 0; i < s->n_as_sets; i++) {
		const struct rs_as_set *set = &s->as_sets[i];
		put(b, "# IRR: %s (bgpq4 expansion: %zu IPv4, %zu IPv6 prefixes, %zu origins)\n", set->name, set->n_v4,
		    set->n_v6, set->n_origins);
		if (set->n_v4) {
			put(b, "define AS_SET_%zu_V4 = [\n", i + 1);
			put_prefix_set(b, set->v4, set->n_v4);
			put(b, "];\n");
		}
		if (set->n_v6) {
			put(b, "define AS_SET_%zu_V6 = [\n", i + 1);
			put_prefix_set(b, set->v6, set->n_v6);
			put(b, "];\n");
		}
		if (set->n_origins) {
			put(b, "define AS_SET_%zu_ORIGINS = [", i + 1);
			for (size_t o = 0; o < set->n_origins; o++)
				put(b, "%s%u", o ? ", " : "", set->origins[o]);
			put(b, "];\n");
		}
	}
	if (s->n_as_sets)
		put(b, "\n");
}

static void put_import_checks(struct strbuf *b, const struct rs_state *s, int fam);
static void put_export_checks(struct strbuf *b, const struct rs_state *s);

static void put_functions(struct strbuf *b, const struct rs_state *s)
{
	unsigned rs = s->asn;
	for (int fam = 4; fam <= 6; fam += 2) {
		put(b, "function rs_tag_rpki_v%d()\n{\n", fam);
		put(b, "\tcase roa_check(rs_roa%d, net, bgp_path.last) {\n", fam);
		put(b, "\tROA_VALID: bgp_community.add(RS_RPKI_VALID);\n");
		put(b, "\tROA_INVALID: bgp_community.add(RS_RPKI_INVALID);\n");
		put(b, "\telse: bgp_community.add(RS_RPKI_UNKNOWN);\n\t}\n}\n\n");
	}
	put(b, "# Prepends: %u:65501..65503 towards everyone, %u:101..103:<as> towards <as>\n", rs, rs);
	put(b, "# (the announcing member's own AS in <as>: towards everyone).\n");
	put(b, "function rs_prepend(int peer_as)\nint n;\n{\n\tn = 0;\n");
	for (int k = 1; k <= 3; k++)
		put(b,
		    "\tif (%u, %d) ~ bgp_community || (%u, %d, bgp_path.first) ~ bgp_large_community ||\n"
		    "\t   (%u, %d, peer_as) ~ bgp_large_community then n = %d;\n",
		    rs, 65500 + k, rs, 100 + k, rs, 100 + k, k);
	put(b, "\tif n >= 1 then bgp_path = prepend(bgp_path, bgp_path.first);\n");
	put(b, "\tif n >= 2 then bgp_path = prepend(bgp_path, bgp_path.first);\n");
	put(b, "\tif n >= 3 then bgp_path = prepend(bgp_path, bgp_path.first);\n}\n\n");
	put(b, "# The route server's action communities go no further; the informational\n");
	put(b, "# tags (%u:65011..65012, %u:65021..65023) stay.\n", rs, rs);
	put(b, "function rs_strip()\n{\n");
	put(b, "\tbgp_community.delete([(0, *), (%u, 0..65010), (%u, 65013..65020), (%u, 65024..65535)]);\n", rs, rs,
	    rs);
	put(b, "\tbgp_large_community.delete([(%u, *, *)]);\n", rs);
	put(b, "\tbgp_ext_community.delete([(rt, 0, *), (rt, %u, *)]);\n}\n\n", rs);
	put_import_checks(b, s, 4);
	put_import_checks(b, s, 6);
	put_export_checks(b, s);
}

/* The import sanitation every session shares, one function per family
 * (BIRD reads a 1,000-session file in a fraction of the time when each
 * session's filter calls it instead of repeating it): false = reject. The
 * peer's own AS is `exempt` from the transit-free check (0: none; AS 0 in
 * the path is refused before as reserved). Also removes a member's copies
 * of the informational tags. */
static void put_import_checks(struct strbuf *b, const struct rs_state *s, int fam)
{
	put(b, "function rs_import_ok_v%d(int peer_as; ip peer_ip; int exempt)\n{\n", fam);
	if (fam == 4) {
		put(b, "\tif net = 0.0.0.0/0 then return false; # the default route\n");
		put(b, "\tif net ~ BOGONS_V4 then return false;\n");
		if (s->lan_v4[0])
			put(b, "\tif net ~ LAN_V4 then return false;\n");
	} else {
		put(b, "\tif net = ::/0 then return false; # the default route\n");
		put(b, "\tif net !~ [2000::/3+] then return false;\n");
		put(b, "\tif net ~ MARTIANS_V6 then return false;\n");
		if (s->lan_v6[0])
			put(b, "\tif net ~ LAN_V6 then return false;\n");
	}
	put(b, "\tif net.len < %d || net.len > %d then return false;\n", fam == 4 ? RS_V4_LEN_MIN : RS_V6_LEN_MIN,
	    fam == 4 ? RS_V4_LEN_MAX : RS_V6_LEN_MAX);
	put(b, "\tif bgp_path.first != peer_as then return false; # first AS = the peer's AS\n");
	put(b, "\tif bgp_next_hop != peer_ip then return false; # next hop = the peer's address\n");
	put(b, "\tif bgp_path.len > %d then return false;\n", RS_AS_PATH_LEN_MAX);
	put(b, "\tif filter(bgp_path, RESERVED_ASNS).len > 0 then return false;\n");
	put(b, "\tif filter(delete(bgp_path, exempt), TRANSIT_FREE_ASNS).len > 0 then return false;\n");
	put(b, "\tbgp_community.delete(RS_INFO);\n\treturn true;\n}\n\n");
}

/* The export side every session shares: false = not to this peer. `how` is
 * the receiving member's filtering mode (1 irr_and_rpki, 2 irr, 3 rpki,
 * 0 tagging). Standard communities carry only a 16-bit peer AS. */
static void put_export_checks(struct strbuf *b, const struct rs_state *s)
{
	unsigned rs = s->asn;
	put(b, "function rs_export_ok(int peer_as; int how)\nbool to_peer;\n{\n\tto_peer = false;\n");
	/* Do not announce to this peer: 0:<peer>, RT:0:<peer>, <rs>:0:<peer>;
	 * to nobody (0:<rs>, RT:0:<rs>, <rs>:0:0) unless to this peer
	 * (<rs>:<peer>, RT:<rs>:<peer>, <rs>:1:<peer>). */
	put(b, "\tif peer_as <= 65535 then {\n");
	put(b, "\t\tif (0, peer_as) ~ bgp_community then return false;\n");
	put(b, "\t\tif (%u, peer_as) ~ bgp_community then to_peer = true;\n\t}\n", rs);
	put(b,
	    "\tif (rt, 0, peer_as) ~ bgp_ext_community || (%u, 0, peer_as) ~ bgp_large_community then return false;\n",
	    rs);
	put(b,
	    "\tif (rt, %u, peer_as) ~ bgp_ext_community || (%u, 1, peer_as) ~ bgp_large_community then to_peer = true;\n",
	    rs, rs);
	put(b,
	    "\tif ((0, %u) ~ bgp_community || (rt, 0, %u) ~ bgp_ext_community || (%u, 0, 0) ~ bgp_large_community) &&\n"
	    "\t   !to_peer then return false;\n",
	    rs, rs, rs);
	put(b,
	    "\tif how = 1 && (RS_IRR_INVALID ~ bgp_community || RS_RPKI_INVALID ~ bgp_community) then return false;\n");
	put(b, "\tif how = 2 && RS_IRR_INVALID ~ bgp_community then return false;\n");
	put(b, "\tif how = 3 && RS_RPKI_INVALID ~ bgp_community then return false;\n");
	put(b, "\treturn true;\n}\n\n");
}

static void put_import(struct strbuf *b, const struct rs_state *s, const struct rs_session *ses, int fam)
{
	const char *addr = fam == 4 ? ses->ipv4 : ses->ipv6;
	const struct rs_as_set *set = fam == 4 ? ses->as_set_v4 : ses->as_set_v6;
	const char *set_name = fam == 4 ? ses->as_set_v4_name : ses->as_set_v6_name;
	size_t set_index = set ? (size_t)(set - s->as_sets) + 1 : 0;
	put(b, "filter rs_import_%s_v%d\n{\n", ses->id, fam);
	put(b, "\tif !rs_import_ok_v%d(%u, %s, %u) then reject;\n", fam, ses->peer_asn, addr,
	    is_transit_free(ses->peer_asn) ? ses->peer_asn : 0);
	if (!set_name)
		put(b, "\tbgp_community.add(RS_IRR_INVALID); # IRR: no AS-SET named\n");
	else if (!set || !(fam == 4 ? set->n_v4 : set->n_v6) || !set->n_origins)
		put(b, "\tbgp_community.add(RS_IRR_INVALID); # IRR: %s: no prefixes or origins loaded\n", set_name);
	else
		put(b,
		    "\tif net ~ AS_SET_%zu_V%d && bgp_path.last ~ AS_SET_%zu_ORIGINS then bgp_community.add(RS_IRR_VALID);"
		    " # IRR: %s\n"
		    "\telse bgp_community.add(RS_IRR_INVALID);\n",
		    set_index, fam, set_index, set_name);
	put(b, "\trs_tag_rpki_v%d();\n\taccept;\n}\n\n", fam);
}

static void put_export(struct strbuf *b, const struct rs_session *ses)
{
	static const struct {
		int how;
		const char *comment;
	} modes[] = {
		[RS_FILTERING_IRR_AND_RPKI] = {1, "irr_and_rpki: IRR-invalid and RPKI-invalid routes are withheld"},
		[RS_FILTERING_IRR] = {2, "irr: IRR-invalid routes are withheld"},
		[RS_FILTERING_RPKI] = {3, "rpki: RPKI-invalid routes are withheld"},
		[RS_FILTERING_TAGGING] = {0, "tagging: nothing is withheld, the tags tell"},
	};
	put(b, "filter rs_export_%s\n{\n", ses->id);
	put(b, "\t# filtering %s\n", modes[ses->filtering].comment);
	put(b, "\tif !rs_export_ok(%u, %d) then reject;\n", ses->peer_asn, modes[ses->filtering].how);
	put(b, "\trs_prepend(%u);\n\trs_strip();\n\taccept;\n}\n\n", ses->peer_asn);
}

static void put_protocol(struct strbuf *b, const struct rs_state *s, const struct rs_session *ses, int fam)
{
	char name[64];
	rs_protocol_name(ses->id, fam, name, sizeof(name));
	put(b, "protocol bgp %s {\n", name);
	put(b, "\tdescription \"AS%u session %s\";\n", ses->peer_asn, ses->id);
	put(b, "\tlocal %s as %u;\n", fam == 4 ? s->ipv4 : s->ipv6, s->asn);
	put(b, "\tneighbor %s as %u;\n", fam == 4 ? ses->ipv4 : ses->ipv6, ses->peer_asn);
	put(b, "\tpassive on;\n\trs client;\n");
	if (ses->password)
		put(b, "\tpassword \"%s\";\n", ses->password);
	put(b, "\tipv%d {\n", fam);
	put(b, "\t\timport table on;\n\t\timport keep filtered on;\n\t\tsecondary on;\n");
	put(b, "\t\treceive limit %lld action disable;\n", fam == 4 ? ses->max_prefix_v4 : ses->max_prefix_v6);
	put(b, "\t\timport filter rs_import_%s_v%d;\n", ses->id, fam);
	put(b, "\t\texport filter rs_export_%s;\n", ses->id);
	put(b, "\t};\n}\n\n");
}

char *rs_render(const struct rs_state *s)
{
	struct strbuf b = {0};
	put_header(&b, s);
	put_roas(&b, s);
	put_as_sets(&b, s);
	put_functions(&b, s);
	for (size_t i = 0; i < s->n_sessions; i++) {
		const struct rs_session *ses = &s->sessions[i];
		put(&b, "# Session %s: AS%u, filtering %s\n", ses->id, ses->peer_asn,
		    rs_filtering_name(ses->filtering));
		if (ses->ipv4[0])
			put_import(&b, s, ses, 4);
		if (ses->ipv6[0])
			put_import(&b, s, ses, 6);
		put_export(&b, ses);
		if (ses->ipv4[0])
			put_protocol(&b, s, ses, 4);
		if (ses->ipv6[0])
			put_protocol(&b, s, ses, 6);
	}
	return b.text ? b.text : xstrdup("");
}
