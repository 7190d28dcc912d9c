#!/usr/bin/env bash
# End to end, every part real: PostgreSQL (tests/with-temp-pg.sh), ixapid
# with its workers and an adapters file, ixapi-switchd driving the bridges of
# a namespace lab (scripts/lab.sh), the demo exchange (`ixapid seed-demo`
# and scripts/demo-network.sql, as `make run` seeds them). The demo member orders a peering-LAN config
# through the API on its connection, whose port p1 is wired into the lab:
#   its port lands in the quarantine bridge (`ip -j link` in the switch
#   namespace) and cannot reach the route server (a namespace answering at
#   rs1's address, 192.0.2.1, on the peering bridge); the config is testing;
#   the operator's step to production puts the port on the peering bridge
#   with the MAC lock: the member reaches the route server, frames from a
#   second MAC are dropped (the adapter's nftables counter) and never reach
#   it; decommissioning on its date (moved to today by SQL) takes the port
#   out of the service and down.
# A shell script, like tests/adapters/switch-lab.sh: every check is a kernel
# tool's word (ip -j, nft -j, ping, scapy) or an HTTP answer (curl, jq).
# Usage: tests/e2e/network.sh BUILD_DIR (root needed; skipped without).
# Without DATABASE_URL it runs itself under tests/with-temp-pg.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}

if [ "$(id -u)" != 0 ]; then
	echo "e2e-network: SKIPPED: network namespaces, veth pairs and nftables need root (CI runs as root)"
	exit 0
fi
[ -n "${DATABASE_URL:-}" ] || exec tests/with-temp-pg.sh "$0" "$@"
IXAPID=$PWD/$BUILD/ixapid
SWITCHD=$PWD/$BUILD/ixapi-switchd
PY=/usr/bin/python3
FRAMES=$PWD/tests/adapters/frames.py
for tool in ip curl jq nft ping psql; do
	command -v "$tool" >/dev/null || {
		echo "e2e-network: $tool is missing (scripts/install-deps.sh --test)" >&2
		exit 1
	}
done

