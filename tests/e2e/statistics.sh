#!/usr/bin/env bash
# End to end, statistics (issue 13) from real counters: PostgreSQL
# (tests/with-temp-pg.sh), ixapid with its workers collecting every
# IXAPI_STATS_INTERVAL_S=2 seconds, ixapi-switchd driving the bridges of a
# namespace lab (scripts/lab.sh), the demo exchange as tests/e2e/network.sh
# seeds it, and a second member account (SQL: an account, its API key, the
# same connection on p2 as scripts/demo-network.sql makes on p1). Each
# member orders a peering-LAN config through the API with
# consumer_side_ready (its router is clean: the quarantine test, a real
# capture by the adapter, passes and the config goes to production), so m1
# (p1) and m2 (p2) share the peering bridge.
# The routers are quiet (IPv6 off, static neighbour entries: no ARP, ND or
# MLD), so the ports' counters move only with what the test sends: N UDP
# datagrams of SIZE bytes from m1 to m2 (a receiver in m2 counts them).
# Asserted, per port and direction (in = the switch port's rx, from the
# member; out = tx, towards it):
# - the adapter's own counters (GET /v1/counters before and after) moved by
#   exactly N frames of SIZE + 42 bytes (UDP 8, IPv4 20, Ethernet 14), on
#   p1 in and on p2 out, nothing the other way;
# - within one poll the collector's readings are the adapter's counters
#   after the traffic, and at once the API shows the traffic (a custom
#   window up to now holds the current 5-minute slot as counted so far);
#   the collector's samples (stats_5m) grew by exactly the adapter's
#   deltas, the network service's by both ports';
# - the API, as each member: the timeseries' per-slot rates (5-minute
#   buckets, fields average_ops/pps_in/out) are each slot's octets
#   (packets) / its counted seconds, rounded (k5's exact relation), and
#   rate x seconds summed over the slots moved by the traffic's bytes within
#   the rounding; the port's, the connection's and the config's answers are
#   the same (one port), the network service's are both ports' sums;
#   the custom aggregate's averages are the slots' mean rates;
# - member 2 gets 404 for member 1's port and connection statistics, and
#   for its config's until shared_statistics admits it: `allow` opens it
#   (the port stays closed), `allow` denying member 2 closes it, `deny`
#   allowing member 2 opens it, plain `deny` closes it; member 1 gets 404
#   for member 2's port; both read the peering LAN's;
# - pyixapi's paths (GET /connections/{id}/statistics and
#   /network-service-configs/{id}/statistics) answer 200 with `aggregates`
#   holding PT5M, PT1H, P1D, P30D, P1Y;
# - every answer of ixapid to the test (recorded as tests/harness records
#   the itests' for IXAPI_RESPONSE_LOG) validates against openapi/ixapi.json
#   (tests/openapi/validate-responses.mjs).
# Prints the timing (traffic sent -> in the API) and the totals.
# Usage: tests/e2e/statistics.sh BUILD_DIR (root needed; skipped without).
# Without DATABASE_URL it runs itself under tests/with-temp-pg.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
. tests/lib/lab.sh

lab_need_root e2e-statistics "network namespaces and veth pairs"
[ -n "${DATABASE_URL:-}" ] || exec tests/with-temp-pg.sh "$0" "$@"
IXAPID=$PWD/$BUILD/ixapid
SWITCHD=$PWD/$BUILD/ixapi-switchd
PY=/usr/bin/python3
lab_need_tools e2e-statistics ip curl jq psql node

N=400     # datagrams
SIZE=1000 # UDP payload bytes
FRAME=$((SIZE + 8 + 20 + 14))

