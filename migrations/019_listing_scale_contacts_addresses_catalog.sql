-- Lists as sets (issue 9), continued: contacts, roles, role assignments,
-- MACs, IPs and the catalog get set renderers (<resource>_render(rows) →
-- (rid, j)), and each per-row <resource>_json(row), which the write paths
-- use, becomes that renderer applied to one row: one renderer per resource.
-- The JSON is the same as before, key for key.

-- Columns the lists filter on, not indexed before (role assignments are
-- found by contact through their (contact, role) key).
CREATE INDEX IF NOT EXISTS ips_network_service_idx ON ips (network_service);
CREATE INDEX IF NOT EXISTS ips_network_feature_idx ON ips (network_feature);
CREATE INDEX IF NOT EXISTS ips_network_feature_config_idx ON ips (network_feature_config);

CREATE INDEX IF NOT EXISTS metro_area_networks_metro_area_idx ON metro_area_networks (metro_area);
