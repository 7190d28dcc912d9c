-- Accounts as IX-API shows them, any number at once (GET /accounts has a
-- handler of its own; its statements join scope_accounts() too): the ASNs and
-- the status entries of the whole page gathered once, the fields by
-- account_object().
CREATE OR REPLACE FUNCTION accounts_render(accs accounts[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH a AS (SELECT * FROM unnest(accs)),
    ids AS (SELECT ARRAY(SELECT a.id FROM a) AS v),
    x AS (SELECT r.account_id AS acc, r.asn FROM account_asns r WHERE r.account_id = ANY ((SELECT v FROM ids)::bigint[])
          UNION SELECT c.consuming_account, unnest(c.asns) FROM network_service_configs c
                 WHERE c.consuming_account = ANY ((SELECT v FROM ids)::bigint[]) AND nsc_is_live(c.state)
          UNION SELECT f.consuming_account, f.asn FROM network_feature_configs f
                 WHERE f.consuming_account = ANY ((SELECT v FROM ids)::bigint[]) AND nsc_is_live(f.state)),
    g AS (SELECT x.acc, jsonb_agg(DISTINCT x.asn ORDER BY x.asn) AS v FROM x GROUP BY 1),
    st AS (SELECT * FROM status_entries_render('account', (SELECT v FROM ids)::bigint[]))
    SELECT a.id, account_object(a::accounts, g.v, st.j::jsonb)
      FROM a LEFT JOIN g ON g.acc = a.id LEFT JOIN st ON st.object_id = a.id;
END
$$;
