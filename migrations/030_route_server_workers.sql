-- Issue 11: route-server sessions ordered through the API reach the BIRD
-- route servers (the workers' route_server.* jobs, the route-server adapter).
--
-- * error_from on feature configs: a dead route_server.session job puts its
--   config in `error` (as switch jobs do with theirs); a successful re-drive
--   brings it back.
-- * rs_as_sets: AS-SET expansions the exchange imports (bgpq4's JSON output:
--   the IPv4 and IPv6 prefix lists and the origin ASNs), by the AS-SET's
--   IX-API spelling in upper case (`AS-EXAMPLE@RIPE`).
-- * rs_roas: the ROA table the exchange imports (rpki-client / Routinator
--   JSON), replaced whole by each load.
-- * rs_prefix_observations: what each AS announces to the route servers,
--   per family: the accepted count of the last poll and the peak the dynamic
--   max-prefix limit is computed from (bgp_max_prefix_limit()).
-- * one route_server.poll job waits or runs at a time (any node may enqueue
--   it: the second insert conflicts).
ALTER TABLE network_feature_configs ADD COLUMN error_from text;
-- * max_prefix_v4/_v6 NULL: no limit of the member's own (the dynamic
--   per-AS limit applies); until now the API stored 100 (the dynamic limit
--   while the count is unknown) for "none", so a stored 100 becomes NULL.
--   applied_max_prefix_v4/_v6: the limit the route server was last given,
--   which the API shows when the member has none.
ALTER TABLE network_feature_configs ADD COLUMN applied_max_prefix_v4 integer;
ALTER TABLE network_feature_configs ADD COLUMN applied_max_prefix_v6 integer;
UPDATE network_feature_configs SET max_prefix_v4 = NULL WHERE max_prefix_v4 = 100;
UPDATE network_feature_configs SET max_prefix_v6 = NULL WHERE max_prefix_v6 = 100;

CREATE TABLE rs_as_sets (
    name text PRIMARY KEY CHECK (name = upper(name) AND char_length(name) BETWEEN 1 AND 200),
    prefixes_v4 jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(prefixes_v4) = 'array'),
    prefixes_v6 jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(prefixes_v6) = 'array'),
    origins jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(origins) = 'array'),
    loaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rs_roas (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prefix cidr NOT NULL,
    max_length integer NOT NULL,
    asn bigint NOT NULL CHECK (asn BETWEEN 0 AND 4294967295),
    CHECK (max_length BETWEEN masklen(prefix) AND CASE WHEN family(prefix) = 4 THEN 32 ELSE 128 END)
);

CREATE TABLE rs_prefix_observations (
    asn bigint NOT NULL CHECK (asn BETWEEN 1 AND 4294967295),
    family integer NOT NULL CHECK (family IN (4, 6)),
    accepted bigint NOT NULL CHECK (accepted >= 0),
    observed_at timestamptz NOT NULL DEFAULT now(),
    peak bigint NOT NULL CHECK (peak >= 0),
    peak_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (asn, family)
);

CREATE UNIQUE INDEX jobs_one_route_server_poll ON jobs (kind)
    WHERE kind = 'route_server.poll' AND state IN ('pending', 'running', 'failed');
