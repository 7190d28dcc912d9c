/*
 * The route-server adapter's HTTP API (protocol v1, openapi/adapter-rs.json) on
 * libmicrohttpd: bearer authentication, the routes, body limits,
 * Idempotency-Key replay, RFC 7807 problems.
 */
#ifndef IXAPI_ADAPTERS_RS_RS_API_H
#define IXAPI_ADAPTERS_RS_RS_API_H

#include <stdint.h>

#define RS_API_BODY_MAX (16 * 1024 * 1024) /* 1,000s of sessions, IRR and ROA data */

/* A listening TCP socket on addr:port (IPv4) in the calling thread's
 * network namespace. Returns the descriptor, or -1 (logged). */
int rs_api_listen(const char *addr, uint16_t port);

/* Starts the daemon on listen_fd (from rs_api_listen; the daemon owns it
 * from now on; addr and port name it in the log) with the bearer secret
 * (copied, never logged). Returns 0, or -1 (logged). */
int rs_api_start(int listen_fd, const char *addr, uint16_t port, const char *secret);
/* Stops the daemon (waits for requests in flight). */
void rs_api_stop(void);

#endif
