-- A delivery as GET /webhooks/{id}/deliveries shows it.
CREATE OR REPLACE FUNCTION webhook_delivery_json(d webhook_deliveries) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object(
        'id', d.id::text, 'webhook', d.webhook::text, 'event', d.event::text, 'state', d.state,
        'attempts', d.attempts, 'last_status', d.last_status, 'last_error', d.last_error,
        'delivered_at', CASE WHEN d.delivered_at IS NOT NULL THEN rfc3339(d.delivered_at) END,
        'created_at', rfc3339(d.created_at))
$$;
