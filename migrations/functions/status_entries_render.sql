-- The IX-API `status` arrays of objects of one type, for the renderers:
-- (object id, JSON text of the array), entries in the order they were set.
CREATE OR REPLACE FUNCTION status_entries_render(o_type text, ids bigint[])
RETURNS TABLE (object_id bigint, j text) LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s.object_id,
           json_agg(json_build_object('severity', s.severity, 'tag', s.tag, 'message', s.message,
                                      'attrs', s.attrs, 'timestamp', rfc3339(s.created_at)) ORDER BY s.id)::text
      FROM status_entries s
     WHERE s.object_type = o_type AND s.object_id = ANY (ids)
     GROUP BY s.object_id
$$;
