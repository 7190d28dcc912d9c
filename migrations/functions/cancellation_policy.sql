-- The cancellation policy of a contract that started on `started` under
-- an offering's periods: the first possible decommission date on or after
-- `requested` (the notice period counts from `today`), and the day the
-- obligation to pay ends (the end of the initial period, or of the renewal
-- period the decommissioning falls in). Without periods: the requested day.
CREATE OR REPLACE FUNCTION cancellation_policy(started date, requested date, today date, o product_offerings,
                                    OUT decommission_at date, OUT charged_until date)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    initial_end date;
    notice interval;
    period_end date;
BEGIN
    IF o.contract_initial_period IS NULL THEN
        decommission_at := greatest(requested, today);
        charged_until := decommission_at;
        RETURN;
    END IF;
    initial_end := (started + o.contract_initial_period::interval)::date;
    IF today < initial_end THEN
        notice := coalesce(o.contract_initial_notice_period, 'P0D')::interval;
    ELSE
        notice := coalesce(o.contract_renewal_notice_period, 'P0D')::interval;
    END IF;
    decommission_at := greatest(requested, (today + notice)::date);
    IF decommission_at <= initial_end OR o.contract_renewal_period IS NULL THEN
        charged_until := greatest(initial_end, decommission_at);
        RETURN;
    END IF;
    period_end := initial_end;
    WHILE period_end < decommission_at LOOP
        period_end := (period_end + o.contract_renewal_period::interval)::date;
    END LOOP;
    charged_until := period_end;
END
$$;
