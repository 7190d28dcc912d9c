/*
 * Fixtures shared by the integration tests: the request and SQL helpers
 * every test speaks in, and the data many tests build (an extra tenant, a
 * connection with the role assignments an order needs, MACs, a config on
 * the peering LAN). They act on the server itest_start started last (one per
 * test program) and assert (cmocka) what they need: a request answered with
 * another status, or SQL that fails, fails the test where it happens.
 * Each test still names its own data (accounts, addresses, ASNs); the
 * fixtures only make the requests.
 *
 * Include it after harness.h and cmocka.h. The short names at the end
 * (call, str, sql, count, make_connection, expect_naming) are the vocabulary the tests
 * are written in; a test with its own helper of one of those names does
 * not include this file.
 */
#ifndef IXAPI_TESTS_FIXTURES_H
#define IXAPI_TESTS_FIXTURES_H

#include "harness.h"

#include <stdbool.h>
#include <stddef.h>

/* itest_expect on the current server: asserts `status` (and an RFC 7807
 * body for 4xx/5xx); returns the parsed body (new reference, may be NULL). */
json_t *itest_call(const char *method, const char *path, const char *token, const char *body, long status);
/* The string member `key` of j, or NULL (borrowed from j). */
const char *itest_str(json_t *j, const char *key);
/* Runs SQL on the test's database and asserts it succeeded; the first value
 * of the first row goes into out ("" for no row; out may be NULL). */
void itest_sql_value(const char *query, char *out, size_t len);
/* The number the query's first value holds (e.g. SELECT count(*) ...). */
long long itest_count(const char *query);
/* Monotonic milliseconds, for deadlines and durations. */
long long itest_now_ms(void);

/* The id of a new object: POST `body` to `collection` with `token`,
 * asserting 201; the id into id_out (16 bytes). */
void itest_create(const char *collection, const char *token, const char *body, char *id_out);
/* A new tenant: the operator POSTs account_body to /accounts, a member API
 * key of the new account logs in. The id into id_out (16 bytes); returns
 * the access token (free()). */
char *itest_new_tenant(const char *operator_token, const char *account_body, char *id_out);
/* A NOC contact of `account` with the implementation and noc role
 * assignments and a 10G LAG (two ports, lag_lacp) ordered with both: the
 * connection's id into conn_out, the noc assignment's into ra_noc_out
 * (16 bytes each). */
void itest_make_connection(const char *token, const char *account, char *conn_out, char *ra_noc_out);
/* A new MAC of `address` (POST /macs): its id into id_out (16 bytes). */
void itest_new_mac(const char *token, const char *address, char *id_out);
/* POSTs an exchange_lan config on `lan` over `conn`: dot1q with `vlan` (a
 * JSON value: "null" or a number), the one ASN, the MAC ids `macs` (a JSON
 * array), the noc role assignment `ra`. Asserts `status`; returns the
 * answer (new reference). */
json_t *itest_post_lan_config(const char *token, const char *lan, const char *conn, const char *vlan, long long asn,
			      const char *macs, const char *ra, long status);
/* `account` joins the peering LAN over a new connection
 * (itest_make_connection) with a new MAC of mac_address, no VLAN and the
 * ASN; the config's id into nsc_out (16 bytes). */
void itest_join_lan(const char *token, const char *account, const char *mac_address, long long asn, char *nsc_out);
/* The same over the connection `conn` the caller has, with its noc role
 * assignment `ra`. */
void itest_join_lan_over(const char *token, const char *conn, const char *ra, const char *mac_address, long long asn,
			 char *nsc_out);
/* A new tenant named `name` with an address and billing information (what
 * ordering a connection needs); its id into id_out (16 bytes); returns the
 * access token (free()). */
char *itest_new_named_tenant(const char *operator_token, const char *name, char *id_out);

/* The request answers `status` with a problem naming `property`: among the
 * properties of a 400, at the start of the detail otherwise. */
