-- Network services, their features, service configs, feature configs and
-- member joining rules (IX-API 2.7.1): the peering LAN (exchange_lan, the
-- operators'), private VLANs between members (p2p_vc, p2mp_vc, mp2mp_vc,
-- cloud_vc), route servers (network features) and the sessions members
-- request with them (feature configs). Side effects on the network are
-- queued in `jobs` by the storage layer, in the same transaction.

CREATE TABLE network_services (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL CHECK (type IN ('exchange_lan', 'p2p_vc', 'p2mp_vc', 'mp2mp_vc', 'cloud_vc')),
    state text NOT NULL DEFAULT 'requested' CHECK (state IN (
        'requested', 'allocated', 'testing', 'production', 'production_change_pending',
        'decommission_requested', 'decommissioned', 'archived', 'error', 'operator', 'scheduled')),
    managing_account bigint NOT NULL REFERENCES accounts (id),
    consuming_account bigint NOT NULL REFERENCES accounts (id),
    billing_account bigint REFERENCES accounts (id),
    external_ref text CHECK (char_length(external_ref) <= 128),
    purchase_order text NOT NULL DEFAULT '' CHECK (char_length(purchase_order) <= 80),
    contract_ref text CHECK (char_length(contract_ref) <= 128),
    product_offering bigint REFERENCES product_offerings (id),
    name text CHECK (char_length(name) <= 40),
    display_name text CHECK (char_length(display_name) <= 256),
    -- exchange_lan
    metro_area_network bigint REFERENCES metro_area_networks (id),
    peeringdb_ixid integer,
    ixfdb_ixid integer,
    subnet_v4 cidr CHECK (family(subnet_v4) = 4 AND masklen(subnet_v4) BETWEEN 8 AND 30),
    subnet_v6 cidr CHECK (family(subnet_v6) = 6 AND masklen(subnet_v6) BETWEEN 32 AND 126),
    -- operator settings of a LAN: the one-MAC-per-port rule (raise per LAN),
    -- and the ceiling of a member's own max-prefix values (the route
    -- servers' advisory: 320K IPv4, 80K IPv6 prefixes)
    max_macs_per_config integer NOT NULL DEFAULT 1 CHECK (max_macs_per_config BETWEEN 1 AND 64),
    max_prefix_ceiling_v4 integer NOT NULL DEFAULT 320000 CHECK (max_prefix_ceiling_v4 >= 0),
    max_prefix_ceiling_v6 integer NOT NULL DEFAULT 80000 CHECK (max_prefix_ceiling_v6 >= 0),
    nsc_required_contact_roles bigint[] NOT NULL DEFAULT '{}',
    -- virtual circuits
    joining_member_account bigint REFERENCES accounts (id),
    capacity integer CHECK (capacity >= 1),
    public boolean NOT NULL DEFAULT false,
    cloud_key text CHECK (char_length(cloud_key) <= 512),
    diversity integer CHECK (diversity >= 1),
    decommission_at date,
    charged_until date,
    current_billing_start_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT network_services_subnet_v4_check2 CHECK (type <> 'exchange_lan' OR (subnet_v4 IS NOT NULL
        AND subnet_v6 IS NOT NULL AND metro_area_network IS NOT NULL AND name IS NOT NULL)),
    CONSTRAINT network_services_joining_member_account_check CHECK (type <> 'p2p_vc' OR joining_member_account IS NOT NULL)
);
CREATE INDEX network_services_managing_account_idx ON network_services (managing_account);
CREATE INDEX network_services_consuming_account_idx ON network_services (consuming_account);

ALTER TABLE product_offerings
    ADD CONSTRAINT product_offerings_exchange_lan_network_service_fkey
        FOREIGN KEY (exchange_lan_network_service) REFERENCES network_services (id);

