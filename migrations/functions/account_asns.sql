-- The ASNs of one account, by key (PL/pgSQL: its plan is kept per session).
CREATE OR REPLACE FUNCTION account_asns(acc bigint) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (SELECT jsonb_agg(DISTINCT x.asn ORDER BY x.asn) FROM (
                SELECT r.asn FROM account_asns r WHERE r.account_id = acc
                UNION SELECT unnest(c.asns) FROM network_service_configs c
                       WHERE c.consuming_account = acc AND nsc_is_live(c.state)
                UNION SELECT f.asn FROM network_feature_configs f
                       WHERE f.consuming_account = acc AND nsc_is_live(f.state)) AS x);
END
$$;
