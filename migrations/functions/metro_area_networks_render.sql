-- Metro-area networks as IX-API shows them, any number of rows at once (a list
-- renders only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION metro_area_networks_render(ns metro_area_networks[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH n AS (SELECT * FROM unnest(ns)),
    p AS (SELECT p.metro_area_network AS man, jsonb_agg(p.id::text ORDER BY p.id) AS v
            FROM pops p WHERE p.metro_area_network = ANY (ARRAY(SELECT n.id FROM n)) GROUP BY 1)
    SELECT n.id, jsonb_build_object(
               'id', n.id::text,
               'name', n.name,
               'metro_area', n.metro_area::text,
               'service_provider', n.service_provider,
               'pops', coalesce(p.v, '[]'::jsonb))
      FROM n LEFT JOIN p ON p.man = n.id;
END
$$;