started=$EPOCHREALTIME
lab_new e2s
chmod 755 "$TMP"
ADAPTER_PID=
SERVER_PID=
RECEIVER_PID=
cleanup()
{
	# shellcheck disable=SC2086 # the unset ones vanish
	stop_pids $RECEIVER_PID $SERVER_PID $ADAPTER_PID
	scripts/lab.sh down "$P"
	e2e_logs ixapi-switchd
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

e2e_ports
URL=http://127.0.0.1:$ADAPTER_PORT # the adapter's, for api
counters()
{ # the adapter's counters of p1 and p2: {p1: {...}, p2: {...}}
	(
		api GET /v1/counters
		[ "$STATUS" = 200 ] && jq -c '[.ports[] | select(.port == "p1" or .port == "p2") | {(.port): .}] | add' \
			<<<"$BODY"
	)
}
quiet()
{ # the counters did not move over half a second; QUIET = them
	local a
	a=$(counters)
	sleep 0.5
	QUIET=$(counters)
	[ -n "$a" ] && [ "$a" = "$QUIET" ]
}
reading_of()
{ # PORT_ID: the collector's last reading, as the adapter's names
	sql "SELECT json_build_object('rx_octets', in_octets, 'tx_octets', out_octets, 'rx_packets', in_packets,
		'tx_packets', out_packets) FROM stats_readings WHERE port = $1"
}
collected()
{ # COUNTERS: the collector's readings of both ports are these
	local want=$1 p
	for p in p1 p2; do
		jqb --argjson r "$(reading_of "${PORT_ID[$p]}")" --arg p "$p" \
			'.[$p] | {rx_octets, tx_octets, rx_packets, tx_packets} == $r' <<<"$want" >/dev/null 2>&1 || return 1
	done
}
series_sums()
{ # KIND OBJECT: the sums of the series' 5-minute samples
	sql "SELECT json_build_object('in_octets', coalesce(sum(x.in_octets), 0), 'out_octets', coalesce(sum(x.out_octets), 0),
		'in_packets', coalesce(sum(x.in_packets), 0), 'out_packets', coalesce(sum(x.out_packets), 0))
	       FROM stats_series s LEFT JOIN stats_5m x ON x.series = s.id WHERE s.kind = '$1' AND s.object = $2"
}
slots_of()
{ # KIND OBJECT: the series' slots since $WINDOW_START: [[epoch, seconds, in_octets, out_octets, in_packets, out_packets]]
	sql "SELECT coalesce(json_agg(json_build_array(extract(epoch FROM x.slot)::bigint, x.seconds::float8, x.in_octets,
		x.out_octets, x.in_packets, x.out_packets) ORDER BY x.slot), '[]')
	       FROM stats_series s JOIN stats_5m x ON x.series = s.id
	      WHERE s.kind = '$1' AND s.object = $2 AND x.slot >= '$WINDOW_START'"
}
FIELDS=average_ops_in,average_ops_out,average_pps_in,average_pps_out
# round() of a float8 in PostgreSQL (rint: half to even), in jq; the
# seconds are read as float8 too, so that jq divides what PostgreSQL does
ROUND='def r: floor as $f | (. - $f) as $d | if $d > 0.5 or ($d == 0.5 and $f % 2 != 0) then $f + 1 else $f end;'
timeseries()
{ # WHAT ID TOKEN: TS = the PT5M timeseries from $WINDOW_START, 5-minute buckets
	rcall GET "/$1/$2/statistics/PT5M/timeseries?start=$WINDOW_START&precision=300&fields=$FIELDS" "$3"
	TS=$BODY
	[ "$STATUS" = 200 ]
}
stable()
{ # KIND OBJECT COMMAND...: runs COMMAND (an API read) until no poll
	# changed the series' samples meanwhile; SLOTS = them (slots_of)
	local before
	for _ in $(seq 20); do
		before=$(slots_of "$1" "$2")
		"${@:3}" || return 1
		SLOTS=$(slots_of "$1" "$2")
		[ "$before" = "$SLOTS" ] && return 0
	done
	return 1
}
rates_match()
{ # TIMESERIES SLOTS: one sample per slot, each the slot's octets
	# (packets) per counted second, rounded: k5's exact relation
	jqb --argjson s "$2" "$ROUND"'
		.fields == ["average_ops_in","average_ops_out","average_pps_in","average_pps_out"] and
		(.samples | map([(.[0] | fromdateiso8601), .[1], .[2], .[3], .[4]])) ==
		($s | map([.[0], (.[2] / .[1] | r), (.[3] / .[1] | r), (.[4] / .[1] | r), (.[5] / .[1] | r)]))' \
		<<<"$1" >/dev/null
}
api_counts()
{ # TIMESERIES SLOTS: what the API's rates say was counted (each sample's
	# rate x its slot's counted seconds, summed): {in_octets, out_octets,
	# in_packets, out_packets, slack} (slack: the rounding's bound, 0.5 x
	# the seconds)
	jq -cn --argjson t "$1" --argjson s "$2" '
		($s | map({key: (.[0] | tostring), value: .[1]}) | from_entries) as $sec |
		[$t.samples[] | [$sec[.[0] | fromdateiso8601 | tostring], .[1], .[2], .[3], .[4]] | select(.[0] != null)] |
		{in_octets: (map(.[0] * .[1]) | add // 0), out_octets: (map(.[0] * .[2]) | add // 0),
		 in_packets: (map(.[0] * .[3]) | add // 0), out_packets: (map(.[0] * .[4]) | add // 0),
		 slack: (map(.[0] / 2) | add // 0)}'
}
api_delta()
{ # TS SLOTS TS_BEFORE SLOTS_BEFORE: api_counts after - before (slack: both)
	jq -cn --argjson a "$(api_counts "$1" "$2")" --argjson b "$(api_counts "$3" "$4")" \
		'$a | with_entries(.value -= $b[.key]) | .slack = $a.slack + $b.slack'
}
near()
{ # DELTA FIELD WANT: |DELTA.FIELD - WANT| <= DELTA.slack
	awk -v g="$(jq ".$2" <<<"$1")" -v w="$3" -v s="$(jq .slack <<<"$1")" \
		'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= s) }'
}
RESPONSES=$TMP/responses.jsonl
rcall()
{ # METHOD PATH TOKEN [BODY]: ixapid's answer in STATUS and BODY (as lab.sh's
	# call), recorded as tests/harness records the itests' (method, route
	# pattern, status, content type, body) for validate-responses.mjs
	local args=(-s -o "$TMP/body" -w '%{http_code} %{content_type}' -X "$1" -H "Authorization: Bearer $3")
	[ -z "${4:-}" ] || args+=(-H 'Content-Type: application/json' --data-binary "$4")
	local out route
	out=$(curl "${args[@]}" "$API$2")
	STATUS=${out%% *}
	BODY=$(cat "$TMP/body")
	route=$(sed -E 's/[?].*//; s#/statistics/[^/]+/timeseries#/statistics/{aggregate}/timeseries#;
		s#/[0-9]+(/|$)#/{id}\1#g' <<<"$2")
	jq -cn --arg m "$1" --arg r "$route" --argjson s "$STATUS" --arg ct "${out#* }" --arg b "$BODY" \
		'{method: $m, route: $r, status: $s, content_type: $ct, body: ($b | try fromjson catch null)}' >>"$RESPONSES"
}
nsc_state_is()
{ # ID TOKEN STATE
	rcall GET "/network-service-configs/$1" "$2"
	[ "$(jq -r .state <<<"$BODY")" = "$3" ]
}

echo "e2e-statistics: lab $P, ixapid :$API_PORT, ixapi-switchd :$ADAPTER_PORT"
export IXAPI_JWT_KEY_FILE=$TMP/jwt.key
"$IXAPID" migrate >"$TMP/migrate.log" 2>&1 || fatal "ixapid migrate (see $TMP/migrate.log)"
"$IXAPID" seed-demo --credentials "$TMP/credentials.json" >"$TMP/seed.log" 2>&1 ||
	fatal "ixapid seed-demo: $(tail -n 3 "$TMP/seed.log")"
psql "$DATABASE_URL" -Xq -v ON_ERROR_STOP=1 -f scripts/demo-network.sql >/dev/null || fatal "scripts/demo-network.sql"
# The second member: an account like the demo member's, an API key (the
# demo member's secret, under a key of its own) and its connection on p2.
KEY2=e2s$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 13)
sql "BEGIN;
     INSERT INTO accounts (name, legal_name, state, external_ref, address, billing_information)
     SELECT 'Second Member', 'Second Member B.V.', state, 'e2s:member2', address, billing_information
       FROM accounts WHERE external_ref = 'demo:member';
     INSERT INTO account_asns (account_id, asn) SELECT id, 206239 FROM accounts WHERE external_ref = 'e2s:member2';
     INSERT INTO api_keys (account_id, api_key, secret_hash, role, description)
     SELECT a.id, '$KEY2', k.secret_hash, 'member', 'e2e statistics: member 2'
       FROM accounts a, api_keys k
      WHERE a.external_ref = 'e2s:member2' AND k.api_key = '$(jq -r .member.api_key "$TMP/credentials.json")';
     COMMIT;" >/dev/null || fatal "the second member"
sed "s/p.name = 'p1'/p.name = 'p2'/; s/02:00:00:00:00:01/02:00:00:00:00:02/; s/demo-member-ams-sp/member2-ams-sp/;
     s/demo:member/e2s:member2/" scripts/demo-network.sql | psql "$DATABASE_URL" -Xq -v ON_ERROR_STOP=1 >/dev/null ||
	fatal "member 2's connection"
jq --arg k "$KEY2" '.member2 = {api_key: $k, api_secret: .member.api_secret}' "$TMP/credentials.json" \
	>"$TMP/c.json" && mv "$TMP/c.json" "$TMP/credentials.json"

# The lab: the routers m1 (p1) and m2 (p2), quiet: no IPv6 (no ND, MLD or
# router solicitations), no ARP once their neighbours are set.
scripts/lab.sh up "$P" m1 m2 >/dev/null || fatal "lab up"
for m in m1 m2; do
	ip netns exec "$P-$m" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv6.conf.eth0.disable_ipv6=1
done
lab_secret "$TMP/adapter.secret"
chmod 600 "$TMP/adapter.secret"
"$SWITCHD" --netns "$SW" --secret-file "$TMP/adapter.secret" --ports p1,p2 --port "$ADAPTER_PORT" \
	2>"$TMP/adapter.log" &
ADAPTER_PID=$!
wait_api /v1/health || fatal "ixapi-switchd does not answer"

jq -n --arg url "$URL" '{switch_adapters: [{name: "lab", url: $url, secret_file: "adapter.secret",
	devices: ["ams-sp-sw1.demo-ix.net"]}]}' >"$TMP/adapters.json"
IXAPI_PORT=$API_PORT IXAPI_LISTEN=127.0.0.1 IXAPI_ADAPTERS_FILE=$TMP/adapters.json IXAPI_WORKERS=2 \
	IXAPI_JOB_POLL_MS=200 IXAPI_JOB_BACKOFF_BASE_MS=100 IXAPI_JOB_BACKOFF_CAP_MS=400 IXAPI_QUARANTINE_SECONDS=2 \
	IXAPI_STATS_INTERVAL_S=2 "$IXAPID" serve >"$TMP/ixapid.log" 2>&1 &
SERVER_PID=$!
e2e_wait_ixapid
MEMBER=$(token member)
MEMBER2=$(token member2)
[ -n "$MEMBER" ] && [ "$MEMBER" != null ] && [ -n "$MEMBER2" ] && [ "$MEMBER2" != null ] || fatal "no member tokens"

echo "-- the orders: one peering-LAN config per member, consumer_side_ready"
rcall GET /network-services "$MEMBER"
LAN=$(jq -r '[.[] | select(.type == "exchange_lan")][0].id' <<<"$BODY")
declare -A PORT_ID CONN NSC ADDR
order()
{ # ROUTER TOKEN MAC ASN
	local conn mac ras
	rcall GET /connections "$2"
	conn=$(jq -r '.[0].id' <<<"$BODY")
	rcall GET /macs "$2"
	mac=$(jq -r --arg a "$3" '.[] | select(.address == $a) | .id' <<<"$BODY")
	rcall GET /role-assignments "$2"
	ras=$(jq -c "[.[].id]" <<<"$BODY")
	PORT_ID[$1]=$(sql "SELECT id FROM ports WHERE connection = $conn")
	CONN[$1]=$conn
	rcall POST /network-service-configs "$2" "$(jq -n --arg lan "$LAN" --arg conn "$conn" --arg mac "$mac" \
		--argjson ras "$ras" --argjson asn "$4" '{type: "exchange_lan", network_service: $lan, connection: $conn,
		vlan_config: {vlan_type: "port"}, asns: [$asn], macs: [$mac], role_assignments: $ras,
		consumer_side_ready: true}')"
	check "$1: POST /network-service-configs on its connection: 201" [ "$STATUS" = 201 ]
	[ "$STATUS" = 201 ] || fatal "$BODY"
	NSC[$1]=$(jq -r .id <<<"$BODY")
	ADDR[$1]=$(sql "SELECT host(address) FROM ips WHERE network_service_config = ${NSC[$1]} AND version = 4")
	ip -n "$P-$1" addr add "${ADDR[$1]}/24" dev eth0
}
order m1 "$MEMBER" 02:00:00:00:00:01 206238
order m2 "$MEMBER2" 02:00:00:00:00:02 206239
PORT_ID[p1]=${PORT_ID[m1]}
PORT_ID[p2]=${PORT_ID[m2]}
check "the ports are p1 and p2 (ids ${PORT_ID[p1]}, ${PORT_ID[p2]})" [ "$(sql "SELECT string_agg(name, ',' ORDER BY name)
	FROM ports WHERE id IN (${PORT_ID[p1]}, ${PORT_ID[p2]})")" = p1,p2 ]
