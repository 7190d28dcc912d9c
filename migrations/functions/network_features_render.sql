-- Network features as IX-API shows them, any number of rows at once (a list
-- renders only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION network_features_render(fs network_features[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT f.id,
           jsonb_build_object(
               'type', f.type, 'id', f.id::text, 'name', f.name, 'required', f.required,
               'nfc_required_contact_roles', coalesce(roles.v, '[]'::jsonb),
               'flags', coalesce(flags.v, '[]'::jsonb),
               'network_service', f.network_service::text, 'asn', f.asn, 'fqdn', f.fqdn,
               'looking_glass_url', f.looking_glass_url,
               'address_families', to_jsonb(f.address_families), 'session_mode', f.session_mode,
               'available_bgp_session_types', to_jsonb(f.available_bgp_session_types),
               'ip_v4', host(f.ip_v4), 'ip_v6', host(f.ip_v6))
      FROM unnest(fs) f
      LEFT JOIN LATERAL (SELECT jsonb_agg(x::text ORDER BY x) AS v
                           FROM unnest(f.nfc_required_contact_roles) AS x) roles ON true
      LEFT JOIN LATERAL (SELECT jsonb_agg(jsonb_build_object('name', x->>'name', 'description', x->>'description',
                                                             'mandatory', coalesce((x->>'mandatory')::boolean, false))
                                          ORDER BY n) AS v
                           FROM jsonb_array_elements(f.flags) WITH ORDINALITY AS e(x, n)) flags ON true;
END
$$;
