-- The capability_* filters of facilities, pops and devices: does the device
-- offer a port matching every given condition (NULL: no condition)? The
-- parameters are prefixed so that they cannot be taken for columns.
CREATE OR REPLACE FUNCTION device_has_capability(p_device bigint, p_speed integer, p_speed_lt integer,
                                      p_speed_lte integer, p_speed_gt integer, p_speed_gte integer,
                                      p_media text)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM device_capabilities c
         WHERE c.device = p_device
           AND (p_speed IS NULL OR c.speed = p_speed)
           AND (p_speed_lt IS NULL OR c.speed < p_speed_lt)
           AND (p_speed_lte IS NULL OR c.speed <= p_speed_lte)
           AND (p_speed_gt IS NULL OR c.speed > p_speed_gt)
           AND (p_speed_gte IS NULL OR c.speed >= p_speed_gte)
           AND (p_media IS NULL OR c.media_type = p_media))
$$;
