-- The outcome of a stats.peer_poll round, in the transaction that marks it
-- done: arg = {adapters: [{name, devices, reading}], next_ms}; each
-- adapter's reading (GET /v1/peer-counters) goes through
-- peer_stats_record(), and the next round is queued after next_ms.
CREATE OR REPLACE FUNCTION peer_poll_record(job_id bigint, arg jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    a jsonb;
BEGIN
    FOR a IN SELECT * FROM jsonb_array_elements(coalesce(arg->'adapters', '[]'::jsonb)) LOOP
        PERFORM peer_stats_record(a->>'name', ARRAY(SELECT jsonb_array_elements_text(a->'devices')), a->'reading');
    END LOOP;
    INSERT INTO jobs (kind, payload, run_after)
    VALUES ('stats.peer_poll', jsonb_build_object('round', 'after:' || job_id),
            now() + (arg->>'next_ms')::bigint * interval '1 millisecond')
    ON CONFLICT DO NOTHING;
END
$$;
