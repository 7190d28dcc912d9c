/*
 * The IX-API lifecycle states every stateful object has (2.7.1 enum), in
 * one place for validators and filters.
 */
#ifndef IXAPI_CORE_STATES_H
#define IXAPI_CORE_STATES_H

#include <stdbool.h>

/* NULL-terminated: requested, allocated, testing, production, ... */
extern const char *const ixapi_states[];

/* True when s is one of ixapi_states. */
bool ixapi_is_state(const char *s);

#endif
