/*
 * Integration-test fixtures (see fixtures.h).
 */
#include "fixtures.h"
#include "adapter_ctl.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct itest_server *server(void)
{
	const struct itest_server *s = itest_current();
	assert_non_null(s);
	return s;
}

json_t *itest_call(const char *method, const char *path, const char *token, const char *body, long status)
{
	return itest_expect(server(), method, path, token, body, status);
}

const char *itest_str(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

void itest_sql_value(const char *query, char *out, size_t len)
{
	assert_int_equal(itest_sql(server(), query, out, len), 0);
}

long long itest_count(const char *query)
{
	char v[32];
	itest_sql_value(query, v, sizeof(v));
	return atoll(v);
}

long long itest_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void itest_create(const char *collection, const char *token, const char *body, char *id_out)
{
	json_t *j = itest_call("POST", collection, token, body, 201);
	assert_non_null(itest_str(j, "id"));
	snprintf(id_out, 16, "%s", itest_str(j, "id"));
	json_decref(j);
}

char *itest_new_tenant(const char *operator_token, const char *account_body, char *id_out)
{
	itest_create("/accounts", operator_token, account_body, id_out);
	struct itest_credentials creds;
	assert_int_equal(itest_create_key(server(), id_out, false, &creds), 0);
	char *token = itest_login(server(), &creds, NULL);
	assert_non_null(token);
	return token;
}

void itest_make_connection(const char *token, const char *account, char *conn_out, char *ra_noc_out)
{
	char body[512], impl[16], noc[16], contact[16], ra_impl[16], offering[16];
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"name\": \"NOC\","
		 " \"email\": \"noc@example.net\", \"telephone\": \"+31201234567\"}",
		 account, account);
	itest_create("/contacts", token, body, contact);
	itest_sql_value("SELECT id FROM roles WHERE name = 'implementation'", impl, sizeof(impl));
	itest_sql_value("SELECT id FROM roles WHERE name = 'noc'", noc, sizeof(noc));
	snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", impl, contact);
	itest_create("/role-assignments", token, body, ra_impl);
	snprintf(body, sizeof(body), "{\"role\": \"%s\", \"contact\": \"%s\"}", noc, contact);
	itest_create("/role-assignments", token, body, ra_noc_out);
	itest_sql_value(
		"SELECT min(id) FROM product_offerings WHERE type = 'connection' AND physical_port_speed = 10000",
		offering, sizeof(offering));
	snprintf(body, sizeof(body),
		 "{\"managing_account\": \"%s\", \"consuming_account\": \"%s\", \"billing_account\": \"%s\","
		 " \"mode\": \"lag_lacp\", \"product_offering\": \"%s\", \"port_quantity\": 2,"
		 " \"role_assignments\": [\"%s\", \"%s\"], \"subscriber_side_demarcs\": [\"PP-1\"]}",
		 account, account, account, offering, ra_impl, ra_noc_out);
	itest_create("/connections", token, body, conn_out);
}

void itest_new_mac(const char *token, const char *address, char *id_out)
{
	char body[128];
	snprintf(body, sizeof(body), "{\"address\": \"%s\"}", address);
	itest_create("/macs", token, body, id_out);
}

json_t *itest_post_lan_config(const char *token, const char *lan, const char *conn, const char *vlan, long long asn,
			      const char *macs, const char *ra, long status)
{
	char body[1024];
	snprintf(body, sizeof(body),
		 "{\"type\": \"exchange_lan\", \"network_service\": \"%s\", \"connection\": \"%s\","
		 " \"vlan_config\": {\"vlan_type\": \"dot1q\", \"vlan\": %s}, \"asns\": [%lld], \"macs\": %s,"
		 " \"role_assignments\": [\"%s\"]}",
		 lan, conn, vlan, asn, macs, ra);
	return itest_call("POST", "/network-service-configs", token, body, status);
}

void itest_join_lan_over(const char *token, const char *conn, const char *ra, const char *mac_address, long long asn,
			 char *nsc_out)
{
	char lan[16], mac[16], macs[32];
	itest_sql_value("SELECT id FROM network_services WHERE type = 'exchange_lan'", lan, sizeof(lan));
	itest_new_mac(token, mac_address, mac);
	snprintf(macs, sizeof(macs), "[\"%s\"]", mac);
	json_t *j = itest_post_lan_config(token, lan, conn, "null", asn, macs, ra, 201);
	snprintf(nsc_out, 16, "%s", itest_str(j, "id"));
	json_decref(j);
}

void itest_join_lan(const char *token, const char *account, const char *mac_address, long long asn, char *nsc_out)
{
	char conn[16], ra[16];
	itest_make_connection(token, account, conn, ra);
	itest_join_lan_over(token, conn, ra, mac_address, asn, nsc_out);
}

