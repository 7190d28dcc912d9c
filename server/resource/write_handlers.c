/*
 * What the write handlers share (see write_handlers.h).
 */
#include "resource/write_handlers.h"

#include "core/json_body.h"
#include "core/util.h"

struct problem *request_decommission_date(const struct request *req, const char **date_out)
{
	struct validation v = {0};
	const char *date = validation_string(&v, req->j_body, "decommission_at", "decommission_at", FIELD_NULLABLE, 10);
	if (!v.problem && date && !util_is_date(date))
		validation_fail(&v, "decommission_at", "Expected a date such as 2026-12-31.");
	*date_out = v.problem ? NULL : date;
	return v.problem;
}

struct problem *request_policy_date(const struct request *req, const char **date_out)
{
	const char *date = request_query(req, "decommission_at");
	*date_out = NULL;
	if (date && !util_is_date(date))
		return problem_invalid("decommission_at", "Expected a date such as 2026-12-31.");
	*date_out = date;
	return NULL;
}
