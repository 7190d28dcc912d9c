/*
 * The demo exchange that `make run` starts with: an operator and a member
 * account with API keys, a metro area, a metro-area network, two
 * facilities, their points of presence (one availability zone each) and
 * devices (10G ports in both, 100G in one).
 */
#ifndef IXAPI_SEED_SEED_H
#define IXAPI_SEED_SEED_H

#include "db/db.h"

/* Seeds the demo data unless present. Writes fresh credentials to
 * credentials_path (mode 0600) whenever it creates keys, which it does when
 * the data is new or the credentials file is missing. 0 ok, -1 on error
 * (logged). */
int seed_demo(struct db_pool *pool, const char *credentials_path);

#endif
