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

/* Locks a contact the actor sees; *res holds its JSON and its number of
 * role assignments. */
static struct problem *lock_contact(PGconn *conn, const struct actor *actor, const char *id, PGresult **res)
{
	*res = NULL;
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "Contact %.40s was not found.", id);
	const char *params[3];
	actor_scope_params(actor, params);
	params[2] = id;
	struct problem *p = db_exec(conn,
				    "SELECT contact_json(c)::text AS json,"
				    "       (SELECT count(*) FROM role_assignments a WHERE a.contact = c.id)"
				    "       AS assignments FROM contacts c"
				    " WHERE c.id = $3::bigint AND contact_in_scope(c, $1::bigint, $2::boolean)"
				    " FOR UPDATE",
				    3, params, res);
	if (!p && PQntuples(*res) == 0) {
		PQclear(*res);
		*res = NULL;
		p = problem_new(PROBLEM_NOT_FOUND, "Contact %.40s was not found.", id);
	}
	return p;
}

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
	.lock_sql = "SELECT contact_json(c)::text AS json FROM contacts c"
		    " WHERE c.id = $3::bigint AND contact_in_scope(c, $1::bigint, $2::boolean)"
		    " FOR UPDATE",
	.check = update_check,
	.writes = update_writes,
	.after = update_after,
	.render_sql = "SELECT contact_json(c)::text FROM contacts c WHERE c.id = $1::bigint",
};

static struct problem *contact_delete_tx(PGconn *conn, void *arg)
{
	struct db_write *w = arg;
	PGresult *old = NULL;
	struct problem *p = lock_contact(conn, w->actor, w->id, &old);
	if (p)
		return p;
	if (strcmp(db_get(old, 0, "assignments"), "0") != 0) {
		p = problem_new(PROBLEM_CONFLICT, "Contact %s still holds %s role assignment(s); delete them first.",
				w->id, db_get(old, 0, "assignments"));
		goto out;
	}
	const char *params[] = {w->id};
	p = db_exec(conn, "DELETE FROM contacts WHERE id = $1::bigint", 1, params, NULL);
	if (!p)
		p = db_write_record(conn, w, "delete", "contact", w->id, db_get(old, 0, "json"), NULL);
out:
	PQclear(old);
	return p;
}

struct problem *contacts_db_delete(struct db_pool *pool, const struct actor *actor, const char *id, char **json_out)
{
	struct db_write w = {.actor = actor, .id = id};
	return db_write_run(pool, contact_delete_tx, &w, json_out);
}

static struct problem *assignment_create_tx(PGconn *conn, void *arg)
{
	struct db_write *w = arg;
	json_t *j = json_loads(w->input_json, 0, NULL);
	const char *contact = json_string_value(json_object_get(j, "contact"));
	const char *role = json_string_value(json_object_get(j, "role"));
	PGresult *res = NULL;
	struct problem *p = NULL;
	/* The contact must be one the caller sees (locked: its fields must not
	 * change under the required-fields check), the role must exist. */
	const char *params[4];
	actor_scope_params(w->actor, params);
	params[2] = util_is_id(contact) ? contact : NULL;
	params[3] = util_is_id(role) ? role : NULL;
	p = db_exec(conn,
		    "SELECT EXISTS (SELECT 1 FROM contacts c WHERE c.id = $3::bigint"
		    "               AND contact_in_scope(c, $1::bigint, $2::boolean) FOR UPDATE) AS has_contact,"
		    "       EXISTS (SELECT 1 FROM roles r WHERE r.id = $4::bigint) AS has_role",
		    4, params, &res);
	if (p)
		goto out;
	if (!db_get_bool(res, 0, "has_contact"))
		p = problem_invalid("contact", "Object does not exist.");
	if (!db_get_bool(res, 0, "has_role")) {
		if (!p)
			p = problem_new(PROBLEM_VALIDATION, "Some fields did not validate.");
		problem_add_property(p, "role", "Object does not exist.");
	}
	PQclear(res);
	res = NULL;
	if (p)
		goto out;
	p = db_exec(conn,
		    "INSERT INTO role_assignments (contact, role) VALUES ($1::bigint, $2::bigint)"
		    " RETURNING id::text AS id, role_assignment_json(role_assignments)::text AS json",
		    2, params + 2, &res);
	if (!p)
		p = check_required_fields(conn, contact);
	if (!p)
		p = db_write_record(conn, w, "create", "role_assignment", db_get(res, 0, "id"), NULL,
				    db_get(res, 0, "json"));
out:
	PQclear(res);
	json_decref(j);
	return p;
}

struct problem *role_assignments_db_create(struct db_pool *pool, const struct actor *actor, const char *fields_json,
					   char **json_out)
{
	struct db_write w = {.actor = actor, .input_json = fields_json};
	return db_write_run(pool, assignment_create_tx, &w, json_out);
}

static struct problem *assignment_delete_tx(PGconn *conn, void *arg)
{
	struct db_write *w = arg;
	if (util_is_id(w->id)) {
		/* Only for an assignment the caller sees (no leak of others'), and
		 * only live connections need it: a connection on its way out
		 * releases its contacts (Terraform destroys in that order). */
		const char *params[3];
		actor_scope_params(w->actor, params);
		params[2] = w->id;
		PGresult *res = NULL;
		struct problem *p =
			db_exec(conn,
				"SELECT string_agg(r.connection::text, ', ' ORDER BY r.connection)"
				"  FROM connection_role_assignments r"
				"  JOIN role_assignments a ON a.id = r.role_assignment"
				"  JOIN contacts c ON c.id = a.contact"
				"  JOIN connections n ON n.id = r.connection"
				" WHERE r.role_assignment = $3::bigint AND contact_in_scope(c, $1::bigint, $2::boolean)"
				"   AND n.state NOT IN ('decommission_requested', 'decommissioned', 'archived')",
				3, params, &res);
		if (!p && !PQgetisnull(res, 0, 0))
			p = problem_new(PROBLEM_CONFLICT, "Role assignment %s is still required by connection(s) %s.",
					w->id, PQgetvalue(res, 0, 0));
		PQclear(res);
		if (p)
			return p;
	}
	return db_write_delete(conn, arg, "role_assignment", "Role assignment",
			       "DELETE FROM role_assignments a USING contacts c"
			       " WHERE a.id = $3::bigint AND c.id = a.contact"
			       "   AND contact_in_scope(c, $1::bigint, $2::boolean)"
			       " RETURNING role_assignment_json(a)::text");
}

struct problem *role_assignments_db_delete(struct db_pool *pool, const struct actor *actor, const char *id,
					   char **json_out)
{
	struct db_write w = {.actor = actor, .id = id};
	return db_write_run(pool, assignment_delete_tx, &w, json_out);
}
