-- Trigger of events (AFTER INSERT): one delivery and one `webhook.deliver`
-- job (payload: the delivery's id only) per active webhook that wants the
-- event's object type and whose owner may see the event, in the event's
-- transaction (the outbox). Without any active webhook: one index probe.
CREATE OR REPLACE FUNCTION events_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    w record;
    d bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhooks WHERE active) THEN
        RETURN NULL;
    END IF;
    FOR w IN SELECT h.id, h.account, h.is_operator FROM webhooks h
              WHERE h.active AND (cardinality(h.object_types) = 0 OR NEW.object_type = ANY (h.object_types))
              ORDER BY h.id LOOP
        IF w.is_operator OR (NEW.account IS NOT NULL AND NEW.account = ANY (events_scope(w.account))) THEN
            INSERT INTO webhook_deliveries (webhook, event) VALUES (w.id, NEW.id) RETURNING id INTO d;
            INSERT INTO jobs (kind, payload) VALUES ('webhook.deliver', jsonb_build_object('id', d::text));
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
