/*
 * BIRD 2's control socket: one command, its numbered reply, and the parse
 * of `show protocols all` into per-protocol state (BIRD has no JSON). The
 * reply format: lines "DDDD-text" (more follows), "DDDD text" (the last),
 * " text" (continuing the previous code); codes 0xxx are actions done,
 * 1xxx table entries, 2xxx table headings, 8xxx/9xxx errors.
 */
#ifndef IXAPI_ADAPTERS_RS_RS_BIRD_H
#define IXAPI_ADAPTERS_RS_RS_BIRD_H

#include <stdbool.h>
#include <stddef.h>

#define RS_BIRD_REPLY_MAX (16 * 1024 * 1024)

/* Sends cmd on the control socket at sock_path and reads the whole reply
 * (codes kept, as BIRD sends them) into *reply (caller frees). Returns the
 * code of the reply's last line, or -1 when BIRD does not answer (*reply
 * then holds why). timeout_ms bounds every read. */
int rs_bird_command(const char *sock_path, const char *cmd, int timeout_ms, char **reply);

/* True when a BIRD answers on sock_path. */
bool rs_bird_is_up(const char *sock_path);

/* One protocol's state from `show protocols all`. */
struct rs_bird_protocol {
	char name[64];
	char state[16];     /* up, down, start, stop (BIRD's words) */
	char since[32];     /* "YYYY-MM-DD HH:MM:SS" as BIRD prints it (timeformat protocol iso long) */
	char info[128];     /* e.g. Established, Active, "Automatic shutdown: Route limit exceeded" */
	char bgp_state[24]; /* Established, Idle, Active, Down, ... ("" when not BGP) */
	char last_error[128];
	long long imported, filtered, exported; /* -1 when not shown */
	long long receive_limit;                /* -1 when none */
	bool is_limit_hit;
};

/* Parses the reply of `show protocols all` (as read by rs_bird_command)
 * into a new array (caller frees) of *n protocols. */
struct rs_bird_protocol *rs_bird_parse_protocols(const char *reply, size_t *n);

#endif
