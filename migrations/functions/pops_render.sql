-- Points of presence as IX-API shows them, any number of rows at once (a list
-- renders only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION pops_render(ps pops[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH p AS (SELECT * FROM unnest(ps)),
    d AS (SELECT d.pop, jsonb_agg(d.id::text ORDER BY d.id) AS v
            FROM devices d WHERE d.pop = ANY (ARRAY(SELECT p.id FROM p)) GROUP BY 1)
    SELECT p.id, jsonb_build_object(
               'id', p.id::text,
               'name', p.name,
               'facility', p.facility::text,
               'metro_area_network', p.metro_area_network::text,
               'devices', coalesce(d.v, '[]'::jsonb),
               'availability_zone', p.availability_zone::text)
      FROM p LEFT JOIN d ON d.pop = p.id;
END
$$;
