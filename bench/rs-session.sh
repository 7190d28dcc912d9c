#!/usr/bin/env bash
# `make bench`, the route servers II (issue 11): feature-config POST ->
# established BGP session, in a namespace lab of this run (root; skipped
# otherwise), every part real: PostgreSQL (tests/with-temp-pg.sh), ixapid
# with its workers (default settings), ixapi-rsd driving a BIRD route server
# in rs1's namespace (the demo seed's rs1.demo-ix.net; rs2 is mapped and
# unused), the demo member's router m1 running BIRD on one plain bridge
# (the peering-LAN config is ordered through the API; the switch's side is
# tests/e2e/network.sh's). m1's session to rs1 is active with `connect
# delay time 0; connect retry time 1; error wait time 1,1`, so it retries
# every second while the route server has no session for it.
# A sample of the figure: POST /network-feature-configs (route_server with
# rs1) -> m1's BIRD Established with rs1: the protocol's `since` (BIRD's
# own clock, ms; `timeformat protocol iso long ms`) minus the POST's start.
# Then DELETE (decommission) until the config is decommissioned and m1's
# session is down; repeat (BENCH_RS_SESSION_SAMPLES, 10 by default).
# The baseline, measured in the same run, alternating with the samples:
# the time BIRD itself takes when the route server's configuration already
# has the session: `birdc configure "FILE"` of the very file ixapi-rsd
# rendered for that session (kept from the first sample) -> Established,
# then `configure` of the file without it (kept after the first DELETE).
# Both include m1's retry wait (0.75-1 s cycles: BIRD's connect retry is
# whole seconds, RFC 4271 jitter) and the handshake, which dominate and
# blur the ratio; so each sample also records when the session was
# configured: POST -> its route_server.session job's finished_at (ixapid,
# the job, ixapi-rsd's render, `bird -p` and `configure`; PostgreSQL's clock,
# the same machine's) vs the wall time of the baseline's `birdc configure`:
# what ixapid, the job, the adapter, rendering and `bird -p` add without
# the member's timers.
# Prints median and p90 of each and the ratios of the medians. Usage:
# bench/rs-session.sh BUILD_DIR (runs itself under tests/with-temp-pg.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SAMPLES=${BENCH_RS_SESSION_SAMPLES:-10}
. tests/lib/lab.sh # free_port, wait_for, e2e_ports, call, token, sql, lab_new

if [ "$(id -u)" != 0 ]; then
	echo "feature-config POST -> established session: SKIPPED (network namespaces need root)"
	exit 0
fi
[ -n "${DATABASE_URL:-}" ] || exec tests/with-temp-pg.sh "$0" "$@"
lab_need_tools bench/rs-session.sh ip curl jq psql bird birdc
IXAPID=$PWD/$BUILD/ixapid
RSD=$PWD/$BUILD/ixapi-rsd

lab_new brs
chmod 755 "$TMP"
ADAPTER_PID=
SERVER_PID=
cleanup()
{
	# shellcheck disable=SC2086 # the unset ones vanish
	stop_pids $SERVER_PID $ADAPTER_PID
	local f # the BIRDs of this run, by their pid files (never by name)
	for f in "$TMP"/rs1/bird.pid "$TMP"/rs2/bird.pid "$TMP"/m1.pid; do
		[ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	sleep 0.2
	scripts/lab.sh down "$P"
	if [ "$failures" != 0 ]; then
		echo "--- ixapid log (tail)"
		tail -n 20 "$TMP/ixapid.log"
		echo "--- ixapi-rsd log (tail)"
		tail -n 20 "$TMP/adapter.log"
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die()
{
	echo "bench/rs-session.sh: $*" >&2
	failures=1
	exit 1
}

e2e_ports
export IXAPI_JWT_KEY_FILE=$TMP/jwt.key
"$IXAPID" migrate >"$TMP/migrate.log" 2>&1 || die "ixapid migrate"
"$IXAPID" seed-demo --credentials "$TMP/credentials.json" >"$TMP/seed.log" 2>&1 || die "ixapid seed-demo"
psql "$DATABASE_URL" -Xq -v ON_ERROR_STOP=1 -f scripts/demo-network.sql >/dev/null || die "scripts/demo-network.sql"

scripts/lab.sh up "$P" m1 rs1 rs2 >/dev/null || die "lab up"
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for port in p1 rs1 rs2; do ip -n "$SW" link set "$port" master br0; done
ip -n "$P-rs1" addr add 192.0.2.1/24 dev eth0
ip -n "$P-rs2" addr add 192.0.2.2/24 dev eth0

lab_secret "$TMP/adapter.secret"
chmod 600 "$TMP/adapter.secret"
"$RSD" --secret-file "$TMP/adapter.secret" --port "$ADAPTER_PORT" --server "rs1:$TMP/rs1:$P-rs1" \
	--server "rs2:$TMP/rs2:$P-rs2" 2>"$TMP/adapter.log" &
ADAPTER_PID=$!
URL=http://127.0.0.1:$ADAPTER_PORT
wait_api /v1/health || die "ixapi-rsd does not answer"
jq -n --arg url "$URL" '{route_server_adapters: [{name: "bench-rsd", url: $url, secret_file: "adapter.secret",
	route_servers: [{network_feature: "rs1.demo-ix.net", server: "rs1"},
			{network_feature: "rs2.demo-ix.net", server: "rs2"}]}]}' >"$TMP/adapters.json"
