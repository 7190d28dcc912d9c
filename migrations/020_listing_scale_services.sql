-- Lists that cost what the caller owns (issue 9), continued: connections,
-- ports, port reservations, network services, network features, network
-- feature configs and member joining rules.
--
-- Each gets a set renderer, <resources>_render(rows) → (rid, j), with one
-- grouped aggregate per child table, and its per-row <resource>_json(row)
-- becomes that renderer applied to one row: one renderer for lists, reads
-- and the write paths. The tenant rules are set predicates in the listing
-- descriptors (server/connections, server/services), over the indexed
-- owner columns and scope_accounts() (migration 018).

-- The renderers replace network_service_json_all and
-- network_feature_config_json_all (gone; a database migrated before they
-- went still has them).
DROP FUNCTION IF EXISTS network_service_json_all(network_services);
DROP FUNCTION IF EXISTS network_feature_config_json_all(network_feature_configs);

-- Owner columns the tenant rules join on, not indexed before.
CREATE INDEX IF NOT EXISTS ports_managing_account_idx ON ports (managing_account);
CREATE INDEX IF NOT EXISTS ports_consuming_account_idx ON ports (consuming_account);
CREATE INDEX IF NOT EXISTS network_services_joining_member_account_idx ON network_services (joining_member_account);
CREATE INDEX IF NOT EXISTS network_services_open_idx ON network_services (id) WHERE type = 'exchange_lan' OR public;
