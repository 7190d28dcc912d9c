-- Keeps held_on_lan in step with the config, and refuses an allocated
-- address that breaks the LAN's rules (checked when the address, version,
-- prefix length or links change; the storage layer checks first and
-- explains, this is the guard).
CREATE OR REPLACE FUNCTION ips_lan_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s network_services;
    config_state text;
    reason text;
BEGIN
    IF NEW.network_service_config IS NULL THEN
        NEW.held_on_lan := NULL;
        RETURN NEW;
    END IF;
    SELECT c.state INTO config_state FROM network_service_configs c WHERE c.id = NEW.network_service_config;
    NEW.held_on_lan := CASE WHEN config_state <> 'archived' THEN NEW.network_service END;
    IF TG_OP = 'UPDATE' AND NEW.address = OLD.address AND NEW.version = OLD.version
       AND NEW.prefix_length = OLD.prefix_length AND NEW.network_service IS NOT DISTINCT FROM OLD.network_service
       AND NEW.network_service_config = OLD.network_service_config THEN
        RETURN NEW;
    END IF;
    SELECT * INTO s FROM network_services WHERE id = NEW.network_service;
    reason := lan_address_problem(s, NEW.address, NEW.id);
    IF reason IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'address', MESSAGE = reason;
    END IF;
    IF NEW.prefix_length <> masklen(CASE NEW.version WHEN 4 THEN s.subnet_v4 ELSE s.subnet_v6 END) THEN
        RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'prefix_length',
            MESSAGE = 'An address allocated from the peering LAN keeps the subnet''s prefix length, /'
                      || masklen(CASE NEW.version WHEN 4 THEN s.subnet_v4 ELSE s.subnet_v6 END) || '.';
    END IF;
    RETURN NEW;
END
$$;
