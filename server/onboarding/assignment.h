/*
 * The onboarding's port assignment (issue 12, step 4), an extension:
 * POST /applications/{id}/port-assignment (operators) with
 * {"ports": ["<port id>", ...]} names the ports, {} (or no body) lets the
 * auto-assign policy pick them (assignment_db.h). The `onboarding.assign`
 * job (jobs/handlers.c) applies IXAPI_PORT_ASSIGNMENT once the agreement is
 * signed.
 */
#ifndef IXAPI_ONBOARDING_ASSIGNMENT_H
#define IXAPI_ONBOARDING_ASSIGNMENT_H

#include "http/router.h"

struct problem *assignment_request(struct request *req, struct response *res);

#endif
