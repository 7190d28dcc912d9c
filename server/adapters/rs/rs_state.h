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

#define RS_ROAS_VERSION_MAX 64

/* The adapter-wide ROA table (PUT /v1/roas, the body {"version", "roas"}):
 * loaded once, shared by reference by every desired state naming its
 * version (a full RPKI table is half a million ROAs: it is not sent with
 * every session change). */
struct rs_roa_table {
	int refs;
	char version[RS_ROAS_VERSION_MAX + 1];
	struct rs_roa *roas;
	size_t n;
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
	struct rs_roa *roas; /* inline ("roas"); none when the state names a roas_version */
	size_t n_roas;
	char roas_version[RS_ROAS_VERSION_MAX + 1]; /* "roas_version": "" when none */
	struct rs_roa_table *roa_table;             /* its table, a reference: set by whoever applies it */
};

/* Parses a desired state. Returns NULL and sets *out (caller frees with
 * rs_state_free), or a validation problem naming the property. */
struct problem *rs_state_parse(const json_t *j_state, struct rs_state **out);
void rs_state_free(struct rs_state *s);
/* Parses PUT /v1/roas's body into a new table (one reference), or a
 * validation problem naming the property. */
struct problem *rs_roa_table_parse(const json_t *j_body, struct rs_roa_table **out);
struct rs_roa_table *rs_roa_table_ref(struct rs_roa_table *t);
void rs_roa_table_unref(struct rs_roa_table *t);
/* The ROAs a state renders: its table's when it names one, else its own. */
const struct rs_roa *rs_state_roas(const struct rs_state *s, size_t *n);
/* The session of that id, or NULL. */
const struct rs_session *rs_state_session(const struct rs_state *s, const char *id);
/* "irr_and_rpki", "irr", "rpki" or "tagging". */
const char *rs_filtering_name(enum rs_filtering f);

#endif
