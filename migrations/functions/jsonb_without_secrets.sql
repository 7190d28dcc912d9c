-- j with every "password" key (at any depth) replaced by "has_password",
-- and every "secret" key (a webhook's signing secret) by "has_secret":
-- whether a secret is set, never the secret.
CREATE OR REPLACE FUNCTION jsonb_without_secrets(j jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF j IS NULL OR (strpos(j::text, '"password"') = 0 AND strpos(j::text, '"secret"') = 0) THEN
        RETURN j;
    END IF;
    IF jsonb_typeof(j) = 'object' THEN
        RETURN (SELECT jsonb_object_agg(CASE WHEN k IN ('password', 'secret') THEN 'has_' || k ELSE k END,
                                        CASE WHEN k IN ('password', 'secret')
                                             THEN to_jsonb(coalesce(v #>> '{}', '') <> '')
                                             ELSE jsonb_without_secrets(v) END)
                  FROM jsonb_each(j) AS e(k, v));
    ELSIF jsonb_typeof(j) = 'array' THEN
        RETURN (SELECT jsonb_agg(jsonb_without_secrets(v) ORDER BY n)
                  FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, n));
    END IF;
    RETURN j;
END
$$;
