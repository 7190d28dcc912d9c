-- Devices as IX-API shows them, any number of rows at once (a list renders only
-- its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION devices_render(ds devices[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH d AS (SELECT * FROM unnest(ds)),
    c AS (SELECT c.device, jsonb_agg(jsonb_build_object('media_type', c.media_type, 'speed', c.speed,
                                                        'max_lag', c.max_lag, 'availability', c.availability)
                                     ORDER BY c.speed, c.media_type) AS v
            FROM device_capabilities c WHERE c.device = ANY (ARRAY(SELECT d.id FROM d)) GROUP BY 1)
    SELECT d.id, jsonb_build_object(
               'id', d.id::text,
               'name', d.name,
               'pop', d.pop::text,
               'facility', p.facility::text,
               'capabilities', coalesce(c.v, '[]'::jsonb))
      FROM d LEFT JOIN pops p ON p.id = d.pop LEFT JOIN c ON c.device = d.id;
END
$$;
