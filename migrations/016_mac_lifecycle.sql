-- needs: mac_canonical, nsc_is_live, macs_release_trigger
-- MAC addresses as clients use them (issue 8, items 10 and 11).
--
-- A MAC reads back exactly as the client wrote it (the Terraform provider
-- plans a change on any difference and cannot update a MAC); everything
-- that compares addresses (lookups, the peering LAN's "not another
-- member's MAC" rule) and every job uses one canonical spelling, lower
-- case and colon separated, kept in canonical_address.
--
-- A MAC that only configs on their way out (decommission_requested) still
-- use may be deleted: it stays in force, listed and on those configs, until
-- the last of them leaves (valid_not_after says when: the latest of their
-- decommission dates), and goes when no config that holds it is left (the
-- switch adapter's `remove` job of each config, queued when it was
-- decommissioned, carries the addresses off the wire). A MAC never blocks
-- a config's way out.

ALTER TABLE macs DROP CONSTRAINT macs_address_check;
ALTER TABLE macs
    ADD COLUMN canonical_address text GENERATED ALWAYS AS (mac_canonical(address)) STORED,
    -- DELETE asked while configs on their way out still used it
    ADD COLUMN delete_requested_at timestamptz,
    -- as written, in a spelling core/mac.c accepts; unicast, not all zero
    -- (checked in C too)
    ADD CONSTRAINT macs_address_check CHECK (
        char_length(address) <= 17 AND canonical_address IS NOT NULL
        AND substr(canonical_address, 2, 1) IN ('0', '2', '4', '6', '8', 'a', 'c', 'e')
        AND canonical_address <> '00:00:00:00:00:00');
DROP INDEX macs_address_idx;
CREATE INDEX macs_canonical_address_idx ON macs (canonical_address);

-- Deleting a MAC takes it off the configs that are gone (decommissioned,
-- archived); the storage layer refuses while a live config uses it.
ALTER TABLE network_service_config_macs
    DROP CONSTRAINT network_service_config_macs_mac_fkey,
    ADD CONSTRAINT network_service_config_macs_mac_fkey
        FOREIGN KEY (mac) REFERENCES macs (id) ON DELETE CASCADE;

-- At commit, so that a write which replaces a config's MACs (delete, then
-- insert) or moves its state and its MACs at once is judged by its result.
CREATE CONSTRAINT TRIGGER network_service_configs_release_macs
    AFTER UPDATE OF state ON network_service_configs DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NOT nsc_is_live(NEW.state))
    EXECUTE FUNCTION macs_release_trigger();
CREATE CONSTRAINT TRIGGER network_service_config_macs_release_macs
    AFTER DELETE ON network_service_config_macs DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION macs_release_trigger();
