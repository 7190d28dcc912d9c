/*
 * Contacts, roles and role assignments in PostgreSQL (see contacts_db.h):
 * the read descriptors for the generic listing handlers, and the write
 * transactions.
 */
#include "contacts/contacts.h"
#include "contacts/contacts_db.h"

#include "core/util.h"
#include "db/owner.h"
#include "db/write.h"

#include <stdlib.h>
#include <string.h>

#define END_OF_FILTERS                                                                                                 \
	{                                                                                                              \
		NULL, FILTER_TEXT, NULL                                                                                \
	}

const struct filter_spec contacts_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"managing_account", FILTER_TEXT, NULL},
	{"consuming_account", FILTER_TEXT, NULL},
	{"external_ref", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

/* The tenant rule of contact_in_scope() as a set: the contacts whose
 * managing or consuming account is one of the caller's. */
#define CONTACT_IN_SCOPE(c, accounts)                                                                                  \
	"(" c ".managing_account = ANY (" accounts ") OR " c ".consuming_account = ANY (" accounts "))"

static const char *const contacts_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	"t.managing_account = id_or_null($?)",
	"t.consuming_account = id_or_null($?)",
	"t.external_ref = $?",
};

const struct listing contacts_listing = {
	.title = "Contact",
	.filters = contacts_filters,
	.table = "contacts",
	.render = "contacts_render",
	.member_scope = CONTACT_IN_SCOPE("t", "$?"),
	.predicates = contacts_predicates,
	.sql = LISTING_SQL,
};

const struct filter_spec roles_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"name", FILTER_TEXT, NULL},
	{"contact", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

/* Roles are the same for everyone; only the `contact` filter needs the
 * scope (whose roles may the caller ask about). */
static const char *const roles_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	"t.name = $?",
	"EXISTS (SELECT 1 FROM role_assignments a JOIN contacts c ON c.id = a.contact"
	" WHERE a.contact = id_or_null($?) AND a.role = t.id AND " CONTACT_IN_SCOPE("c", "$scope") ")",
};

const struct listing roles_listing = {
	.title = "Role",
	.filters = roles_filters,
	.table = "roles",
	.render = "roles_render",
	.member_scope = NULL, /* every caller */
	.predicates = roles_predicates,
	.sql = LISTING_SQL,
};

const struct filter_spec role_assignments_filters[] = {
	{"id", FILTER_LIST, NULL},
	{"contact", FILTER_TEXT, NULL},
	{"role", FILTER_TEXT, NULL},
	PAGINATION_FILTERS,
	END_OF_FILTERS,
};

static const char *const role_assignments_predicates[] = {
	"t.id = ANY ($?::bigint[])",
	"t.contact = id_or_null($?)",
	"t.role = id_or_null($?)",
};

/* An assignment is seen by whoever sees its contact. */
const struct listing role_assignments_listing = {
	.title = "Role assignment",
	.filters = role_assignments_filters,
	.table = "role_assignments",
	.render = "role_assignments_render",
	.member_scope = "t.contact = ANY (ARRAY(SELECT c.id FROM contacts c WHERE " CONTACT_IN_SCOPE("c", "$?") "))",
	.predicates = role_assignments_predicates,
	.sql = LISTING_SQL,
};

/* Fails with a validation problem naming each contact field that an
 * assigned role requires and the contact lacks. */
static struct problem *check_required_fields(PGconn *conn, const char *contact_id)
{
	const char *params[] = {contact_id};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn,
				    "SELECT m FROM contacts c, unnest(contact_missing_fields(c)) AS m"
				    " WHERE c.id = $1::bigint",
				    1, params, &res);
	for (int i = 0; !p && i < PQntuples(res); i++) {
		const char *missing = PQgetvalue(res, i, 0); /* "role: field" */
		const char *field = strstr(missing, ": ");
		char reason[160];
		snprintf(reason, sizeof(reason), "Required by the role %.*s assigned to this contact.",
			 field ? (int)(field - missing) : 0, missing);
		if (i == 0)
			p = problem_new(PROBLEM_VALIDATION, "The contact lacks fields its roles require.");
		problem_add_property(p, field ? field + 2 : missing, reason);
	}
	PQclear(res);
	return p;
}

const struct db_create contact_create = {
	.title = "Contact",
	.object_type = "contact",
	.check_owner = true,
	.insert_sql = "INSERT INTO contacts (managing_account, consuming_account, external_ref, name, telephone, email)"
		      " SELECT (v->>'managing_account')::bigint, (v->>'consuming_account')::bigint, v->>'external_ref',"
		      "        v->>'name', v->>'telephone', v->>'email'"
		      "   FROM (SELECT $1::jsonb AS v) AS input"
		      " RETURNING id::text",
	.render_sql = "SELECT contact_json(c)::text FROM contacts c WHERE c.id = $1::bigint",
};

/* A contact the caller sees, locked: its JSON text. */
#define LOCK_CONTACT                                                                                                   \
	"SELECT contact_json(c)::text AS json FROM contacts c"                                                         \
	" WHERE c.id = $3::bigint AND contact_in_scope(c, $1::bigint, $2::boolean)"                                    \
	" FOR UPDATE"

static struct problem *update_check(PGconn *conn, struct db_write *w, const PGresult *old, struct db_update_input *in)
{
	(void)old;
	(void)in;
	return db_check_owner_accounts(conn, w->actor, w->input_json);
}

