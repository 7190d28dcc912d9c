-- Issue 11, faults: one route server down, the other keeps serving; the
-- down one's jobs wait and complete after it returns.
--
-- * route_server_adapter_boots: the boot_id each route-server adapter
--   (ixapi-rsd) last answered in GET /v1/health, as switch_adapter_boots
--   (migration 029) for switch adapters. A new one (the adapter restarted,
--   maybe without its state) writes one `route_server.refresh` per route
--   server it serves (rs_adapter_booted), once across nodes (the upsert's
--   row lock).
-- * jobs.waits: the tries of a job that found its route server unreachable
--   (its adapter does not answer, or answers 502/503/504). They do not
--   count as attempts: such a job never goes dead; it waits with backoff
--   and is made due at once when the adapter answers again.
CREATE TABLE route_server_adapter_boots (
    adapter text PRIMARY KEY CHECK (char_length(adapter) BETWEEN 1 AND 200),
    boot_id text NOT NULL CHECK (char_length(boot_id) BETWEEN 1 AND 128),
    seen_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE jobs ADD COLUMN waits integer NOT NULL DEFAULT 0 CHECK (waits >= 0);
