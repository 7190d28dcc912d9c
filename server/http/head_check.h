/*
 * The first look at a connection's bytes, before libmicrohttpd parses them:
 * a request head that libmicrohttpd 0.9.75 would refuse with its own HTML
 * answer (and, for a bad Content-Length, with a malformed one: it writes
 * its status line and headers twice) is recognised here, so that the
 * server answers it with an RFC 7807 problem instead (see server.c).
 */
#ifndef IXAPI_HTTP_HEAD_CHECK_H
#define IXAPI_HTTP_HEAD_CHECK_H

#include "core/problem.h"

#include <stddef.h>

/* Checks the complete lines among the first `len` bytes of a connection
 * (what has arrived; need not be the whole head, need not be
 * NUL-terminated): the request line (`METHOD target HTTP/1.x`), header
 * lines (`name: value`) and Content-Length values. Returns NULL when
 * nothing wrong is seen (or nothing can be told yet), else a new problem:
 * 400 malformed request line, header line or Content-Length; 413 a
 * Content-Length beyond 64 bits; 505 an HTTP version other than 1.x. */
struct problem *http_head_check(const char *data, size_t len);

#endif
