-- A custom window of the peer statistics, checked: end after start, at most
-- 35 days (the 5-minute samples are kept that long), else an IX400 naming
-- the query parameter. Returns p_end, or now() when p_end is NULL.
CREATE OR REPLACE FUNCTION peer_stats_window(p_start timestamptz, p_end timestamptz) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    e timestamptz := coalesce(p_end, now());
BEGIN
    IF e <= p_start THEN
        RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'end', MESSAGE = 'end must be after start.';
    END IF;
    IF e - p_start > interval '35 days' THEN
        RAISE EXCEPTION USING ERRCODE = 'IX400', COLUMN = 'start',
            MESSAGE = 'A window of peer statistics spans at most 35 days (the 5-minute samples are kept 35 days).';
    END IF;
    RETURN e;
END
$$;
