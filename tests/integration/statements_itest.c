/*
 * Every statement the route table's descriptors hold is prepared against
 * the migrated schema: the generated list and read statements of each
 * listing (operator and member forms), each decommission spec's policy,
 * cascade and read statements, and the statements of each resource
 * descriptor's writes: the audited create POST runs (struct db_create:
 * rules, insert, writes, render), the audited update PUT and PATCH run
 * (struct db_update) and the audited delete DELETE runs (struct db_delete:
 * lock, refusals, delete). A column renamed in a migration, a filter
 * predicate with a wrong cast or a renderer that no longer exists fails
 * here, not on the first request that happens to reach it. So does a
 * result of more than one column with an unnamed or doubled column, or
 * without the names its reader reads (db_get).
 */
#include "harness.h"

#include "resource/decommission.h"
#include "resource/listing.h"
#include "resource/resource.h"
#include "routes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct itest_server srv;

static int setup(void **state)
{
	(void)state;
	return itest_start(&srv);
}

static int teardown(void **state)
{
	(void)state;
	return itest_finish(&srv) == 0 ? 0 : -1;
}

/* Whether the prepared statement's result has a column of every name in
 * `names` (NULL-terminated; may be NULL) and, when it has more than one
 * column, names each (no "?column?") and no two alike: results of more
 * than one column are read by name (db_get). */
static bool names_columns(PGconn *conn, const struct route *r, const char *what, const char *sql,
			  const char *const *names)
{
	PGresult *res = PQdescribePrepared(conn, "");
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	int n = ok ? PQnfields(res) : 0;
	for (int i = 0; ok && n > 1 && i < n; i++) {
		bool unnamed = strcmp(PQfname(res, i), "?column?") == 0;
		for (int k = i + 1; k < n && !unnamed; k++)
			unnamed = strcmp(PQfname(res, i), PQfname(res, k)) == 0;
		if (unnamed) {
			fprintf(stderr, "%s %s (%s): column %d (%s) has no name of its own\n  %s\n",
				http_method_name(r->method), r->pattern, what, i + 1, PQfname(res, i), sql);
			ok = false;
		}
	}
	for (size_t k = 0; ok && names && names[k]; k++)
		if (PQfnumber(res, names[k]) < 0) {
			fprintf(stderr, "%s %s (%s): no column named %s\n  %s\n", http_method_name(r->method),
				r->pattern, what, names[k], sql);
			ok = false;
		}
	PQclear(res);
	return ok;
}

/* Prepares sql (unnamed) and checks its columns' names (names_columns);
 * false, with the route and PostgreSQL's message on stderr, when it does not
 * prepare or names its columns otherwise. */
static bool prepares_naming(PGconn *conn, const struct route *r, const char *what, const char *sql,
			    const char *const *names)
{
	PGresult *res = PQprepare(conn, "", sql, 0, NULL);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "%s %s (%s): %s\n  %s\n", http_method_name(r->method), r->pattern, what,
			PQresultErrorMessage(res), sql);
	PQclear(res);
	return ok && names_columns(conn, r, what, sql, names);
}

static bool prepares(PGconn *conn, const struct route *r, const char *what, const char *sql)
{
	return prepares_naming(conn, r, what, sql, NULL);
}

/* The columns the readers of these statements read by name. */
static const char *const list_columns[] = {"json", "total", NULL};
static const char *const policy_columns[] = {"decommission_at", "charged_until", "state", "json",
					     "may_write",       "refusal",       NULL};
static const char *const lock_columns[] = {"json", NULL};

static void test_every_descriptor_statement_prepares(void **state)
{
	(void)state;
	char err[256];
	assert_int_equal(listing_prepare(routes_table, routes_count, err, sizeof(err)), 0);
	PGconn *conn = PQconnectdb(srv.db_url);
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	int prepared = 0, failed = 0, listings = 0, decommissions = 0, writes = 0, deletes = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *r = &routes_table[i];
		if (r->handler == listing_list || r->handler == listing_read) {
			const struct listing *l = r->data;
			listings++;
			for (int variant = 0; variant < 2; variant++) {
				const char *const sqls[] = {l->sql->list[variant], l->sql->unfiltered[variant],
							    l->sql->read[variant]};
				const char *const whats[] = {"list", "list, unfiltered", "read"};
				for (int k = 0; k < 3; k++) {
					bool ok = sqls[k] && prepares_naming(conn, r, whats[k], sqls[k],
									     k < 2 ? list_columns : NULL);
					ok ? prepared++ : failed++;
				}
			}
		} else if (r->handler == decommission_policy ||
			   (r->handler == resource_destroy && ((const struct resource *)r->data)->decommission)) {
			const struct decommission_spec *d = r->handler == resource_destroy
								    ? ((const struct resource *)r->data)->decommission
								    : r->data;
			decommissions++;
			char *locked = NULL;
			assert_true(asprintf(&locked, "%s%s", d->policy_sql, d->lock_clause ? d->lock_clause : "") > 0);
			prepares_naming(conn, r, "policy", d->policy_sql, policy_columns) ? prepared++ : failed++;
			prepares_naming(conn, r, "policy, locked", locked, policy_columns) ? prepared++ : failed++;
			free(locked);
			for (size_t k = 0; d->apply_sql[k]; k++)
				prepares(conn, r, "apply", d->apply_sql[k]) ? prepared++ : failed++;
			prepares(conn, r, "read", d->read_sql) ? prepared++ : failed++;
		} else if (r->handler == resource_create) {
			const struct db_create *c = ((const struct resource *)r->data)->create;
			writes++;
			for (size_t k = 0; c->rules && c->rules[k].sql; k++)
				prepares(conn, r, "rule", c->rules[k].sql) ? prepared++ : failed++;
			prepares(conn, r, "insert", c->insert_sql) ? prepared++ : failed++;
			for (size_t k = 0; c->writes && c->writes[k]; k++)
				prepares(conn, r, "write", c->writes[k]) ? prepared++ : failed++;
			prepares(conn, r, "render", c->render_sql) ? prepared++ : failed++;
		} else if (r->handler == resource_replace || r->handler == resource_patch) {
			const struct db_update *u = ((const struct resource *)r->data)->update;
			writes++;
			prepares_naming(conn, r, "lock", u->lock_sql, lock_columns) ? prepared++ : failed++;
			for (size_t k = 0; u->writes && u->writes[k]; k++)
				prepares(conn, r, "write", u->writes[k]) ? prepared++ : failed++;
			prepares(conn, r, "render", u->render_sql) ? prepared++ : failed++;
		} else if (r->handler == resource_destroy) {
			const struct db_delete *d = ((const struct resource *)r->data)->delete;
			assert_non_null(d);
			writes++;
			deletes++;
			prepares(conn, r, "lock", d->lock_sql) ? prepared++ : failed++;
			for (size_t k = 0; d->refusals && d->refusals[k].sql; k++)
				prepares(conn, r, "refusal", d->refusals[k].sql) ? prepared++ : failed++;
			prepares(conn, r, "delete", d->delete_sql) ? prepared++ : failed++;
		}
	}
	PQfinish(conn);
	fprintf(stderr,
		"statements: %d prepared, %d failed (%d listing routes, %d decommission routes, %d write routes, %d of "
		"them deletes)\n",
		prepared, failed, listings, decommissions, writes, deletes);
	assert_int_equal(failed, 0);
	assert_true(listings >= 40);
	assert_true(decommissions >= 9);
	/* 11 creates, 18 updates (PUT and PATCH), 5 deletes: every write of a
	 * resource but LOA uploads and change requests. */
	assert_true(writes >= 34);
	assert_true(deletes >= 5);
}