ip -n "$P-m1" neigh replace "${ADDR[m2]}" lladdr 02:00:00:00:00:02 dev eth0 nud permanent
ip -n "$P-m2" neigh replace "${ADDR[m1]}" lladdr 02:00:00:00:00:01 dev eth0 nud permanent
both_in_production()
{
	nsc_state_is "${NSC[m1]}" "$MEMBER" production && nsc_state_is "${NSC[m2]}" "$MEMBER2" production
}
check "both configs reach production (their quarantine tests passed)" wait_for 30 both_in_production
echo "  ordered -> both in production: ${WAITED}s"
check "p1 and p2 are on the peering bridge" bash -c "[ \"\$(ip -n $SW -j link show p1 | jq -r '.[0].master')\" = s-peering ] &&
	[ \"\$(ip -n $SW -j link show p2 | jq -r '.[0].master')\" = s-peering ]"

echo "-- the traffic: $N UDP datagrams of $SIZE bytes from m1 to m2 (frames of $FRAME bytes)"
check "the ports are quiet (the adapter's counters stand still)" wait_for 15 quiet
BEFORE=$QUIET
check "the collector's last readings are the adapter's counters (its base)" wait_for 10 collected "$BEFORE"
WINDOW_START=$(date -u -d "@$(($(date +%s) / 300 * 300 - 300))" +%Y-%m-%dT%H:%M:%SZ)
declare -A SUMS_BEFORE
for p in p1 p2; do
	SUMS_BEFORE[$p]=$(series_sums port "${PORT_ID[$p]}")
done
LAN_BEFORE=$(series_sums network_service "$LAN")
declare -A TS_BEFORE SLOTS_BEFORE TOKEN_OF=([m1]=$MEMBER [m2]=$MEMBER2)
for m in m1 m2; do
	stable port "${PORT_ID[$m]}" timeseries ports "${PORT_ID[$m]}" "${TOKEN_OF[$m]}" || fatal "$m's port timeseries: $TS"
	TS_BEFORE[$m]=$TS SLOTS_BEFORE[$m]=$SLOTS
done
stable network_service "$LAN" timeseries network-services "$LAN" "$MEMBER" || fatal "the LAN's timeseries: $TS"
TS_BEFORE[lan]=$TS SLOTS_BEFORE[lan]=$SLOTS

ip netns exec "$P-m2" $PY -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.bind((sys.argv[1], 9999))
s.settimeout(5)
n = 0
open(sys.argv[2], "w").write("ready\n")
try:
    while n < int(sys.argv[3]):
        s.recv(65536)
        n += 1
except socket.timeout:
    pass
open(sys.argv[2], "a").write("%d\n" % n)' "${ADDR[m2]}" "$TMP/received" "$N" &
RECEIVER_PID=$!
wait_for 5 grep -qs ready "$TMP/received" || fatal "the receiver in m2 did not start"
SENT_AT=$EPOCHREALTIME
ip netns exec "$P-m1" $PY -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = b"x" * int(sys.argv[3])
for i in range(int(sys.argv[2])):
    s.sendto(payload, (sys.argv[1], 9999))
    time.sleep(0.001)' "${ADDR[m2]}" "$N" "$SIZE" || fatal "the sender in m1"
SENT_S=$(elapsed "$SENT_AT")
wait "$RECEIVER_PID"
RECEIVER_PID=
check "m2 received the $N datagrams ($(tail -n 1 "$TMP/received"))" [ "$(tail -n 1 "$TMP/received")" = "$N" ]
check "the ports are quiet again" wait_for 10 quiet
AFTER=$QUIET
DELTA=$(jq -cn --argjson a "$AFTER" --argjson b "$BEFORE" '[("p1", "p2") as $p | {($p): {
	in_octets: ($a[$p].rx_octets - $b[$p].rx_octets), out_octets: ($a[$p].tx_octets - $b[$p].tx_octets),
	in_packets: ($a[$p].rx_packets - $b[$p].rx_packets), out_packets: ($a[$p].tx_packets - $b[$p].tx_packets)}}] | add')
