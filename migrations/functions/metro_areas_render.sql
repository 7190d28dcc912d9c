-- Metro areas as IX-API shows them, any number at once. The catalog: the same
-- for every caller; its lists render only the requested page, children grouped
-- once per list.
CREATE OR REPLACE FUNCTION metro_areas_render(ms metro_areas[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH m AS (SELECT * FROM unnest(ms)),
    f AS (SELECT f.metro_area AS ma, jsonb_agg(f.id::text ORDER BY f.id) AS v
            FROM facilities f WHERE f.metro_area = ANY (ARRAY(SELECT m.id FROM m)) GROUP BY 1),
    n AS (SELECT n.metro_area AS ma, jsonb_agg(n.id::text ORDER BY n.id) AS v
            FROM metro_area_networks n WHERE n.metro_area = ANY (ARRAY(SELECT m.id FROM m)) GROUP BY 1)
    SELECT m.id, jsonb_build_object(
               'id', m.id::text,
               'un_locode', m.un_locode,
               'iata_code', m.iata_code,
               'display_name', m.display_name,
               'facilities', coalesce(f.v, '[]'::jsonb),
               'metro_area_networks', coalesce(n.v, '[]'::jsonb))
      FROM m LEFT JOIN f ON f.ma = m.id LEFT JOIN n ON n.ma = m.id;
END
$$;
