-- What the route-server adapter needs for one BGP session. The session
-- password stays in network_feature_configs (the adapter reads it by id):
-- secrets are not copied into the job queue.
CREATE OR REPLACE FUNCTION nfc_route_server_job(f network_feature_configs, action text) RETURNS jsonb
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
