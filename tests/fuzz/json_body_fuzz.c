/*
 * libFuzzer target: request bodies through the parser, the nesting ceiling
 * and the account validator (everything a client's body reaches before
 * storage). `make fuzz` runs it.
 */
#include "accounts/accounts.h"
#include "core/json_body.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = NULL;
	struct problem *p = json_body_parse((const char *)data, size, JSON_BODY_MAX_DEPTH, true, &j);
	if (p) {
		json_decref(problem_to_json(p, "/fuzz"));
		problem_free(p);
		return 0;
	}
	static const char *const required[] = {"name", "address", NULL};
	json_t *j_out = NULL;
	p = accounts_validate(j, required, &j_out);
	if (p) {
		json_decref(problem_to_json(p, NULL));
		problem_free(p);
	}
	json_decref(j_out);
	json_decref(j);
	return 0;
}
