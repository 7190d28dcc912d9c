/*
 * Demo seed (see seed.h). Everything is written in one transaction, so a
 * failed seed leaves nothing behind. The member's ASN is a public one (the
 * services issue rejects private and documentation ASNs).
 */
#include "seed/seed.h"

#include "auth/auth_db.h"
#include "auth/password.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO_MEMBER_ASN "206238"

static const char catalog_sql[] =
	"WITH ma AS (INSERT INTO metro_areas (un_locode, iata_code, display_name)"
	"            VALUES ('NLAMS', 'AMS', 'Amsterdam') RETURNING id),"
	" man AS (INSERT INTO metro_area_networks (name, metro_area, service_provider)"
	"         SELECT 'DEMO-IX Amsterdam', id, 'Demo Internet Exchange B.V.' FROM ma RETURNING id),"
	" fac AS (INSERT INTO facilities (name, metro_area, address_country, address_locality, address_region,"
	"                                 postal_code, street_address, organisation_name, latitude, longitude)"
	"         SELECT v.name, ma.id, 'NL', 'Amsterdam', 'Noord-Holland', v.pc, v.street, v.org, v.lat, v.lon"
	"           FROM ma, (VALUES"
	"             ('Science Park DC', '1098 XG', 'Science Park 610', 'Science Park Data B.V.', 52.356, 4.954),"
	"             ('Harbour DC', '1043 BW', 'Haven 12', 'Harbour Colocation N.V.', 52.389, 4.838))"
	"             AS v(name, pc, street, org, lat, lon)"
	"         RETURNING id, name),"
	" az AS (INSERT INTO availability_zones (name) VALUES ('AMS-A'), ('AMS-B') RETURNING id, name),"
	" pop AS (INSERT INTO pops (name, facility, metro_area_network, availability_zone)"
	"         SELECT CASE fac.name WHEN 'Science Park DC' THEN 'AMS-SP' ELSE 'AMS-HB' END, fac.id, man.id, az.id"
	"           FROM fac, man, az"
	"          WHERE (fac.name = 'Science Park DC') = (az.name = 'AMS-A')"
	"         RETURNING id, name),"
	" dev AS (INSERT INTO devices (name, pop)"
	"         SELECT lower(pop.name) || '-sw1.demo-ix.net', pop.id FROM pop RETURNING id)"
	" INSERT INTO device_capabilities (device, media_type, speed, max_lag, availability)"
	" SELECT dev.id, c.media_type, c.speed, c.max_lag, c.availability FROM dev,"
	"  (VALUES ('10GBASE-LR', 10000, 8, 24), ('100GBASE-LR4', 100000, 4, 8)) AS"
	"  c(media_type, speed, max_lag, availability)"
	" WHERE c.speed = 10000 OR dev.id = (SELECT min(id) FROM dev)"; /* 100G in one PoP only */

/* What the demo exchange sells: 10G and 100G ports at each PoP where the
 * devices offer them, and one offering of each virtual-circuit type (a
 * point-to-point and two multipoint circuits inside the metro area, and a
 * cloud circuit to a demo cloud provider whose keys look like
 * "dxcon-" and eight characters). (Its peering-LAN offering comes with the
 * exchange_lan network service it must name, in the services issue.) */