char *itest_new_named_tenant(const char *operator_token, const char *name, char *id_out)
{
	char body[600];
	snprintf(body, sizeof(body),
		 "{\"name\": \"%s\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\","
		 " \"postal_code\": \"1000\", \"street_address\": \"Dam 1\"}, \"billing_information\": {\"name\":"
		 " \"%s\", \"address\": {\"country\": \"NL\", \"locality\": \"Amsterdam\", \"postal_code\": \"1000\","
		 " \"street_address\": \"Dam 1\"}}}",
		 name, name);
	return itest_new_tenant(operator_token, body, id_out);
}

void itest_expect_naming(const char *method, const char *path, const char *token, const char *body, long status,
			 const char *property)
{
	json_t *j = itest_call(method, path, token, body, status);
	bool found = false;
	json_t *j_props = json_object_get(j, "properties");
	for (size_t i = 0; i < json_array_size(j_props); i++) {
		const char *name = itest_str(json_array_get(j_props, i), "name");
		found = found || (name && strcmp(name, property) == 0);
	}
	if (status != 400) {
		const char *detail = itest_str(j, "detail");
		found = detail && strncmp(detail, property, strlen(property)) == 0;
	}
	if (!found) {
		char *text = json_dumps(j, 0);
		fprintf(stderr, "%s %s %s: expected %s named in %s\n", method, path, body ? body : "", property, text);
		free(text);
	}
	assert_true(found);
	json_decref(j);
}

