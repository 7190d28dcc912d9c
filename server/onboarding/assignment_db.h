/*
 * The onboarding's port assignment in PostgreSQL (issue 12, step 4): an
 * application in step port_assignment whose agreement is signed gets ports
 * for its connection's reservations, named by an operator or picked by the
 * auto-assign policy, in one audited transaction: the reservations are
 * allocated through the operator's allocation path (port_reservation_move),
 * the exchange-side demarcs name the ports, the LOA naming them is stored
 * and mailed to the technical contact with the port details, the member's
 * LAN addresses and how to activate the port; the application goes to
 * quarantine (onboarding_ports_assign.sql).
 */
#ifndef IXAPI_ONBOARDING_ASSIGNMENT_DB_H
#define IXAPI_ONBOARDING_ASSIGNMENT_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Assigns ports to application `id` for an operator: j_ports is an array of
 * port ids (validated strings, borrowed), or NULL for the auto-assign
 * policy. 404 for an unknown application; 409 while the agreement is
 * unsigned, in another step, or (auto) without enough free ports; 400
 * naming `ports` for a port that is not free, not at the facility, of
 * another speed, or the wrong count. *json_out (caller frees) describes the
 * assignment. */
struct problem *assignment_db_assign(struct db_pool *pool, const struct actor *actor, const char *id, json_t *j_ports,
				     char **json_out);

/* The `onboarding.assign` job of application `id`: with the auto policy
 * (is_auto), assigns free ports as the operator's `{}` does, unless the
 * application no longer waits for ports (then nothing: 0). Without enough
 * free ports it sets `onboarding.no_free_port` on the account and fails
 * (-1, err: the job is retried with the jobs' backoff). With the operator
 * policy it does nothing (0): the application waits for an operator. */
int assignment_db_job(struct db_pool *pool, const char *job_id, const char *id, bool is_auto, char *err,
		      size_t err_len);

#endif
