-- The increase of one uint64 counter between two readings, or NULL when it
-- reset (a decrease that is not a wrap: the switch, its adapter or the port
-- restarted; the interval counts nothing). A 64-bit wrap is an old value
-- within 2^60 of 2^64 followed by a new value below 2^60: the increase is
-- new + 2^64 - old (the caller checks the implied rate against the port's
-- speed). NULL in: NULL out.
CREATE OR REPLACE FUNCTION stats_counter_delta(old numeric, new numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN new >= old THEN new - old
                WHEN old >= 17293822569102704640 AND new < 1152921504606846976
                THEN new + 18446744073709551616 - old
           END
$$;
