-- Network feature configs as IX-API shows them, any number at once, one grouped
-- aggregate per child table. They keep `password` in API responses; the events
-- and jobs triggers (events_without_secrets, jobs_without_secrets) turn it into
-- has_password on the way in.
CREATE OR REPLACE FUNCTION network_feature_configs_render(cs network_feature_configs[])
RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH c AS (SELECT * FROM unnest(cs)),
    ra AS (SELECT r.network_feature_config AS k,
                  jsonb_agg(r.role_assignment::text ORDER BY r.role_assignment) AS v
             FROM network_feature_config_role_assignments r
            WHERE r.network_feature_config = ANY (ARRAY(SELECT c.id FROM c)) GROUP BY 1),
    st AS (SELECT * FROM status_entries_render('network_feature_config', ARRAY(SELECT c.id FROM c)))
    SELECT c.id,
           jsonb_without_nulls(
               jsonb_build_object(
                   'type', c.type, 'id', c.id::text, 'state', c.state, 'status', coalesce(st.j::jsonb, '[]'::jsonb),
                   'network_feature', c.network_feature::text, 'network_service_config', c.network_service_config::text,
                   'managing_account', c.managing_account::text, 'consuming_account', c.consuming_account::text,
                   'billing_account', c.billing_account::text, 'external_ref', c.external_ref,
                   'purchase_order', c.purchase_order, 'contract_ref', c.contract_ref,
                   'role_assignments', coalesce(ra.v, '[]'::jsonb),
                   'asn', c.asn, 'as_set_v4', c.as_set_v4, 'as_set_v6', c.as_set_v6,
                   -- the member's own limit, else the one in force (100: the
                   -- dynamic limit while the announced count is unknown)
                   'max_prefix_v4', coalesce(c.max_prefix_v4, c.applied_max_prefix_v4, 100),
                   'max_prefix_v6', coalesce(c.max_prefix_v6, c.applied_max_prefix_v6, 100),
                   'insert_ixp_asn', c.insert_ixp_asn, 'session_mode', c.session_mode,
                   'bgp_session_type', c.bgp_session_type, 'password', c.password,
                   'ip', c.ip::text,
                   'flags', c.flags,
                   'decommission_at', to_char(c.decommission_at, 'YYYY-MM-DD'),
                   'charged_until', to_char(c.charged_until, 'YYYY-MM-DD'),
                   'current_billing_start_date', to_char(c.current_billing_start_date, 'YYYY-MM-DD')),
               '{decommission_at,charged_until,current_billing_start_date}')
      FROM c
      LEFT JOIN ra ON ra.k = c.id
      LEFT JOIN st ON st.object_id = c.id;
END
$$;