IXAPI_PORT=$API_PORT IXAPI_LISTEN=127.0.0.1 IXAPI_ADAPTERS_FILE=$TMP/adapters.json IXAPI_LOG_LEVEL=warn \
	"$IXAPID" serve >"$TMP/ixapid.log" 2>&1 &
SERVER_PID=$!
e2e_wait_ixapid
MEMBER=$(token member)
[ -n "$MEMBER" ] && [ "$MEMBER" != null ] || die "no member token"

# The demo member's peering-LAN config on p1, through the API.
call GET /network-services "$MEMBER"
LAN=$(jq -r '[.[] | select(.type == "exchange_lan")][0].id' <<<"$BODY")
call GET /network-features "$MEMBER"
RS1=$(jq -r '.[] | select(.name == "rs1.demo-ix.net") | .id' <<<"$BODY")
call GET /connections "$MEMBER"
CONN=$(jq -r '.[] | select(.name == "demo-member-ams-sp") | .id' <<<"$BODY")
call GET /macs "$MEMBER"
MAC=$(jq -r '.[] | select(.address == "02:00:00:00:00:01") | .id' <<<"$BODY")
call GET /role-assignments "$MEMBER"
RAS=$(jq -c '[.[].id]' <<<"$BODY")
call POST /network-service-configs "$MEMBER" "$(jq -n --arg lan "$LAN" --arg conn "$CONN" --arg mac "$MAC" \
	--argjson ras "$RAS" '{type: "exchange_lan", network_service: $lan, connection: $conn,
	vlan_config: {vlan_type: "port"}, asns: [206238], macs: [$mac], role_assignments: $ras}')"
[ "$STATUS" = 201 ] || die "POST /network-service-configs: $STATUS $BODY"
NSC=$(jq -r .id <<<"$BODY")
call GET "/ips?network_service_config=$NSC" "$MEMBER"
IP=$(jq -r '.[] | select(.version == 4) | .id' <<<"$BODY")
ADDR=$(jq -r '.[] | select(.version == 4) | .address' <<<"$BODY")
ip -n "$P-m1" addr add "$ADDR/24" dev eth0

cat >"$TMP/m1.conf" <<EOF
router id $ADDR;
timeformat protocol iso long ms;
protocol device {
}
protocol static s4 {
	ipv4;
	route 45.1.1.0/24 blackhole;
}
protocol bgp rs1 {
	local $ADDR as 206238; neighbor 192.0.2.1 as 64496;
	connect delay time 0; connect retry time 1; error wait time 1,1;
	ipv4 { import all; export where source = RTS_STATIC; };
}
EOF
ip netns exec "$P-m1" bird -c "$TMP/m1.conf" -s "$TMP/m1.ctl" -P "$TMP/m1.pid" || die "m1's BIRD"

m1_rs1() { birdc -s "$TMP/m1.ctl" show protocols rs1 2>/dev/null | awk '$1 == "rs1"'; }
established() { m1_rs1 | grep -q ' Established'; }
down() { ! established; }
since()
{ # m1's rs1 protocol: its last state change (BIRD's clock), epoch seconds
	local line
	line=$(m1_rs1)
	date -d "$(awk '{print $5, $6}' <<<"$line")" +%s.%N
}
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
nfc_state_is()
{ # ID STATE
	call GET "/network-feature-configs/$1" "$MEMBER"
	jqb --arg s "$2" '.state == $s' <<<"$BODY" >/dev/null
}
rs1_birdc() { birdc -s "$TMP/rs1/bird.ctl" "$@" 2>/dev/null; }
configure()
{ # FILE: rs1's BIRD reconfigured from it (a removed session may still be shutting down)
	local out
	out=$(rs1_birdc configure "\"$1\"")
	grep -Eq '^(Reconfigured|Reconfiguration in progress)' <<<"$out" || die "configure $1: $out"
}

