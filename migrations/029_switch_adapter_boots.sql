-- Issue 10: the network follows the database again after an adapter or its
-- switch restarted. Each switch adapter answers a `boot_id` in GET
-- /v1/health (adapter protocol v1): the identity of its running state. The
-- workers of any node check each configured adapter at their start and every
-- IXAPI_ADAPTER_CHECK_MS; a boot_id this table does not hold for the adapter
-- (switch_adapter_booted) replaces the stored one and, in the same
-- transaction, writes one `switch.port_sync` job per port of the adapter's
-- devices, which PUTs the port's stored desired state again. The row lock of
-- the upsert makes one node, once, write those jobs.
CREATE TABLE switch_adapter_boots (
    adapter text PRIMARY KEY CHECK (char_length(adapter) BETWEEN 1 AND 200),
    boot_id text NOT NULL CHECK (char_length(boot_id) BETWEEN 1 AND 128),
    seen_at timestamptz NOT NULL DEFAULT now()
);
