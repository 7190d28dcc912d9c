#!/usr/bin/env bash
# `make run` as root, for real: scripts/run-demo.sh in a throw-away copy of
# what it needs (scripts, migrations, ixapid, ixapi-switchd, ixapi-rsd) with
# ports of its own (free_port); its lab's name comes from the copy's path
# (per run), and run-demo.sh refuses a lab whose namespaces are in use.
# The steps are the ones the banner prints, taken from its output and run as
# printed (in the copy, as a user would): the peering-LAN order, the list
# until the config is in `testing`, m1's address (checked against /ips),
# the operator's PATCH to production (ID = the config), `bridge link` until
# p1 is on s-peering, the two route-server sessions, then the banner's
# `birdc ... show protocols` until m1's BIRD is Established with rs1 and
# rs2, and its feature-config list until both are in production with a
# bgp.session status entry. The prefix the banner says m1 announces is in
# both route servers' BIRDs from m1 (AS path, next hop), and m1 receives
# nothing (the demo has no other member). A second run-demo.sh in the same
# copy is refused and leaves the first one's sessions up; so is, before
# the run, one whose lab's namespaces hold a process. SIGTERM then ends
# the run and everything it started: ixapid, ixapi-switchd, ixapi-rsd, the
# three BIRDs, the private PostgreSQL, the lab's namespaces, the listeners.
# Usage: tests/e2e/run-root.sh BUILD_DIR (root needed; skipped without).
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
. tests/lib/lab.sh

lab_need_root run-root "make run's namespace lab and BIRDs"
lab_need_tools run-root ip curl jq psql bird birdc ss
started=$EPOCHREALTIME

