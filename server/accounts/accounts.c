/*
 * Account handlers (see accounts.h): the reads, and the resource
 * descriptor the generic write handlers serve (scoping and persistence in
 * accounts_db.c).
 */
#include "accounts/accounts.h"

#include "accounts/accounts_db.h"
#include "app.h"
#include "core/fields.h"
#include "core/json_body.h"
#include "core/states.h"
#include "core/util.h"
#include "http/filters.h"

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

json_t *accounts_validate_address(struct validation *v, json_t *j_parent, const char *key, const char *prefix,
				  int flags)
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

/* The address and the billing information are objects, checked below.
 * An account's owner is its managing account (a member's new account sits
 * below the member unless it names another account it manages). */
static const struct field_spec account_fields[] = {
	FIELD_STRING("name", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT, 80),
	FIELD_STRING("legal_name", FIELD_NULLABLE, 80),
	FIELD_STRING("external_ref", FIELD_NULLABLE, 80),
	FIELD_REF("managing_account", FIELD_NULLABLE),
	/* AccountRequest has no state: a new account starts in production. */
	FIELD_ENUM("state", FIELD_REQUIRED | FIELD_OPERATOR | FIELD_LATER, ixapi_states),
	FIELD_BOOL("discoverable"),
	FIELD_STRINGS("metro_area_network_presence", FIELD_REQUIRED | FIELD_PUT, 80),
	FIELD_CUSTOM("address", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT, 0),
	FIELD_CUSTOM("billing_information", FIELD_NULLABLE, 0),
	FIELD_END,
};

struct problem *accounts_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, account_fields);
	if (validation_has(j_in, "address")) {
		json_t *j_addr = accounts_validate_address(&v, j_in, "address", "address", FIELD_REQUIRED);
		if (j_addr)
			json_object_set_new(j, "address", j_addr);
	}
	if (validation_has(j_in, "billing_information")) {
		json_t *j_bill =
			validation_object(&v, j_in, "billing_information", "billing_information", FIELD_NULLABLE);
		if (j_bill) {
			const char *bname =
				validation_string(&v, j_bill, "name", "billing_information.name", FIELD_REQUIRED, 80);
			json_t *j_addr = accounts_validate_address(&v, j_bill, "address", "billing_information.address",
								   FIELD_REQUIRED);
			const char *vat = validation_string(&v, j_bill, "vat_number", "billing_information.vat_number",
							    FIELD_NULLABLE, 20);
			if (bname && j_addr)
				json_object_set_new(j, "billing_information",
						    json_pack("{s:s, s:o, s:s?}", "name", bname, "address", j_addr,
							      "vat_number", vat));
			else
				json_decref(j_addr);
		} else if (json_is_null(json_object_get(j_in, "billing_information")))
			json_object_set_new(j, "billing_information", json_null());
	}
	return validation_end(&v, j_in, j, j_out);
}

const struct resource accounts_resource = {
	.title = "Account",
	.object_type = "account",
	.fields = account_fields,
	.validate = accounts_validate,
	.owner = RESOURCE_MANAGED,
	.create = &account_create,
	.update = &account_update,
	.update_status = 202,
	.delete = &account_delete,
};

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
