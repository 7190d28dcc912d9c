#!/usr/bin/env bash
# `make bench` (bench/run.sh calls it), the statistics resources (issue 13):
# a database of its own in the bench's cluster, one year of statistics for
# BENCH_STATS_PORTS (1,000) ports generated in SQL as the collector and its
# rollups would write them — 5-minute samples for the last 35 days
# (stats_5m, daily partitions, slot after slot as the polls arrive),
# hourly rollups for a year (stats_1h, monthly partitions), daily ones
# (stats_1d) — then, side by side (bench/latency.c, one request at a
# time, alternating), one port's statistics against GET of the port
# itself (the baseline of the same run):
#   - the P1Y timeseries (365 daily points from 8,760 hourly rows; goal < 50 ms)
#   - a 30-day aggregate (`start` 30 days back: 8,640 5-minute rows; goal < 20 ms)
#   - all five aggregates (GET …/statistics)
# Usage: bench/stats.sh BUILD (DATABASE_URL: the cluster's conninfo).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
PORTS=${BENCH_STATS_PORTS:-1000}
SECONDS_PER_PAIR=${BENCH_STATS_SECONDS:-10}
work=$(mktemp -d /tmp/ixapi-stats-bench-XXXXXX)
db=ixapi_stats_bench_$$
base_url=$DATABASE_URL
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	psql -q -X "$base_url" -c "DROP DATABASE IF EXISTS $db" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

psql -q -X "$base_url" -c "CREATE DATABASE $db"
export DATABASE_URL="$base_url dbname=$db"
export IXAPI_LOG_LEVEL=warn IXAPI_JWT_KEY_FILE=$work/jwt.key
"$BUILD/ixapid" migrate
"$BUILD/ixapid" seed-demo --credentials "$work/creds.json" >/dev/null
sql() { psql -X -At -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1"; }

port=$(sql "SELECT min(id) FROM ports")
start=$SECONDS
psql -q -X -v ON_ERROR_STOP=1 -v ports="$PORTS" -v port="$port" -f bench/stats-data.sql "$DATABASE_URL"
echo "statistics data: $(sql "SELECT (SELECT count(*) FROM stats_series) || ' series, '
	|| (SELECT count(*) FROM stats_5m) || ' 5-minute samples, ' || (SELECT count(*) FROM stats_1h) || ' hourly and '
	|| (SELECT count(*) FROM stats_1d) || ' daily rollups, ' || pg_size_pretty(sum(pg_total_relation_size(c.oid)))
	FROM pg_class c WHERE c.relname LIKE 'stats\_%' AND c.relkind = 'r'")" "in $((SECONDS - start)) s"

http_port=$(free_port)
IXAPI_PORT=$http_port "$BUILD/ixapid" serve &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$http_port/api/v2/health" >/dev/null && break; sleep 0.1; done
api="http://127.0.0.1:$http_port/api/v2"
token=$(curl -fs -X POST -H 'Content-Type: application/json' \
	-d "$(jq '.operator | {api_key, api_secret}' "$work/creds.json")" "$api/auth/token" | jq -r .access_token)
auth="Authorization: Bearer $token"

# The answers hold what they should (else the figures measure something else).
points=$(curl -fs -H "$auth" "$api/ports/$port/statistics/P1Y/timeseries" | jq '.samples | length')
[ "$points" -ge 365 ] || { echo "bench: the P1Y timeseries has $points points" >&2; exit 1; }
month_start=$(date -u -d '30 days ago' +%Y-%m-%dT%H:%M:%SZ)
accuracy=$(curl -fs -H "$auth" "$api/ports/$port/statistics?start=$month_start" | jq '.aggregates.custom.accuracy')
awk -v a="$accuracy" 'BEGIN { exit !(a > 0.99) }' || { echo "bench: the 30-day aggregate's accuracy is $accuracy" >&2; exit 1; }

pair() { # NAME GOAL_MS URL [BASELINE BASELINE_NAME]
	local out a b na nb
	out=$("$BUILD/bench/latency" -H "$auth" "$SECONDS_PER_PAIR" 5 "$3" "${4:-$api/ports/$port}") ||
		{ echo "bench: $1 failed" >&2; exit 1; }
	read -r a b na nb _ <<<"$out"
	awk -v name="$1" -v goal="$2" -v a="$a" -v b="$b" -v na="$na" -v nb="$nb" -v bn="${5:-GET /ports/{id\}}" 'BEGIN {
		printf "%s: %.1f ms (goal < %s ms) vs %s %.1f ms (%d and %d requests)\n", name, a, goal, bn, b, na, nb
	}'
}
# What reading the rows alone costs (psql's simple protocol, no rates):
# the floor under the 30-day aggregate on this machine at this moment.
series=$(sql "SELECT id FROM stats_series WHERE kind = 'port' AND object = $port")
month_rows="pg:SELECT count(*), sum(in_octets) FROM stats_5m WHERE series = $series
	AND slot >= now() - interval '30 days'"
measure() {
	echo "statistics of one port among $PORTS ($1), sequential requests alternating with GET /ports/{id}," \
		"${SECONDS_PER_PAIR}s per pair; load average $(cut -d' ' -f1-3 /proc/loadavg)"
	pair "  P1Y timeseries (365 points from 8,760 hourly rows)" 50 "$api/ports/$port/statistics/P1Y/timeseries"
	pair "  30-day aggregate (8,640 5-minute rows)" 20 "$api/ports/$port/statistics?start=$month_start"
	pair "  30-day aggregate" 20 "$api/ports/$port/statistics?start=$month_start" "$month_rows" \
		"SELECT count(*), sum(in_octets) of its rows"
	pair "  all five aggregates (PT5M … P1Y)" "-" "$api/ports/$port/statistics"
}
measure "rows as the polls write them: one port's rows of a day on 288 pages"
# A complete day's (month's) partition no longer changes: ordered by its
# key, one port's rows of a day sit on a few pages. Not done by the
# collector's maintenance yet (a proposal): measured here to show the gain.
start=$SECONDS
psql -q -X -v ON_ERROR_STOP=1 "$DATABASE_URL" <<'SQL'
DO $$
DECLARE p regclass;
BEGIN
    FOR p IN SELECT i.inhrelid::regclass FROM pg_inherits i
              WHERE i.inhparent IN ('stats_5m'::regclass, 'stats_1h'::regclass)
                AND i.inhrelid::regclass::text NOT IN ('stats_5m_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD'),
                                                        'stats_1h_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMM')) LOOP
        EXECUTE format('CLUSTER %s USING %I', p, p::text || '_pkey');
    END LOOP;
END
$$;
VACUUM ANALYZE stats_5m;
VACUUM ANALYZE stats_1h;
SQL
echo "complete partitions ordered by (series, slot) in $((SECONDS - start)) s"
measure "complete partitions ordered by (series, slot)"
