-- An audit event as GET /events shows it and webhooks POST it: `data` is
-- the object after the change, `previous` before (secrets were taken out
-- when the event was written: events_without_secrets).
CREATE OR REPLACE FUNCTION event_json(e events) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object(
        'id', e.id::text, 'occurred_at', rfc3339(e.occurred_at), 'action', e.action,
        'object_type', e.object_type, 'object_id', e.object_id, 'account', e.account::text,
        'actor_account', e.actor_account::text, 'data', e.new_value, 'previous', e.old_value)
$$;