-- One pending change (capacity / product offering) of a p2p_vc at a time.
CREATE TABLE network_service_change_requests (
    network_service bigint PRIMARY KEY REFERENCES network_services (id) ON DELETE CASCADE,
    product_offering bigint NOT NULL REFERENCES product_offerings (id),
    capacity integer CHECK (capacity >= 1),
    previous_state text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE network_features (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL DEFAULT 'route_server' CHECK (type IN ('route_server')),
    network_service bigint NOT NULL REFERENCES network_services (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    required boolean NOT NULL DEFAULT false,
    asn bigint NOT NULL CHECK (asn BETWEEN 0 AND 4294967295),
    fqdn text NOT NULL CHECK (char_length(fqdn) <= 80),
    ip_v4 inet CHECK (family(ip_v4) = 4),
    ip_v6 inet CHECK (family(ip_v6) = 6),
    looking_glass_url text,
    address_families text[] NOT NULL DEFAULT '{af_inet,af_inet6}',
    session_mode text NOT NULL DEFAULT 'public' CHECK (session_mode IN ('public', 'collector')),
    -- the route servers never open sessions: members connect to them
    available_bgp_session_types text[] NOT NULL DEFAULT '{passive}',
    nfc_required_contact_roles bigint[] NOT NULL DEFAULT '{}',
    -- IXP-specific flags offered to feature configs: [{name, description, mandatory}]
    flags jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX network_features_network_service_idx ON network_features (network_service);

CREATE TABLE network_service_configs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL CHECK (type IN ('exchange_lan', 'p2p_vc', 'p2mp_vc', 'mp2mp_vc', 'cloud_vc')),
    state text NOT NULL DEFAULT 'requested' CHECK (state IN (
        'requested', 'allocated', 'testing', 'production', 'production_change_pending',
        'decommission_requested', 'decommissioned', 'archived', 'error', 'operator', 'scheduled')),
    network_service bigint NOT NULL REFERENCES network_services (id),
    managing_account bigint NOT NULL REFERENCES accounts (id),
    consuming_account bigint NOT NULL REFERENCES accounts (id),
    billing_account bigint NOT NULL REFERENCES accounts (id),
    external_ref text CHECK (char_length(external_ref) <= 128),
    purchase_order text NOT NULL DEFAULT '' CHECK (char_length(purchase_order) <= 80),
    contract_ref text CHECK (char_length(contract_ref) <= 128),
    product_offering bigint REFERENCES product_offerings (id),
    connection bigint NOT NULL REFERENCES connections (id),
    vlan_type text NOT NULL CHECK (vlan_type IN ('port', 'dot1q', 'qinq')),
    vlan integer CHECK (vlan BETWEEN 1 AND 4094),
    vlan_ethertype text CHECK (vlan_ethertype IN ('0x8100', '0x88a8', '0x9100')),
    outer_vlan integer CHECK (outer_vlan BETWEEN 1 AND 4094),
    inner_vlan integer CHECK (inner_vlan BETWEEN 1 AND 4094),
    outer_vlan_ethertype text CHECK (outer_vlan_ethertype IN ('0x8100', '0x88a8', '0x9100')),
    capacity integer CHECK (capacity >= 1),
    listed boolean NOT NULL DEFAULT true,
    consumer_side_ready boolean NOT NULL DEFAULT false,
    asns bigint[] NOT NULL DEFAULT '{}',
    -- who sees the config's statistics (2.7.1 SharedStatisticsConfig):
    -- {"policy": "deny", "accounts_allowed": [...]} (the default: nobody)
    -- or {"policy": "allow", "accounts_denied": [...]}
    shared_statistics jsonb NOT NULL DEFAULT '{"policy": "deny", "accounts_allowed": []}'
        CHECK (shared_statistics->>'policy' IN ('allow', 'deny')),
    decommission_at date,
    charged_until date,
    current_billing_start_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT network_service_configs_vlan_config_check CHECK (
        (vlan_type = 'port' AND vlan IS NULL AND outer_vlan IS NULL AND inner_vlan IS NULL)
        OR (vlan_type = 'dot1q' AND vlan IS NOT NULL AND outer_vlan IS NULL AND inner_vlan IS NULL)
        OR (vlan_type = 'qinq' AND vlan IS NULL AND outer_vlan IS NOT NULL AND inner_vlan IS NOT NULL))
);
CREATE INDEX network_service_configs_network_service_idx ON network_service_configs (network_service);
CREATE INDEX network_service_configs_connection_idx ON network_service_configs (connection);
CREATE INDEX network_service_configs_consuming_account_idx ON network_service_configs (consuming_account);
CREATE INDEX network_service_configs_managing_account_idx ON network_service_configs (managing_account);

-- A config's state holds its VLAN, MACs and IPs until it is archived (or
-- decommissioned, for VLANs and MACs).
CREATE FUNCTION nsc_is_live(state text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT state NOT IN ('decommissioned', 'archived')
$$;

CREATE TABLE network_service_config_macs (
    network_service_config bigint NOT NULL REFERENCES network_service_configs (id) ON DELETE CASCADE,
    mac bigint NOT NULL REFERENCES macs (id),
    PRIMARY KEY (network_service_config, mac)
);
CREATE INDEX network_service_config_macs_mac_idx ON network_service_config_macs (mac);

CREATE TABLE network_service_config_role_assignments (
    network_service_config bigint NOT NULL REFERENCES network_service_configs (id) ON DELETE CASCADE,
    role_assignment bigint NOT NULL REFERENCES role_assignments (id) ON DELETE CASCADE,
    PRIMARY KEY (network_service_config, role_assignment)
);

CREATE TABLE network_feature_configs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL DEFAULT 'route_server' CHECK (type IN ('route_server')),
    state text NOT NULL DEFAULT 'requested' CHECK (state IN (
        'requested', 'allocated', 'testing', 'production', 'production_change_pending',
        'decommission_requested', 'decommissioned', 'archived', 'error', 'operator', 'scheduled')),
    network_feature bigint NOT NULL REFERENCES network_features (id),
    network_service_config bigint NOT NULL REFERENCES network_service_configs (id),
    managing_account bigint NOT NULL REFERENCES accounts (id),
    consuming_account bigint NOT NULL REFERENCES accounts (id),
    billing_account bigint NOT NULL REFERENCES accounts (id),
    external_ref text CHECK (char_length(external_ref) <= 128),
    purchase_order text NOT NULL DEFAULT '' CHECK (char_length(purchase_order) <= 80),
    contract_ref text CHECK (char_length(contract_ref) <= 128),
    asn bigint NOT NULL CHECK (asn BETWEEN 1 AND 4294967295),
    as_set_v4 text CHECK (char_length(as_set_v4) <= 100),
    as_set_v6 text CHECK (char_length(as_set_v6) <= 100),
    max_prefix_v4 integer CHECK (max_prefix_v4 >= 0),
    max_prefix_v6 integer CHECK (max_prefix_v6 >= 0),
    insert_ixp_asn boolean NOT NULL DEFAULT true,
    session_mode text NOT NULL DEFAULT 'public' CHECK (session_mode IN ('public', 'collector')),
    bgp_session_type text NOT NULL DEFAULT 'passive' CHECK (bgp_session_type IN ('active', 'passive')),
    password text NOT NULL DEFAULT '' CHECK (char_length(password) <= 128),
    ip bigint NOT NULL REFERENCES ips (id),
    -- [{name, enabled}]: one filtering mode of the route servers enabled
    flags jsonb NOT NULL DEFAULT '[]',
    decommission_at date,
    charged_until date,
    current_billing_start_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX network_feature_configs_nsc_idx ON network_feature_configs (network_service_config);
CREATE INDEX network_feature_configs_consuming_account_idx ON network_feature_configs (consuming_account);
CREATE INDEX network_feature_configs_managing_account_idx ON network_feature_configs (managing_account);

CREATE TABLE network_feature_config_role_assignments (
    network_feature_config bigint NOT NULL REFERENCES network_feature_configs (id) ON DELETE CASCADE,
    role_assignment bigint NOT NULL REFERENCES role_assignments (id) ON DELETE CASCADE,
    PRIMARY KEY (network_feature_config, role_assignment)
);

CREATE TABLE member_joining_rules (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL CHECK (type IN ('allow', 'deny')),
    network_service bigint NOT NULL REFERENCES network_services (id) ON DELETE CASCADE,
    managing_account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    consuming_account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    external_ref text CHECK (char_length(external_ref) <= 128),
    capacity_min integer CHECK (capacity_min >= 1),
    capacity_max integer CHECK (capacity_max >= 1),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT member_joining_rules_capacity_max_check2 CHECK (capacity_min IS NULL OR capacity_max IS NULL
                                                               OR capacity_min <= capacity_max),
    CONSTRAINT member_joining_rules_capacity_min_check2 CHECK (type = 'allow' OR (capacity_min IS NULL
                                                                                AND capacity_max IS NULL)),
    -- one rule per account and service
    CONSTRAINT member_joining_rules_consuming_account_key UNIQUE (network_service, consuming_account)
);

-- IPs now reference what they serve.
ALTER TABLE ips
    ADD CONSTRAINT ips_network_service_fkey FOREIGN KEY (network_service) REFERENCES network_services (id),
    ADD CONSTRAINT ips_network_service_config_fkey
        FOREIGN KEY (network_service_config) REFERENCES network_service_configs (id),
    ADD CONSTRAINT ips_network_feature_fkey FOREIGN KEY (network_feature) REFERENCES network_features (id),
    ADD CONSTRAINT ips_network_feature_config_fkey
        FOREIGN KEY (network_feature_config) REFERENCES network_feature_configs (id);
CREATE INDEX ips_network_service_config_idx ON ips (network_service_config);

-- Who sees a network service: operators; everyone the exchange_lan; the
-- owners; the joining member of a p2p_vc; everyone a public one; accounts
-- an allow rule names; accounts with a config on it. The one place of the
-- rule for services (their features follow their service).
CREATE FUNCTION network_service_visible(s network_services, viewer bigint, viewer_is_operator boolean)
RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    IF viewer_is_operator OR s.type = 'exchange_lan' OR s.public THEN
        RETURN true;
    END IF;
    RETURN owner_in_scope(s.managing_account, s.consuming_account, viewer, false)
        OR (s.joining_member_account IS NOT NULL AND account_in_scope(s.joining_member_account, viewer, false))
        OR EXISTS (SELECT 1 FROM member_joining_rules r
                    WHERE r.network_service = s.id AND r.type = 'allow'
                      AND account_in_scope(r.consuming_account, viewer, false))
        OR EXISTS (SELECT 1 FROM network_service_configs c
                    WHERE c.network_service = s.id
                      AND owner_in_scope(c.managing_account, c.consuming_account, viewer, false));
END
$$;

CREATE FUNCTION network_service_json_all(s network_services) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    j jsonb;
BEGIN
    j := jsonb_build_object(
        'type', s.type, 'id', s.id::text, 'state', s.state, 'status', '[]'::jsonb,
        'managing_account', s.managing_account::text, 'consuming_account', s.consuming_account::text,
        'external_ref', s.external_ref,
        'product_offering', s.product_offering::text,
        'nsc_required_contact_roles', (SELECT coalesce(jsonb_agg(r::text ORDER BY r), '[]'::jsonb)
                                         FROM unnest(s.nsc_required_contact_roles) AS r),
        'network_features', (SELECT coalesce(jsonb_agg(f.id::text ORDER BY f.id), '[]'::jsonb)
                               FROM network_features f WHERE f.network_service = s.id));
    IF s.type = 'exchange_lan' THEN
        RETURN j || jsonb_build_object(
            'name', s.name, 'metro_area_network', s.metro_area_network::text,
            'peeringdb_ixid', s.peeringdb_ixid, 'ixfdb_ixid', s.ixfdb_ixid,
            'subnet_v4', s.subnet_v4::text, 'subnet_v6', s.subnet_v6::text);
    END IF;
    j := j - 'network_features' || jsonb_build_object(
        'billing_account', s.billing_account::text, 'purchase_order', s.purchase_order,
        'contract_ref', s.contract_ref,
        'decommission_at', to_char(s.decommission_at, 'YYYY-MM-DD'),
        'charged_until', to_char(s.charged_until, 'YYYY-MM-DD'),
        'current_billing_start_date', to_char(s.current_billing_start_date, 'YYYY-MM-DD'),
        'display_name', s.display_name);
    IF s.type = 'p2p_vc' THEN
        RETURN j || jsonb_build_object('joining_member_account', s.joining_member_account::text,
                                       'capacity', s.capacity);
    ELSIF s.type = 'cloud_vc' THEN
        RETURN j || jsonb_build_object('capacity', s.capacity, 'cloud_key', s.cloud_key,
                                       'diversity', coalesce(s.diversity, 1));
    END IF;
    RETURN j || jsonb_build_object(
        'name', s.name, 'public', s.public,
        'network_features', (SELECT coalesce(jsonb_agg(f.id::text ORDER BY f.id), '[]'::jsonb)
                               FROM network_features f WHERE f.network_service = s.id),
        'member_joining_rules', (SELECT coalesce(jsonb_agg(r.id::text ORDER BY r.id), '[]'::jsonb)
                                   FROM member_joining_rules r WHERE r.network_service = s.id));
END
$$;

CREATE FUNCTION network_feature_json(f network_features) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'type', f.type, 'id', f.id::text, 'name', f.name, 'required', f.required,
        'nfc_required_contact_roles', (SELECT coalesce(jsonb_agg(r::text ORDER BY r), '[]'::jsonb)
                                         FROM unnest(f.nfc_required_contact_roles) AS r),
        'flags', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', x->>'name', 'description', x->>'description',
                                                               'mandatory', coalesce((x->>'mandatory')::boolean, false))),
                                  '[]'::jsonb) FROM jsonb_array_elements(f.flags) AS x),
        'network_service', f.network_service::text, 'asn', f.asn, 'fqdn', f.fqdn,
        'looking_glass_url', f.looking_glass_url,
        'address_families', to_jsonb(f.address_families), 'session_mode', f.session_mode,
        'available_bgp_session_types', to_jsonb(f.available_bgp_session_types),
        'ip_v4', host(f.ip_v4), 'ip_v6', host(f.ip_v6));
