-- A webhook as GET /webhooks shows it: never its secret (POST /webhooks
-- adds it to its answer, once).
CREATE OR REPLACE FUNCTION webhook_json(w webhooks) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object(
        'id', w.id::text, 'account', w.account::text, 'url', w.url, 'object_types', to_jsonb(w.object_types),
        'active', w.active, 'created_at', rfc3339(w.created_at))
$$;
