/*
 * IX-API states (see states.h).
 */
#include "core/states.h"

#include <string.h>

const char *const ixapi_states[] = {"requested",
				    "allocated",
				    "testing",
				    "production",
				    "production_change_pending",
				    "decommission_requested",
				    "decommissioned",
				    "archived",
				    "error",
				    "operator",
				    "scheduled",
				    NULL};

bool ixapi_is_state(const char *s)
{
	for (size_t i = 0; ixapi_states[i]; i++)
		if (strcmp(ixapi_states[i], s) == 0)
			return true;
	return false;
}