END
$$;

CREATE FUNCTION network_service_config_json_all(c network_service_configs) RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    j jsonb;
BEGIN
    j := jsonb_build_object(
        'type', c.type, 'id', c.id::text, 'state', c.state, 'status', '[]'::jsonb,
        'network_service', c.network_service::text,
        'managing_account', c.managing_account::text, 'consuming_account', c.consuming_account::text,
        'billing_account', c.billing_account::text, 'external_ref', c.external_ref,
        'purchase_order', c.purchase_order, 'contract_ref', c.contract_ref,
        'product_offering', coalesce(c.product_offering,
                                     (SELECT s.product_offering FROM network_services s WHERE s.id = c.network_service))::text,
        'decommission_at', to_char(c.decommission_at, 'YYYY-MM-DD'),
        'charged_until', to_char(c.charged_until, 'YYYY-MM-DD'),
        'current_billing_start_date', to_char(c.current_billing_start_date, 'YYYY-MM-DD'),
        'role_assignments', (SELECT coalesce(jsonb_agg(r.role_assignment::text ORDER BY r.role_assignment), '[]'::jsonb)
                               FROM network_service_config_role_assignments r WHERE r.network_service_config = c.id),
        'connection', c.connection::text,
        'capacity', c.capacity,
        'vlan_config', CASE c.vlan_type
            WHEN 'port' THEN jsonb_build_object('vlan_type', 'port')
            WHEN 'dot1q' THEN jsonb_build_object('vlan_type', 'dot1q', 'vlan', c.vlan,
                                                 'vlan_ethertype', coalesce(c.vlan_ethertype, '0x8100'))
            ELSE jsonb_build_object('vlan_type', 'qinq', 'outer_vlan', c.outer_vlan, 'inner_vlan', c.inner_vlan,
                                    'outer_vlan_ethertype', coalesce(c.outer_vlan_ethertype, '0x8100')) END);
    IF c.type = 'exchange_lan' THEN
        j := j || jsonb_build_object(
            'asns', to_jsonb(c.asns), 'listed', c.listed, 'consumer_side_ready', c.consumer_side_ready,
            'shared_statistics', c.shared_statistics,
            'macs', (SELECT coalesce(jsonb_agg(m.mac::text ORDER BY m.mac), '[]'::jsonb)
                       FROM network_service_config_macs m WHERE m.network_service_config = c.id),
            'ips', (SELECT coalesce(jsonb_agg(i.id::text ORDER BY i.version, i.id), '[]'::jsonb)
                      FROM ips i WHERE i.network_service_config = c.id),
            'network_feature_configs', (SELECT coalesce(jsonb_agg(f.id::text ORDER BY f.id), '[]'::jsonb)
                                          FROM network_feature_configs f WHERE f.network_service_config = c.id));
    END IF;
    RETURN j;
