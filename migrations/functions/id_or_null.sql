-- A filter's id as the key's type (so the index serves it); NULL, which
-- matches nothing, for text that is not an id.
CREATE OR REPLACE FUNCTION id_or_null(t text) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t ~ '^[0-9]{1,18}$' THEN t::bigint END
$$;