static const char *const offerings_sql[] = {
	"INSERT INTO product_offerings (type, name, display_name, resource_type, handover_metro_area_network,"
	"    handover_metro_area, physical_port_speed, service_provider, upgrade_allowed, downgrade_allowed,"
	"    contract_terms, contract_initial_period, contract_initial_notice_period, contract_renewal_period,"
	"    contract_renewal_notice_period, cross_connect_initiator, handover_pop, maximum_port_quantity,"
	"    required_contact_roles)"
	" SELECT 'connection', p.name || '-' || (c.speed / 1000) || 'G',"
	"        (c.speed / 1000) || 'G port at ' || p.name, 'connection', p.metro_area_network, n.metro_area,"
	"        c.speed, 'Demo Internet Exchange B.V.', true, true,"
	"        'One year, then monthly; one month notice.', 'P1Y', 'P1M', 'P1M', 'P1M', 'exchange', p.id, c.max_lag,"
	"        ARRAY(SELECT r.id FROM roles r WHERE r.name IN ('implementation', 'noc') ORDER BY r.id)"
	"   FROM pops p JOIN metro_area_networks n ON n.id = p.metro_area_network"
	"        JOIN devices d ON d.pop = p.id JOIN device_capabilities c ON c.device = d.id",
	"INSERT INTO product_offerings (type, name, display_name, resource_type, handover_metro_area_network,"
	"    handover_metro_area, service_metro_area_network, service_metro_area, service_provider,"
	"    upgrade_allowed, downgrade_allowed, contract_terms, contract_initial_period,"
	"    contract_initial_notice_period, contract_renewal_period, contract_renewal_notice_period,"
	"    provider_vlans, bandwidth_min, bandwidth_max, service_provider_region, service_provider_pop,"
	"    service_provider_workflow, delivery_method, diversity, cloud_key_pattern)"
	" SELECT v.type, v.name, v.display_name, 'network_service', n.id, n.metro_area, n.id, n.metro_area,"
	"        v.provider, true, true, 'One month, then monthly; one month notice.', 'P1M', 'P1M', 'P1M', 'P1M',"
	"        v.vlans, 1, v.bw_max, v.region, v.sp_pop, v.workflow, v.delivery, v.diversity, v.key_pattern"
	"   FROM metro_area_networks n, (VALUES"
	"     ('p2p_vc', 'AMS-P2P', 'Point-to-point circuit in Amsterdam', 'Demo Internet Exchange B.V.', 'single',"
	"      10000, NULL, NULL, NULL, NULL, NULL::int, NULL),"
	"     ('p2mp_vc', 'AMS-P2MP', 'Point-to-multipoint circuit in Amsterdam', 'Demo Internet Exchange B.V.',"
	"      'multi', 10000, NULL, NULL, NULL, NULL, NULL, NULL),"
	"     ('mp2mp_vc', 'AMS-MP2MP', 'Multipoint circuit (closed user group) in Amsterdam',"
	"      'Demo Internet Exchange B.V.', 'multi', 10000, NULL, NULL, NULL, NULL, NULL, NULL),"
	"     ('cloud_vc', 'AMS-DEMOCLOUD', 'Demo Cloud Direct Connect, eu-central-1', 'Demo Cloud Inc.', 'single',"
	"      5000, 'eu-central-1', 'AMS1', 'provider_first', 'shared', 1, '^dxcon-[0-9a-z]{8}$'))"
	"     AS v(type, name, display_name, provider, vlans, bw_max, region, sp_pop, workflow, delivery,"
	"          diversity, key_pattern)",
};

static const char account_sql[] =
	"INSERT INTO accounts (name, legal_name, state, external_ref, address, billing_information)"
	" VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) RETURNING id::text";

struct demo_key {
	const char *role; /* its name in the credentials file */
	enum token_role token_role;
	char account_id[24];
	char api_key[PASSWORD_API_KEY_LEN + 1];
	char api_secret[PASSWORD_API_SECRET_LEN + 1];
};

/* operator, member, portal, and a second operator key (management approval
 * of a member's application comes from another operator than the review's) */
#define DEMO_KEYS 4

struct seed_ctx {
	bool need_keys;
	bool created_data;
	struct demo_key keys[DEMO_KEYS];
};

static struct problem *insert_account(PGconn *conn, const char *name, const char *state, const char *ref, char *id_out)
{
	const char *address = "{\"country\": \"NL\", \"locality\": \"Amsterdam\", \"region\": \"Noord-Holland\","
			      " \"postal_code\": \"1098 XG\", \"street_address\": \"Science Park 105\","
			      " \"post_office_box_number\": null}";
	char *billing = xasprintf("{\"name\": \"%s\", \"address\": %s, \"vat_number\": null}", name, address);
	const char *params[] = {name, name, state, ref, address, billing};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, account_sql, 6, params, &res);
	if (!p)
		snprintf(id_out, 24, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	free(billing);
	return p;
}

static struct problem *find_account(PGconn *conn, const char *ref, char *id_out, bool *found)
{
	const char *params[] = {ref};
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, "SELECT id::text FROM accounts WHERE external_ref = $1", 1, params, &res);
	*found = !p && PQntuples(res) == 1;
	if (*found)
		snprintf(id_out, 24, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return p;
}

/* The demo exchange's peering LAN, sold through an exchange_lan offering,
 * with two route servers (public sessions, passive: members connect) that
 * offer the route servers' "3+1" filtering modes as flags. Joining it
 * needs a NOC contact. $1: the operator's account. */
