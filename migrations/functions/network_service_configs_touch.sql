-- AFTER ... FOR EACH STATEMENT trigger (transition tables old_rows, new_rows)
-- of every table network_service_configs_render() reads besides the configs
-- themselves: renders again, once per statement, the configs whose JSON the
-- statement may have changed (see network_service_config_rendered()). An
-- update counts only when a column the renderer reads changed, so that the
-- updates that follow a config's own change (nsc_ips_follow_state sets the
-- IPs' held_on_lan) do not come back to it. A table the renderer starts to
-- read needs these triggers too (migration 025; the test harness checks
-- network_service_configs_rendered_stale() after every integration test).
CREATE OR REPLACE FUNCTION network_service_configs_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'status_entries' THEN
        -- a config's status entries show in its `status`
        IF TG_OP = 'INSERT' THEN
            ids := ARRAY(SELECT DISTINCT n.object_id FROM new_rows n WHERE n.object_type = 'network_service_config');
        ELSIF TG_OP = 'DELETE' THEN
            ids := ARRAY(SELECT DISTINCT o.object_id FROM old_rows o WHERE o.object_type = 'network_service_config');
        ELSE
            ids := ARRAY(SELECT DISTINCT x.object_id FROM (SELECT n.object_type, n.object_id FROM new_rows n
                                                           UNION ALL
                                                           SELECT o.object_type, o.object_id FROM old_rows o) x
                          WHERE x.object_type = 'network_service_config');
        END IF;
    ELSIF TG_TABLE_NAME = 'network_services' THEN
        -- the product offering a config without its own shows
        ids := ARRAY(SELECT c.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                       JOIN network_service_configs c ON c.network_service = n.id AND c.product_offering IS NULL
                      WHERE n.product_offering IS DISTINCT FROM o.product_offering);
    ELSIF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT DISTINCT n.network_service_config FROM new_rows n);
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT DISTINCT o.network_service_config FROM old_rows o);
    ELSIF TG_TABLE_NAME = 'ips' THEN
        ids := ARRAY(SELECT x.network_service_config FROM (
                   (SELECT n.network_service_config, n.id, n.version FROM new_rows n
                    EXCEPT SELECT o.network_service_config, o.id, o.version FROM old_rows o)
                   UNION
                   (SELECT o.network_service_config, o.id, o.version FROM old_rows o
                    EXCEPT SELECT n.network_service_config, n.id, n.version FROM new_rows n)) x);
    ELSIF TG_TABLE_NAME = 'network_feature_configs' THEN
        ids := ARRAY(SELECT x.network_service_config FROM (
                   (SELECT n.network_service_config, n.id FROM new_rows n
                    EXCEPT SELECT o.network_service_config, o.id FROM old_rows o)
                   UNION
                   (SELECT o.network_service_config, o.id FROM old_rows o
                    EXCEPT SELECT n.network_service_config, n.id FROM new_rows n)) x);
    ELSIF TG_TABLE_NAME = 'network_service_config_macs' THEN
        ids := ARRAY(SELECT x.network_service_config FROM (
                   (SELECT n.network_service_config, n.mac FROM new_rows n
                    EXCEPT SELECT o.network_service_config, o.mac FROM old_rows o)
                   UNION
                   (SELECT o.network_service_config, o.mac FROM old_rows o
                    EXCEPT SELECT n.network_service_config, n.mac FROM new_rows n)) x);
    ELSIF TG_TABLE_NAME = 'network_service_config_role_assignments' THEN
        ids := ARRAY(SELECT x.network_service_config FROM (
                   (SELECT n.network_service_config, n.role_assignment FROM new_rows n
                    EXCEPT SELECT o.network_service_config, o.role_assignment FROM old_rows o)
                   UNION
                   (SELECT o.network_service_config, o.role_assignment FROM old_rows o
                    EXCEPT SELECT n.network_service_config, n.role_assignment FROM new_rows n)) x);
    ELSE
        RAISE EXCEPTION 'network_service_configs_touch: no rule for % of %', TG_OP, TG_TABLE_NAME;
    END IF;
    IF cardinality(ids) > 0 THEN
        UPDATE network_service_configs SET rendered = NULL WHERE id = ANY (ids);
    END IF;
    RETURN NULL;
END
$$;
