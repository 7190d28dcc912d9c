/*
 * libFuzzer target: capture reports (what a switch adapter answers) through
 * the quarantine gate's parser and, when accepted, its judge and the status
 * entries. A report is refused with a problem or judged; never a crash, and
 * an accepted report's classes never count more frames than it has.
 */
#include "quarantine/gate.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gate_report *r = NULL;
	struct problem *p = gate_report_parse_text((const char *)data, size, &r);
	if (p) {
		if (r)
			abort();
		problem_free(p);
		return 0;
	}
	uint64_t counted = 0;
	for (size_t i = 0; i < r->n_classes; i++)
		counted += r->classes[i].count;
	if (counted > r->frames)
		abort();
	static const char *const macs[] = {"02:00:00:00:00:01"};
	struct gate_context ctx = {.macs = macs, .n_macs = 1};
	gate_prefix_parse("192.0.2.0/24", &ctx.lan_v4);
	struct gate_verdict v;
	gate_judge(r, &ctx, &v);
	if (v.n > GATE_RULE_COUNT)
		abort();
	json_decref(gate_status_entries(&v, r->id));
	gate_report_free(r);
	return 0;
}