void itest_expect_exchange_loa(const char *path, const char *token)
{
	struct http_result r;
	assert_int_equal(http_call(server(), "GET", path, token, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/pdf");
	assert_true(r.body_len > 500);
	assert_memory_equal(r.body, "%PDF-", 5);
	http_result_free(&r);
}

void itest_expect_document(const char *path, const char *token, const char *doc)
{
	struct http_result r;
	assert_int_equal(http_call(server(), "GET", path, token, NULL, NULL, &r), 0);
	assert_int_equal(r.body_len, strlen(doc));
	assert_memory_equal(r.body, doc, strlen(doc));
	http_result_free(&r);
}

void itest_new_lan_member(const char *operator_token, struct itest_lan_member *m, const char *name, const char *mac,
			  long long asn)
{
	char body[600], res[2][16], q[600], path[64];
	m->token = itest_new_named_tenant(operator_token, name, m->account);
	char ra[16];
	itest_make_connection(m->token, m->account, m->conn, ra);
	for (int i = 0; i < 2; i++) {
		snprintf(q, sizeof(q), "SELECT id FROM port_reservations WHERE connection = %s ORDER BY id OFFSET %d",
			 m->conn, i);
		itest_sql_value(q, res[i], sizeof(res[i]));
		snprintf(q, sizeof(q),
			 "SELECT min(p.id) FROM ports p JOIN devices d ON d.id = p.device"
			 "  JOIN connections k ON k.id = %s JOIN product_offerings o ON o.id = k.product_offering"
			 " WHERE d.pop = o.handover_pop AND p.speed = o.physical_port_speed AND p.connection IS NULL",
			 m->conn);
		char port_id[16];
		itest_sql_value(q, port_id, sizeof(port_id));
		assert_true(port_id[0]);
		snprintf(path, sizeof(path), "/port-reservations/%s", res[i]);
		snprintf(body, sizeof(body), "{\"port\": \"%s\"}", port_id);
		json_decref(itest_call("PATCH", path, operator_token, body, 202));
		snprintf(m->port[i], sizeof(m->port[i]), "p%s", port_id);
	}
	snprintf(m->mac, sizeof(m->mac), "%s", mac);
	itest_join_lan_over(m->token, m->conn, ra, mac, asn, m->nsc);
}

bool itest_wait_for(const char *query, const char *want, int timeout_ms)
{
	char value[256] = "";
	long long until = itest_now_ms() + timeout_ms;
	do { /* asked at least once, however late the first look */
		itest_sql_value(query, value, sizeof(value));
		if (strcmp(value, want) == 0)
			return true;
		usleep(50000);
	} while (itest_now_ms() < until);
	fprintf(stderr, "itest_wait_for: %s: got '%s', wanted '%s'\n", query, value, want);
	return false;
}

json_t *itest_last_put(const struct test_adapter *a, const char *path, char *key, size_t key_len)
{
	json_t *all = test_adapter_requests(a), *last = NULL;
	size_t i;
	json_t *r;
	json_array_foreach (all, i, r)
		if (strcmp(itest_str(r, "path"), path) == 0 && strcmp(itest_str(r, "method"), "PUT") == 0 &&
		    json_integer_value(json_object_get(r, "status")) == 200) {
			json_decref(last);
			last = json_loads(itest_str(r, "body"), 0, NULL);
			if (key)
				snprintf(key, key_len, "%s", itest_str(r, "key") ? itest_str(r, "key") : "");
		}
	json_decref(all);
	return last;
}

json_t *itest_last_port_put(const struct test_adapter *a, const char *port)
{
	char path[64];
	snprintf(path, sizeof(path), "/v1/ports/%s", port);
	return itest_last_put(a, path, NULL, 0);
}

int itest_adapter_for_devices(struct itest_server *s, struct test_adapter *a, const char *route_servers_json)
{
	char devices[4096];
	if (test_adapter_start(a, s->workdir) != 0 ||
	    /* the adapter's ports are named as the Linux adapter names them: p<id> */
	    itest_sql(s, "UPDATE ports SET name = 'p' || id", NULL, 0) != 0 ||
	    itest_sql(s, "SELECT json_agg(name ORDER BY id) FROM devices", devices, sizeof(devices)) != 0)
		return -1;
	return route_servers_json ? test_adapter_configure_rs(a, devices, route_servers_json)
				  : test_adapter_configure(a, devices);
}

void itest_expect_operations(const char *token, const char *const *want, size_t n)
{
	json_t *j = itest_call("GET", "/implementation", token, NULL, 200);
	json_t *ops = json_object_get(j, "supported_operations");
	for (size_t w = 0; w < n; w++) {
		bool found = false;
		for (size_t i = 0; i < json_array_size(ops); i++)
			found = found || strcmp(json_string_value(json_array_get(ops, i)), want[w]) == 0;
		if (!found)
			fail_msg("%s not in supported_operations", want[w]);
	}
	json_decref(j);
}

json_t *itest_tagged(json_t *status, const char *tag)
{
	for (size_t i = 0; i < json_array_size(status); i++)
		if (strcmp(itest_str(json_array_get(status, i), "tag"), tag) == 0)
			return json_array_get(status, i);
	return NULL;
}

void itest_sql_application(const char *submitter, const char *type, const char *step, long long asn, char *app_out,
			   char *account_out)
{
	char q[4096], ids[64];
	snprintf(
		q, sizeof(q),
		"WITH acc AS (INSERT INTO accounts (name, legal_name, address, billing_information, state)"
		"  VALUES ('Applicant %lld', 'Applicant %lld B.V.', '" ITEST_APPLICANT_ADDRESS "',"
		"          jsonb_build_object('name', 'Applicant', 'address', '" ITEST_APPLICANT_ADDRESS "'::jsonb),"
		"          'requested')"
		"  RETURNING id),"
		" held AS (INSERT INTO account_asns (account_id, asn) SELECT id, %lld FROM acc),"
		" con AS (INSERT INTO contacts (managing_account, consuming_account, name, email, telephone)"
		"  SELECT acc.id, acc.id, r || ' of AS%lld', r || '-%lld@applicant.example', '+31201234567'"
		"    FROM acc, unnest(ARRAY['contract_signer', 'technical', 'noc', 'billing']) r RETURNING id, name),"
		" app AS (INSERT INTO applications (step, type, submitted_by_account, account, legal_name,"
		"  registration_number, address, articles_accepted, facility, colocation_statement,"
		"  envisioned_assignment_date, product_offering, port_quantity, review_due_at)"
		"  SELECT '%s', '%s', %s, acc.id, 'Applicant %lld B.V.', 'NL-KVK-%lld', '" ITEST_APPLICANT_ADDRESS "',"
		"   true, (SELECT p.facility FROM pops p JOIN devices d ON d.pop = p.id ORDER BY p.id LIMIT 1),"
		"   'Rack 12.04 under contract EQ-%lld', current_date + 3,"
		"   (SELECT min(id) FROM product_offerings WHERE type = 'connection'), 1, now() FROM acc RETURNING id),"
		" roles AS (INSERT INTO application_contacts (application, role, contact)"
		"  SELECT app.id, split_part(con.name, ' ', 1), con.id FROM app, con),"
		" asns AS (INSERT INTO application_asns (application, asn, registry) SELECT id, %lld, 'ripe_ncc' FROM app)"
		" SELECT app.id || ',' || acc.id FROM app, acc",
		asn, asn, asn, asn, asn, step, type, submitter, asn, asn, asn, asn);
	itest_sql_value(q, ids, sizeof(ids));
	char *comma = strchr(ids, ',');
	assert_non_null(comma);
	*comma = '\0';
	snprintf(app_out, 16, "%.15s", ids);
	snprintf(account_out, 16, "%.15s", comma + 1);
}

void itest_sql_agreement(const char *app, const char *envelope, char *id_out)
{
	char q[512];
	snprintf(q, sizeof(q),
		 "INSERT INTO agreements (application, variant, envelope_id, document, document_sha256)"
		 " SELECT p.id, p.type, '%s', d, encode(sha256(d), 'hex')"
		 "   FROM applications p, convert_to('%%PDF-1.4 agreement %%%%EOF', 'UTF8') d WHERE p.id = %s"
		 " RETURNING id",
		 envelope, app);
	itest_sql_value(q, id_out, 16);
	assert_true(id_out[0] != '\0');
}
