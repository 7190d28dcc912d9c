-- needs: is_iso8601_duration
-- Product offerings (IX-API 2.7.1 "product-offerings"): what the exchange
-- sells. One table for the polymorphic resource: the columns every type
-- shares, then those of `connection` offerings, then those of service
-- offerings (exchange_lan and the virtual circuits). Durations are ISO 8601
-- (P1M, P2W, P1Y...).
CREATE TABLE product_offerings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL CHECK (type IN ('connection', 'exchange_lan', 'p2p_vc', 'p2mp_vc', 'mp2mp_vc', 'cloud_vc')),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    display_name text NOT NULL CHECK (char_length(display_name) <= 256),
    exchange_logo text,
    service_provider_logo text,
    product_logo text,
    resource_type text NOT NULL CHECK (resource_type IN ('connection', 'port_reservation', 'network_service',
                                                         'network_service_config', 'routing_function')),
    handover_metro_area_network bigint NOT NULL REFERENCES metro_area_networks (id),
    handover_metro_area bigint NOT NULL REFERENCES metro_areas (id),
    physical_port_speed integer CHECK (physical_port_speed > 0),
    service_provider text NOT NULL,
    downgrade_allowed boolean NOT NULL DEFAULT false,
    upgrade_allowed boolean NOT NULL DEFAULT false,
    orderable_not_before timestamptz,
    orderable_not_after timestamptz,
    contract_terms text,
    contract_initial_period text CHECK (is_iso8601_duration(contract_initial_period)),
    contract_initial_notice_period text CHECK (is_iso8601_duration(contract_initial_notice_period)),
    contract_renewal_period text CHECK (is_iso8601_duration(contract_renewal_period)),
    contract_renewal_notice_period text CHECK (is_iso8601_duration(contract_renewal_notice_period)),
    notice_period text,
    -- type connection
    cross_connect_initiator text CHECK (cross_connect_initiator IN ('exchange', 'subscriber')),
    handover_pop bigint REFERENCES pops (id),
    maximum_port_quantity integer CHECK (maximum_port_quantity > 0),
    required_contact_roles bigint[] NOT NULL DEFAULT '{}',
    -- service types
    provider_vlans text CHECK (provider_vlans IN ('single', 'multi')),
    service_metro_area_network bigint REFERENCES metro_area_networks (id),
    service_metro_area bigint REFERENCES metro_areas (id),
    bandwidth_min integer CHECK (bandwidth_min >= 0),
    bandwidth_max integer CHECK (bandwidth_max >= 0),
    exchange_lan_network_service bigint, -- foreign key when network services land
    nsc_required_l3_config_fields text[] NOT NULL DEFAULT '{}',
    nsc_supported_l3_config_fields text[] NOT NULL DEFAULT '{}',
    CHECK (type <> 'connection' OR cross_connect_initiator IS NOT NULL),
    CHECK (type = 'connection' OR provider_vlans IS NOT NULL),
    CHECK (bandwidth_min IS NULL OR bandwidth_max IS NULL OR bandwidth_min <= bandwidth_max)
);
