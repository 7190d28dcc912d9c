/*
 * Shared write handlers (see write_handlers.h).
 */
#include "resource/write_handlers.h"

#include "app.h"
#include "core/json_body.h"
#include "core/util.h"

#include <stdlib.h>

struct problem *write_create_owned(struct request *req, struct response *res, body_validator validate,
				   const char *const *required, store_create store)
{
	json_t *j_fields = NULL;
	struct problem *p = validate(req->j_body, required, &j_fields);
	if (p)
		return p;
	request_default_owner(req, j_fields);
	char *text = json_dumps(j_fields, JSON_COMPACT);
	struct actor a = request_actor(req);
	char *json = NULL;
	p = store(req->app->pool, &a, text, &json);
	free(text);
	json_decref(j_fields);
	return response_from(res, 201, p, json);
}

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

struct problem *write_update(struct request *req, struct response *res, body_validator validate,
			     const char *const *required, store_update store, int status)
{
	json_t *j_fields = NULL;
	struct problem *p = validate(req->j_body, required, &j_fields);
	if (p)
		return p;
	char *text = json_dumps(j_fields, JSON_COMPACT);
	struct actor a = request_actor(req);
	char *json = NULL;
	p = store(req->app->pool, &a, req->params[0], text, &json);
	free(text);
	json_decref(j_fields);
	return response_from(res, status, p, json);
}
