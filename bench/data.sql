-- Bench data for `make bench` (bench/run.sh runs it with psql against
-- $DATABASE_URL after `ixapid migrate` and `ixapid seed-demo`): a second,
-- bigger peering LAN, BENCH-IX (the benchmarking ranges 198.18.0.0/16 and
-- 2001:2::/64), and on it
--   * 1,000 other members with 10 configs each (10,000 foreign configs),
--   * member "small" (external_ref bench:small) with 2 configs,
--   * member "big" (bench:big) with 10,000 configs of its own,
-- all exchange_lan network service configs in production, as the API
-- creates them: a connection of the member's own (VLAN ids unique per
-- connection: 1,000 per connection for "big"), the member's ASN, one IPv4
-- and one IPv6 address from the LAN (held on it, as allocated ones are).
-- Each of small and big gets an API key whose secret is the demo member's:
-- the row copies that key's argon2id hash (bench/run.sh logs in with the
-- demo member's secret from the seed's credentials file).
--
-- The sizes are psql variables (-v name=value), for a small copy in
-- tests/integration/bench_data_itest.c: others (1000 members),
-- other_configs (10 each), big_configs (10000), big_per_connection (1000).
\set ON_ERROR_STOP on
\if :{?others}
\else
\set others 1000
\endif
\if :{?other_configs}
\else
\set other_configs 10
\endif
\if :{?big_configs}
\else
\set big_configs 10000
\endif
\if :{?big_per_connection}
\else
\set big_per_connection 1000
\endif
BEGIN;

CREATE TEMPORARY TABLE bench_members (n integer PRIMARY KEY, ref text NOT NULL, configs integer NOT NULL,
                                      per_connection integer NOT NULL, id bigint) ON COMMIT DROP;
INSERT INTO bench_members (n, ref, configs, per_connection)
SELECT n, 'bench:other:' || n, :other_configs, :other_configs FROM generate_series(1, :others) AS n
UNION ALL VALUES (:others + 1, 'bench:small', 2, 2), (:others + 2, 'bench:big', :big_configs, :big_per_connection);

WITH a AS (
    INSERT INTO accounts (name, legal_name, state, external_ref, address, billing_information)
    SELECT 'Bench Member ' || m.n, 'Bench Member ' || m.n || ' B.V.', 'production', m.ref, addr,
           jsonb_build_object('name', 'Bench Member ' || m.n || ' B.V.', 'address', addr, 'vat_number', NULL)
      FROM bench_members m,
           (SELECT jsonb_build_object('country', 'NL', 'locality', 'Amsterdam', 'region', 'Noord-Holland',
                                      'postal_code', '1098 XG', 'street_address', 'Science Park 105',
                                      'post_office_box_number', NULL) AS addr) AS x
     ORDER BY m.n
    RETURNING id, external_ref)
UPDATE bench_members m SET id = a.id FROM a WHERE a.external_ref = m.ref;

INSERT INTO account_asns (account_id, asn) SELECT id, 200000 + n FROM bench_members;

WITH op AS (SELECT id FROM accounts WHERE external_ref = 'demo:operator'),
lan AS (
    INSERT INTO network_services (type, state, managing_account, consuming_account, name, display_name,
                                  metro_area_network, subnet_v4, subnet_v6)
    SELECT 'exchange_lan', 'production', op.id, op.id, 'BENCH-IX', 'The benchmark''s peering LAN',
           (SELECT min(id) FROM metro_area_networks), '198.18.0.0/16', '2001:2::/64'
      FROM op
    RETURNING id, metro_area_network)
INSERT INTO product_offerings (type, name, display_name, resource_type, handover_metro_area_network,
                               handover_metro_area, service_provider, provider_vlans, service_metro_area_network,
                               service_metro_area, bandwidth_min, bandwidth_max, exchange_lan_network_service,
                               contract_initial_period, contract_initial_notice_period, contract_renewal_period,
                               contract_renewal_notice_period, upgrade_allowed, downgrade_allowed)
SELECT 'exchange_lan', 'BENCH-IX peering', 'Peering on the BENCH-IX LAN', 'network_service_config',
       lan.metro_area_network, n.metro_area, 'Demo Internet Exchange B.V.', 'single', lan.metro_area_network,
       n.metro_area, 1000, 400000, lan.id, 'P1M', 'P1M', 'P1M', 'P1M', true, true
  FROM lan JOIN metro_area_networks n ON n.id = lan.metro_area_network;
UPDATE network_services s SET product_offering = o.id FROM product_offerings o
 WHERE o.exchange_lan_network_service = s.id AND s.name = 'BENCH-IX';

-- one connection per `per_connection` configs, each member's own
INSERT INTO connections (state, managing_account, consuming_account, billing_account, name, mode,
                         product_offering, port_quantity)
SELECT 'production', m.id, m.id, m.id, 'bench-' || m.n || '-' || k, 'standalone',
       (SELECT min(id) FROM product_offerings WHERE type = 'connection'), 1
  FROM bench_members m, generate_series(1, m.configs / m.per_connection) AS k
 ORDER BY m.n, k;

-- the configs: VLAN v on the member's connection k, in creation order
INSERT INTO network_service_configs (type, state, network_service, managing_account, consuming_account,
                                     billing_account, product_offering, connection, vlan_type, vlan, asns,
                                     current_billing_start_date)
SELECT 'exchange_lan', 'production', s.id, m.id, m.id, m.id, s.product_offering, c.id, 'dot1q', v,
       ARRAY[200000 + m.n]::bigint[], current_date
  FROM bench_members m
  JOIN connections c ON c.consuming_account = m.id,
       network_services s, generate_series(1, m.per_connection) AS v
 WHERE s.name = 'BENCH-IX'
 ORDER BY m.n, c.id, v;

-- an IPv4 and an IPv6 address per config, the LAN's k-th host addresses
INSERT INTO ips (managing_account, consuming_account, version, address, prefix_length, network_service,
                 network_service_config)
SELECT c.managing_account, c.consuming_account, f.version,
       CASE f.version WHEN 4 THEN host(s.subnet_v4 + c.k)::inet ELSE host(s.subnet_v6 + c.k)::inet END,
       CASE f.version WHEN 4 THEN masklen(s.subnet_v4) ELSE masklen(s.subnet_v6) END, s.id, c.id
  FROM (SELECT x.*, row_number() OVER (ORDER BY x.id) AS k FROM network_service_configs x
          JOIN network_services y ON y.id = x.network_service AND y.name = 'BENCH-IX') AS c
  JOIN network_services s ON s.id = c.network_service,
       (VALUES (4::smallint), (6::smallint)) AS f(version)
 ORDER BY c.id, f.version;

-- keys for small and big (api_key: 16 characters)
INSERT INTO api_keys (account_id, api_key, secret_hash, role, description)
SELECT m.id, rpad(replace(m.ref, 'bench:', 'bench'), 16, '0'), k.secret_hash, 'member', 'bench key'
  FROM bench_members m,
       (SELECT secret_hash FROM api_keys WHERE account_id = (SELECT id FROM accounts WHERE external_ref = 'demo:member')
         ORDER BY id LIMIT 1) AS k
 WHERE m.ref IN ('bench:small', 'bench:big');

COMMIT;
ANALYZE;
