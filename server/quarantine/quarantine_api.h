/*
 * The quarantine-test extension: POST
 * /network-service-configs/{id}/quarantine-test asks for a new quarantine
 * test of a peering-LAN config in `testing` (the member fixed its router).
 * The workers run it (jobs/handlers.c, quarantine.test).
 */
#ifndef IXAPI_QUARANTINE_API_H
#define IXAPI_QUARANTINE_API_H

#include "http/router.h"

struct problem *quarantine_test_request(struct request *req, struct response *res);

#endif
