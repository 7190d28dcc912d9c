-- MACs as IX-API shows them, any number of rows at once (a list renders only
-- its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION macs_render(ms macs[]) RETURNS TABLE (rid bigint, j jsonb) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT m.id, jsonb_build_object(
               'id', m.id::text,
               'managing_account', m.managing_account::text,
               'consuming_account', m.consuming_account::text,
               'external_ref', m.external_ref,
               'address', m.address,
               'valid_not_before', rfc3339(m.valid_not_before),
               'valid_not_after', rfc3339(m.valid_not_after))
      FROM unnest(ms) m;
END
$$;
