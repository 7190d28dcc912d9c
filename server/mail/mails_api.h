/*
 * The mails extension (operators only): GET /mails lists the outgoing mail
 * (newest first, at most 1,000; filters object_type, object_id, state) with
 * its mail.send job's state, attempts and last error, so an operator sees
 * what was sent, what waits and why. No body, no attachment: their sizes.
 */
#ifndef IXAPI_MAIL_MAILS_API_H
#define IXAPI_MAIL_MAILS_API_H

#include "http/filters.h"
#include "http/request.h"

extern const struct filter_spec mails_filters[];

struct problem *mails_list(struct request *req, struct response *res);

#endif