static const char lan_sql[] =
	"WITH lan AS (INSERT INTO network_services (type, state, managing_account, consuming_account, name,"
	"                 metro_area_network, peeringdb_ixid, ixfdb_ixid, subnet_v4, subnet_v6,"
	"                 nsc_required_contact_roles)"
	"             SELECT 'exchange_lan', 'production', $1::bigint, $1::bigint, 'DEMO-IX', n.id, 9999, 9999,"
	"                    '192.0.2.0/24', '2001:db8:7f8::/64', ARRAY(SELECT id FROM roles WHERE name = 'noc')"
	"               FROM metro_area_networks n ORDER BY n.id LIMIT 1 RETURNING id, metro_area_network),"
	" po AS (INSERT INTO product_offerings (type, name, display_name, resource_type, handover_metro_area_network,"
	"            handover_metro_area, service_provider, provider_vlans, service_metro_area_network,"
	"            service_metro_area, bandwidth_min, bandwidth_max, exchange_lan_network_service,"
	"            contract_initial_period, contract_initial_notice_period, contract_renewal_period,"
	"            contract_renewal_notice_period, upgrade_allowed, downgrade_allowed)"
	"         SELECT 'exchange_lan', 'DEMO-IX peering', 'Peering on the DEMO-IX LAN', 'network_service_config',"
	"                lan.metro_area_network, n.metro_area, 'Demo Internet Exchange B.V.', 'single',"
	"                lan.metro_area_network, n.metro_area, 1000, 400000, lan.id, 'P1M', 'P1M', 'P1M', 'P1M',"
	"                true, true"
	"           FROM lan JOIN metro_area_networks n ON n.id = lan.metro_area_network RETURNING id)"
	" INSERT INTO network_features (network_service, name, required, asn, fqdn, ip_v4, ip_v6, looking_glass_url,"
	"                               flags)"
	" SELECT lan.id, 'rs' || n || '.demo-ix.net', false, 64496, 'rs' || n || '.demo-ix.net',"
	"        ('192.0.2.' || n)::inet, ('2001:db8:7f8::' || n)::inet, 'https://lg.demo-ix.net/rs' || n,"
	"        '[{\"name\": \"irrdb_rpki\", \"description\": \"Filter on IRRDB and RPKI data (the default)\"},"
	"          {\"name\": \"irrdb\", \"description\": \"Filter on IRRDB data only\"},"
	"          {\"name\": \"rpki\", \"description\": \"Filter RPKI-invalid prefixes only\"},"
	"          {\"name\": \"tagging\", \"description\": \"No filtering: BGP communities tag IRR and ROA status\"}]'"
	"   FROM lan, generate_series(1, 2) AS n";

