-- Contacts as IX-API shows them, any number of rows at once (a list renders
-- only its page, a read or a write path one row): (rid, j) per row.
CREATE OR REPLACE FUNCTION contacts_render(cs contacts[]) RETURNS TABLE (rid bigint, j jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT c.id, jsonb_build_object(
               'id', c.id::text,
               'managing_account', c.managing_account::text,
               'consuming_account', c.consuming_account::text,
               'external_ref', c.external_ref,
               'name', c.name,
               'telephone', c.telephone,
               'email', c.email)
      FROM unnest(cs) c;
END
$$;