echo "  the adapter's deltas: $DELTA"
check "p1 in (from m1): $N frames, $((N * FRAME)) bytes; p1 out: nothing" jqb --argjson n "$N" --argjson b $((N * FRAME)) \
	'.p1 == {in_octets: $b, out_octets: 0, in_packets: $n, out_packets: 0}' <<<"$DELTA" >/dev/null
check "p2 out (towards m2): $N frames, $((N * FRAME)) bytes; p2 in: nothing" jqb --argjson n "$N" \
	--argjson b $((N * FRAME)) '.p2 == {in_octets: 0, out_octets: $b, in_packets: 0, out_packets: $n}' \
	<<<"$DELTA" >/dev/null

in_api()
{ # ROUTER: the port's timeseries holds the traffic: its in (m1) or out
	# (m2) octets grew by it, within the rounding; TS, SLOTS, DELTA_API
	stable port "${PORT_ID[$1]}" timeseries ports "${PORT_ID[$1]}" "${TOKEN_OF[$1]}" || return 1
	DELTA_API=$(api_delta "$TS" "$SLOTS" "${TS_BEFORE[$1]}" "${SLOTS_BEFORE[$1]}")
	near "$DELTA_API" "$([ "$1" = m1 ] && echo in || echo out)_octets" $((N * FRAME))
}
echo "-- within one poll (every 2 s)"
check "the collector read the counters after the traffic (its last readings are the adapter's)" \
	wait_for 10 collected "$AFTER"
