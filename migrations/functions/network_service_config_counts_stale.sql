-- The guard of network_service_config_counts (migration 028): how many
-- owner pairs hold a count other than the number of configs they own now.
-- 0, always: the integration test harness asserts it at the end of every
-- test program, so every write path a test takes is checked (a write that
-- changes configs' owners without the triggers shows here).
CREATE OR REPLACE FUNCTION network_service_config_counts_stale() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT count(*)
      FROM network_service_config_counts k
      FULL JOIN (SELECT c.managing_account, c.consuming_account, count(*) AS total
                   FROM network_service_configs c GROUP BY 1, 2) f
        ON f.managing_account = k.managing_account AND f.consuming_account = k.consuming_account
     WHERE coalesce(k.total, 0) <> coalesce(f.total, 0)
$$;
