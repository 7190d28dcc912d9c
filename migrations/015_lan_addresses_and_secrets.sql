-- needs: ips_lan_guard, nsc_ips_follow_state, events_without_secrets, jobs_without_secrets
-- needs: jsonb_without_secrets, scrub_stored_secrets
-- Two holes closed where the storage layer cannot be bypassed:
--
-- 1. Addresses the exchange allocated from a peering LAN (an IP linked to
--    a LAN config, network_service_config set) keep their place on the
--    LAN: inside its subnet, never its network or (IPv4) broadcast
--    address, never a route server's, with the subnet's prefix length; and
--    no two live (not archived) configs hold the same address on one LAN,
--    a unique index on (held_on_lan, address) that the triggers below keep
--    consistent with the configs' states.
-- 2. Secrets (BGP session passwords) never reach the audit trail or the
--    job queue: a "password" key at any depth becomes "has_password", on
--    every insert and update of events and jobs, and in what is stored.

ALTER TABLE ips
    -- the LAN whose address this is while its config is not archived
    -- (maintained by ips_lan_guard and nsc_ips_follow_state, never by
    -- writes); NULL for addresses the exchange did not allocate
    ADD COLUMN held_on_lan bigint REFERENCES network_services (id),
    ADD CONSTRAINT ips_network_service_config_check
        CHECK (network_service_config IS NULL OR network_service IS NOT NULL),
    ADD CONSTRAINT ips_held_on_lan_check
        CHECK (held_on_lan IS NULL OR (held_on_lan = network_service AND network_service_config IS NOT NULL));

-- Addresses the bug let two live configs share cannot be fixed here
-- without choosing a loser: the migration stops and names them.
DO $$
DECLARE
    clash text;
BEGIN
    SELECT string_agg(x.ids, '; ') INTO clash FROM (
        SELECT i.network_service, i.address, string_agg(i.id::text, ', ' ORDER BY i.id) AS ids
          FROM ips i JOIN network_service_configs c ON c.id = i.network_service_config
         WHERE c.state <> 'archived'
         GROUP BY i.network_service, i.address HAVING count(*) > 1) AS x;
    IF clash IS NOT NULL THEN
        RAISE EXCEPTION 'IPs sharing an address on one LAN (re-address all but one, then migrate again): %', clash;
    END IF;
END
$$;

UPDATE ips i SET held_on_lan = i.network_service
  FROM network_service_configs c
 WHERE c.id = i.network_service_config AND c.state <> 'archived';

-- the property a client fixes is the address
CREATE UNIQUE INDEX ips_address_key ON ips (held_on_lan, address) WHERE held_on_lan IS NOT NULL;

CREATE TRIGGER ips_lan_guard BEFORE INSERT OR UPDATE ON ips
    FOR EACH ROW EXECUTE FUNCTION ips_lan_guard();
CREATE TRIGGER nsc_ips_follow_state AFTER UPDATE OF state ON network_service_configs
    FOR EACH ROW WHEN ((OLD.state = 'archived') IS DISTINCT FROM (NEW.state = 'archived'))
    EXECUTE FUNCTION nsc_ips_follow_state();

CREATE TRIGGER events_without_secrets BEFORE INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_without_secrets();
CREATE TRIGGER jobs_without_secrets BEFORE INSERT OR UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_without_secrets();

-- What was stored before: scrubbed (the triggers rewrite the values).
SELECT scrub_stored_secrets();