END
$$;

CREATE FUNCTION network_feature_config_json_all(c network_feature_configs) RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'type', c.type, 'id', c.id::text, 'state', c.state, 'status', '[]'::jsonb,
        'network_feature', c.network_feature::text, 'network_service_config', c.network_service_config::text,
        'managing_account', c.managing_account::text, 'consuming_account', c.consuming_account::text,
        'billing_account', c.billing_account::text, 'external_ref', c.external_ref,
        'purchase_order', c.purchase_order, 'contract_ref', c.contract_ref,
        'role_assignments', (SELECT coalesce(jsonb_agg(r.role_assignment::text ORDER BY r.role_assignment), '[]'::jsonb)
                               FROM network_feature_config_role_assignments r WHERE r.network_feature_config = c.id),
        'asn', c.asn, 'as_set_v4', c.as_set_v4, 'as_set_v6', c.as_set_v6,
        'max_prefix_v4', c.max_prefix_v4, 'max_prefix_v6', c.max_prefix_v6,
        'insert_ixp_asn', c.insert_ixp_asn, 'session_mode', c.session_mode,
        'bgp_session_type', c.bgp_session_type, 'password', c.password,
        'ip', c.ip::text,
        'flags', c.flags,
        'decommission_at', to_char(c.decommission_at, 'YYYY-MM-DD'),
        'charged_until', to_char(c.charged_until, 'YYYY-MM-DD'),
        'current_billing_start_date', to_char(c.current_billing_start_date, 'YYYY-MM-DD'));
