-- IX-API 2.1.0 types decommission_at, charged_until and product_offering of
-- services and configs as strings, not nullable: an unset one is left out
-- rather than sent as null (strict clients reject the null).
CREATE OR REPLACE FUNCTION jsonb_without_nulls(j jsonb, keys text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT j - ARRAY(SELECT k FROM unnest(keys) AS k WHERE j->k = 'null'::jsonb)
$$;
