-- Issue 13: traffic statistics from the switch adapters' port counters
-- (the design: /work/briefs/k-stats-design.md; README "Statistics").
--
-- * stats_series: one series per port (its own counters) and per network
--   service (the sum of its ports' deltas, written in the same statement).
-- * stats_5m: 5-minute slots (slot = start, aligned to 5 minutes UTC);
--   `seconds` = seconds of counting the slot holds (0 < seconds <= 300). A
--   poll's delta over [t0, t1] is spread over the slots it overlaps, in
--   proportion to overlap; polls in one slot add up. Daily partitions
--   (stats_5m_pYYYYMMDD), dropped whole after IXAPI_STATS_RAW_DAYS.
-- * stats_1h (monthly partitions stats_1h_pYYYYMM, dropped after
--   IXAPI_STATS_HOURLY_DAYS) and stats_1d (not partitioned: one row per
--   series and day, kept forever): rollups of the complete hour/day,
--   recomputed from the finer table (idempotent). samples = 5-minute slots
--   present; max_* = the highest 5-minute rate of the period (per second),
--   max_in_at/max_out_at = that slot's start.
-- * stats_readings: each port's last raw reading (uint64 counters as
--   numeric(20,0)), the base of the next delta.
-- * in = from the member into the exchange (the switch port's rx), out =
--   towards the member (tx).
-- Partitions are made by stats_partitions_ensure(from, to) (the collector's
-- ingest and the stats.maintain job call it): none here, so the schema does
-- not depend on the day it was made. No foreign key from the sample tables
-- to stats_series: series are never deleted, and the check would cost every
-- ingest.
CREATE TABLE stats_series (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('port', 'network_service')),
    object bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, object)
);

CREATE TABLE stats_5m (
    series bigint NOT NULL,
    slot timestamptz NOT NULL,
    seconds real NOT NULL CHECK (seconds > 0 AND seconds <= 300),
    in_octets bigint NOT NULL,
    out_octets bigint NOT NULL,
    in_packets bigint NOT NULL,
    out_packets bigint NOT NULL,
    in_errors bigint NOT NULL,
    out_errors bigint NOT NULL,
    in_discards bigint NOT NULL,
    out_discards bigint NOT NULL,
    PRIMARY KEY (series, slot)
) PARTITION BY RANGE (slot);

CREATE TABLE stats_1h (
    series bigint NOT NULL,
    slot timestamptz NOT NULL,
    seconds real NOT NULL,
    in_octets bigint NOT NULL,
    out_octets bigint NOT NULL,
    in_packets bigint NOT NULL,
    out_packets bigint NOT NULL,
    in_errors bigint NOT NULL,
    out_errors bigint NOT NULL,
    in_discards bigint NOT NULL,
    out_discards bigint NOT NULL,
    samples integer NOT NULL,
    max_ops_in bigint NOT NULL,
    max_ops_out bigint NOT NULL,
    max_pps_in bigint NOT NULL,
    max_pps_out bigint NOT NULL,
    max_in_at timestamptz,
    max_out_at timestamptz,
    PRIMARY KEY (series, slot)
) PARTITION BY RANGE (slot);

CREATE TABLE stats_1d (
    series bigint NOT NULL,
    slot timestamptz NOT NULL,
    seconds real NOT NULL,
    in_octets bigint NOT NULL,
    out_octets bigint NOT NULL,
    in_packets bigint NOT NULL,
    out_packets bigint NOT NULL,
    in_errors bigint NOT NULL,
    out_errors bigint NOT NULL,
    in_discards bigint NOT NULL,
    out_discards bigint NOT NULL,
    samples integer NOT NULL,
    max_ops_in bigint NOT NULL,
    max_ops_out bigint NOT NULL,
    max_pps_in bigint NOT NULL,
    max_pps_out bigint NOT NULL,
    max_in_at timestamptz,
    max_out_at timestamptz,
    PRIMARY KEY (series, slot)
);

CREATE TABLE stats_readings (
    port bigint PRIMARY KEY REFERENCES ports (id) ON DELETE CASCADE,
    at timestamptz NOT NULL,
    in_octets numeric(20, 0) NOT NULL,
    out_octets numeric(20, 0) NOT NULL,
    in_packets numeric(20, 0) NOT NULL,
    out_packets numeric(20, 0) NOT NULL,
    in_errors numeric(20, 0) NOT NULL,
    out_errors numeric(20, 0) NOT NULL,
    in_discards numeric(20, 0) NOT NULL,
    out_discards numeric(20, 0) NOT NULL,
    boot text
);

-- One stats.poll job per adapter and round (round = the interval's number
-- since the epoch), one stats.rollup / stats.maintain per round: any node
-- may write them, the second insert conflicts.
CREATE UNIQUE INDEX jobs_one_stats_round ON jobs (kind, (coalesce(payload->>'adapter', '')), (payload->>'round'))
    WHERE kind IN ('stats.poll', 'stats.rollup', 'stats.maintain');