P=e2e$$
P=${P:0:10}
SW=$P-sw
TMP=$(mktemp -d)
chmod 755 "$TMP"
ADAPTER_PID=
SERVER_PID=
failures=0
cleanup()
{
	for pid in $SERVER_PID $ADAPTER_PID; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	scripts/lab.sh down "$P"
	if [ "$failures" != 0 ] || [ -n "${E2E_KEEP_LOGS:-}" ]; then
		echo "--- ixapid log (tail)"
		tail -n 40 "$TMP/ixapid.log" 2>/dev/null
		echo "--- ixapi-switchd log (tail)"
		tail -n 20 "$TMP/adapter.log" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

exec 3>&1
check()
{ # DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then
		echo "  ok: $what" >&3
	else
		echo "  FAIL: $what" >&3
		failures=$((failures + 1))
	fi
}
not()
{
	! "$@"
}
fatal()
{
	echo "  FAIL: $*" >&3
	failures=$((failures + 1))
	exit 1
}

free_port()
{
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || {
			echo "$p"
			return 0
		}
	done
	return 1
}

sql()
{
	psql "$DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 -c "$1"
}

API_PORT=$(free_port)
ADAPTER_PORT=$(free_port)
API=http://127.0.0.1:$API_PORT/api/v2

# call METHOD PATH TOKEN [BODY]: sets STATUS and BODY.
call()
{
	local args=(-s -o "$TMP/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3")
	[ -z "${4:-}" ] || args+=(-H 'Content-Type: application/json' --data-binary "$4")
	STATUS=$(curl "${args[@]}" "$API$2")
	BODY=$(cat "$TMP/body")
}
adapter()
{ # METHOD PATH [BODY]: the adapter's answer on stdout
	local args=(-s -X "$1" -H "Authorization: Bearer $(cat "$TMP/adapter.secret")")
	[ -z "${3:-}" ] || args+=(-H 'Content-Type: application/json' --data-binary "$3")
	curl "${args[@]}" "http://127.0.0.1:$ADAPTER_PORT$2"
}
token()
{ # ROLE (operator|member) from the demo credentials
	curl -s -X POST "$API/auth/token" -H 'Content-Type: application/json' \
		-d "$(jq ".$1 | {api_key, api_secret}" "$TMP/credentials.json")" | jq -r .access_token
}
master_of()
{
	ip -n "$SW" -j link show "$1" | jq -r '.[0].master // "none"'
}
is_up()
{
	ip -n "$SW" -j link show "$1" | jq -e '.[0].flags | index("UP")' >/dev/null
}
pings()
{ # FROM_NS TO_ADDR: one of 3 answered
	ip netns exec "$P-$1" ping -q -c 3 -i 0.2 -W 1 "$2" >/dev/null 2>&1
}
config_state()
{
	call GET "/network-service-configs/$NSC" "$MEMBER"
	jq -r .state <<<"$BODY"
}
wait_state()
{ # STATE SECONDS: true once the config is in STATE; sets WAITED (seconds)
	local start=$EPOCHREALTIME
	local deadline=$((SECONDS + $2))
	while [ $SECONDS -le $deadline ]; do
		if [ "$(config_state)" = "$1" ]; then
			WAITED=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
			return 0
		fi
		sleep 0.1
	done
	WAITED=timeout
	return 1
}

echo "e2e-network: lab $P, ixapid :$API_PORT, ixapi-switchd :$ADAPTER_PORT"
export IXAPI_JWT_KEY_FILE=$TMP/jwt.key
"$IXAPID" migrate >"$TMP/migrate.log" 2>&1 || fatal "ixapid migrate (see $TMP/migrate.log)"
"$IXAPID" seed-demo --credentials "$TMP/credentials.json" >"$TMP/seed.log" 2>&1 || fatal "ixapid seed-demo: $(tail -n 3 "$TMP/seed.log")"
psql "$DATABASE_URL" -Xq -v ON_ERROR_STOP=1 -f scripts/demo-network.sql >/dev/null || fatal "scripts/demo-network.sql"

# The lab: the member's router m1 (eth0 02:00:00:00:00:01, the demo MAC) on
# p1, and a route server's stand-in rs1 at 192.0.2.1 (rs1.demo-ix.net's
# address) on the peering bridge.
scripts/lab.sh up "$P" m1 rs1 >/dev/null || fatal "lab up"
ip -n "$P-rs1" addr add 192.0.2.1/24 dev eth0
RS_MAC=$(ip -n "$P-rs1" -j link show eth0 | jq -r '.[0].address')
head -c 32 /dev/urandom | base64 | tr -d '\n' >"$TMP/adapter.secret"
chmod 600 "$TMP/adapter.secret"
"$SWITCHD" --netns "$SW" --secret-file "$TMP/adapter.secret" --ports p1,rs1 --port "$ADAPTER_PORT" \
	2>"$TMP/adapter.log" &
ADAPTER_PID=$!
for _ in $(seq 50); do
	adapter GET /v1/health 2>/dev/null | jq -e '.ports' >/dev/null 2>&1 && break
	sleep 0.1
done
check "ixapi-switchd --netns $SW answers on 127.0.0.1 of the host namespace" \
	bash -c "$(declare -f adapter); TMP=$TMP ADAPTER_PORT=$ADAPTER_PORT adapter GET /v1/health |
		jq -e '.ports == [\"p1\",\"rs1\"] and .model == \"bridge-per-service\"' >/dev/null"
adapter PUT /v1/ports/rs1 '{"admin_state":"up","service":"peering","vlan":null,"mac_lock":false,
	"allowed_macs":[],"lag_members":[]}' >/dev/null
check "the route server rs1 is on the peering bridge" [ "$(master_of rs1)" = s-peering ]
check "p1 is in no service before the order" [ "$(master_of p1)" = none ]

jq -n --arg url "http://127.0.0.1:$ADAPTER_PORT" '{switch_adapters: [{name: "lab", url: $url,
	secret_file: "adapter.secret", devices: ["ams-sp-sw1.demo-ix.net"]}]}' >"$TMP/adapters.json"
IXAPI_PORT=$API_PORT IXAPI_LISTEN=127.0.0.1 IXAPI_ADAPTERS_FILE=$TMP/adapters.json IXAPI_WORKERS=2 \
	IXAPI_JOB_POLL_MS=500 IXAPI_JOB_BACKOFF_BASE_MS=100 IXAPI_JOB_BACKOFF_CAP_MS=400 \
	"$IXAPID" serve >"$TMP/ixapid.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
	curl -s -o /dev/null "$API/health" 2>/dev/null && break
	sleep 0.1
done
MEMBER=$(token member)
OPERATOR=$(token operator)
[ -n "$MEMBER" ] && [ "$MEMBER" != null ] || fatal "no member token"

echo "-- the order"
call GET /network-services "$MEMBER"
LAN=$(jq -r '[.[] | select(.type == "exchange_lan")][0].id' <<<"$BODY")
call GET /connections "$MEMBER"
CONN=$(jq -r '.[0].id' <<<"$BODY")
check "the demo member owns a connection in production" jq -e '.[0].state == "production"' <<<"$BODY" >/dev/null
call GET /macs "$MEMBER"
MAC_ID=$(jq -r '.[] | select(.address == "02:00:00:00:00:01") | .id' <<<"$BODY")
call GET /role-assignments "$MEMBER"
RAS=$(jq -c "[.[].id]" <<<"$BODY")
call POST /network-service-configs "$MEMBER" "$(jq -n --arg lan "$LAN" --arg conn "$CONN" --arg mac "$MAC_ID" \
	--argjson ras "$RAS" '{type: "exchange_lan", network_service: $lan, connection: $conn,
	vlan_config: {vlan_type: "port"}, asns: [206238], macs: [$mac], role_assignments: $ras}')"
