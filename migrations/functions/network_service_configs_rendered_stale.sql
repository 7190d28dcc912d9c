-- The guard of the configs' rendered JSON (migration 025): how many configs
-- hold a `rendered` text other than what network_service_configs_render()
-- makes of them now. 0, always: the integration test harness asserts it at
-- the end of every test program, so every write path a test takes is
-- checked (a dependency of the renderer without its touch trigger shows
-- here).
CREATE OR REPLACE FUNCTION network_service_configs_rendered_stale() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM network_service_configs c
      LEFT JOIN network_service_configs_render(ARRAY(SELECT x FROM network_service_configs x)) r ON r.rid = c.id
     WHERE c.rendered IS DISTINCT FROM r.j
$$;
