-- Trigger of network_service_configs (migration 028): keeps
-- network_service_config_counts, the number of configs per (managing_account,
-- consuming_account), true in the same transaction. FOR EACH STATEMENT
-- after INSERT (transition table new_rows) or DELETE (old_rows): each pair
-- the statement touched once; FOR EACH ROW after an UPDATE that changed an
-- owner column: one config moves from OLD's pair to NEW's. Pairs are
-- written in key order, so that two transactions lock them in the same
-- order. A pair whose count falls to 0 keeps its row (0).
CREATE OR REPLACE FUNCTION network_service_config_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'ROW' THEN
        INSERT INTO network_service_config_counts AS k (managing_account, consuming_account, total)
        SELECT d.m, d.c, d.n
          FROM (VALUES (NEW.managing_account, NEW.consuming_account, 1),
                       (OLD.managing_account, OLD.consuming_account, -1)) AS d (m, c, n)
         ORDER BY d.c, d.m
            ON CONFLICT (consuming_account, managing_account) DO UPDATE SET total = k.total + EXCLUDED.total;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO network_service_config_counts AS k (managing_account, consuming_account, total)
        SELECT n.managing_account, n.consuming_account, count(*) FROM new_rows n
         GROUP BY n.consuming_account, n.managing_account
         ORDER BY n.consuming_account, n.managing_account
            ON CONFLICT (consuming_account, managing_account) DO UPDATE SET total = k.total + EXCLUDED.total;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO network_service_config_counts AS k (managing_account, consuming_account, total)
        SELECT o.managing_account, o.consuming_account, -count(*) FROM old_rows o
         GROUP BY o.consuming_account, o.managing_account
         ORDER BY o.consuming_account, o.managing_account
            ON CONFLICT (consuming_account, managing_account) DO UPDATE SET total = k.total + EXCLUDED.total;
    ELSE
        RAISE EXCEPTION 'network_service_config_counts_follow: no rule for % of %', TG_OP, TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$$;
