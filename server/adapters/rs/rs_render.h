/*
 * The BIRD 2 configuration of one route server, rendered whole from its
 * desired state (rs_state.h): the policy of
 * ../shared/domain/amsix-route-servers-and-allowed-traffic.txt (import
 * sanitation, the 3+1 filtering modes, informational and action
 * communities, prepends) as BIRD filters, one passive `rs client` BGP
 * protocol per session and family. Pure: the same state gives the same
 * bytes (tests/adapters/rs/golden/ holds them).
 */
#ifndef IXAPI_ADAPTERS_RS_RS_RENDER_H
#define IXAPI_ADAPTERS_RS_RS_RENDER_H

#include "adapters/rs/rs_state.h"

#include <stddef.h>

/* Policy constants the renderer applies (documented in the README). */
#define RS_V4_LEN_MIN      8
#define RS_V4_LEN_MAX      24
#define RS_V6_LEN_MIN      12
#define RS_V6_LEN_MAX      48
#define RS_AS_PATH_LEN_MAX 32

/* The whole configuration; caller frees. */
char *rs_render(const struct rs_state *s);
/* The BIRD protocol name of a session's family (4 or 6) into out (>= 64
 * bytes): "s_<id>_v4". */
void rs_protocol_name(const char *session_id, int family, char *out, size_t out_len);

#endif
