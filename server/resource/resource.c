/*
 * The generic write handlers of a resource descriptor (see resource.h).
 */
#include "resource/resource.h"

#include "app.h"
#include "core/util.h"
#include "http/router.h"

#include <stdlib.h>
#include <string.h>

#define MAX_REQUIRED 32

struct problem *resource_validate(const struct resource *r, json_t *j_body, int flag, json_t **j_out)
{
	const char *required[MAX_REQUIRED];
	field_names(r->fields, flag, required, MAX_REQUIRED);
	return r->validate(j_body, flag ? required : NULL, j_out);
}

/* The write of one resource: the db_write the template runs, and the spec. */
struct resource_write {
	struct db_write w;
	const struct resource *r;
};

static struct problem *create_tx(PGconn *conn, void *arg)
{
	struct resource_write *rw = arg;
	return db_create_run(conn, &rw->w, rw->r->create);
}

static struct problem *update_tx(PGconn *conn, void *arg)
{
	struct resource_write *rw = arg;
	return db_update_run(conn, &rw->w, rw->r->update);
}

static struct problem *delete_tx(PGconn *conn, void *arg)
{
	struct resource_write *rw = arg;
	return db_delete_run(conn, &rw->w, rw->r->delete);
}

/* Runs tx on rw (input j_fields, may be NULL) and answers `status`. */
static struct problem *run(struct request *req, struct response *res, const struct resource *r, db_tx_fn tx,
			   json_t *j_fields, int status)
{
	char *text = j_fields ? json_dumps(j_fields, JSON_COMPACT) : NULL;
	struct actor a = request_actor(req);
	struct resource_write rw = {
		.w = {.actor = &a,
		      .id = req->param_count ? req->params[0] : NULL,
		      .input_json = text,
		      .fields = r->fields},
		.r = r,
	};
	char *json = NULL;
	struct problem *p = db_write_run(req->app->pool, tx, &rw.w, &json);
	free(text);
	return response_from(res, status, p, json);
}

struct problem *resource_create(struct request *req, struct response *res)
{
	const struct resource *r = req->route->data;
	json_t *j_fields = NULL;
	struct problem *p = resource_validate(r, req->j_body, FIELD_CREATE, &j_fields);
	if (p)
		return p;
	/* What a create does not take; an order starts requested. */
	for (const struct field_spec *f = r->fields; f->name; f++)
		if (f->flags & FIELD_LATER)
			json_object_del(j_fields, f->name);
	if (!r->operator_sets_state || !req->who.is_operator)
		json_object_del(j_fields, "state");
	if (r->owner == RESOURCE_OWNED || r->owner == RESOURCE_ORDER)
		request_default_owner(req, j_fields);
	if (r->owner == RESOURCE_MANAGED && !req->who.is_operator &&
	    !json_is_string(json_object_get(j_fields, "managing_account")))
		json_object_set_new(j_fields, "managing_account", json_string(req->who.account));
	if (r->owner == RESOURCE_ORDER && !json_object_get(j_fields, "billing_account"))
		json_object_set_new(j_fields, "billing_account", json_string(req->who.account));
	if (r->defaults)
		r->defaults(j_fields);
	p = run(req, res, r, create_tx, j_fields, 201);
	json_decref(j_fields);
	return p;
}

static struct problem *update(struct request *req, struct response *res, int flag)
{
	const struct resource *r = req->route->data;
	json_t *j_fields = NULL;
	struct problem *p = resource_validate(r, req->j_body, flag, &j_fields);
	if (p)
		return p;
	p = run(req, res, r, update_tx, j_fields, r->update_status);
	json_decref(j_fields);
	return p;
}

struct problem *resource_replace(struct request *req, struct response *res)
{
	return update(req, res, FIELD_PUT);
}

struct problem *resource_patch(struct request *req, struct response *res)
{
	return update(req, res, 0);
}

struct problem *resource_destroy(struct request *req, struct response *res)
{
	const struct resource *r = req->route->data;
	if (r->decommission)
		return decommission_answer(req, res, r->decommission);
	return run(req, res, r, delete_tx, NULL, 200);
}
