/*
 * Account handlers (see accounts.h): they validate and normalise input,
 * build the actor, and leave scoping and persistence to accounts_db.c.
 */
#include "accounts/accounts.h"

#include "accounts/accounts_db.h"
#include "app.h"
#include "core/json_body.h"
#include "core/states.h"
#include "core/util.h"
#include "http/filters.h"
#include "resource/write_handlers.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const struct filter_spec accounts_list_query[] = {
	{"id", FILTER_LIST, NULL},
	{"state", FILTER_ENUM, ixapi_states},
	{"state__is_not", FILTER_ENUM, ixapi_states},
	{"managing_account", FILTER_TEXT, NULL},
	{"name", FILTER_TEXT, NULL},
	{"external_ref", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	{NULL, FILTER_TEXT, NULL},
};

/* Validates an Address object at j_parent[key]; returns a normalised copy
 * with every property present (optional ones as null), or NULL. */
static json_t *validate_address(struct validation *v, json_t *j_parent, const char *key, const char *prefix, int flags)
{
	json_t *j = validation_object(v, j_parent, key, prefix, flags);
	if (!j)
		return NULL;
	char name[64];
	size_t failures_before = v->problem ? problem_property_count(v->problem) : 0;
#define FIELD(k) (snprintf(name, sizeof(name), "%s.%s", prefix, k), name)
	const char *country = validation_string(v, j, "country", FIELD("country"), FIELD_REQUIRED, 2);
	const char *locality = validation_string(v, j, "locality", FIELD("locality"), FIELD_REQUIRED, 40);
	const char *region = validation_string(v, j, "region", FIELD("region"), FIELD_NULLABLE, 80);
	const char *postal = validation_string(v, j, "postal_code", FIELD("postal_code"), FIELD_REQUIRED, 24);
	const char *street = validation_string(v, j, "street_address", FIELD("street_address"), FIELD_REQUIRED, 80);
	const char *pobox =
		validation_string(v, j, "post_office_box_number", FIELD("post_office_box_number"), FIELD_NULLABLE, 80);
	if (country &&
	    (strlen(country) != 2 || !isupper((unsigned char)country[0]) || !isupper((unsigned char)country[1])))
		validation_fail(v, FIELD("country"), "Expected an ISO 3166-1 alpha-2 country code such as DE.");
#undef FIELD
	if ((v->problem ? problem_property_count(v->problem) : 0) != failures_before)
		return NULL;
	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s?}", "country", country, "locality", locality, "region", region,
			 "postal_code", postal, "street_address", street, "post_office_box_number", pobox);
}

struct problem *accounts_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	if (!j_body)
		j_body = json_object(); /* an empty body is an empty object */
	else
		json_incref(j_body);
	struct validation v = {0};
	json_t *j = json_object();
	for (size_t i = 0; required && required[i]; i++)
		if (!validation_has(j_body, required[i]))
			validation_fail(&v, required[i], "This field is required.");

	validation_copy_string(&v, j_body, j, "name", FIELD_REQUIRED, 80);
	validation_copy_string(&v, j_body, j, "legal_name", FIELD_NULLABLE, 80);
	validation_copy_string(&v, j_body, j, "external_ref", FIELD_NULLABLE, 80);
	validation_copy_string(&v, j_body, j, "managing_account", FIELD_NULLABLE, 80);
	/* State moves are the operators' (checked in storage, where the actor is). */
	const char *state = validation_has(j_body, "state")
				    ? validation_string(&v, j_body, "state", "state", FIELD_REQUIRED, 40)
				    : NULL;
	if (state) {
		if (ixapi_is_state(state))
			json_object_set_new(j, "state", json_string(state));
		else
			validation_fail(&v, "state", "\"%.40s\" is not a valid choice.", state);
	}
	if (validation_has(j_body, "discoverable")) {
		bool d = validation_bool(&v, j_body, "discoverable", "discoverable", FIELD_REQUIRED, false);
		json_object_set_new(j, "discoverable", json_boolean(d));
	}
	if (validation_has(j_body, "metro_area_network_presence")) {
		json_t *j_list = validation_string_array(&v, j_body, "metro_area_network_presence",
							 "metro_area_network_presence", FIELD_REQUIRED, 80);
		if (j_list)
			json_object_set(j, "metro_area_network_presence", j_list);
	}
	if (validation_has(j_body, "address")) {
		json_t *j_addr = validate_address(&v, j_body, "address", "address", FIELD_REQUIRED);
		if (j_addr)
			json_object_set_new(j, "address", j_addr);
	}
	if (validation_has(j_body, "billing_information")) {
		json_t *j_bill =
			validation_object(&v, j_body, "billing_information", "billing_information", FIELD_NULLABLE);
		if (j_bill) {
			const char *bname =
				validation_string(&v, j_bill, "name", "billing_information.name", FIELD_REQUIRED, 80);
			json_t *j_addr =
				validate_address(&v, j_bill, "address", "billing_information.address", FIELD_REQUIRED);
			const char *vat = validation_string(&v, j_bill, "vat_number", "billing_information.vat_number",
							    FIELD_NULLABLE, 20);
			if (bname && j_addr)
				json_object_set_new(j, "billing_information",
						    json_pack("{s:s, s:o, s:s?}", "name", bname, "address", j_addr,
							      "vat_number", vat));
			else
				json_decref(j_addr);
		} else if (json_is_null(json_object_get(j_body, "billing_information")))
			json_object_set_new(j, "billing_information", json_null());
	}
	json_decref(j_body);
	if (v.problem) {
		json_decref(j);
		return v.problem;
	}
	*j_out = j;
	return NULL;
}

