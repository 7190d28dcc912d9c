-- Issue 10: the quarantine gate's verdict decides production.
--
-- * quarantine_passed_at: when the config's last quarantine test passed
--   (NULL: not passed, failed, or a re-test is under way). A peering-LAN
--   config in `testing` whose test passed and whose member set
--   consumer_side_ready goes to the peering LAN (switch_port_desired) and,
--   once the adapter confirmed, to `production` (switch_follow).
ALTER TABLE network_service_configs ADD COLUMN quarantine_passed_at timestamptz;