echo "  traffic sent ($SENT_S s) -> collected: $(elapsed "$SENT_AT")s after the first datagram"
check "at once, m1's port's timeseries holds the traffic (as member 1; no wait for the slot to complete)" in_api m1
echo "  traffic sent -> in the API: $(elapsed "$SENT_AT")s after the first datagram"
for p in p1 p2; do
	got=$(jq -cn --argjson a "$(series_sums port "${PORT_ID[$p]}")" --argjson b "${SUMS_BEFORE[$p]}" \
		'$a | with_entries(.value -= $b[.key])')
	check "$p's 5-minute samples grew by exactly the adapter's deltas: $got" \
		jqb --argjson d "$DELTA" --arg p "$p" '. == $d[$p]' <<<"$got" >/dev/null
done
got=$(jq -cn --argjson a "$(series_sums network_service "$LAN")" --argjson b "$LAN_BEFORE" \
	'$a | with_entries(.value -= $b[.key])')
check "the peering LAN's samples grew by both ports' deltas: $got" jqb --argjson d "$DELTA" \
	'. == {in_octets: ($d.p1.in_octets + $d.p2.in_octets), out_octets: ($d.p1.out_octets + $d.p2.out_octets),
	       in_packets: ($d.p1.in_packets + $d.p2.in_packets), out_packets: ($d.p1.out_packets + $d.p2.out_packets)}' \
	<<<"$got" >/dev/null

