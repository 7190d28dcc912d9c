-- Issue 13, peer statistics and RTT (k6's part; k4's 033 holds the port
-- statistics).
--
-- Per-peer traffic: the switch adapter counts unicast frames per (input
-- port, source MAC, destination MAC) on the peering bridge (GET
-- /v1/peer-counters); stats.peer_poll jobs keep each pair's last reading
-- here and add the deltas to 5-minute slots per (member's config, peer MAC):
-- `in` = from the member to the peer (frames entering at the member's port),
-- `out` = from the peer to the member (frames entering at the peer's port
-- addressed to one of the config's MACs). Not partitioned: a peer's row per
-- slot is small, and peer_stats_record() deletes slots older than 35 days
-- (a few rows per pair per poll); the port statistics' partitioned tables
-- are 033's.
CREATE TABLE peer_stats_readings (
    adapter text NOT NULL,
    port text NOT NULL,
    src_mac text NOT NULL,
    dst_mac text NOT NULL,
    at timestamptz NOT NULL,
    packets numeric(20, 0) NOT NULL,
    octets numeric(20, 0) NOT NULL,
    PRIMARY KEY (adapter, port, src_mac, dst_mac)
);

CREATE TABLE peer_stats_5m (
    network_service_config bigint NOT NULL REFERENCES network_service_configs (id) ON DELETE CASCADE,
    peer_mac text NOT NULL,
    slot timestamptz NOT NULL,  -- the slot's start, aligned to 5 minutes UTC
    seconds real NOT NULL CHECK (seconds > 0 AND seconds <= 300),  -- seconds of counting covered
    in_octets bigint NOT NULL DEFAULT 0,
    out_octets bigint NOT NULL DEFAULT 0,
    in_packets bigint NOT NULL DEFAULT 0,
    out_packets bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (network_service_config, peer_mac, slot)
);
CREATE INDEX peer_stats_5m_slot ON peer_stats_5m (slot);

-- RTT: what the exchange's probe (ixapi-rsd's POST .../probe, from the
-- route server's namespace) measured to each member LAN address; serial
-- increments, so a client polls with ?after=serial. Kept 7 days.
CREATE TABLE rtt_results (
    serial bigserial PRIMARY KEY,
    network_service bigint NOT NULL REFERENCES network_services (id) ON DELETE CASCADE,
    network_feature bigint REFERENCES network_features (id) ON DELETE SET NULL,
    network_service_config bigint REFERENCES network_service_configs (id) ON DELETE SET NULL,
    neighbor text NOT NULL,
    asn bigint,
    ip inet NOT NULL,
    measured_at timestamptz NOT NULL,
    time_ms integer NOT NULL CHECK (time_ms >= 0),
    tx integer NOT NULL CHECK (tx >= 0),
    rx integer NOT NULL CHECK (rx >= 0),
    loss real NOT NULL CHECK (loss >= 0 AND loss <= 1),
    rtt_min_ms double precision,
    rtt_avg_ms double precision,
    rtt_max_ms double precision,
    rtt_mdev_ms double precision
);
CREATE INDEX rtt_results_service ON rtt_results (network_service, serial);
CREATE INDEX rtt_results_measured_at ON rtt_results (measured_at);

-- One round of each statistics job kind waits or runs at a time.
CREATE UNIQUE INDEX jobs_one_peer_stats_round ON jobs (kind)
    WHERE kind IN ('stats.peer_poll', 'stats.rtt') AND state IN ('pending', 'running', 'failed');
