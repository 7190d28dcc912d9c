-- Whether an object with this state and decommission date is off the
-- network: decommissioned or archived, or on its way out and its date has
-- come.
CREATE OR REPLACE FUNCTION switch_object_gone(state text, at date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT state IN ('decommissioned', 'archived')
           OR (state = 'decommission_requested' AND at IS NOT NULL AND at <= current_date)
$$;
