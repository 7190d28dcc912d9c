-- needs: network_service_configs_render, network_service_config_rendered, network_service_configs_touch
-- Network service configs keep their JSON (issue 9: a page of 100 among
-- 10,000 within 3x a GET by id): `rendered` holds exactly what
-- network_service_configs_render() makes of the row, kept true in the same
-- transaction by triggers, so lists and reads copy it instead of rendering.
--   * BEFORE INSERT OR UPDATE of a config renders it (every update: any
--     column may show);
--   * AFTER each statement on a table the renderer reads (ips, the MAC and
--     role assignment links, network feature configs, network services'
--     product offering), the configs it changed are rendered again
--     (network_service_configs_touch: an UPDATE ... SET rendered = NULL,
--     which the row trigger fills). A new dependency of the renderer needs
--     its three triggers here too; network_service_configs_rendered_stale()
--     counts the configs whose text differs from a fresh render, and the
--     integration test harness fails a test program that leaves one.
ALTER TABLE network_service_configs ADD COLUMN rendered text;

CREATE TRIGGER network_service_configs_rendered BEFORE INSERT OR UPDATE ON network_service_configs
    FOR EACH ROW EXECUTE FUNCTION network_service_config_rendered();
UPDATE network_service_configs SET rendered = NULL;
ALTER TABLE network_service_configs ALTER COLUMN rendered SET NOT NULL;

CREATE TRIGGER ips_touch_configs_insert AFTER INSERT ON ips
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER ips_touch_configs_update AFTER UPDATE ON ips
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER ips_touch_configs_delete AFTER DELETE ON ips
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();

CREATE TRIGGER network_service_config_macs_touch_configs_insert AFTER INSERT ON network_service_config_macs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER network_service_config_macs_touch_configs_update AFTER UPDATE ON network_service_config_macs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER network_service_config_macs_touch_configs_delete AFTER DELETE ON network_service_config_macs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();

CREATE TRIGGER network_service_config_role_assignments_touch_configs_insert
    AFTER INSERT ON network_service_config_role_assignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER network_service_config_role_assignments_touch_configs_update
    AFTER UPDATE ON network_service_config_role_assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER network_service_config_role_assignments_touch_configs_delete
    AFTER DELETE ON network_service_config_role_assignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();

CREATE TRIGGER network_feature_configs_touch_configs_insert AFTER INSERT ON network_feature_configs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER network_feature_configs_touch_configs_update AFTER UPDATE ON network_feature_configs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER network_feature_configs_touch_configs_delete AFTER DELETE ON network_feature_configs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();

-- a service's product offering shows on its configs that have none; a
-- service with configs is never inserted or deleted
CREATE TRIGGER network_services_touch_configs_update AFTER UPDATE ON network_services
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();

-- The listing's fast path (server/resource/listing.c, `has_owner_indexes`):
-- a member whose scope is itself alone, listing without a filter, reads the
-- ids of its configs in order from these, index-only, and counts them there.
CREATE INDEX network_service_configs_consuming_id_idx ON network_service_configs (consuming_account, id);
CREATE INDEX network_service_configs_managed_for_others_idx ON network_service_configs (managing_account, id)
    WHERE managing_account <> consuming_account;
