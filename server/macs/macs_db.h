/*
 * Storage of MAC addresses, scoped by the actor (owner_in_scope); results
 * are JSON texts the caller frees.
 */
#ifndef IXAPI_MACS_MACS_DB_H
#define IXAPI_MACS_MACS_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"
#include "db/write.h"

/* Registers a MAC (db_create_run) from a validated object text whose
 * accounts are set: for the resource descriptor (macs_resource). */
extern const struct db_create mac_create;
/* Removes a visible MAC (db_delete_run) and returns it as it was; a MAC
 * that only configs on their way out use stays in force until the last of
 * them leaves, and comes back with valid_not_after set to that date; one a
 * live config uses is an unable-to-fulfill problem. */
extern const struct db_delete mac_delete;

#endif
