-- IPs as IX-API shows them, any number of rows at once (a list renders only its
-- page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION ips_render(xs ips[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT i.id, jsonb_build_object(
               'id', i.id::text,
               'managing_account', i.managing_account::text,
               'consuming_account', i.consuming_account::text,
               'external_ref', i.external_ref,
               'version', i.version::integer,
               'address', host(i.address),
               'prefix_length', i.prefix_length::integer,
               'fqdn', i.fqdn,
               'valid_not_before', rfc3339(i.valid_not_before),
               'valid_not_after', rfc3339(i.valid_not_after),
               'network_service', i.network_service::text,
               'network_service_config', i.network_service_config::text,
               'network_feature', i.network_feature::text,
               'network_feature_config', i.network_feature_config::text)
      FROM unnest(xs) i;
END
$$;
