/*
 * Storage of IP addresses, scoped by the actor (owner_in_scope); results
 * are JSON texts the caller frees.
 */
#ifndef IXAPI_IPS_IPS_DB_H
#define IXAPI_IPS_IPS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"
#include "db/write.h"

/* For the resource descriptor (ips_resource): the create (from a
 * validated object text whose accounts are set) and the audited update of
 * a visible IP (an address allocated from a peering LAN keeps its place:
 * members change its fqdn only). */
extern const struct db_create ip_create;
extern const struct db_update ip_update;

#endif