struct problem *accounts_own(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = accounts_db_get(req->app->pool, &a, req->who.account, &json);
	return response_from(res, 200, p, json);
}

struct problem *accounts_list(struct request *req, struct response *res)
{
	struct filter_values v;
	struct problem *p = filters_parse(req, accounts_list_query, &v);
	if (p)
		return p;
	/* in the order of accounts_list_query */
	struct account_filter f = {.ids = v.values[0],
				   .state = v.values[1],
				   .state_is_not = v.values[2],
				   .managing_account = v.values[3],
				   .name = v.values[4],
				   .external_ref = v.values[5]};
	struct actor a = request_actor(req);
	struct db_page page;
	char *json = NULL;
	long long total = 0;
	p = filters_page(&v, &page);
	if (!p)
		p = accounts_db_list(req->app->pool, &a, &f, &page, &json, &total);
	if (!p)
		response_list(res, json, &page, total);
	filters_clear(&v);
	return p;
}

struct problem *accounts_read(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = accounts_db_get(req->app->pool, &a, req->params[0], &json);
	return response_from(res, 200, p, json);
}

static const char *const create_required[] = {"name", "address", NULL};
static const char *const replace_required[] = {"name", "address", "metro_area_network_presence", NULL};

struct problem *accounts_create(struct request *req, struct response *res)
{
	json_t *j_fields = NULL;
	char *json = NULL;
	struct problem *p = accounts_validate(req->j_body, create_required, &j_fields);
	if (p)
		return p;
	/* AccountRequest has no state: a new account starts in production. */
	json_object_del(j_fields, "state");
	/* A member's new account sits below the member unless it names another
	 * account it manages. */
	if (!req->who.is_operator && !json_is_string(json_object_get(j_fields, "managing_account")))
		json_object_set_new(j_fields, "managing_account", json_string(req->who.account));
	char *text = json_dumps(j_fields, JSON_COMPACT);
	struct actor a = request_actor(req);
	p = accounts_db_create(req->app->pool, &a, text, &json);
	free(text);
	json_decref(j_fields);
	return response_from(res, 201, p, json);
}

struct problem *accounts_replace(struct request *req, struct response *res)
{
	return write_update(req, res, accounts_validate, replace_required, accounts_db_update, 202);
}

struct problem *accounts_patch(struct request *req, struct response *res)
{
	return write_update(req, res, accounts_validate, NULL, accounts_db_update, 202);
}

struct problem *accounts_destroy(struct request *req, struct response *res)
{
	struct actor a = request_actor(req);
	char *json = NULL;
	struct problem *p = accounts_db_delete(req->app->pool, &a, req->params[0], &json);
	return response_from(res, 200, p, json);
}
