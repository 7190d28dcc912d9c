-- needs: network_service_configs_touch
-- The configs' status entries (migration 024) show in their `status`, so the
-- JSON the configs keep (migration 025) is rendered again when a config's
-- entries change, like for every other table the renderer reads.
CREATE TRIGGER status_entries_touch_configs_insert AFTER INSERT ON status_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER status_entries_touch_configs_update AFTER UPDATE ON status_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
CREATE TRIGGER status_entries_touch_configs_delete AFTER DELETE ON status_entries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_configs_touch();