END
$$;

CREATE FUNCTION member_joining_rule_json(r member_joining_rules) RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    j jsonb;
BEGIN
    j := jsonb_build_object(
        'type', r.type, 'id', r.id::text, 'network_service', r.network_service::text,
        'managing_account', r.managing_account::text, 'consuming_account', r.consuming_account::text,
        'external_ref', r.external_ref);
    IF r.type = 'allow' THEN
        j := j || jsonb_build_object('capacity_min', r.capacity_min, 'capacity_max', r.capacity_max);
    END IF;
    RETURN j;
END
$$;

-- An account's ASNs (2.7.1: "associated with this account through network
-- service or network feature configurations"), plus those it registered
-- with the exchange.
CREATE OR REPLACE FUNCTION account_json(a accounts) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    j jsonb;
BEGIN
    j := jsonb_build_object(
        'id', a.id::text,
        'state', a.state,
        'status', '[]'::jsonb,
        'managing_account', a.managing_account::text,
        'name', a.name,
        'legal_name', a.legal_name,
        'external_ref', a.external_ref,
        'discoverable', a.discoverable,
        'metro_area_network_presence', to_jsonb(a.metro_area_network_presence),
        'address', a.address,
        'asns', (SELECT coalesce(jsonb_agg(DISTINCT x.asn ORDER BY x.asn), '[]'::jsonb) FROM (
                   SELECT asn FROM account_asns WHERE account_id = a.id
                   UNION SELECT unnest(c.asns) FROM network_service_configs c
                          WHERE c.consuming_account = a.id AND nsc_is_live(c.state)
                   UNION SELECT f.asn FROM network_feature_configs f
                          WHERE f.consuming_account = a.id AND nsc_is_live(f.state)) AS x));
    IF a.billing_information IS NOT NULL THEN
        j := j || jsonb_build_object('billing_information', a.billing_information);
    END IF;
    RETURN j;