check "POST /network-service-configs on the demo connection: 201" [ "$STATUS" = 201 ]
[ "$STATUS" = 201 ] || {
	echo "  $BODY"
	exit 1
}
NSC=$(jq -r .id <<<"$BODY")
check "the config reaches testing" wait_state testing 20
echo "  ordered -> testing (the port in the quarantine LAN, confirmed by the adapter): ${WAITED}s"
check "p1's master is the quarantine bridge (ip -j link in $SW)" [ "$(master_of p1)" = s-quarantine ]
check "p1 is up" is_up p1
call GET "/network-service-configs/$NSC" "$MEMBER"
check "the config's status says it is in the quarantine LAN" \
	jq -e '.status | map(select(.tag == "network" and .severity == 5 and (.message | test("quarantine")))) | length == 1' \
	<<<"$BODY" >/dev/null
ADDR=$(sql "SELECT host(address) FROM ips WHERE network_service_config = $NSC AND version = 4")
check "the member got an IPv4 address of the LAN ($ADDR)" [ -n "$ADDR" ]
ip -n "$P-m1" addr add "$ADDR/24" dev eth0
check "in quarantine, the member cannot reach the route server 192.0.2.1" not pings m1 192.0.2.1

echo "-- production"
call PATCH "/network-service-configs/$NSC" "$OPERATOR" '{"state": "production"}'
check "the operator's PATCH state=production: 202" [ "$STATUS" = 202 ]
check "the config reaches production" wait_state production 20
echo "  PATCH -> production (the port on the peering LAN, confirmed): ${WAITED}s"
check "p1's master is the peering bridge" [ "$(master_of p1)" = s-peering ]
check "the MAC lock holds p1 . 02:00:00:00:00:01 and locks p1 (nft -j)" bash -c "
	ip netns exec $SW nft -j list set bridge ixapi_switch allowed | grep -q '\"p1\", \"02:00:00:00:00:01\"' &&
	ip netns exec $SW nft -j list set bridge ixapi_switch locked | grep -q '\"p1\"'"
check "the member reaches the route server 192.0.2.1" pings m1 192.0.2.1

second=02:00:00:00:00:99
drops_before=$(adapter GET /v1/ports/p1/counters | jq '.ports[0].mac_lock_drops')
ip netns exec "$P-rs1" $PY "$FRAMES" count eth0 $second 4 >"$TMP/seen" &
sniffer=$!
sleep 2.5 # scapy's start-up
ip netns exec "$P-m1" $PY "$FRAMES" from-mac eth0 $second "$RS_MAC" 10
wait $sniffer
drops_after=$(adapter GET /v1/ports/p1/counters | jq '.ports[0].mac_lock_drops')
check "10 frames from a second MAC: dropped by the lock (mac_lock_drops $drops_before -> $drops_after)" \
	[ $((drops_after - drops_before)) -ge 10 ]
check "... and none reached the route server ($(cat "$TMP/seen") seen)" [ "$(cat "$TMP/seen")" = 0 ]
check "the registered MAC still reaches it" pings m1 192.0.2.1

echo "-- decommissioning on its date"
call DELETE "/network-service-configs/$NSC" "$MEMBER"
check "DELETE: 202" [ "$STATUS" = 202 ]
JOB=$(sql "SELECT max(id) FROM jobs WHERE object = 'network_service_config:$NSC' AND state = 'pending'")
check "its remove job waits for the decommission date" \
	[ "$(sql "SELECT run_after > now() FROM jobs WHERE id = $JOB")" = t ]
check "meanwhile the port stays on the peering bridge" [ "$(master_of p1)" = s-peering ]
sql "UPDATE network_service_configs SET decommission_at = current_date WHERE id = $NSC;
     UPDATE jobs SET run_after = current_date WHERE id = $JOB" >/dev/null
check "the config is decommissioned on the date" wait_state decommissioned 20
echo "  date reached -> decommissioned: ${WAITED}s"
check "p1 left the service (no master)" [ "$(master_of p1)" = none ]
check "p1 is admin down" not is_up p1
check "the member no longer reaches the route server" not pings m1 192.0.2.1
check "the adapter's secret is in no ixapid log line" bash -c "! grep -qF -- \"\$(cat $TMP/adapter.secret)\" $TMP/ixapid.log"

if [ "$failures" = 0 ]; then
	echo "e2e-network: all checks passed"
else
	echo "e2e-network: $failures check(s) FAILED"
	exit 1
fi
