-- The due time of something promised within n working days of ts: 17:00 UTC
-- of the n-th day after ts's (UTC) date that is not a Saturday or Sunday
-- (an application's review: 2 working days). Public holidays are not known.
CREATE OR REPLACE FUNCTION working_days_after(ts timestamptz, n integer) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    d date := (ts AT TIME ZONE 'UTC')::date;
    remaining integer := n;
BEGIN
    WHILE remaining > 0 LOOP
        d := d + 1;
        IF extract(isodow FROM d) < 6 THEN
            remaining := remaining - 1;
        END IF;
    END LOOP;
    RETURN (d + time '17:00') AT TIME ZONE 'UTC';
END
$$;
