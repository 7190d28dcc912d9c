-- The 5-minute slots (UTC, aligned) an interval [t0, t1] overlaps: each
-- slot's start, the seconds of the interval inside it, and the interval's
-- seconds elapsed at the slot's part start (from_s) and end (to_s). A delta
-- d over the interval puts round(d * to_s / total) - round(d * from_s /
-- total) into the slot (total = the interval's seconds): the parts add up
-- to d exactly, in proportion to the overlap. Empty when t1 <= t0.
CREATE OR REPLACE FUNCTION stats_slots(t0 timestamptz, t1 timestamptz)
RETURNS TABLE (slot timestamptz, seconds numeric, from_s numeric, to_s numeric, total numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT s.slot,
           extract(epoch FROM least(t1, s.slot + interval '5 minutes') - greatest(t0, s.slot)),
           extract(epoch FROM greatest(t0, s.slot) - t0),
           extract(epoch FROM least(t1, s.slot + interval '5 minutes') - t0),
           extract(epoch FROM t1 - t0)
      FROM generate_series(to_timestamp(floor(extract(epoch FROM t0) / 300) * 300), t1 - interval '1 microsecond',
                           interval '5 minutes') AS s (slot)
     WHERE t1 > t0
$$;
