#!/usr/bin/env bash
# `make bench`, statistics collection (issue 13): one poll of 10,000 ports
# ingested by stats_ingest (the statement a stats.poll job runs with the
# adapter's GET /v1/counters answer: deltas against the stored readings,
# 5-minute slots, the network service's sum, the readings upserted), goal
# < 2 s; baseline in the same run: a plain INSERT of the same 10,000 rows
# (the answer's counters, jsonb_to_recordset) into a table like stats_5m.
# Called by bench/run.sh on its database (bench/data.sql loaded): the
# 10,000 ports are on a device of their own, each on one of the bench's
# connections (production configs of one exchange LAN, so each poll also
# sums the LAN's series). The first poll (the base) is not a figure; then
# 5 rounds, each a poll 300 s after the last (every port's counters grow,
# so 20,000 port rows over two slots and the LAN's) and the baseline, side
# by side. Removes what it made. Usage: bench/stats_ingest.sh (DATABASE_URL)
set -euo pipefail
cd "$(dirname "$0")/.."
PORTS=${BENCH_STATS_PORTS:-10000}
ROUNDS=${BENCH_STATS_ROUNDS:-5}
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1"; }
series0=$(sql "SELECT coalesce(max(id), 0) FROM stats_series")
times=$(mktemp)
cleanup() {
	rm -f "$times"
	sql "DELETE FROM stats_5m WHERE series > $series0; DELETE FROM stats_series WHERE id > $series0;
	     DELETE FROM ports WHERE device = (SELECT id FROM devices WHERE name = 'bench-stats-sw');
	     DELETE FROM devices WHERE name = 'bench-stats-sw';
	     DROP TABLE IF EXISTS bench_stats_baseline, bench_stats_answers" >/dev/null 2>&1 || true
}
trap cleanup EXIT

sql "INSERT INTO devices (name, pop) SELECT 'bench-stats-sw', min(pop) FROM devices;
     INSERT INTO ports (name, device, media_type, speed, managing_account, consuming_account, billing_account,
                        connection)
     SELECT 'bs' || n, d.id, '10GBASE-LR', 10000, a.id, a.id, a.id,
            (SELECT id FROM connections ORDER BY id OFFSET (n % (SELECT count(*) FROM connections)) LIMIT 1)
       FROM generate_series(1, $PORTS) n, devices d,
            (SELECT managing_account AS id FROM ports ORDER BY id LIMIT 1) a
      WHERE d.name = 'bench-stats-sw';
     CREATE TABLE bench_stats_baseline (LIKE stats_5m INCLUDING ALL);
     -- the adapter's answers: poll k at a fixed base + 300 s * k (not on a slot boundary: two slots each)
     CREATE TABLE bench_stats_answers (k int PRIMARY KEY, body jsonb NOT NULL);
     INSERT INTO bench_stats_answers
     SELECT k, jsonb_build_object('at', to_char(date_trunc('hour', now() AT TIME ZONE 'UTC') - interval '2 hours'
                                                + k * interval '300 seconds' + interval '77 seconds',
                                                'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                                  'ports', jsonb_agg(jsonb_build_object(
                                      'port', 'bs' || n, 'rx_octets', k * 1000000 + n, 'tx_octets', k * 2000000 + n,
                                      'rx_packets', k * 1000 + n, 'tx_packets', k * 2000 + n, 'rx_errors', k,
                                      'tx_errors', 0, 'rx_discards', k, 'tx_discards', 0, 'mac_lock_drops', 0)))
       FROM generate_series(0, $ROUNDS) k, generate_series(1, $PORTS) n
      GROUP BY k;
     ANALYZE"
[ "$(sql "SELECT count(*) FROM stats_port_services(ARRAY(SELECT p.id FROM ports p JOIN devices d ON d.id = p.device
                                                         WHERE d.name = 'bench-stats-sw'))")" = "$PORTS" ] ||
	{ echo "bench/stats_ingest.sh: the ports do not all count for a network service" >&2; exit 1; }

# the octets in the LAN's series (another bench's rows may be there too)
lan_octets() {
	sql "SELECT coalesce(sum(in_octets), 0) FROM stats_5m m JOIN stats_series s ON s.id = m.series
	      WHERE s.kind = 'network_service' AND s.object = (SELECT id FROM network_services WHERE name = 'BENCH-IX')"
}
lan0=$(lan_octets)
# One psql session (as a worker's pooled connection: plans cached): the
# base poll, then per round the poll and the baseline, each timed by psql.
{
	echo '\timing on'
	echo "SELECT stats_ingest('bench-stats', '{bench-stats-sw}', (SELECT body FROM bench_stats_answers WHERE k = 0), 900);"
	for k in $(seq 1 $ROUNDS); do
		echo "SELECT stats_ingest('bench-stats', '{bench-stats-sw}', (SELECT body FROM bench_stats_answers WHERE k = $k), 900);"
		echo "INSERT INTO bench_stats_baseline (series, slot, seconds, in_octets, out_octets, in_packets, out_packets,
		                                       in_errors, out_errors, in_discards, out_discards)
		      SELECT row_number() OVER (), (SELECT (body->>'at')::timestamptz FROM bench_stats_answers WHERE k = $k),
		             300, x.rx_octets, x.tx_octets, x.rx_packets, x.tx_packets, x.rx_errors, x.tx_errors,
		             x.rx_discards, x.tx_discards
		        FROM jsonb_to_recordset((SELECT body->'ports' FROM bench_stats_answers WHERE k = $k))
		             AS x (rx_octets bigint, tx_octets bigint, rx_packets bigint, tx_packets bigint,
		                   rx_errors bigint, tx_errors bigint, rx_discards bigint, tx_discards bigint);"
		echo "TRUNCATE bench_stats_baseline;"
	done
} | psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' >"$times"
# the times: base poll, then per round: poll, INSERT, TRUNCATE
declare -a ing base
for k in $(seq 1 $ROUNDS); do
	ing+=("$(sed -n "$((3 * k - 1))p" "$times")")
	base+=("$(sed -n "$((3 * k))p" "$times")")
	printf 'stats poll round %d: stats_ingest %s ms | plain INSERT %s ms\n' "$k" "${ing[-1]}" "${base[-1]}"
done
# what the polls wrote: every port's deltas, the LAN's sum
rows=$(sql "SELECT count(*) FROM stats_5m m JOIN stats_series s ON s.id = m.series
           WHERE s.kind = 'port' AND s.object IN (SELECT id FROM ports WHERE name LIKE 'bs%')")
lan=$(($(lan_octets) - lan0))
[ "$lan" = "$((ROUNDS * PORTS * 1000000))" ] ||
	{ echo "bench/stats_ingest.sh: the LAN's series sums $lan octets, expected $((ROUNDS * PORTS * 1000000))" >&2; exit 1; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
awk -v ports="$PORTS" -v rows="$rows" -v n="$ROUNDS" -v i="$(median "${ing[@]}")" -v b="$(median "${base[@]}")" 'BEGIN {
	printf "stats poll of %d ports ingested (median of %d): %.0f ms (goal < 2000 ms); plain INSERT of the same rows %.0f ms = %.1fx; %d 5-minute rows\n",
		ports, n, i, b, i / b, rows
}'
