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
