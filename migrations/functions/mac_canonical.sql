-- The canonical spelling of a MAC address written in one of the spellings
-- core/mac.c accepts (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff,
-- aabbccddeeff, any case); NULL for anything else.
CREATE OR REPLACE FUNCTION mac_canonical(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    h text := lower(translate(t, ':-.', ''));
BEGIN
    IF t !~ '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$' AND t !~ '^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}$'
       AND t !~ '^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$' AND t !~ '^[0-9A-Fa-f]{12}$' THEN
        RETURN NULL;
    END IF;
    RETURN substr(h, 1, 2) || ':' || substr(h, 3, 2) || ':' || substr(h, 5, 2) || ':' || substr(h, 7, 2) || ':'
        || substr(h, 9, 2) || ':' || substr(h, 11, 2);
END
$$;