/* What writes a resource goes through the generic handlers of its
 * descriptor. Outside: tokens (no resource), LOA uploads (a PDF body
 * stored on a connection or reservation) and change requests (a request
 * about a network service, not an object of its own) and an operator re-driving
 * a job (an action on the outbox, not a resource), and a member asking for
 * a new quarantine test (an action that writes a job), and the route-servers
 * extension (IRR/RPKI data loads, an operator re-enabling a session), and
 * the signatures of onboarding agreements (a callback, a signed PDF), and
 * the events extension's webhooks (server/events). */
static void test_every_write_route_is_a_descriptor(void **state)
{
	(void)state;
	static const char *const outside[] = {
		"auth_token_create",
		"auth_token_refresh",
		"connections_loa_create",
		"port_reservations_loa_create",
		"network-service-change-request_create",
		"network_service_change_request_destroy",
		"jobs_retry",                              /* an operator's action on a job of the outbox */
		"network_service_configs_quarantine_test", /* a member's action: a new quarantine test (a job) */
		"network_feature_configs_enable_session",  /* an operator's action: re-enable a session (a job) */
		"route_server_as_sets_update",             /* the route servers' IRR data, not an IX-API resource */
		"route_server_roas_update",                /* the route servers' ROA table */
		/* the applications extension (issue 12): a submission writes an account, its contacts and the
		 * application at once; the review's actions are steps of a workflow, not field updates */
		"applications_create",
		"applications_colocation_confirmation_create",
		"applications_approve",
		"applications_reject",
		"applications_credentials_create",
		"applications_port_assignment",  /* ports for the application's connection (a workflow step) */
		"agreements_signature_callback", /* the e-signature provider's callback (onboarding) */
		"agreements_signed_copy_create", /* an operator records a signed agreement (a PDF body) */
		"webhooks_create", /* the events extension: a webhook (its secret shown once), not an IX-API resource */
		"webhooks_destroy", /* and its removal */
		NULL,
	};
	int generic = 0, hand_written = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *r = &routes_table[i];
		if (r->method == HTTP_GET)
			continue;
		bool is_generic = r->handler == resource_create || r->handler == resource_replace ||
				  r->handler == resource_patch || r->handler == resource_destroy;
		bool is_outside = false;
		for (size_t k = 0; outside[k]; k++)
			is_outside = is_outside || strcmp(r->operation_id, outside[k]) == 0;
		if (is_generic && r->data) {
			generic++;
		} else {
			hand_written++;
			if (!is_outside)
				fprintf(stderr, "%s %s (%s): a hand-written write\n", http_method_name(r->method),
					r->pattern, r->operation_id);
			assert_true(is_outside);
		}
	}
	fprintf(stderr, "write routes: %d through descriptors, %d outside\n", generic, hand_written);
	assert_int_equal(hand_written, 21);
}

/* The first statement this test caught: an operator's roles filtered by a
 * contact (the operator's "caller's accounts" are every account). */
static void test_operator_roles_by_contact(void **state)
{
	(void)state;
	char *token = itest_login(&srv, &srv.operator_creds, NULL);
	assert_non_null(token);
	json_t *j = itest_expect(&srv, "GET", "/roles?contact=1", token, NULL, 200);
	assert_true(json_is_array(j));
	json_decref(j);
	free(token);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_descriptor_statement_prepares),
		cmocka_unit_test(test_every_write_route_is_a_descriptor),
		cmocka_unit_test(test_operator_roles_by_contact),
	};
	return cmocka_run_group_tests_name("statements (integration)", tests, setup, teardown);
}