echo "-- the API, as each member (custom windows from $WINDOW_START: the current slot as counted so far)"
custom_aggregate()
{ # WHAT ID TOKEN: AGG = the custom aggregate from $WINDOW_START
	rcall GET "/$1/$2/statistics?start=$WINDOW_START" "$3"
	AGG=$BODY
	[ "$STATUS" = 200 ]
}
grew()
{ # DELTA DIR OTHER [both]: DIR's octets and packets grew by the traffic, OTHER's by nothing (both: by it too)
	local o=0 k=0
	[ -z "${4:-}" ] || o=$((N * FRAME)) k=$N
	near "$1" "${2}_octets" $((N * FRAME)) && near "$1" "${2}_packets" "$N" && near "$1" "${3}_octets" "$o" &&
		near "$1" "${3}_packets" "$k"
}
as_port_slots()
{ # ROUTER WHAT ID: the resource's timeseries is its port's slots'
	stable port "${PORT_ID[$1]}" timeseries "$2" "$3" "${TOKEN_OF[$1]}" && rates_match "$TS" "$SLOTS"
}
means_of_port_slots()
{ # ROUTER WHAT ID: the resource's custom aggregate is its port's slots' mean
	stable port "${PORT_ID[$1]}" custom_aggregate "$2" "$3" "${TOKEN_OF[$1]}" && means_match "$AGG" "$SLOTS"
}
lan_slots()
{ # TOKEN: the LAN's timeseries is its series' slots' (TS, SLOTS)
	stable network_service "$LAN" timeseries network-services "$LAN" "$1" && rates_match "$TS" "$SLOTS"
}
means_match()
{ # AGGREGATE SLOTS: its averages are the mean of the slots' rates, rounded
	jqb --argjson s "$2" "$ROUND"' def mean(f): ($s | map(f) | add / length | r);
		.aggregates.custom | .average_ops_in == mean(.[2] / .[1]) and .average_ops_out == mean(.[3] / .[1]) and
		.average_pps_in == mean(.[4] / .[1]) and .average_pps_out == mean(.[5] / .[1])' <<<"$1" >/dev/null
}
for m in m1 m2; do
	dir=in other=out
	[ "$m" = m1 ] || dir=out other=in
	check "$m's port: the traffic is in its timeseries" in_api "$m"
	echo "  $m's port, the API's rates x counted seconds, before -> after: $DELTA_API"
	check "$m's port timeseries: one sample per slot, each = the slot's octets, packets / its counted seconds, rounded" \
		rates_match "$TS" "$SLOTS"
	check "$m's port: $dir octets grew by $((N * FRAME)), $other octets by 0, $dir packets by $N (within the rounding)" \
		grew "$DELTA_API" "$dir" "$other"
	check "$m's connection timeseries: its one port's slots" as_port_slots "$m" connections "${CONN[$m]}"
	check "$m's config timeseries: its port's slots (bridge-per-service: the port's whole traffic)" \
		as_port_slots "$m" network-service-configs "${NSC[$m]}"
	for what in ports connections network-service-configs; do
		case $what in ports) id=${PORT_ID[$m]} ;; connections) id=${CONN[$m]} ;; *) id=${NSC[$m]} ;; esac
		check "$m's $what/$id custom aggregate: its averages = the mean of the port's slots' rates" \
			means_of_port_slots "$m" "$what" "$id"
	done
