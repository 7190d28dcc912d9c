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

-- The canonical spelling of a MAC address written in one of the spellings
-- core/mac.c accepts (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff,
-- aabbccddeeff, any case); NULL for anything else.
CREATE FUNCTION mac_canonical(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    h text := lower(translate(t, ':-.', ''));
BEGIN
    IF t !~ '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$' AND t !~ '^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}$'
       AND t !~ '^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$' AND t !~ '^[0-9A-Fa-f]{12}$' THEN
        RETURN NULL;
    END IF;
    RETURN substr(h, 1, 2) || ':' || substr(h, 3, 2) || ':' || substr(h, 5, 2) || ':' || substr(h, 7, 2) || ':'
        || substr(h, 9, 2) || ':' || substr(h, 11, 2);
END
$$;

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

-- The switch adapter gets each address once, in the canonical spelling.
CREATE OR REPLACE FUNCTION nsc_switch_job(c network_service_configs, action text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    s network_services;
    k connections;
BEGIN
    SELECT * INTO s FROM network_services WHERE id = c.network_service;
    SELECT * INTO k FROM connections WHERE id = c.connection;
    RETURN jsonb_build_object(
        'action', action, 'network_service_config', c.id::text, 'state', c.state,
        'network_service', s.id::text, 'network_service_type', s.type, 'network_service_name', s.name,
        'connection', k.id::text, 'mode', k.mode, 'lacp_timeout', k.lacp_timeout,
        'ports', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id::text, 'name', p.name,
                                                               'device', d.name) ORDER BY p.id), '[]'::jsonb)
                    FROM ports p JOIN devices d ON d.id = p.device WHERE p.connection = k.id),
        'vlan_config', network_service_config_json(c)->'vlan_config',
        'capacity', c.capacity,
        'macs', (SELECT coalesce(jsonb_agg(DISTINCT m.canonical_address ORDER BY m.canonical_address), '[]'::jsonb)
                   FROM network_service_config_macs x JOIN macs m ON m.id = x.mac
                  WHERE x.network_service_config = c.id),
        'max_macs', s.max_macs_per_config);
END
$$;

-- Of the candidates, the MACs whose DELETE waits and that no config still
-- holding its MACs (nsc_is_live) uses: removed, each with its audit event
-- (no actor: it follows from the config's change).
CREATE FUNCTION macs_release(candidates bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH gone AS (
        DELETE FROM macs m
         WHERE m.id = ANY (candidates) AND m.delete_requested_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM network_service_config_macs x
                             JOIN network_service_configs c ON c.id = x.network_service_config
                            WHERE x.mac = m.id AND nsc_is_live(c.state))
        RETURNING m.id, mac_json(m) AS j)
    INSERT INTO events (action, object_type, object_id, old_value)
    SELECT 'delete', 'mac', g.id::text, g.j FROM gone g;
END
$$;

CREATE FUNCTION macs_release_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'network_service_config_macs' THEN
        PERFORM macs_release(ARRAY[OLD.mac]);
    ELSE
        PERFORM macs_release(ARRAY(SELECT x.mac FROM network_service_config_macs x
                                    WHERE x.network_service_config = NEW.id));
    END IF;
    RETURN NULL;
END
$$;

-- At commit, so that a write which replaces a config's MACs (delete, then
-- insert) or moves its state and its MACs at once is judged by its result.
CREATE CONSTRAINT TRIGGER network_service_configs_release_macs
    AFTER UPDATE OF state ON network_service_configs DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NOT nsc_is_live(NEW.state))
    EXECUTE FUNCTION macs_release_trigger();
CREATE CONSTRAINT TRIGGER network_service_config_macs_release_macs
    AFTER DELETE ON network_service_config_macs DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION macs_release_trigger();