END
$$;

-- The lowest free host address of a LAN's subnet for one family: never the
-- network or (IPv4) broadcast address, never a route server's address,
-- never one a live config holds. Candidates are bounded by the count of
-- taken addresses, so an IPv6 /64 is searched as cheaply as an IPv4 /24.
-- NULL when the subnet is exhausted. Callers lock the service row first.
CREATE FUNCTION lan_free_address(s network_services, fam integer) RETURNS inet
LANGUAGE plpgsql STABLE AS $$
DECLARE
    net cidr := CASE fam WHEN 4 THEN s.subnet_v4 ELSE s.subnet_v6 END;
    hosts numeric;
    taken bigint;
    candidate inet;
BEGIN
    hosts := power(2::numeric, (CASE fam WHEN 4 THEN 32 ELSE 128 END) - masklen(net));
    hosts := hosts - CASE fam WHEN 4 THEN 2 ELSE 1 END; -- offsets 1 .. hosts
    SELECT count(*) INTO taken FROM (
        SELECT i.address FROM ips i JOIN network_service_configs c ON c.id = i.network_service_config
         WHERE c.network_service = s.id AND c.state <> 'archived' AND family(i.address) = fam
        UNION SELECT CASE fam WHEN 4 THEN f.ip_v4 ELSE f.ip_v6 END FROM network_features f
         WHERE f.network_service = s.id) AS t;
    SELECT host(net + n)::inet INTO candidate
      FROM generate_series(1::bigint, least(taken + 1, hosts)::bigint) AS n
     WHERE NOT EXISTS (SELECT 1 FROM ips i JOIN network_service_configs c ON c.id = i.network_service_config
                        WHERE c.network_service = s.id AND c.state <> 'archived'
                          AND host(i.address) = host(net + n))
       AND NOT EXISTS (SELECT 1 FROM network_features f
                        WHERE f.network_service = s.id
                          AND host(CASE fam WHEN 4 THEN f.ip_v4 ELSE f.ip_v6 END) = host(net + n))
     ORDER BY n LIMIT 1;
    RETURN candidate;
END
$$;

-- What the switch adapter needs to put a service config on the wire (or
-- take it off): the connection's ports, the VLAN, the MACs the port may
-- learn (one per port by default), the state (quarantine until production).
CREATE FUNCTION nsc_switch_job(c network_service_configs, action text) RETURNS jsonb
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
        'macs', (SELECT coalesce(jsonb_agg(m.address ORDER BY m.address), '[]'::jsonb)
                   FROM network_service_config_macs x JOIN macs m ON m.id = x.mac
                  WHERE x.network_service_config = c.id),
        'max_macs', s.max_macs_per_config);
END
$$;