rs1_has_session() { rs1_birdc show protocols | awk '$2 == "BGP"' | grep -q .; }
rs1_empty() { ! rs1_has_session; }
applied()
{ # NFC: its first route_server.session job is done; APPLIED = its finished_at (epoch seconds)
	APPLIED=$(sql "SELECT extract(epoch FROM finished_at) FROM jobs WHERE kind = 'route_server.session'
		AND payload->>'network_feature_config' = '$1' AND state = 'done' AND finished_at IS NOT NULL
		ORDER BY id LIMIT 1")
	[ -n "$APPLIED" ]
}
declare -a api_ms base_ms api_cfg_ms base_cfg_ms
echo "route-server session: POST -> m1 Established with rs1, $SAMPLES samples, baseline alternating"
for i in $(seq 0 "$SAMPLES"); do # 0: the warm-up (rs1's BIRD starts at the first PUT), not a figure
	# --- the API: POST, Established, DELETE, decommissioned and down
	t0=$EPOCHREALTIME
	call POST /network-feature-configs "$MEMBER" "$(jq -n --arg f "$RS1" --arg nsc "$NSC" --arg ip "$IP" '
		{type: "route_server", network_feature: $f, network_service_config: $nsc, asn: 206238, ip: $ip,
		 session_mode: "public", bgp_session_type: "passive"}')"
	[ "$STATUS" = 201 ] || die "sample $i: POST /network-feature-configs: $STATUS $BODY"
	nfc=$(jq -r .id <<<"$BODY")
	wait_for 30 established || die "sample $i: m1 never Established with rs1"
	api_ms+=("$(ms "$t0" "$(since)")")
	wait_for 30 applied "$nfc" || die "sample $i: the session's job is not done"
	api_cfg_ms+=("$(ms "$t0" "$APPLIED")")
	[ -s "$TMP/with.conf" ] || cp "$TMP/rs1/bird.conf" "$TMP/with.conf"
	call DELETE "/network-feature-configs/$nfc" "$MEMBER"
	[ "$STATUS" = 202 ] || die "sample $i: DELETE: $STATUS $BODY"
	wait_for 30 nfc_state_is "$nfc" decommissioned || die "sample $i: the config never decommissioned"
	wait_for 30 down || die "sample $i: m1's session stays up after the decommission"
	wait_for 30 rs1_empty || die "sample $i: rs1 keeps the session after the decommission"
	[ -s "$TMP/without.conf" ] || cp "$TMP/rs1/bird.conf" "$TMP/without.conf"
	# --- the baseline: the route server's BIRD configured with the session
	t0=$EPOCHREALTIME
	configure "$TMP/with.conf"
	base_cfg_ms+=("$(ms "$t0" "$EPOCHREALTIME")")
	wait_for 30 established || die "sample $i (baseline): m1 never Established with rs1"
	base_ms+=("$(ms "$t0" "$(since)")")
	configure "$TMP/without.conf"
	wait_for 30 down || die "sample $i (baseline): m1's session stays up"
	wait_for 30 rs1_empty || die "sample $i (baseline): rs1 keeps the session"
	if [ "$i" = 0 ]; then
		printf '  warm-up: POST -> Established %7.1f ms (BIRD started) | baseline %7.1f ms: not figures\n' \
			"${api_ms[-1]}" "${base_ms[-1]}"
		api_ms=() base_ms=() api_cfg_ms=() base_cfg_ms=()
		continue
	fi
	printf '  sample %2d: POST -> configured %6.1f ms, Established %6.1f ms | baseline configure -> configured %6.1f ms, Established %6.1f ms\n' \
		"$i" "${api_cfg_ms[-1]}" "${api_ms[-1]}" "${base_cfg_ms[-1]}" "${base_ms[-1]}"
done
# The state ixapi-rsd keeps is the one in effect again (the baseline's
# files were BIRD's, behind its back): nothing is ordered, and BIRD says so.
[ "$(rs1_birdc show protocols | awk '$2 == "BGP"' | wc -l)" = 0 ] || die "rs1 still has a BGP protocol"

stats()
{ # median and p90 of the numbers on stdin
	sort -n | awk '{ v[NR] = $1 } END { printf "%.1f %.1f", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.999)] }'
}
read -r a_med a_p90 < <(printf '%s\n' "${api_ms[@]}" | stats)
read -r b_med b_p90 < <(printf '%s\n' "${base_ms[@]}" | stats)
printf 'feature-config POST -> session Established (ixapid, job, ixapi-rsd, bird -p, configure; %d samples): median %.1f ms, p90 %.1f ms\n' \
	"$SAMPLES" "$a_med" "$a_p90"
printf 'baseline: BIRD configured with the session -> Established (birdc configure of the same file): median %.1f ms, p90 %.1f ms\n' \
	"$b_med" "$b_p90"
awk -v a="$a_med" -v b="$b_med" 'BEGIN { printf "ratio of the medians POST/baseline: %.2f (%+.0f ms; both wait for m1'"'"'s retry)\n", a / b, a - b }'
read -r ac_med ac_p90 < <(printf '%s\n' "${api_cfg_ms[@]}" | stats)
read -r bc_med bc_p90 < <(printf '%s\n' "${base_cfg_ms[@]}" | stats)
printf 'of which POST -> its job done (session configured): median %.1f ms, p90 %.1f ms; baseline birdc configure: median %.1f ms, p90 %.1f ms\n' \
	"$ac_med" "$ac_p90" "$bc_med" "$bc_p90"
awk -v a="$ac_med" -v b="$bc_med" 'BEGIN { printf "ratio of the medians POST/baseline (configured): %.1f (%+.0f ms: ixapid, job, ixapi-rsd, render, bird -p)\n", a / b, a - b }'
