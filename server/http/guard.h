/*
 * The connection guard: what libmicrohttpd 0.9.75 does not do against slow
 * clients. Every connection is tracked from its start (MHD's connection
 * notification); its request head (line and headers) must be complete
 * within a deadline that trickling bytes cannot extend, counted from the
 * connection's start or from the end of its previous response. A reaper
 * thread shuts down the sockets of late heads and, when connections come
 * close to the limit, those of the oldest connections still sending a
 * head, so that new clients always find room.
 */
#ifndef IXAPI_HTTP_GUARD_H
#define IXAPI_HTTP_GUARD_H

#include <stdbool.h>

struct guard;
struct guard_conn;

/* Starts the reaper. head_timeout_s: the deadline; max_connections: the
 * daemon's limit (room is kept below it). Caller owns (guard_free). */
struct guard *guard_new(int head_timeout_s, int max_connections);
/* Stops the reaper; every tracked connection must have been closed. */
void guard_free(struct guard *g);
/* A connection started on socket fd; returns its record (the socket context). */
struct guard_conn *guard_started(struct guard *g, int fd);
/* The connection is closing (its socket still open): forget it. */
void guard_closed(struct guard *g, struct guard_conn *c);
/* Its request head is complete (first request callback). */
void guard_head_done(struct guard *g, struct guard_conn *c);
/* Its response is done: the deadline of the next head starts now. */
void guard_request_done(struct guard *g, struct guard_conn *c);
/* Marks the connection as answered by the server itself (refused head):
 * nothing libmicrohttpd parses on it afterwards is served. */
void guard_refuse(struct guard *g, struct guard_conn *c);
bool guard_is_refused(struct guard *g, const struct guard_conn *c);

#endif