static struct problem *seed_tx(PGconn *conn, void *arg)
{
	struct seed_ctx *c = arg;
	bool has_operator = false, has_member = false, has_portal = false;
	struct problem *p = find_account(conn, "demo:operator", c->keys[0].account_id, &has_operator);
	if (!p)
		p = find_account(conn, "demo:member", c->keys[1].account_id, &has_member);
	if (!p)
		p = find_account(conn, "demo:portal", c->keys[2].account_id, &has_portal);
	if (p)
		return p;
	/* The member portal's own account (its key submits applications): a
	 * demo seeded before the portal existed gets it, and new keys. */
	if (!has_portal && has_operator && has_member) {
		p = insert_account(conn, "Demo Member Portal", "production", "demo:portal", c->keys[2].account_id);
		if (p)
			return p;
		c->created_data = true;
	}
	if (!has_operator || !has_member) {
		c->created_data = true;
		p = db_exec(conn, catalog_sql, 0, NULL, NULL);
		if (!p)
			p = insert_account(conn, "Demo IXP Operator", "operator", "demo:operator",
					   c->keys[0].account_id);
		if (!p)
			p = insert_account(conn, "Demo Member Networks", "production", "demo:member",
					   c->keys[1].account_id);
		if (!p)
			p = insert_account(conn, "Demo Member Portal", "production", "demo:portal",
					   c->keys[2].account_id);
		for (size_t i = 0; i < sizeof(offerings_sql) / sizeof(offerings_sql[0]) && !p; i++)
			p = db_exec(conn, offerings_sql[i], 0, NULL, NULL);
		/* The port inventory: four ports per device and capability, the
		 * exchange's until they are assigned to a connection. A port's
		 * name is its switch adapter's name for it (the interface name,
		 * unique: p1..p8 on ams-sp-sw1, 10G first, p9..p12 on ams-hb-sw1),
		 * so `make run`'s lab adapter serves them as they are. */
		const char *owner[] = {c->keys[0].account_id};
		if (!p)
			p = db_exec(
				conn,
				"INSERT INTO ports (name, device, media_type, speed, managing_account, consuming_account,"
				"                   billing_account)"
				" SELECT 'p' || row_number() OVER (ORDER BY d.id, c.speed, n), d.id,"
				"        c.media_type, c.speed, $1::bigint, $1::bigint, $1::bigint"
				"   FROM devices d JOIN device_capabilities c ON c.device = d.id, generate_series(1, 4) AS n",
				1, owner, NULL);
		const char *asn_params[] = {c->keys[1].account_id, DEMO_MEMBER_ASN};
		if (!p)
			p = db_exec(conn, "INSERT INTO account_asns (account_id, asn) VALUES ($1::bigint, $2::bigint)",
				    2, asn_params, NULL);
		if (!p)
			p = db_exec(conn, lan_sql, 1, owner, NULL);
		/* (a statement does not see its own inserts: a second one links them) */
		if (!p)
			p = db_exec(conn,
				    "UPDATE network_services s SET product_offering = o.id FROM product_offerings o"
				    " WHERE o.exchange_lan_network_service = s.id AND s.product_offering IS NULL",
				    0, NULL, NULL);
		if (p)
			return p;
	}
	if (!c->need_keys && !c->created_data)
		return NULL;
	/* the second operator works for the same exchange */
	snprintf(c->keys[3].account_id, sizeof(c->keys[3].account_id), "%s", c->keys[0].account_id);
	for (int i = 0; i < DEMO_KEYS && !p; i++) {
		struct demo_key *k = &c->keys[i];
		password_random_string(k->api_key, PASSWORD_API_KEY_LEN);
		password_random_string(k->api_secret, PASSWORD_API_SECRET_LEN);
		char *hash = password_hash_new(k->api_secret);
		if (!hash)
			return problem_new(PROBLEM_INTERNAL, "cannot hash the demo secret");
		char key_id[24];
		p = auth_db_create_key(conn, k->account_id, k->api_key, hash, k->token_role, "demo key", key_id,
				       sizeof(key_id));
		free(hash);
	}
	c->need_keys = true;
	return p;
}

static int write_credentials(const char *path, const struct seed_ctx *c)
{
	json_t *j = json_object();
	for (int i = 0; i < DEMO_KEYS; i++)
		json_object_set_new(j, c->keys[i].role,
				    json_pack("{s:s, s:s, s:s}", "api_key", c->keys[i].api_key, "api_secret",
					      c->keys[i].api_secret, "account", c->keys[i].account_id));
	char *text = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	int rc = -1;
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		LOG_ERROR("%s: %s", tmp, strerror(errno));
		goto out;
	}
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || close(fd) != 0) {
		LOG_ERROR("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, path) != 0) {
		LOG_ERROR("%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(text);
	return rc;
}

int seed_demo(struct db_pool *pool, const char *credentials_path)
{
	struct seed_ctx c = {.keys = {{.role = "operator", .token_role = TOKEN_ROLE_OPERATOR},
				      {.role = "member", .token_role = TOKEN_ROLE_MEMBER},
				      {.role = "portal", .token_role = TOKEN_ROLE_PORTAL},
				      {.role = "operator2", .token_role = TOKEN_ROLE_OPERATOR}}};
	c.need_keys = credentials_path && access(credentials_path, F_OK) != 0;
	struct problem *p = db_transaction(pool, seed_tx, &c);
	if (p) {
		LOG_ERROR("demo seed failed: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	if (c.created_data)
		LOG_INFO("demo exchange created (operator account %s, member account %s, AS%s)", c.keys[0].account_id,
			 c.keys[1].account_id, DEMO_MEMBER_ASN);
	else
		LOG_INFO("demo exchange already present");
	if (c.need_keys && credentials_path) {
		if (write_credentials(credentials_path, &c) != 0)
			return -1;
		LOG_INFO("demo credentials written to %s", credentials_path);
	}
	return 0;
}