-- What the route-server adapter needs for one BGP session. The session
-- password stays in network_feature_configs (the adapter reads it by id):
-- secrets are not copied into the job queue.
CREATE FUNCTION nfc_route_server_job(f network_feature_configs, action text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    rs network_features;
    i ips;
BEGIN
    SELECT * INTO rs FROM network_features WHERE id = f.network_feature;
    SELECT * INTO i FROM ips WHERE id = f.ip;
    RETURN jsonb_build_object(
        'action', action, 'network_feature_config', f.id::text, 'state', f.state,
        'network_service_config', f.network_service_config::text,
        'route_server', jsonb_build_object('id', rs.id::text, 'name', rs.name, 'asn', rs.asn, 'fqdn', rs.fqdn,
                                           'ip_v4', host(rs.ip_v4), 'ip_v6', host(rs.ip_v6)),
        'peer', jsonb_build_object('asn', f.asn, 'ip', host(i.address), 'ip_version', i.version::integer,
                                   'as_set_v4', f.as_set_v4, 'as_set_v6', f.as_set_v6,
                                   'max_prefix_v4', f.max_prefix_v4, 'max_prefix_v6', f.max_prefix_v6,
                                   'insert_ixp_asn', f.insert_ixp_asn, 'session_mode', f.session_mode,
                                   'bgp_session_type', f.bgp_session_type, 'has_password', f.password <> ''),
        'filtering_mode', coalesce((SELECT x->>'name' FROM jsonb_array_elements(f.flags) AS x
                                     WHERE (x->>'enabled')::boolean LIMIT 1), 'irrdb_rpki'));
END
$$;

-- Decommissioning cascades down (service -> its configs -> their feature
-- configs), never up. Each object that changes gets its audit event and
-- its job, all in the caller's transaction.
CREATE FUNCTION nfc_decommission(f_id bigint, at date, until date, actor bigint, actor_key bigint, rid text,
                                 record_event boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    f network_feature_configs;
    before jsonb;
BEGIN
    SELECT * INTO f FROM network_feature_configs WHERE id = f_id FOR UPDATE;
    IF NOT FOUND OR f.state IN ('decommission_requested', 'decommissioned', 'archived') THEN
        RETURN;
    END IF;
    before := network_feature_config_json(f);
    UPDATE network_feature_configs SET state = 'decommission_requested', decommission_at = at,
           charged_until = until, updated_at = now()
     WHERE id = f_id RETURNING * INTO f;
    INSERT INTO jobs (kind, payload, run_after) VALUES ('route_server.session', nfc_route_server_job(f, 'remove'), at);
    IF NOT record_event THEN
        RETURN;
    END IF;
    INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value, new_value)
    VALUES (actor, actor_key, rid, 'decommission', 'network_feature_config', f_id::text, before,
            network_feature_config_json(f));
END
$$;

CREATE FUNCTION nsc_decommission(c_id bigint, at date, until date, actor bigint, actor_key bigint, rid text,
                                 record_event boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c network_service_configs;
    before jsonb;
    f_id bigint;
BEGIN
    SELECT * INTO c FROM network_service_configs WHERE id = c_id FOR UPDATE;
    IF NOT FOUND OR c.state IN ('decommission_requested', 'decommissioned', 'archived') THEN
        RETURN;
    END IF;
    before := network_service_config_json(c);
    FOR f_id IN SELECT id FROM network_feature_configs WHERE network_service_config = c_id ORDER BY id LOOP
        PERFORM nfc_decommission(f_id, at, until, actor, actor_key, rid, true);
    END LOOP;
    UPDATE network_service_configs SET state = 'decommission_requested', decommission_at = at,
           charged_until = until, updated_at = now()
     WHERE id = c_id RETURNING * INTO c;
    INSERT INTO jobs (kind, payload, run_after) VALUES ('switch.port_vlan', nsc_switch_job(c, 'remove'), at);
    IF record_event THEN
        INSERT INTO events (actor_account, actor_api_key, request_id, action, object_type, object_id, old_value,
                            new_value)
        VALUES (actor, actor_key, rid, 'decommission', 'network_service_config', c_id::text, before,
                network_service_config_json(c));
    END IF;
END
$$;

CREATE FUNCTION network_service_decommission(s_id bigint, at date, until date, actor bigint, actor_key bigint,
                                             rid text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c_id bigint;
BEGIN
    FOR c_id IN SELECT id FROM network_service_configs WHERE network_service = s_id ORDER BY id LOOP
        PERFORM nsc_decommission(c_id, at, until, actor, actor_key, rid, true);
    END LOOP;
    UPDATE network_services SET state = 'decommission_requested', decommission_at = at, charged_until = until,
           updated_at = now()
     WHERE id = s_id;
    INSERT INTO jobs (kind, payload, run_after)
    VALUES ('network_service.decommission', jsonb_build_object('network_service', s_id::text), at);
END
$$;

-- The VLAN a config asks for on its connection, checked against the live
-- configs already there (VLAN ids unique per connection, qinq pairs unique,
-- a `port` config takes the whole connection); a null vlan / outer_vlan is
-- the lowest free one. Returns the VLAN config with ids filled in, or
-- {"error": reason}. Callers lock the connection first.
CREATE FUNCTION nsc_vlan_choice(conn bigint, exclude bigint, vc jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    kind text := vc->>'vlan_type';
    other record;
    chosen integer;
    inner_id integer := (vc->>'inner_vlan')::integer;
BEGIN
    SELECT c.id, c.vlan_type INTO other FROM network_service_configs c
     WHERE c.connection = conn AND c.id IS DISTINCT FROM exclude AND nsc_is_live(c.state)
       AND (c.vlan_type = 'port' OR kind = 'port') LIMIT 1;
    IF FOUND THEN
        RETURN jsonb_build_object('error', CASE WHEN other.vlan_type = 'port'
            THEN 'The connection is taken whole by network service config ' || other.id || ' (vlan_type port).'
            ELSE 'A port VLAN config needs the whole connection; network service config ' || other.id
                 || ' uses it.' END);
    END IF;
    IF kind = 'port' THEN
        RETURN vc;
    END IF;
    chosen := CASE kind WHEN 'dot1q' THEN (vc->>'vlan')::integer ELSE (vc->>'outer_vlan')::integer END;
    IF chosen IS NULL THEN
        SELECT n INTO chosen FROM generate_series(1, 4094) AS n
         WHERE NOT EXISTS (SELECT 1 FROM network_service_configs c
                            WHERE c.connection = conn AND c.id IS DISTINCT FROM exclude AND nsc_is_live(c.state)
                              AND (c.vlan = n OR (c.outer_vlan = n AND (kind = 'dot1q' OR c.inner_vlan = inner_id))))
         ORDER BY n LIMIT 1;
        IF chosen IS NULL THEN
            RETURN jsonb_build_object('error', 'The connection has no free VLAN left.');
        END IF;
    END IF;
    SELECT c.id INTO other FROM network_service_configs c
     WHERE c.connection = conn AND c.id IS DISTINCT FROM exclude AND nsc_is_live(c.state)
       AND (c.vlan = chosen OR (c.outer_vlan = chosen AND (kind = 'dot1q' OR c.inner_vlan = inner_id)))
     LIMIT 1;
    IF FOUND THEN
        RETURN jsonb_build_object('error', CASE kind WHEN 'dot1q' THEN 'VLAN ' ELSE 'VLAN pair ' END
            || chosen || CASE kind WHEN 'qinq' THEN '/' || inner_id ELSE '' END
            || ' is used on this connection by network service config ' || other.id || '.');
    END IF;
    IF kind = 'dot1q' THEN
        RETURN vc || jsonb_build_object('vlan', chosen);
    END IF;
    RETURN vc || jsonb_build_object('outer_vlan', chosen);
END
$$;

-- The role assignments a service config or feature config names: each a
-- visible assignment of a contact of the object's accounts, together
-- covering the roles `required` lists. NULL when fine, else the reason.
CREATE FUNCTION role_assignments_problem(given jsonb, managing text, consuming text, required bigint[],
                                         viewer bigint, viewer_is_operator boolean)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    n_given integer;
    n_ok integer;
    missing text;
BEGIN
    SELECT count(*) INTO n_given FROM jsonb_array_elements_text(coalesce(given, '[]')) AS g;
    SELECT count(*) INTO n_ok
      FROM jsonb_array_elements_text(coalesce(given, '[]')) AS g
      JOIN role_assignments a ON a.id::text = g JOIN contacts c ON c.id = a.contact
     WHERE contact_in_scope(c, viewer, viewer_is_operator)
       AND (c.consuming_account::text IN (managing, consuming) OR c.managing_account::text IN (managing, consuming));
    IF n_given <> n_ok THEN
        RETURN 'Every item must be a role assignment of a contact of the object''s accounts.';
    END IF;
    SELECT string_agg(r.name, ', ' ORDER BY r.name) INTO missing
      FROM unnest(required) AS need JOIN roles r ON r.id = need
     WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(given, '[]')) AS g
                         JOIN role_assignments a ON a.id::text = g WHERE a.role = need);
    IF missing IS NOT NULL THEN
        RETURN 'Contacts with these roles are required: ' || missing || '.';
    END IF;
    RETURN NULL;
END
$$;

-- IX-API 2.1.0 types decommission_at, charged_until and product_offering of
-- services and configs as strings, not nullable: an unset one is left out
-- rather than sent as null (strict clients reject the null).
CREATE FUNCTION jsonb_without_nulls(j jsonb, keys text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT j - ARRAY(SELECT k FROM unnest(keys) AS k WHERE j->k = 'null'::jsonb)
$$;

CREATE FUNCTION network_service_json(s network_services) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_without_nulls(network_service_json_all(s),
                               '{decommission_at,charged_until,current_billing_start_date,product_offering}')
$$;

CREATE FUNCTION network_service_config_json(c network_service_configs) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_without_nulls(network_service_config_json_all(c),
                               '{decommission_at,charged_until,current_billing_start_date,product_offering}')
$$;

CREATE FUNCTION network_feature_config_json(c network_feature_configs) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_without_nulls(network_feature_config_json_all(c),
                               '{decommission_at,charged_until,current_billing_start_date}')
$$;
