-- Sets the status entry of `tag` on an object (replacing an earlier entry of
-- that tag): the IX-API `status` array lists the object's current
-- conditions, one per tag.
CREATE OR REPLACE FUNCTION status_set(o_type text, o_id bigint, tag text, severity integer, message text,
                                      attrs jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM status_entries s WHERE s.object_type = o_type AND s.object_id = o_id AND s.tag = status_set.tag;
    INSERT INTO status_entries (object_type, object_id, severity, tag, message, attrs)
    VALUES (o_type, o_id, severity, tag, left(message, 1000), coalesce(attrs, '{}'::jsonb));
END
$$;
