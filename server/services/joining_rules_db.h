/*
 * Storage of member joining rules. Every function is scoped by the actor
 * (who sees a rule and who may change it: joining_rules_db.c); results are
 * JSON texts the caller frees.
 */
#ifndef IXAPI_SERVICES_JOINING_RULES_DB_H
#define IXAPI_SERVICES_JOINING_RULES_DB_H

#include "core/problem.h"
#include "db/actor.h"
#include "db/db.h"
#include "db/write.h"

/* For the resource descriptor (joining_rules_resource): the create (from
 * a validated object text whose managing account is set), the audited
 * update and the delete of a rule the actor may change. */
extern const struct db_create joining_rule_create;
extern const struct db_update joining_rule_update;
extern const struct db_delete joining_rule_delete;

#endif
