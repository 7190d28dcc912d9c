-- The `archive` job: a decommissioned object is archived once it is no
-- longer charged (the day after charged_until, or after its decommission
-- date when it has none; switch_follow schedules it).
CREATE OR REPLACE FUNCTION job_archive(o_type text, o_id bigint, job_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    cur text;
BEGIN
    IF o_type = 'network_service_config' THEN
        SELECT state INTO cur FROM network_service_configs WHERE id = o_id FOR UPDATE;
    ELSIF o_type = 'connection' THEN
        SELECT state INTO cur FROM connections WHERE id = o_id FOR UPDATE;
    ELSIF o_type = 'network_feature_config' THEN
        SELECT state INTO cur FROM network_feature_configs WHERE id = o_id FOR UPDATE;
    ELSIF o_type = 'port_reservation' THEN
        SELECT state INTO cur FROM port_reservations WHERE id = o_id FOR UPDATE;
    END IF;
    IF cur = 'decommissioned' THEN
        PERFORM job_set_state(o_type, o_id, 'archived', job_id);
    END IF;
END
$$;
