-- Product offerings as IX-API shows them, any number at once. A connection
-- offering has the connection fields; the others the service fields, and an
-- exchange_lan or cloud_vc one its own on top.
CREATE OR REPLACE FUNCTION product_offerings_render(os product_offerings[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT o.id, jsonb_build_object(
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
               'notice_period', o.notice_period)
           || CASE WHEN o.type = 'connection' THEN jsonb_build_object(
                  'cross_connect_initiator', o.cross_connect_initiator,
                  'handover_pop', o.handover_pop::text,
                  'maximum_port_quantity', o.maximum_port_quantity,
                  'required_contact_roles', (SELECT coalesce(jsonb_agg(r::text ORDER BY r), '[]'::jsonb)
                                               FROM unnest(o.required_contact_roles) AS r))
              ELSE jsonb_build_object(
                  'provider_vlans', o.provider_vlans,
                  'service_metro_area_network', o.service_metro_area_network::text,
                  'service_metro_area', o.service_metro_area::text,
                  'bandwidth_min', o.bandwidth_min,
                  'bandwidth_max', o.bandwidth_max,
                  'nsc_required_l3_config_fields', to_jsonb(o.nsc_required_l3_config_fields),
                  'nsc_supported_l3_config_fields', to_jsonb(o.nsc_supported_l3_config_fields))
                  || CASE o.type
                         WHEN 'exchange_lan' THEN jsonb_build_object(
                             'exchange_lan_network_service', o.exchange_lan_network_service::text)
                         WHEN 'cloud_vc' THEN jsonb_build_object(
                             'service_provider_region', o.service_provider_region,
                             'service_provider_pop', o.service_provider_pop,
                             'service_provider_workflow', o.service_provider_workflow,
                             'delivery_method', o.delivery_method,
                             'diversity', o.diversity)
                         ELSE '{}'::jsonb END
              END
      FROM unnest(os) o;
END
$$;
