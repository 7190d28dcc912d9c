-- needs: network_service_config_counts_follow
-- How many network service configs each owner pair holds (issue 9: a page
-- of 100 among 10,000 within 3x a GET by id): the count of a member's own
-- list (X-Total-Count) is a sum over its few pairs here instead of 10,000
-- index entries. Kept true in the same transaction by triggers on the
-- configs (network_service_config_counts_follow()): after each INSERT or
-- DELETE statement, its rows counted once per pair (transition tables);
-- after a row's UPDATE that changes an owner column, the two pairs moved.
-- A config's other updates (its state, its `rendered` JSON) do not fire
-- them. Lists hide no config (every state shows), so a pair's count is
-- what the list counts. network_service_config_counts_stale() compares the
-- table with a fresh count; the integration test harness fails a test
-- program that leaves a difference. (No CHECK (total >= 0): the triggers
-- add negative deltas with INSERT ... ON CONFLICT, whose proposed row a
-- CHECK would refuse before the conflict is seen.)
CREATE TABLE network_service_config_counts (
    managing_account bigint NOT NULL,
    consuming_account bigint NOT NULL,
    total bigint NOT NULL,
    PRIMARY KEY (consuming_account, managing_account)
);
-- a member's configs it manages for another account
CREATE INDEX network_service_config_counts_managed_for_others_idx ON network_service_config_counts (managing_account)
    WHERE managing_account <> consuming_account;

INSERT INTO network_service_config_counts (managing_account, consuming_account, total)
SELECT managing_account, consuming_account, count(*) FROM network_service_configs GROUP BY 1, 2;

CREATE TRIGGER network_service_configs_counts_insert AFTER INSERT ON network_service_configs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_config_counts_follow();
CREATE TRIGGER network_service_configs_counts_delete AFTER DELETE ON network_service_configs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION network_service_config_counts_follow();
CREATE TRIGGER network_service_configs_counts_owner AFTER UPDATE OF managing_account, consuming_account
    ON network_service_configs FOR EACH ROW
    WHEN (OLD.managing_account <> NEW.managing_account OR OLD.consuming_account <> NEW.consuming_account)
    EXECUTE FUNCTION network_service_config_counts_follow();