/* What its roles require it keeps. */
static struct problem *update_after(PGconn *conn, struct db_write *w, const struct db_update_input *in)
{
	(void)in;
	return check_required_fields(conn, w->id);
}

static const char *const update_writes[] = {
	"UPDATE contacts c SET"
	"  managing_account = CASE WHEN v ? 'managing_account'"
	"                     THEN (v->>'managing_account')::bigint ELSE c.managing_account END,"
	"  consuming_account = CASE WHEN v ? 'consuming_account'"
	"                      THEN (v->>'consuming_account')::bigint ELSE c.consuming_account END,"
	"  external_ref = CASE WHEN v ? 'external_ref' THEN v->>'external_ref' ELSE c.external_ref END,"
	"  name = CASE WHEN v ? 'name' THEN v->>'name' ELSE c.name END,"
	"  telephone = CASE WHEN v ? 'telephone' THEN v->>'telephone' ELSE c.telephone END,"
	"  email = CASE WHEN v ? 'email' THEN v->>'email' ELSE c.email END,"
	"  updated_at = now()"
	" FROM (SELECT $2::jsonb AS v) AS input"
	" WHERE c.id = $1::bigint",
	NULL,
};

const struct db_update contact_update = {
	.title = "Contact",
	.object_type = "contact",
	.lock_sql = LOCK_CONTACT,
	.check = update_check,
	.writes = update_writes,
	.after = update_after,
	.render_sql = "SELECT contact_json(c)::text FROM contacts c WHERE c.id = $1::bigint",
};

static const struct db_refusal contact_delete_refusals[] = {
	{"SELECT format('Contact %s still holds %s role assignment(s); delete them first.', $1::bigint, count(*))"
	 "  FROM role_assignments a WHERE a.contact = $1::bigint HAVING count(*) > 0",
	 PROBLEM_CONFLICT},
	{NULL, PROBLEM_CONFLICT},
};

/* A contact that holds no role assignment. */
const struct db_delete contact_delete = {
	.title = "Contact",
	.object_type = "contact",
	.lock_sql = LOCK_CONTACT,
	.refusals = contact_delete_refusals,
	.delete_sql = "DELETE FROM contacts WHERE id = $1::bigint",
};

#define INPUT " FROM (SELECT $1::jsonb AS v) AS input"

/* The contact must be one the caller sees (locked: its fields must not
 * change under the required-fields check), the role must exist, and the
 * contact may hold it once. */
static const struct db_rule assignment_rules[] = {
	{"SELECT EXISTS (SELECT 1 FROM contacts c WHERE c.id = id_or_null(v->>'contact')"
	 "               AND contact_in_scope(c, $2::bigint, $3::boolean) FOR UPDATE)" INPUT,
	 "contact", "Object does not exist."},
	{"SELECT EXISTS (SELECT 1 FROM roles r WHERE r.id = id_or_null(v->>'role'))" INPUT, "role",
	 "Object does not exist."},
	{"SELECT NOT EXISTS (SELECT 1 FROM role_assignments a"
	 "                    WHERE a.contact = (v->>'contact')::bigint AND a.role = (v->>'role')::bigint)" INPUT,
	 "role", "The contact already holds this role."},
	{NULL, NULL, NULL},
};

/* What the role requires the contact has. */
static struct problem *assignment_after(PGconn *conn, struct db_write *w, const char *id,
					const struct db_update_input *in)
{
	(void)id;
	(void)in;
	json_t *j = json_loads(w->input_json, 0, NULL);
	struct problem *p = check_required_fields(conn, json_string_value(json_object_get(j, "contact")));
	json_decref(j);
	return p;
}

const struct db_create role_assignment_create = {
	.title = "Role assignment",
	.object_type = "role_assignment",
	.rules = assignment_rules,
	.insert_sql = "INSERT INTO role_assignments (contact, role)"
		      " SELECT (v->>'contact')::bigint, (v->>'role')::bigint" INPUT " RETURNING id::text",
	.after = assignment_after,
	.render_sql = "SELECT role_assignment_json(a)::text FROM role_assignments a WHERE a.id = $1::bigint",
};

/* Only live connections need it: a connection on its way out releases
 * its contacts (Terraform destroys in that order). */
static const struct db_refusal assignment_delete_refusals[] = {
	{"SELECT format('Role assignment %s is still required by connection(s) %s.', $1::bigint,"
	 "              string_agg(r.connection::text, ', ' ORDER BY r.connection))"
	 "  FROM connection_role_assignments r JOIN connections n ON n.id = r.connection"
	 " WHERE r.role_assignment = $1::bigint"
	 "   AND n.state NOT IN ('decommission_requested', 'decommissioned', 'archived')"
	 " HAVING count(*) > 0",
	 PROBLEM_CONFLICT},
	{NULL, PROBLEM_CONFLICT},
};

/* An assignment is the business of whoever sees its contact. */
const struct db_delete role_assignment_delete = {
	.title = "Role assignment",
	.object_type = "role_assignment",
	.lock_sql = "SELECT role_assignment_json(a)::text FROM role_assignments a JOIN contacts c ON c.id = a.contact"
		    " WHERE a.id = $3::bigint AND contact_in_scope(c, $1::bigint, $2::boolean)"
		    " FOR UPDATE OF a",
	.refusals = assignment_delete_refusals,
	.delete_sql = "DELETE FROM role_assignments WHERE id = $1::bigint",
};
