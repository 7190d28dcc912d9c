-- Trigger (deferred to commit) of network_service_configs leaving the live
-- states and of rows deleted from network_service_config_macs: releases the
-- MACs the change may have freed (macs_release).
CREATE OR REPLACE FUNCTION macs_release_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'network_service_config_macs' THEN
        PERFORM macs_release(ARRAY[OLD.mac]);
    ELSE
        PERFORM macs_release(ARRAY(SELECT x.mac FROM network_service_config_macs x
                                    WHERE x.network_service_config = NEW.id));
    END IF;
    RETURN NULL;
END
$$;