done
check "the peering LAN's timeseries: one sample per slot, each = its counts / counted seconds, rounded" \
	lan_slots "$MEMBER"
LAN_API=$(api_delta "$TS" "$SLOTS" "${TS_BEFORE[lan]}" "${SLOTS_BEFORE[lan]}")
echo "  the peering LAN, the API's rates x counted seconds, before -> after: $LAN_API"
check "the peering LAN holds both ports' traffic: in and out octets each grew by $((N * FRAME)), packets by $N" \
	grew "$LAN_API" in out both
check "member 2 reads the peering LAN's statistics too" lan_slots "$MEMBER2"

echo "-- pyixapi's calls (Peering Manager): connection.statistics(), network_service_config.statistics()"
for path in "/connections/${CONN[m1]}/statistics" "/network-service-configs/${NSC[m1]}/statistics" \
	"/ports/${PORT_ID[m1]}/statistics" "/network-services/$LAN/statistics"; do
	rcall GET "$path" "$MEMBER"
	check "GET $path: 200, aggregates PT5M, PT1H, P1D, P30D, P1Y" bash -c "[ $STATUS = 200 ] &&
		jqb '.aggregates | keys == ([\"P1D\", \"P1Y\", \"P30D\", \"PT1H\", \"PT5M\"] | sort)' <<<'$BODY' >/dev/null"
