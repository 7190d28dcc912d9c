/*
 * The applications extension's handlers (see applications.h): the
 * submission's validation (pure: shapes, limits, public ASNs, the required
 * roles; what needs the database is application_submit() in SQL), the
 * review's actions and the first API key. Storage: applications_db.c.
 */
#include "onboarding/applications.h"

#include "accounts/accounts.h"
#include "app.h"
#include "auth/password.h"
#include "core/json_body.h"
#include "core/util.h"
#include "onboarding/applications_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const steps[] = {"review",   "agreement", "port_assignment", "quarantine", "production",
				    "rejected", NULL};
static const char *const types[] = {"member", "customer", NULL};
static const char *const registries[] = {"ripe_ncc", "arin", "apnic", "lacnic", "afrinic", NULL};
/* The exchange's required onboarding roles (each once). */
static const char *const contact_roles[] = {"contract_signer", "technical", "noc", "billing", NULL};

const struct filter_spec applications_filters[] = {
	{"step", FILTER_ENUM, steps},
	{"account", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	{NULL, FILTER_TEXT, NULL},
};

static const char *const applications_predicates[] = {
	"t.step = $?",
	"t.account = id_or_null($?)",
};

/* A member (a reseller) sees the applications of the accounts in its
 * subtree and those it submitted; a portal key, whose account manages none
 * of them, those it submitted. */
const struct listing applications_listing = {
	.title = "Application",
	.filters = applications_filters,
	.table = "applications",
	.render = "applications_render",
	.member_scope = "(t.account = ANY ($?) OR t.submitted_by_account = ANY ($?))",
	.predicates = applications_predicates,
	.sql = LISTING_SQL,
};

bool applications_asn_is_public(long long asn)
{
	if (asn <= 0 || asn == 23456 || asn > 4294967295LL)
		return false;
	if (asn >= 64496 && asn <= 131071) /* documentation, private, reserved (RFC 5398, 6996, 7300) */
		return false;
	return asn < 4200000000LL; /* 4200000000 on: private (RFC 6996) and reserved */
}

/* The required one of `choices` at j[key] (named `name` in a failure), or NULL. */
static const char *pick(struct validation *v, json_t *j, const char *key, const char *name, const char *const *choices)
{
	const char *s = validation_string(v, j, key, name, FIELD_REQUIRED, 64);
	if (!s)
		return NULL;
	for (size_t i = 0; choices[i]; i++)
		if (strcmp(s, choices[i]) == 0)
			return choices[i];
	validation_fail(v, name, "\"%.64s\" is not a valid choice.", s);
	return NULL;
}

/* The ASNs: 1 to 16 objects {asn, registry}, public, each once. */
static json_t *validate_asns(struct validation *v, json_t *j_body)
{
	json_t *j_asns = json_object_get(j_body, "asns");
	if (!json_is_array(j_asns) || json_array_size(j_asns) < 1 || json_array_size(j_asns) > 16) {
		validation_fail(v, "asns", "Expected a list of 1 to 16 objects {asn, registry}.");
		return NULL;
	}
	json_t *j_out = json_array();
	size_t i;
	json_t *j_item;
	json_array_foreach (j_asns, i, j_item) {
		char name[32];
		snprintf(name, sizeof(name), "asns[%zu]", i);
		if (!json_is_object(j_item)) {
			validation_fail(v, name, "Expected an object {asn, registry}.");
			continue;
		}
		json_t *j_one = json_object();
		long long asn = 0;
		char sub[48];
		snprintf(sub, sizeof(sub), "%s.asn", name);
		if (validation_int(v, j_item, "asn", sub, FIELD_REQUIRED, 1, 4294967295LL, &asn)) {
			if (!applications_asn_is_public(asn))
				validation_fail(v, sub,
						"AS%lld is private, reserved or for documentation: a public ASN is "
						"required.",
						asn);
			for (size_t k = 0; k < i; k++)
				if (json_integer_value(json_object_get(json_array_get(j_asns, k), "asn")) == asn)
					validation_fail(v, sub, "AS%lld is named twice.", asn);
		}
		snprintf(sub, sizeof(sub), "%s.registry", name);
		const char *registry = pick(v, j_item, "registry", sub, registries);
		json_object_set_new(j_one, "registry", registry ? json_string(registry) : json_null());
		json_object_set_new(j_one, "asn", json_integer(asn));
		json_array_append_new(j_out, j_one);
	}
	return j_out;
}

/* The contacts: one for each required role, each with what fits our
 * columns (the fields a role requires are checked by application_submit). */
static json_t *validate_contacts(struct validation *v, json_t *j_body)
{
	json_t *j_contacts = json_object_get(j_body, "contacts");
	if (!json_is_array(j_contacts) || json_array_size(j_contacts) > 4) {
		validation_fail(v, "contacts",
				"Expected a list of contacts, one for each role: contract_signer, technical, noc, "
				"billing.");
		return NULL;
	}
	json_t *j_out = json_array();
	bool seen[4] = {false, false, false, false};
	size_t i;
	json_t *j_item;
	json_array_foreach (j_contacts, i, j_item) {
		char name[48];
		if (!json_is_object(j_item)) {
			snprintf(name, sizeof(name), "contacts[%zu]", i);
			validation_fail(v, name, "Expected a contact object {role, name, email, telephone}.");
			continue;
		}
		json_t *j_one = json_object();
		snprintf(name, sizeof(name), "contacts[%zu].role", i);
		const char *role = pick(v, j_item, "role", name, contact_roles);
		json_object_set_new(j_one, "role", role ? json_string(role) : json_null());
		for (size_t k = 0; role && contact_roles[k]; k++)
			if (role == contact_roles[k]) {
				if (seen[k])
					validation_fail(v, name, "The role %s is named twice.", role);
				seen[k] = true;
			}
		snprintf(name, sizeof(name), "contacts[%zu].name", i);
		const char *s = validation_string(v, j_item, "name", name, FIELD_NULLABLE, 128);
		json_object_set_new(j_one, "name", s ? json_string(s) : json_null());
		snprintf(name, sizeof(name), "contacts[%zu].email", i);
		s = validation_string(v, j_item, "email", name, FIELD_NULLABLE, 80);
		if (s && (!strchr(s, '@') || strchr(s, ' ') || strchr(s, '@') != strrchr(s, '@') || s[0] == '@' ||
			  s[strlen(s) - 1] == '@'))
			validation_fail(v, name, "Expected an e-mail address.");
		json_object_set_new(j_one, "email", s ? json_string(s) : json_null());
		snprintf(name, sizeof(name), "contacts[%zu].telephone", i);
		s = validation_string(v, j_item, "telephone", name, FIELD_NULLABLE, 16);
		bool e164 = s && s[0] == '+' && s[1] >= '1' && s[1] <= '9' && strlen(s) >= 3;
		for (size_t k = 1; e164 && s[k]; k++)
			e164 = s[k] >= '0' && s[k] <= '9';
		if (s && !e164)
			validation_fail(v, name, "Expected an E.164 telephone number such as +31205141717.");
		json_object_set_new(j_one, "telephone", s ? json_string(s) : json_null());
		json_array_append_new(j_out, j_one);
	}
	for (size_t k = 0; contact_roles[k]; k++)
		if (!seen[k])
			validation_fail(v, "contacts", "A contact with the role %s is required.", contact_roles[k]);
	return j_out;
}

struct problem *applications_validate_submit(json_t *j_body, json_t **out)
{
	static const char *const required[] = {"type",     "legal_entity", "asns", "facility", "colocation_statement",
					       "contacts", "port_order",   NULL};
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j_out = json_object();
	const char *type = validation_copy_enum(&v, j_in, j_out, "type", FIELD_REQUIRED, types);

	json_t *j_legal = validation_object(&v, j_in, "legal_entity", "legal_entity", FIELD_REQUIRED);
	if (j_legal) {
		const char *name = validation_string(&v, j_legal, "name", "legal_entity.name", FIELD_REQUIRED, 80);
		const char *reg = validation_string(&v, j_legal, "registration_number",
						    "legal_entity.registration_number", FIELD_REQUIRED, 80);
		json_t *j_addr =
			accounts_validate_address(&v, j_legal, "address", "legal_entity.address", FIELD_REQUIRED);
		if (name && reg && j_addr)
			json_object_set_new(j_out, "legal_entity",
					    json_pack("{s:s, s:s, s:o}", "name", name, "registration_number", reg,
						      "address", j_addr));
		else
			json_decref(j_addr);
	}
	if (validation_has(j_in, "asns"))
		json_object_set_new(j_out, "asns", validate_asns(&v, j_in));
	bool articles = validation_bool(&v, j_in, "articles_of_association_accepted",
					"articles_of_association_accepted", FIELD_OPTIONAL, false);
	if (type && strcmp(type, "member") == 0 && !articles)
		validation_fail(&v, "articles_of_association_accepted",
				"A member must accept the articles of association (true).");
	json_object_set_new(j_out, "articles_of_association_accepted", json_boolean(articles));
	const char *facility = validation_string(&v, j_in, "facility", "facility", FIELD_REQUIRED, 24);
	if (facility && !util_is_id(facility))
		validation_fail(&v, "facility", "Expected the id of a facility.");
	else if (facility)
		json_object_set_new(j_out, "facility", json_string(facility));
	validation_copy_string(&v, j_in, j_out, "colocation_statement", FIELD_REQUIRED, 1000);
	if (validation_has(j_in, "contacts"))
		json_object_set_new(j_out, "contacts", validate_contacts(&v, j_in));
	const char *date = validation_string(&v, j_in, "envisioned_assignment_date", "envisioned_assignment_date",
					     FIELD_NULLABLE, 10);
	if (date && !util_is_date(date))
		validation_fail(&v, "envisioned_assignment_date", "Expected a date such as 2026-12-10.");
	else if (date)
		json_object_set_new(j_out, "envisioned_assignment_date", json_string(date));
	json_t *j_order = validation_object(&v, j_in, "port_order", "port_order", FIELD_REQUIRED);
	if (j_order) {
		const char *offering = validation_string(&v, j_order, "product_offering", "port_order.product_offering",
							 FIELD_REQUIRED, 24);
		if (offering && !util_is_id(offering))
			validation_fail(&v, "port_order.product_offering", "Expected the id of a product offering.");
		long long quantity = 0;
		bool has_quantity = validation_int(&v, j_order, "quantity", "port_order.quantity", FIELD_REQUIRED, 1,
						   16, &quantity);
		if (offering && has_quantity)
			json_object_set_new(j_out, "port_order",
					    json_pack("{s:s, s:I}", "product_offering", offering, "quantity",
						      (json_int_t)quantity));
	}
	validation_copy_string(&v, j_in, j_out, "managing_account", FIELD_NULLABLE, 24);
	return validation_end(&v, j_in, j_out, out);
}

struct problem *applications_create(struct request *req, struct response *res)
{
	json_t *j_in = NULL;
	struct problem *p = applications_validate_submit(req->j_body, &j_in);
	if (p)
		return p;
	const char *managing = json_string_value(json_object_get(j_in, "managing_account"));
	/* A reseller applies for its customer: the new account is managed by
	 * the reseller (its own account unless it names one it manages). The
	 * portal applies for the applicant itself: it manages nothing. */
	if (managing && req->who.is_portal) {
		p = problem_new(PROBLEM_PERMISSION_DENIED, "managing_account: a portal key cannot name one.");
		goto out;
	}
	if (!managing && !req->who.is_portal && !req->who.is_operator)
		managing = req->who.account;
	if (managing && !util_is_id(managing)) {
		p = problem_new(PROBLEM_PERMISSION_DENIED, "managing_account: not an account you manage.");
		goto out;
	}
	char *input = json_dumps(j_in, JSON_COMPACT);
	struct actor actor = request_actor(req);
	char *json = NULL;
	p = applications_db_submit(req->app->pool, &actor, input, managing, &json);
	free(input);
	p = response_from(res, 201, p, json);
out:
	json_decref(j_in);
	return p;
}

/* The one text a review action's body takes: {key: "1..1000 characters"}. */
static struct problem *body_text(const struct request *req, const char *key, const char **out)
{
	struct validation v = {0};
	*out = validation_string(&v, req->j_body, key, key, FIELD_REQUIRED, 1000);
	return v.problem;
}

struct problem *applications_confirm_colocation(struct request *req, struct response *res)
{
	const char *confirmation = NULL;
	struct problem *p = body_text(req, "confirmation", &confirmation);
	if (p)
		return p;
	struct actor actor = request_actor(req);
	char *json = NULL;
	p = applications_db_confirm_colocation(req->app->pool, &actor, req->params[0], confirmation, &json);
	return response_from(res, 200, p, json);
}

struct problem *applications_approve(struct request *req, struct response *res)
{
	struct actor actor = request_actor(req);
	char *json = NULL;
	struct problem *p = applications_db_approve(req->app->pool, &actor, req->params[0], &json);
	return response_from(res, 200, p, json);
}

struct problem *applications_reject(struct request *req, struct response *res)
{
	const char *reason = NULL;
	struct problem *p = body_text(req, "reason", &reason);
	if (p)
		return p;
	struct actor actor = request_actor(req);
	char *json = NULL;
	p = applications_db_reject(req->app->pool, &actor, req->params[0], reason, &json);
	return response_from(res, 200, p, json);
}

struct problem *applications_credentials(struct request *req, struct response *res)
{
	char api_key[PASSWORD_API_KEY_LEN + 1], api_secret[PASSWORD_API_SECRET_LEN + 1];
	password_random_string(api_key, PASSWORD_API_KEY_LEN);
	password_random_string(api_secret, PASSWORD_API_SECRET_LEN);
	/* hashed before the transaction: argon2id is slow, a pooled connection is not held for it */
	char *hash = password_hash_new(api_secret);
	if (!hash)
		return problem_new(PROBLEM_INTERNAL, "Could not hash the new secret.");
	struct actor actor = request_actor(req);
	char account[24] = "";
	struct problem *p = applications_db_issue_key(req->app->pool, &actor, req->params[0], api_key, hash, account,
						      sizeof(account));
	free(hash);
	if (!p)
		response_json(
			res, 201,
			json_pack("{s:s, s:s, s:s}", "api_key", api_key, "api_secret", api_secret, "account", account));
	explicit_bzero(api_secret, sizeof(api_secret));
	return p;
}
