-- The version of the exchange's ROA table (rs_roas): a digest of its rows
-- in a fixed order, so the same table loaded twice (in any order) is the
-- same version. The route-server adapters keep the table they were given
-- under this name (PUT /v1/roas); a route server's desired state names it
-- instead of carrying half a million ROAs with every session change.
CREATE OR REPLACE FUNCTION rs_roas_digest() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT 'roas-' || md5(coalesce(string_agg(r.prefix::text || ' ' || r.max_length || ' ' || r.asn, ','
                                              ORDER BY r.prefix, r.max_length, r.asn), ''))
      FROM rs_roas r
$$;
