-- Product offerings (IX-API 2.7.1 "product-offerings"): what the exchange
-- sells. One table for the polymorphic resource: the columns every type
-- shares, then those of `connection` offerings, then those of service
-- offerings (exchange_lan and the virtual circuits). Durations are ISO 8601
-- (P1M, P2W, P1Y...).
CREATE FUNCTION is_iso8601_duration(d text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT d ~ '^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$'
$$;

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

CREATE FUNCTION product_offering_json(o product_offerings) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    j jsonb;
BEGIN
    j := jsonb_build_object(
        'type', o.type,
        'id', o.id::text,
        'name', o.name,
        'display_name', o.display_name,
        'exchange_logo', o.exchange_logo,
        'service_provider_logo', o.service_provider_logo,
        'product_logo', o.product_logo,
        'resource_type', o.resource_type,
        'handover_metro_area_network', o.handover_metro_area_network::text,
        'handover_metro_area', o.handover_metro_area::text,
        'physical_port_speed', o.physical_port_speed,
        'service_provider', o.service_provider,
        'downgrade_allowed', o.downgrade_allowed,
        'upgrade_allowed', o.upgrade_allowed,
        'orderable_not_before', rfc3339(o.orderable_not_before),
        'orderable_not_after', rfc3339(o.orderable_not_after),
        'contract_terms', o.contract_terms,
        'contract_initial_period', o.contract_initial_period,
        'contract_initial_notice_period', o.contract_initial_notice_period,
        'contract_renewal_period', o.contract_renewal_period,
        'contract_renewal_notice_period', o.contract_renewal_notice_period,
        'notice_period', o.notice_period);
    IF o.type = 'connection' THEN
        RETURN j || jsonb_build_object(
            'cross_connect_initiator', o.cross_connect_initiator,
            'handover_pop', o.handover_pop::text,
            'maximum_port_quantity', o.maximum_port_quantity,
            'required_contact_roles', (SELECT coalesce(jsonb_agg(r::text ORDER BY r), '[]'::jsonb)
                                         FROM unnest(o.required_contact_roles) AS r));
    END IF;
    RETURN j || jsonb_build_object(
        'provider_vlans', o.provider_vlans,
        'service_metro_area_network', o.service_metro_area_network::text,
        'service_metro_area', o.service_metro_area::text,
        'bandwidth_min', o.bandwidth_min,
        'bandwidth_max', o.bandwidth_max,
        'nsc_required_l3_config_fields', to_jsonb(o.nsc_required_l3_config_fields),
        'nsc_supported_l3_config_fields', to_jsonb(o.nsc_supported_l3_config_fields))
        || CASE WHEN o.type = 'exchange_lan'
                THEN jsonb_build_object('exchange_lan_network_service', o.exchange_lan_network_service::text)
                ELSE '{}'::jsonb END;
END
$$;
