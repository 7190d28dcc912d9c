-- What the whole desired state of one route server (a network feature) is
-- made of, read when its job runs (the latest state wins): the route
-- server, its peering LAN (prefixes, max-prefix ceilings), every live
-- session with its MD5 password, explicit limits and the peak its AS was
-- observed announcing per family (NULL: never observed), the AS-SET
-- expansions the sessions name and the ROA table's version (the table goes
-- to the adapter on its own: PUT /v1/roas). server/routeservers/
-- rs_desired.c turns it into the adapter's PUT body. The password is read
-- here and goes only into that body: never into jobs, events or logs.
CREATE OR REPLACE FUNCTION rs_desired_facts(feature_id bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH f AS (SELECT * FROM network_features WHERE id = feature_id),
    s AS (SELECT s.* FROM network_services s JOIN f ON s.id = f.network_service),
    c AS (SELECT n.*, i.address, i.version
            FROM network_feature_configs n JOIN ips i ON i.id = n.ip
           WHERE n.network_feature = feature_id AND rs_config_is_live(n)),
    sets AS (SELECT DISTINCT upper(x) AS name FROM c, LATERAL (VALUES (c.as_set_v4), (c.as_set_v6)) AS v(x)
              WHERE x IS NOT NULL)
    SELECT jsonb_build_object(
        'route_server', jsonb_build_object('id', f.id::text, 'name', f.name, 'fqdn', f.fqdn, 'asn', f.asn,
                                           'ip_v4', host(f.ip_v4), 'ip_v6', host(f.ip_v6)),
        'lan', jsonb_build_object('subnet_v4', s.subnet_v4::text, 'subnet_v6', s.subnet_v6::text,
                                  'max_prefix_ceiling_v4', s.max_prefix_ceiling_v4,
                                  'max_prefix_ceiling_v6', s.max_prefix_ceiling_v6),
        'sessions', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                       'id', c.id::text, 'asn', c.asn, 'ip', host(c.address), 'ip_version', c.version,
                       'password', nullif(c.password, ''),
                       'filtering_mode', (SELECT x->>'name' FROM jsonb_array_elements(c.flags) AS x
                                           WHERE (x->>'enabled')::boolean
                                             AND x->>'name' IN ('irrdb_rpki', 'irrdb', 'rpki', 'tagging') LIMIT 1),
                       'as_set_v4', upper(c.as_set_v4), 'as_set_v6', upper(c.as_set_v6),
                       'max_prefix_v4', c.max_prefix_v4, 'max_prefix_v6', c.max_prefix_v6,
                       'observed_v4', (SELECT o.peak FROM rs_prefix_observations o WHERE o.asn = c.asn AND o.family = 4),
                       'observed_v6', (SELECT o.peak FROM rs_prefix_observations o WHERE o.asn = c.asn AND o.family = 6))
                   ORDER BY c.id)
              FROM c), '[]'::jsonb),
        'as_sets', coalesce((
            SELECT jsonb_object_agg(a.name, jsonb_build_object('prefixes_v4', a.prefixes_v4,
                                                               'prefixes_v6', a.prefixes_v6, 'origins', a.origins))
              FROM rs_as_sets a JOIN sets ON sets.name = a.name), '{}'::jsonb),
        'roas_version', (SELECT v.version FROM rs_roa_version v))
      FROM f JOIN s ON true
$$;