done

echo "-- who may read what"
for path in "/ports/${PORT_ID[m1]}/statistics" "/connections/${CONN[m1]}/statistics" \
	"/network-service-configs/${NSC[m1]}/statistics" "/ports/${PORT_ID[m1]}/statistics/PT5M/timeseries"; do
	rcall GET "$path" "$MEMBER2"
	check "member 2: GET $path: 404" [ "$STATUS" = 404 ]
done
rcall GET "/ports/${PORT_ID[m2]}/statistics" "$MEMBER"
check "member 1: GET member 2's port statistics: 404" [ "$STATUS" = 404 ]
ACCOUNT2=$(sql "SELECT id FROM accounts WHERE external_ref = 'e2s:member2'")
share()
{ # POLICY JSON: member 1's config's shared_statistics
	rcall PATCH "/network-service-configs/${NSC[m1]}" "$MEMBER" "{\"shared_statistics\": $1}"
	check "member 1 PATCHes shared_statistics $1: 2xx" [ "${STATUS:0:1}" = 2 ]
}
share '{"policy": "allow", "accounts_denied": []}'
rcall GET "/network-service-configs/${NSC[m1]}/statistics" "$MEMBER2"
check "allow: member 2 reads member 1's config statistics (200, aggregates)" \
	bash -c "[ $STATUS = 200 ] && jqb '.aggregates.PT5M' <<<'$BODY' >/dev/null"
TOKEN_OF[m1]=$MEMBER2
check "... and its timeseries (member 1's port's slots)" as_port_slots m1 network-service-configs "${NSC[m1]}"
TOKEN_OF[m1]=$MEMBER
rcall GET "/ports/${PORT_ID[m1]}/statistics" "$MEMBER2"
check "... but still not member 1's port (404)" [ "$STATUS" = 404 ]
share "{\"policy\": \"allow\", \"accounts_denied\": [\"$ACCOUNT2\"]}"
rcall GET "/network-service-configs/${NSC[m1]}/statistics" "$MEMBER2"
check "allow, denying member 2: 404" [ "$STATUS" = 404 ]
share "{\"policy\": \"deny\", \"accounts_allowed\": [\"$ACCOUNT2\"]}"
rcall GET "/network-service-configs/${NSC[m1]}/statistics" "$MEMBER2"
check "deny, allowing member 2: 200" [ "$STATUS" = 200 ]
share '{"policy": "deny", "accounts_allowed": []}'
rcall GET "/network-service-configs/${NSC[m1]}/statistics" "$MEMBER2"
check "deny: 404" [ "$STATUS" = 404 ]

echo "-- the responses against the OpenAPI document"
stop_pids "$SERVER_PID"
SERVER_PID=
if [ ! -d tests/openapi/node_modules ]; then
	(cd tests/openapi && npm ci --no-audit --no-fund --loglevel=error) >/dev/null 2>&1
fi
check "every recorded answer of ixapid ($(wc -l <"$RESPONSES"), $(grep -c '/statistics' "$RESPONSES") of statistics) validates" \
	node tests/openapi/validate-responses.mjs "$RESPONSES"
check "the adapter's secret is in no ixapid log line" lacks "$TMP/ixapid.log" "$SECRET"

echo "  totals: $N datagrams, $((N * FRAME)) bytes on the wire each way of the path (p1 in, p2 out); run $(elapsed "$started")s"
if [ "$failures" = 0 ]; then
	echo "e2e-statistics: all checks passed"
else
	echo "e2e-statistics: $failures check(s) FAILED"
	exit 1
fi