TMP=$(mktemp -d /tmp/ixapi-root-XXXXXX) # short: the cluster's socket lives in the copy
chmod 755 "$TMP"                          # the postgres user reaches var/pg
CO=$TMP/co
mkdir -p "$CO/build"
cp -a scripts migrations "$CO/"
mkdir -p "$CO/tests/lib" "$CO/tests/tools" # the demo's SMTP sink
cp tests/lib/smtp.sh "$CO/tests/lib/"
cp tests/tools/smtp-sink.py "$CO/tests/tools/"
cp "$BUILD/ixapid" "$BUILD/ixapi-switchd" "$BUILD/ixapi-rsd" "$CO/build/"
ports=()
while [ ${#ports[@]} -lt 4 ]; do
	p=$(free_port) || fatal "no free port"
	[[ " ${ports[*]} " == *" $p "* ]] || ports+=("$p")
done
API_PORT=${ports[0]} PG_PORT=${ports[1]} SWITCHD_PORT=${ports[2]} RSD_PORT=${ports[3]}
API=http://127.0.0.1:$API_PORT/api/v2
OUT=$TMP/out.log
RUN_PID=
LAB=
BUSY=
SLEEPER=

alive()
{ # PID: a process that is not a zombie
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$st" ] && [[ "$st" != Z* ]]
}
cleanup()
{
	if [ -n "$RUN_PID" ] && kill -0 "$RUN_PID" 2>/dev/null; then
		kill -TERM "$RUN_PID" 2>/dev/null
		wait "$RUN_PID" 2>/dev/null
	fi
	# what a failed run may have left: by pid file, never by name
	local f
	for f in "$CO"/var/rs/rs1/bird.pid "$CO"/var/rs/rs2/bird.pid "$CO"/var/m1-bird.pid; do
		[ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	[ -f "$CO/var/pg/data/postmaster.pid" ] &&
		runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$CO/var/pg/data" -m immediate stop >/dev/null 2>&1
	[ -z "$LAB" ] || scripts/lab.sh down "$LAB"
	[ -z "$SLEEPER" ] || kill "$SLEEPER" 2>/dev/null
	[ -z "$BUSY" ] || ip netns del "$BUSY-x" 2>/dev/null
	if [ "$failures" != 0 ] || [ -n "${E2E_KEEP_LOGS:-}" ]; then
		echo "--- make run's output (tail)"
		tail -n 40 "$OUT"
		echo "--- ixapi-rsd's log (tail)"
		tail -n 20 "$CO/var/ixapi-rsd.log" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A lab whose namespaces hold a process is someone else's: refused, and
# left alone (run-demo.sh's name for it: ixd + a checksum of the path).
BUSY=ixd$(printf '%s' "$CO" | cksum | cut -c1-5)
ip netns add "$BUSY-x"
ip netns exec "$BUSY-x" sleep 60 &
SLEEPER=$!
for _ in $(seq 50); do [ -n "$(ip netns pids "$BUSY-x")" ] && break; sleep 0.1; done
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$TMP" LANG=C.UTF-8 \
	IXAPI_PORT="$API_PORT" IXAPI_PG_PORT="$PG_PORT" timeout 60 "$CO/scripts/run-demo.sh" >"$TMP/busy.log" 2>&1
rc=$?
check "a lab in use ($BUSY-x holds pid $SLEEPER) is refused (exit 1), naming the pid, before anything starts" \
	bash -c '[ "$1" = 1 ] && grep -q "($2-\*) are in use by pid(s) $3" "$4" && ! grep -q "^pg: " "$4"' \
	_ "$rc" "$BUSY" "$SLEEPER" "$TMP/busy.log"
check "... and left alone" bash -c 'kill -0 "$1" && ip netns list | awk "{print \$1}" | grep -qx "$2-x"' \
	_ "$SLEEPER" "$BUSY"
kill "$SLEEPER"
wait "$SLEEPER" 2>/dev/null
SLEEPER=
ip netns del "$BUSY-x"
BUSY=

# The run, with an environment of its own (nothing of the caller's IXAPI_*
# or DATABASE_URL); a short quarantine window, route-server and statistics polls keep the
# test short (ixapid's settings, not the recipe).
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$TMP" LANG=C.UTF-8 \
	IXAPI_PORT="$API_PORT" IXAPI_PG_PORT="$PG_PORT" IXAPI_SWITCHD_PORT="$SWITCHD_PORT" IXAPI_RSD_PORT="$RSD_PORT" \
	IXAPI_QUARANTINE_SECONDS=2 IXAPI_RS_POLL_MS=1000 IXAPI_STATS_INTERVAL_S=2 "$CO/scripts/run-demo.sh" >"$OUT" 2>&1 &
RUN_PID=$!
serving() { grep -q 'info serve: ixapid .* serving' "$OUT"; }
wait_for 120 serving
kill -0 "$RUN_PID" 2>/dev/null || fatal "run-demo.sh ended: $(tail -n 5 "$OUT")"
check "the server is up ($(elapsed "$started") s after the start)" serving
LAB=$(sed -n 's/^The demo network (lab \([A-Za-z0-9_-]*\);.*/\1/p' "$OUT")
check "the banner names the lab ($LAB): up, and not the one of this checkout" \
	bash -c '[ -n "$1" ] && [ "$1" != "ixd$(printf %s "$PWD" | cksum | cut -c1-5)" ] &&
		ip netns list | awk "{print \$1}" | grep -qx "$1-m1"' _ "$LAB"
[ -n "$LAB" ] || fatal "no lab in the banner"
check "the banner says where mail goes (the SMTP sink)" grep -q '^Mail: an SMTP sink on smtp://127.0.0.1:[0-9]* keeps every mail' "$OUT"

# The banner's commands: its indented lines, without their trailing comments.
sed -n '/^The demo network (lab/,/^Ctrl-C stops/p' "$OUT" | sed -n 's/^  //p' | sed 's/ \{2,\}# .*$//' \
	>"$TMP/steps"
between()
{ # FROM TO: the lines after the one matching FROM up to the one before TO (in the banner)
	sed -n '/^The demo network (lab/,/^Ctrl-C stops/p' "$OUT" | sed -n "/$1/,/$2/p" | sed '1d;$d' |
		sed 's/^  //; s/ \{2,\}# .*$//'
}
step()
{ # REGEX: the one banner line matching it
	grep -E -- "$1" "$TMP/steps" | head -n 1
}
run()
{ # COMMANDS: as printed, in the copy, with TOKEN, OPERATOR_TOKEN and NSC as the banner names them
	(cd "$CO" && TOKEN=${TOKEN:-} OPERATOR_TOKEN=${OPERATOR_TOKEN:-} NSC=${NSC:-} bash -c "$1" 2>&1)
}

echo "-- the peering-LAN config, as the banner orders it"
ORDER=$(between 'watch it go to quarantine:$' 'bridge link')
check "the banner prints the order (token, POST, list)" bash -c \
	'grep -q "^TOKEN=" <<<"$1" && grep -q "POST .*/network-service-configs" <<<"$1"' _ "$ORDER"
placed=$(run "$ORDER")
NSC=$(jq -rs 'map(select(type == "object" and .type == "exchange_lan"))[0].id // empty' <<<"$placed" 2>/dev/null)
check "the printed order stores a config ($NSC)" test -n "$NSC"
[ -n "$NSC" ] || fatal "no config: $placed"
TOKEN=$(run "$(sed -n '1,/access_token)$/p' <<<"$ORDER")"$'\nprintf %s "$TOKEN"')
OPERATOR_TOKEN=$(curl -s -X POST "$API/auth/token" -H 'Content-Type: application/json' \
	-d "$(jq '.operator | {api_key, api_secret}' "$CO/var/demo-credentials.json")" | jq -r .access_token)
[ "${#TOKEN}" -gt 20 ] && [ "${#OPERATOR_TOKEN}" -gt 20 ] || fatal "no tokens"
LIST=$(step 'network-service-configs \| jq')
state_is()
{ # STATE: the banner's list shows the config in it
	run "$LIST" | jq -s -e --arg id "$NSC" --arg s "$1" 'map(select(.id == $id))[0].state == $s' >/dev/null 2>&1
}
check "the banner's list shows it in testing (quarantine)" wait_for 20 state_is testing

ADDR_STEP=$(step 'addr add .* dev eth0')
ADDR=$(curl -s -H "Authorization: Bearer $TOKEN" "$API/ips?network_service_config=$NSC" |
	jq -r '.[] | select(.version == 4) | .address')
check "the banner's address for m1 is the config's (/ips: $ADDR)" bash -c \
	'[ -n "$2" ] && [[ "$1" == *" addr add $2/24 dev eth0" ]]' _ "$ADDR_STEP" "$ADDR"
run "$ADDR_STEP" >/dev/null
check "m1 has it (ip -n $LAB-m1)" bash -c 'ip -n "$1-m1" -4 addr show dev eth0 | grep -q "inet $2/24"' _ "$LAB" "$ADDR"

PATCH=$(grep -A1 -E -- '-X PATCH .*/network-service-configs/ID ' "$TMP/steps")
check "the banner prints the operator's PATCH to production" grep -q '"state": "production"' <<<"$PATCH"
patched=$(run "${PATCH//\/ID /\/$NSC }")
check "the operator's PATCH (ID = $NSC) answers production" jqb '.state == "production"' <<<"$patched" >/dev/null
BRIDGE=$(step 'bridge link$')
on_peering() { run "$BRIDGE" | grep -q '^[0-9]*: p1[:@].* master s-peering '; }
check "the banner's bridge link: p1 on s-peering" wait_for 20 on_peering

echo "-- the route-server sessions, as the banner orders them"
SESSIONS=$(between 'Order the sessions' '^Watch them come up')
T0=$EPOCHREALTIME
ordered=$(run "$SESSIONS")
NFCS=$(jq -rs 'map(select(type == "object" and .type == "route_server") | .id) | join(" ")' <<<"$ordered" 2>/dev/null)
check "the printed loop orders two route_server sessions ($NFCS)" bash -c '[ $(wc -w <<<"$1") = 2 ]' _ "$NFCS"
[ -n "$NFCS" ] || fatal "no sessions: $ordered"
BIRDC=$(step 'birdc .* show protocols$')
both_established()
{
	local out
	out=$(run "$BIRDC")
	grep -Eq '^rs1 +BGP .* Established' <<<"$out" && grep -Eq '^rs2 +BGP .* Established' <<<"$out"
}
check "the banner's birdc in $LAB-m1: rs1 and rs2 Established" wait_for 30 both_established
echo "  POST -> m1 Established with both route servers: $(elapsed "$T0") s"
NFC_LIST=$(step 'network-feature-configs \| jq')
both_live()
{ # both sessions in production with bgp.session up in the banner's list
	run "$NFC_LIST" | jq -s -e --arg ids "$NFCS" '($ids | split(" ")) as $want | map(select(.id as $i |
		$want | index($i))) | length == 2 and all(.state == "production" and
		any(.status[]; .tag == "bgp.session" and .attrs.state == "up"))' >/dev/null 2>&1
}
check "the banner's feature-config list: both in production, bgp.session up" wait_for 20 both_live

echo "-- the routes the banner names"
PREFIX=$(grep -o 'announces [0-9./]*' "$OUT" | head -n 1 | cut -d' ' -f2)
check "the banner says m1 announces a prefix ($PREFIX)" bash -c '[[ "$1" =~ ^[0-9.]+/[0-9]+$ ]]' _ "$PREFIX"
rs_has()
{ # RS: its BIRD has PREFIX from m1 (path 206238, next hop m1's address)
	local out
	out=$(birdc -s "$CO/var/rs/$1/bird.ctl" show route "$PREFIX" all 2>/dev/null)
	grep -q "BGP.as_path: 206238$" <<<"$out" && grep -q "BGP.next_hop: $ADDR$" <<<"$out"
}
check "rs1's BIRD has $PREFIX from m1 (AS path 206238, next hop $ADDR)" wait_for 10 rs_has rs1
check "rs2's BIRD too" wait_for 10 rs_has rs2
m1_receives_nothing()
{
	local n
	for n in rs1 rs2; do
		ip netns exec "$LAB-m1" birdc -s "$CO/var/m1-bird.ctl" show protocols all "$n" |
			grep -q 'Routes: *0 imported, 1 exported' || return 1
	done
}
check "m1 exports its one route to each and imports none (no other member)" m1_receives_nothing

echo "-- traffic statistics, as the banner reads them"
PING=$(step 'ping -c [0-9]+ .*-s [0-9]+ ')
AGG=$(step '/statistics \| jq')
SERIES=$(step '/statistics/PT5M/timeseries')
check "the banner prints a ping, the connection's statistics and its timeseries" \
	bash -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ]' _ "$PING" "$AGG" "$SERIES"
top_rate()
{ # the banner's timeseries: its highest 5-minute rate of m1's traffic into the exchange (B/s)
	run "$SERIES" | jq '(.fields | index("average_ops_in")) as $i | [.samples[][$i + 1] // 0] | max // 0' 2>/dev/null
}
busy() { [ "$(top_rate)" -ge 20000 ] 2>/dev/null; }
BEFORE=$(top_rate)
check "before it: no 5-minute sample of 20,000 B/s or more ($BEFORE B/s: BGP and ARP are far less)" not busy
TS=$EPOCHREALTIME
pinged() { run "$PING" | grep -q ' 0% packet loss'; }
check "the banner's ping through p1 to rs1 is answered (5,000 frames of 1,442 bytes)" pinged
check "the banner's timeseries shows it: 7.2 MB in a slot of at most 300 s is 24,033 B/s or more (IXAPI_STATS_INTERVAL_S=2)" \
	wait_for 20 busy
echo "  ping -> in the connection's statistics: $(elapsed "$TS") s"
agg_answers() { run "$AGG" | jq -e 'has("average_ops_in") and has("accuracy")' >/dev/null 2>&1; }
check "the banner's aggregate answers (PT5M of the connection)" agg_answers

echo "-- a second make run in the same checkout (the same settings, as a developer's second terminal)"
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$TMP" LANG=C.UTF-8 \
	IXAPI_PORT="$API_PORT" IXAPI_PG_PORT="$PG_PORT" IXAPI_SWITCHD_PORT="$SWITCHD_PORT" IXAPI_RSD_PORT="$RSD_PORT" \
	timeout 60 "$CO/scripts/run-demo.sh" >"$TMP/second.log" 2>&1
rc=$?
check "is refused (exit 1), saying why" bash -c '[ "$1" = 1 ] && grep -q "already running in this checkout (pid $2)" "$3"' \
	_ "$rc" "$RUN_PID" "$TMP/second.log"
check "... before starting anything (no cluster, no lab)" bash -c '! grep -q "^pg: \|^lab " "$1"' _ "$TMP/second.log"
check "the first run's sessions are still up" both_established

echo "-- SIGTERM"
PIDS=$(ps -o pid= --ppid "$RUN_PID" | tr '\n' ' ') # ixapid, ixapi-switchd, ixapi-rsd, the SMTP sink
NAMES=$(ps -o comm= --ppid "$RUN_PID" | LC_ALL=C sort | tr '\n' ' ')
check "the run's children: $NAMES" [ "$NAMES" = "ixapi-rsd ixapi-switchd ixapid python3 " ]
for f in var/rs/rs1/bird.pid var/rs/rs2/bird.pid var/m1-bird.pid var/pg/data/postmaster.pid; do
	PIDS+=" $(head -n 1 "$CO/$f" 2>/dev/null)"
done
check "and four more: three BIRDs and the postmaster ($PIDS)" bash -c '[ $(wc -w <<<"$1") = 8 ]' _ "$PIDS"
kill -TERM "$RUN_PID"
stopped()
{
	! kill -0 "$RUN_PID" 2>/dev/null
}
check "SIGTERM ends the run" wait_for 20 stopped
wait "$RUN_PID" 2>/dev/null
RUN_PID=
none_alive()
{
	local p
	for p in $PIDS; do
		! alive "$p" || return 1
	done
}
check "ixapid, ixapi-switchd, ixapi-rsd, the SMTP sink, the BIRDs and the postmaster are gone" wait_for 5 none_alive
for p in $PIDS; do alive "$p" && echo "    alive: $p $(ps -o args= -p "$p")"; done
check "ixapid said it stopped; the lab and the cluster too" bash -c \
	'grep -q "info serve: stopped" "$1" && grep -q "^lab $2 torn down" "$1" && grep -q "^pg: stopped" "$1"' \
	_ "$OUT" "$LAB"
check "no namespace $LAB-* is left" bash -c '! ip netns list | grep -q "^$1-"' _ "$LAB"
check "no process of the copy is left" bash -c "! ps -eo args= | grep -F '$CO' | grep -v grep"
check "nothing listens on its ports" bash -c '[ -z "$(ss -Htln "( sport = :$1 or sport = :$2 or sport = :$3 or sport = :$4 )")" ]' \
	_ "$API_PORT" "$PG_PORT" "$SWITCHD_PORT" "$RSD_PORT"
LAB=

echo "  run-root took $(elapsed "$started") s"
if [ "$failures" != 0 ]; then
	echo "run-root: $failures check(s) FAILED"
	exit 1
fi
echo "run-root: make run as root: the banner's steps gave m1 Established sessions with rs1 and rs2; SIGTERM left nothing"
