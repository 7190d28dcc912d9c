/*
 * The desired state of one route server (the body of PUT
 * /v1/route-servers/{server}, openapi/adapter-rs.json) as C values, parsed
 * and checked strictly from JSON. Pure: no I/O. rs_render.h turns it into a
 * BIRD 2 configuration.
 */
#ifndef IXAPI_ADAPTERS_RS_RS_STATE_H
#define IXAPI_ADAPTERS_RS_RS_STATE_H

#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RS_SESSIONS_MAX   4000
#define RS_SESSION_ID_MAX 40
#define RS_PASSWORD_MAX   80 /* TCP MD5 keys are at most 80 bytes */
#define RS_ADDR_MAX       64 /* an address or prefix as text, with room */

/* The document's 3+1 filtering modes: what a member receives. */
enum rs_filtering {
	RS_FILTERING_IRR_AND_RPKI, /* the default: IRR-invalid and RPKI-invalid routes withheld */
	RS_FILTERING_IRR,          /* IRR-invalid routes withheld */
	RS_FILTERING_RPKI,         /* RPKI-invalid routes withheld */
	RS_FILTERING_TAGGING,      /* nothing withheld, every route tagged */
};

/* One entry of a bgpq4 -j prefix list: prefix/len{ge,le}. */
struct rs_prefix {
	char net[RS_ADDR_MAX]; /* canonical "addr/len" */
	int family;            /* 4 or 6 */
	int len, ge, le;       /* exact: ge == le == len */
};

/* An AS-SET's expansion (bgpq4 -j -4, -j -6 and -j -t outputs). */
struct rs_as_set {
	char *name;
	struct rs_prefix *v4, *v6;
	size_t n_v4, n_v6;
	uint32_t *origins;
	size_t n_origins;
};

struct rs_roa {
	char net[RS_ADDR_MAX];
	int family, max_len;
	uint32_t asn;
};

struct rs_session {
	char id[RS_SESSION_ID_MAX + 1];
	uint32_t peer_asn;
	char ipv4[RS_ADDR_MAX], ipv6[RS_ADDR_MAX]; /* "" when absent */
	char *password;                            /* NULL when none; never logged */
	enum rs_filtering filtering;
	long long max_prefix_v4, max_prefix_v6;
	const struct rs_as_set *as_set_v4, *as_set_v6; /* borrowed from the state; NULL: none loaded */
	char *as_set_v4_name, *as_set_v6_name;         /* as named in the request (NULL: none) */
};

struct rs_state {
	uint32_t asn;
	char router_id[RS_ADDR_MAX];
	char ipv4[RS_ADDR_MAX], ipv6[RS_ADDR_MAX];     /* the route server's own LAN addresses */
	char lan_v4[RS_ADDR_MAX], lan_v6[RS_ADDR_MAX]; /* the peering LAN's prefixes */
	struct rs_session *sessions;
	size_t n_sessions;
	struct rs_as_set *as_sets;
	size_t n_as_sets;
	struct rs_roa *roas;
	size_t n_roas;
};

/* Parses a desired state. Returns NULL and sets *out (caller frees with
 * rs_state_free), or a validation problem naming the property. */
struct problem *rs_state_parse(const json_t *j_state, struct rs_state **out);
void rs_state_free(struct rs_state *s);
/* The session of that id, or NULL. */
const struct rs_session *rs_state_session(const struct rs_state *s, const char *id);
/* "irr_and_rpki", "irr", "rpki" or "tagging". */
const char *rs_filtering_name(enum rs_filtering f);

#endif
