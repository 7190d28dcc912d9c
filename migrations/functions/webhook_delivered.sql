-- The finishing transaction of a `webhook.deliver` job that the receiver
-- answered 2xx (outcome->call_sql): the delivery is delivered. $2:
-- {"delivery": id, "status": HTTP status}.
CREATE OR REPLACE FUNCTION webhook_delivered(job_id bigint, outcome jsonb) RETURNS void LANGUAGE sql AS $$
    UPDATE webhook_deliveries
       SET state = 'delivered', attempts = attempts + 1, last_status = (outcome->>'status')::int,
           last_error = NULL, delivered_at = now()
     WHERE id = id_or_null(outcome->>'delivery') AND state <> 'delivered'
$$;
