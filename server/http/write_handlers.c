/*
 * Shared write handlers (see write_handlers.h).
 */
#include "http/write_handlers.h"

#include "app.h"

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
