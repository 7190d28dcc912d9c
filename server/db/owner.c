/*
 * Owner accounts of a write (see owner.h).
 */
#include "db/owner.h"

#include "core/util.h"
#include "db/db.h"

#include <jansson.h>
#include <string.h>

struct problem *db_check_owner_accounts(PGconn *conn, const struct actor *actor, const char *input_json)
{
	static const char *const keys[] = {"managing_account", "consuming_account", "billing_account"};
	json_t *j = json_loads(input_json, 0, NULL);
	struct problem *p = NULL;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !p; i++) {
		const char *account = json_string_value(json_object_get(j, keys[i]));
		if (!account)
			continue;
		bool ok = false;
		if (util_is_id(account)) {
			const char *params[3];
			actor_scope_params(actor, params);
			params[2] = account;
			PGresult *res = NULL;
			p = db_exec(conn,
				    "SELECT EXISTS (SELECT 1 FROM accounts a WHERE a.id = $3::bigint"
				    "               AND account_in_scope(a.id, $1::bigint, $2::boolean))",
				    3, params, &res);
			ok = !p && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
			PQclear(res);
		}
		if (!p && !ok)
			/* the same words for an account that does not exist */
			p = problem_new(PROBLEM_PERMISSION_DENIED, "%s: not an account you manage.", keys[i]);
	}
	json_decref(j);
	return p;
}

struct problem *db_check_named_account(PGconn *conn, const struct actor *actor, const char *property,
				       const char *account)
{
	if (!account)
		return NULL;
	const char *params[3];
	actor_scope_params(actor, params);
	params[2] = util_is_id(account) ? account : NULL;
	PGresult *res = NULL;
	struct problem *p =
		db_exec(conn,
			"SELECT EXISTS (SELECT 1 FROM accounts a WHERE a.id = $3::bigint"
			"               AND (a.discoverable OR account_in_scope(a.id, $1::bigint, $2::boolean)))",
			3, params, &res);
	if (!p && strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		p = problem_invalid(property, "Must be the id of an account you manage or of a discoverable account.");
	PQclear(res);
	return p;
}