void itest_expect_naming(const char *method, const char *path, const char *token, const char *body, long status,
			 const char *property);
/* GET path answers the exchange's LOA: a PDF document of some size. */
void itest_expect_exchange_loa(const char *path, const char *token);
/* GET path answers exactly the bytes of doc. */
void itest_expect_document(const char *path, const char *token, const char *doc);

/* A member on the peering LAN (jobs and quarantine tests): a new tenant
 * with a connection whose two reservations the operator allocates ports for
 * (named p<id>, on devices an adapter serves), a MAC and the config. */
struct itest_lan_member {
	char account[16], conn[16], nsc[16], port[2][24], mac[32];
	char *token;
};
void itest_new_lan_member(const char *operator_token, struct itest_lan_member *m, const char *name, const char *mac,
			  long long asn);
/* The adapter test doubles' requests (adapter_ctl.h). */
struct test_adapter;
/* The body of the last PUT of `path` that `a` answered 200 (new reference,
 * NULL without one); its Idempotency-Key into key ("" without one) when key
 * is not NULL. */
json_t *itest_last_put(const struct test_adapter *a, const char *path, char *key, size_t key_len);
/* itest_last_put of the switch port `port` (/v1/ports/{port}). */
json_t *itest_last_port_put(const struct test_adapter *a, const char *port);
/* The entry of a status array with `tag`, or NULL (borrowed from status). */
json_t *itest_tagged(json_t *status, const char *tag);
/* Starts the adapter test double in the server's work folder, names every
 * port as the Linux adapter does (p<id>) and writes the adapters file
 * naming it for every device (and, when route_servers_json is not NULL, as
 * the route-server adapter of those route servers). 0, or -1. */
struct itest_server;
int itest_adapter_for_devices(struct itest_server *s, struct test_adapter *a, const char *route_servers_json);
/* Asserts /implementation's supported_operations holds every one of want. */
void itest_expect_operations(const char *token, const char *const *want, size_t n);
/* Polls `query` (one value) until it equals `want`, up to timeout_ms;
 * says what it last saw when it gives up. */
bool itest_wait_for(const char *query, const char *want, int timeout_ms);

/* An onboarding application made in SQL (the applications API is another
 * part's): a new applicant account (state requested) holding `asn`, its
 * four contacts (contract_signer, technical, noc, billing: "<role> of
 * AS<asn>", "<role>-<asn>@applicant.example"), the application of `type`
 * (member, customer) in `step`, submitted by the account `submitter`, at a
 * facility with a device, for one port of the first connection offering,
 * envisioned three days ahead. Ids into app_out and account_out (16 bytes). */
#define ITEST_APPLICANT_ADDRESS                                                                                        \
	"{\"country\": \"NL\", \"locality\": \"Amsterdam\", \"postal_code\": \"1098 XG\","                             \
	" \"street_address\": \"Science Park 105\"}"
void itest_sql_application(const char *submitter, const char *type, const char *step, long long asn, char *app_out,
			   char *account_out);
/* A sent agreement of application `app` (a minimal PDF) in envelope
 * `envelope`, made in SQL: its id into id_out (16 bytes). */
void itest_sql_agreement(const char *app, const char *envelope, char *id_out);

static inline json_t *call(const char *method, const char *path, const char *token, const char *body, long status)
{
	return itest_call(method, path, token, body, status);
}

static inline const char *str(json_t *j, const char *key)
{
	return itest_str(j, key);
}

static inline void sql(const char *query, char *out, size_t len)
{
	itest_sql_value(query, out, len);
}

static inline long long count(const char *query)
{
	return itest_count(query);
}

static inline void make_connection(const char *token, const char *account, char *conn_out, char *ra_noc_out)
{
	itest_make_connection(token, account, conn_out, ra_noc_out);
}

static inline void expect_naming(const char *method, const char *path, const char *token, const char *body, long status,
				 const char *property)
{
	itest_expect_naming(method, path, token, body, status, property);
}

#endif
