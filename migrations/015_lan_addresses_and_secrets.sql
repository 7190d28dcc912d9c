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

-- Why `addr` may not be the address of IP `ip_id` on LAN `s`, or NULL
-- when it may: the rules of lan_free_address (migration 013) for an
-- address chosen by an operator.
CREATE FUNCTION lan_address_problem(s network_services, addr inet, ip_id bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    net cidr := CASE family(addr) WHEN 4 THEN s.subnet_v4 ELSE s.subnet_v6 END;
    rs text;
BEGIN
    IF net IS NULL OR NOT addr << net THEN
        RETURN 'Must lie in the peering LAN''s subnet ' || coalesce(net::text, '(none)') || '.';
    END IF;
    IF host(addr) = host(network(net)) OR (family(addr) = 4 AND host(addr) = host(broadcast(net))) THEN
        RETURN host(addr) || ' is not a host address of ' || net::text || '.';
    END IF;
    SELECT f.name INTO rs FROM network_features f
     WHERE f.network_service = s.id AND host(addr) IN (host(f.ip_v4), host(f.ip_v6)) LIMIT 1;
    IF FOUND THEN
        RETURN host(addr) || ' is the address of route server ' || rs || '.';
    END IF;
    IF EXISTS (SELECT 1 FROM ips o WHERE o.held_on_lan = s.id AND o.address = addr AND o.id <> ip_id) THEN
        RETURN host(addr) || ' is held by another config on this LAN.';
    END IF;
    RETURN NULL;
END
$$;

-- Keeps held_on_lan in step with the config, and refuses an allocated
-- address that breaks the LAN's rules (checked when the address, version,
-- prefix length or links change; the storage layer checks first and
-- explains, this is the guard).
CREATE FUNCTION ips_lan_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- An archived config gives its addresses back; one brought back from
-- archived takes them again (the unique index refuses it if they were
-- handed out meanwhile).
CREATE FUNCTION nsc_ips_follow_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ips SET held_on_lan = CASE WHEN NEW.state <> 'archived' THEN network_service END
     WHERE network_service_config = NEW.id;
    RETURN NULL;
END
$$;

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

-- j with every "password" key (at any depth) replaced by "has_password":
-- whether a secret is set, never the secret.
CREATE FUNCTION jsonb_without_secrets(j jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF j IS NULL OR strpos(j::text, '"password"') = 0 THEN
        RETURN j;
    END IF;
    IF jsonb_typeof(j) = 'object' THEN
        RETURN (SELECT jsonb_object_agg(CASE WHEN k = 'password' THEN 'has_password' ELSE k END,
                                        CASE WHEN k = 'password' THEN to_jsonb(coalesce(v #>> '{}', '') <> '')
                                             ELSE jsonb_without_secrets(v) END)
                  FROM jsonb_each(j) AS e(k, v));
    ELSIF jsonb_typeof(j) = 'array' THEN
        RETURN (SELECT jsonb_agg(jsonb_without_secrets(v) ORDER BY n)
                  FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, n));
    END IF;
    RETURN j;
END
$$;

CREATE FUNCTION events_without_secrets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.old_value := jsonb_without_secrets(NEW.old_value);
    NEW.new_value := jsonb_without_secrets(NEW.new_value);
    RETURN NEW;
END
$$;

CREATE FUNCTION jobs_without_secrets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.payload := jsonb_without_secrets(NEW.payload);
    RETURN NEW;
END
$$;

CREATE TRIGGER events_without_secrets BEFORE INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_without_secrets();
CREATE TRIGGER jobs_without_secrets BEFORE INSERT OR UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_without_secrets();

-- What was stored before: scrubbed (the triggers rewrite the values).
CREATE FUNCTION scrub_stored_secrets() RETURNS void LANGUAGE sql AS $$
    UPDATE events SET old_value = old_value, new_value = new_value
     WHERE strpos(old_value::text, '"password"') > 0 OR strpos(new_value::text, '"password"') > 0;
    UPDATE jobs SET payload = payload WHERE strpos(payload::text, '"password"') > 0;
$$;
SELECT scrub_stored_secrets();
