-- BEFORE INSERT OR UPDATE trigger of network_service_configs: the row's
-- `rendered` column is what network_service_configs_render() makes of it,
-- always (a write never sets it: a touch sets it to NULL and this renders
-- the row again). The child rows a config's JSON names are read as this
-- statement sees them; the statement triggers of network_service_configs_touch()
-- render it again when they change. The renderer's queries take their generic
-- plan here: planning them afresh for one row costs more than running them.
CREATE OR REPLACE FUNCTION network_service_config_rendered() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    NEW.rendered := (SELECT r.j FROM network_service_configs_render(ARRAY[NEW]) r);
    RETURN NEW;
END
$$;
