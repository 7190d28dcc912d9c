#!/usr/bin/env bash
# End to end, route servers: PostgreSQL (tests/with-temp-pg.sh), ixapid with
# its workers and an adapters file naming a route-server adapter, a real
# ixapi-rsd driving two BIRD route servers in the namespaces of a lab
# (scripts/lab.sh): rs1 (192.0.2.1) and rs2 (192.0.2.2), the demo seed's
# rs1/rs2.demo-ix.net with its ASN 64496; the demo exchange as `make run`
# seeds it (`ixapid seed-demo`, scripts/demo-network.sql, and the same for a
# second connection on p2). Two member routers run BIRD: m1 (the demo
# member's router, AS206238, MD5 password) and m2 (AS206239, a second
# peering-LAN config of the demo member, no password). Everything is ordered
# through the API as a client (pyixapi, Terraform) would: the peering-LAN
# configs, then one `route_server` network-feature-config per route server
# and router; IRR (an AS-SET in bgpq4's JSON) and ROA data through the
# operator's PUT /route-server-data/...
# Asserted: the feature configs reach production; m1's and m2's BIRDs have
# Established sessions with both route servers (birdc in their namespaces);
# the configs' status shows bgp.session up with the counts after a poll; m2
# receives from each route server exactly the route the policy allows (m1
# announces a valid prefix, a bogon, an RPKI-invalid and an IRR-unregistered
# one); the password is in no ixapid or adapter log, job, event or status
# entry. The ports sit on one plain bridge of the switch namespace: a
# session's liveness does not depend on its peering-LAN config's state
# (rs_config_is_live), and the switch's side is tests/e2e/network.sh's.
# Usage: tests/e2e/route-servers.sh BUILD_DIR (root needed; skipped without).
# Without DATABASE_URL it runs itself under tests/with-temp-pg.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
. tests/lib/lab.sh

lab_need_root e2e-route-servers "network namespaces, veth pairs and BIRD"
[ -n "${DATABASE_URL:-}" ] || exec tests/with-temp-pg.sh "$0" "$@"
IXAPID=$PWD/$BUILD/ixapid
RSD=$PWD/$BUILD/ixapi-rsd
lab_need_tools e2e-route-servers ip curl jq psql bird birdc

started=$EPOCHREALTIME
lab_new e2r
chmod 755 "$TMP"
ADAPTER_PID=
SERVER_PID=
RSD2_PID= # the faults section's second ixapi-rsd
cleanup()
{
	# shellcheck disable=SC2086 # the unset ones vanish
	stop_pids $SERVER_PID $ADAPTER_PID $RSD2_PID
	# The BIRDs this run started, by their pid files (never by name).
	local f
	for f in "$TMP"/rs*/bird.pid "$TMP"/m*.pid; do
		[ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	sleep 0.2
	scripts/lab.sh down "$P"
	e2e_logs ixapi-rsd
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

e2e_ports
PASSWORD=md5-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
birdc_in()
{ # ROUTER ARGS...
	local r=$1
	shift
	birdc -s "$TMP/$r.ctl" "$@" 2>/dev/null
}
established()
{ # ROUTER PROTOCOL
	birdc_in "$1" show protocols "$2" | grep -q Established
}
both_up()
{ # ROUTER
	established "$1" rs1 && established "$1" rs2
}
routes()
{ # ROUTER PROTOCOL: the prefixes learned over it, sorted, one line
	birdc_in "$1" show route protocol "$2" | awk '$1 ~ /^[0-9a-f:.]+\/[0-9]+$/ {print $1}' | sort | tr '\n' ' ' |
		sed 's/ $//'
}
routes_are()
{ # ROUTER PROTOCOL "EXPECTED"
	[ "$(routes "$1" "$2")" = "$3" ]
}
nfc_state_is()
{ # ID STATE
	call GET "/network-feature-configs/$1" "$MEMBER"
	jqb --arg s "$2" '.state == $s' <<<"$BODY" >/dev/null
}
both_are()
{ # STATE ID ID
	nfc_state_is "$2" "$1" && nfc_state_is "$3" "$1"
}
both_up_in_status()
{ # ID ID
	session_up_in_status "$1" && session_up_in_status "$2"
}
session_up_in_status()
{ # ID: the config's bgp.session entry says up; ENTRY = it
	call GET "/network-feature-configs/$1" "$MEMBER"
	ENTRY=$(jq -c '.status[] | select(.tag == "bgp.session")' <<<"$BODY")
	jqb '.severity == 6 and .attrs.state == "up" and .attrs.bgp_state == "Established"' <<<"$ENTRY" >/dev/null
}

echo "e2e-route-servers: lab $P, ixapid :$API_PORT, ixapi-rsd :$ADAPTER_PORT"
export IXAPI_JWT_KEY_FILE=$TMP/jwt.key
"$IXAPID" migrate >"$TMP/migrate.log" 2>&1 || fatal "ixapid migrate (see $TMP/migrate.log)"
"$IXAPID" seed-demo --credentials "$TMP/credentials.json" >"$TMP/seed.log" 2>&1 ||
	fatal "ixapid seed-demo: $(tail -n 3 "$TMP/seed.log")"
psql "$DATABASE_URL" -Xq -v ON_ERROR_STOP=1 -f scripts/demo-network.sql >/dev/null || fatal "scripts/demo-network.sql"
# m2's connection: the same on port p2, with m2's MAC
sed "s/p.name = 'p1'/p.name = 'p2'/; s/02:00:00:00:00:01/02:00:00:00:00:02/; s/demo-member-ams-sp/demo-member-ams-sp-2/" \
	scripts/demo-network.sql | psql "$DATABASE_URL" -Xq -v ON_ERROR_STOP=1 >/dev/null || fatal "m2's connection"

RS=$(sql "SELECT string_agg(name || ' AS' || asn || ' ' || host(ip_v4) || ' ' || host(ip_v6), ', ' ORDER BY name)
	  FROM network_features WHERE name LIKE 'rs_.demo-ix.net'")
check "the demo seed's route servers: $RS" [ "$RS" = \
	"rs1.demo-ix.net AS64496 192.0.2.1 2001:db8:7f8::1, rs2.demo-ix.net AS64496 192.0.2.2 2001:db8:7f8::2" ]

# The lab: m1, m2 and the route servers' namespaces on one plain bridge.
scripts/lab.sh up "$P" m1 m2 rs1 rs2 >/dev/null || fatal "lab up"
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for port in p1 p2 rs1 rs2; do ip -n "$SW" link set "$port" master br0; done
ip -n "$P-rs1" addr add 192.0.2.1/24 dev eth0
ip -n "$P-rs1" addr add 2001:db8:7f8::1/64 dev eth0 nodad
ip -n "$P-rs2" addr add 192.0.2.2/24 dev eth0
ip -n "$P-rs2" addr add 2001:db8:7f8::2/64 dev eth0 nodad

lab_secret "$TMP/adapter.secret"
chmod 600 "$TMP/adapter.secret"
"$RSD" --secret-file "$TMP/adapter.secret" --port "$ADAPTER_PORT" --server "rs1:$TMP/rs1:$P-rs1" \
	--server "rs2:$TMP/rs2:$P-rs2" --log-level debug 2>"$TMP/adapter.log" &
ADAPTER_PID=$!
URL=http://127.0.0.1:$ADAPTER_PORT
wait_api /v1/health || fatal "ixapi-rsd does not answer"
check "ixapi-rsd serves rs1 and rs2" jqb '.servers == ["rs1","rs2"]' <<<"$BODY" >/dev/null

jq -n --arg url "$URL" '{route_server_adapters: [{name: "lab-rsd", url: $url, secret_file: "adapter.secret",
	route_servers: [{network_feature: "rs1.demo-ix.net", server: "rs1"},
			{network_feature: "rs2.demo-ix.net", server: "rs2"}]}]}' >"$TMP/adapters.json"
IXAPI_PORT=$API_PORT IXAPI_LISTEN=127.0.0.1 IXAPI_ADAPTERS_FILE=$TMP/adapters.json IXAPI_WORKERS=2 \
	IXAPI_LOG_LEVEL=debug IXAPI_JOB_POLL_MS=200 IXAPI_JOB_BACKOFF_BASE_MS=100 IXAPI_JOB_BACKOFF_CAP_MS=400 \
	IXAPI_RS_POLL_MS=500 "$IXAPID" serve >"$TMP/ixapid.log" 2>&1 &
SERVER_PID=$!
e2e_wait_ixapid
MEMBER=$(token member)
OPERATOR=$(token operator)
[ -n "$MEMBER" ] && [ "$MEMBER" != null ] && [ -n "$OPERATOR" ] && [ "$OPERATOR" != null ] || fatal "no tokens"

echo "-- IRR and RPKI data, loaded by the operator"
call PUT "/route-server-data/as-sets/AS-DEMO@RIPE" "$OPERATOR" '{
	"prefixes_v4": {"NN": [{"prefix": "45.1.0.0/16", "exact": false, "greater-equal": 16, "less-equal": 24},
			       {"prefix": "45.9.0.0/16", "exact": false, "greater-equal": 16, "less-equal": 24}]},
	"origins": {"NN": [206238]}}'
check "PUT /route-server-data/as-sets/AS-DEMO@RIPE (bgpq4 -j): 200" [ "$STATUS" = 200 ]
call PUT /route-server-data/roas "$OPERATOR" '{"roas": [
	{"prefix": "45.1.0.0/16", "maxLength": 24, "asn": "AS206238"},
	{"prefix": "45.9.0.0/16", "maxLength": 24, "asn": "AS1099"}]}'
check "PUT /route-server-data/roas (rpki-client's export): 200" [ "$STATUS" = 200 ]
empty_rs_answers()
{ # the loads' refresh started rs1's BIRD without sessions: GET answers 200 with none
	api GET /v1/route-servers/rs1
	[ "$STATUS" = 200 ] && jqb '.running == true and .sessions == []' <<<"$BODY" >/dev/null
}
check "their refresh starts rs1's BIRD; a route server without sessions answers GET (200, no sessions)" \
	wait_for 10 empty_rs_answers
[ "$WAITED" != timeout ] || echo "    ixapi-rsd: $STATUS $BODY"

echo "-- the orders"
call GET /network-services "$MEMBER"
LAN=$(jq -r '[.[] | select(.type == "exchange_lan")][0].id' <<<"$BODY")
call GET /network-features "$MEMBER"
FEATURES=$BODY
RS1=$(jq -r '.[] | select(.name == "rs1.demo-ix.net") | .id' <<<"$FEATURES")
RS2=$(jq -r '.[] | select(.name == "rs2.demo-ix.net") | .id' <<<"$FEATURES")
check "GET /network-features: rs1 and rs2 of the LAN, type route_server" jqb --arg lan "$LAN" \
	'[.[] | select(.network_service == $lan and .type == "route_server")] | length == 2' <<<"$FEATURES" >/dev/null
call GET /connections "$MEMBER"
CONNS=$BODY
call GET /macs "$MEMBER"
MACS=$BODY
call GET /role-assignments "$MEMBER"
RAS=$(jq -c "[.[].id]" <<<"$BODY")
ACCOUNT=$(jq -r '.[0].consuming_account' <<<"$CONNS")

# order_lan ROUTER CONNECTION_NAME MAC ASN: the peering-LAN config; sets NSC,
# IP (its IPv4 address's id) and ADDR (the address)
order_lan()
{
	local conn mac
	conn=$(jq -r --arg n "$2" '.[] | select(.name == $n) | .id' <<<"$CONNS")
	mac=$(jq -r --arg a "$3" '.[] | select(.address == $a) | .id' <<<"$MACS")
	call POST /network-service-configs "$MEMBER" "$(jq -n --arg lan "$LAN" --arg conn "$conn" --arg mac "$mac" \
		--argjson ras "$RAS" --argjson asn "$4" '{type: "exchange_lan", network_service: $lan,
		connection: $conn, vlan_config: {vlan_type: "port"}, asns: [$asn], macs: [$mac], role_assignments: $ras}')"
	check "$1: POST /network-service-configs on $2: 201" [ "$STATUS" = 201 ]
	[ "$STATUS" = 201 ] || fatal "$BODY"
	NSC=$(jq -r .id <<<"$BODY")
	call GET "/ips?network_service_config=$NSC" "$MEMBER"
	IP=$(jq -r '.[] | select(.version == 4) | .id' <<<"$BODY")
	ADDR=$(jq -r '.[] | select(.version == 4) | .address' <<<"$BODY")
	check "$1: GET /ips?network_service_config=$NSC: its IPv4 address ($ADDR)" \
		bash -c '[[ "$1" =~ ^192\.0\.2\.[0-9]+$ ]] && [ "$1" != 192.0.2.1 ] && [ "$1" != 192.0.2.2 ]' _ "$ADDR"
}
# order_rs FEATURE NSC IP ASN FILTERING [PASSWORD] [AS_SET]: the route-server
# session (IX-API's required fields and what a client sets); prints its id
order_rs()
{
	call POST /network-feature-configs "$MEMBER" "$(jq -n --arg f "$1" --arg nsc "$2" --arg ip "$3" \
		--argjson asn "$4" --arg mode "$5" --arg pw "${6:-}" --arg set "${7:-}" --arg acc "$ACCOUNT" '
		{type: "route_server", network_feature: $f, network_service_config: $nsc, asn: $asn, ip: $ip,
		 managing_account: $acc, consuming_account: $acc, session_mode: "public", bgp_session_type: "passive",
		 flags: [{name: $mode, enabled: true}]}
		+ (if $pw == "" then {} else {password: $pw} end) + (if $set == "" then {} else {as_set_v4: $set} end)')"
	[ "$STATUS" = 201 ] || echo "    POST /network-feature-configs: $STATUS $BODY" >&3
	jq -r '.id // empty' <<<"$BODY"
}
# bird_member ROUTER ADDR ASN [PASSWORD]: its BIRD, a session with each route
# server (active: the route servers are passive), announcing its statics
bird_member()
{
	local conf=$TMP/$1.conf pw=""
	[ -z "${4:-}" ] || pw="password \"$4\";"
	{
		echo "router id $2;"
		echo "protocol device {"
		echo "}"
		echo "protocol static s4 {"
		echo "	ipv4;"
		cat
		echo "}"
		for n in 1 2; do
			echo "protocol bgp rs$n {"
			echo "	local $2 as $3; neighbor 192.0.2.$n as 64496; connect delay time 1; $pw"
			echo "	ipv4 { import all; export where source = RTS_STATIC; };"
			echo "}"
		done
	} >"$conf"
	chmod 600 "$conf"
	ip netns exec "$P-$1" bird -c "$conf" -s "$TMP/$1.ctl" -P "$TMP/$1.pid" || fatal "$1's BIRD"
}

order_lan m1 demo-member-ams-sp 02:00:00:00:00:01 206238
M1_ADDR=$ADDR
ip -n "$P-m1" addr add "$M1_ADDR/24" dev eth0
# m1 announces a valid route (AS-DEMO@RIPE, ROA AS206238), a bogon, an
# RPKI-invalid one (ROA AS1099) and one no AS-SET registers.
bird_member m1 "$M1_ADDR" 206238 "$PASSWORD" <<'EOF'
	route 45.1.1.0/24 blackhole;
	route 10.11.0.0/16 blackhole;
	route 45.9.1.0/24 blackhole;
	route 45.22.0.0/24 blackhole;
EOF
T0=$EPOCHREALTIME
M1_RS1=$(order_rs "$RS1" "$NSC" "$IP" 206238 irrdb_rpki "$PASSWORD" AS-DEMO@RIPE)
M1_RS2=$(order_rs "$RS2" "$NSC" "$IP" 206238 irrdb_rpki "$PASSWORD" AS-DEMO@RIPE)
check "m1: POST /network-feature-configs (route_server, MD5 password) with rs1 and rs2: 201" \
	[ -n "$M1_RS1" -a -n "$M1_RS2" ]

check "m1's feature configs reach production" wait_for 20 both_are production "$M1_RS1" "$M1_RS2"
echo "  POST -> both feature configs in production: $(elapsed "$T0")s"
check "m1's BIRD: Established with rs1 and rs2 (birdc in $P-m1)" wait_for 20 both_up m1
echo "  POST -> m1 Established with both route servers: $(elapsed "$T0")s"
call GET "/network-feature-configs/$M1_RS1" "$MEMBER"
check "its status says where it is configured (network, severity 6)" jqb \
	'.status | map(select(.tag == "network" and .severity == 6 and (.message | test("rs1.demo-ix.net")))) | length == 1' \
	<<<"$BODY" >/dev/null

echo "-- m2, ordered the same way (no password, irrdb_rpki)"
order_lan m2 demo-member-ams-sp-2 02:00:00:00:00:02 206239
M2_ADDR=$ADDR
ip -n "$P-m2" addr add "$M2_ADDR/24" dev eth0
bird_member m2 "$M2_ADDR" 206239 </dev/null
T1=$EPOCHREALTIME
M2_RS1=$(order_rs "$RS1" "$NSC" "$IP" 206239 irrdb_rpki)
M2_RS2=$(order_rs "$RS2" "$NSC" "$IP" 206239 irrdb_rpki)
check "m2: POST /network-feature-configs with rs1 and rs2: 201" [ -n "$M2_RS1" -a -n "$M2_RS2" ]
check "m2's BIRD: Established with rs1 and rs2" wait_for 20 both_up m2
echo "  POST -> m2 Established with both route servers: $(elapsed "$T1")s"
check "m1 is still established with both" both_up m1

echo "-- routes, as the policy allows"
check "m2 receives from rs1 m1's valid route only (no bogon, no RPKI-invalid, no IRR-unregistered)" \
	wait_for 10 routes_are m2 rs1 "45.1.1.0/24"
[ "$WAITED" != timeout ] || echo "    got: [$(routes m2 rs1)]"
check "... and the same from rs2" wait_for 10 routes_are m2 rs2 "45.1.1.0/24"
[ "$WAITED" != timeout ] || echo "    got: [$(routes m2 rs2)]"
out=$(birdc_in m2 show route 45.1.1.0/24 protocol rs1 all)
check "rs client: the path is 206238 alone, the next hop m1's ($M1_ADDR), tagged IRR and RPKI valid" \
	bash -c 'grep -q "BGP.as_path: 206238$" <<<"$1" && grep -q "BGP.next_hop: $2" <<<"$1" &&
		grep -qF "(64496,65011)" <<<"$1" && grep -qF "(64496,65012)" <<<"$1"' _ "$out" "$M1_ADDR"
check "m1 receives nothing (m2 announces nothing)" routes_are m1 rs1 ""

echo "-- the session's state on the feature config (IXAPI_RS_POLL_MS=500)"
T2=$EPOCHREALTIME
counted()
{ # the bgp.session entry shows m1's 4 routes: 3 accepted, the bogon filtered
	session_up_in_status "$1" &&
		jqb '.attrs.received == 4 and .attrs.accepted == 3 and .attrs.filtered == 1' <<<"$ENTRY" >/dev/null
}
check "m1's config with rs1: bgp.session up, 4 received, 3 accepted, 1 filtered" wait_for 10 counted "$M1_RS1"
echo "  poll -> status: $(elapsed "$T2")s; $(jq -r .message <<<"$ENTRY")"
check "m1's config with rs2: the same" wait_for 10 counted "$M1_RS2"
check "m2's configs: in production, bgp.session up" wait_for 10 both_up_in_status "$M2_RS1" "$M2_RS2"
check "... in production" both_are production "$M2_RS1" "$M2_RS2"

echo "-- the password"
check "it is in m1's BIRD and in the route servers' configurations (so the test could see it)" \
	bash -c 'grep -qF -- "$1" "$2/m1.conf" && grep -qF -- "$1" "$2/rs1/bird.conf" && grep -qF -- "$1" "$2/rs2/bird.conf"' \
	_ "$PASSWORD" "$TMP"
LEAKS=$(sql "SELECT (SELECT count(*) FROM events WHERE strpos(coalesce(old_value::text, '') ||
					coalesce(new_value::text, ''), '$PASSWORD') > 0)
	   + (SELECT count(*) FROM jobs WHERE strpos(payload::text || coalesce(last_error, ''), '$PASSWORD') > 0)
	   + (SELECT count(*) FROM status_entries WHERE strpos(message || attrs::text, '$PASSWORD') > 0)")
check "... in no job, event or status entry ($LEAKS rows)" [ "$LEAKS" = 0 ]
check "... in no ixapid log line (at debug)" lacks "$TMP/ixapid.log" "$PASSWORD"
check "... in no ixapi-rsd log line (at debug)" lacks "$TMP/adapter.log" "$PASSWORD"
grep -nF -- "$PASSWORD" "$TMP/ixapid.log" "$TMP/adapter.log" | cut -c1-300
check "the adapter's secret is in no ixapid log line" lacks "$TMP/ixapid.log" "$SECRET"

echo "-- faults: one route server down, the other keeps serving (issue 11)"
# The deployment of one ixapi-rsd per route server: the shared one stops
# (the BIRDs keep running), rsd-1 takes rs1 and rsd-2 rs2 on the same
# directories; ixapid restarts with an adapters file naming both, checking
# their health every 0.5 s. The members' BIRDs retry a failed session after
# 1-2 s (BIRD's default error wait is 60 s).
TF=$EPOCHREALTIME
stop_pids "$SERVER_PID" "$ADAPTER_PID"
SERVER_PID= ADAPTER_PID=
ADAPTER2_PORT=$(free_port)
start_rsd()
{ # N PORT: ixapi-rsd for rsN alone; its pid into RSD_STARTED
	"$RSD" --secret-file "$TMP/adapter.secret" --port "$2" --server "rs$1:$TMP/rs$1:$P-rs$1" --log-level debug \
		2>>"$TMP/adapter-rs$1.log" &
	RSD_STARTED=$!
}
start_rsd 1 "$ADAPTER_PORT"
ADAPTER_PID=$RSD_STARTED
start_rsd 2 "$ADAPTER2_PORT"
RSD2_PID=$RSD_STARTED
URL2=http://127.0.0.1:$ADAPTER2_PORT
wait_api /v1/health || fatal "rsd-1 does not answer"
check "rsd-1 serves rs1 (its BIRD running), with a boot_id" \
	jqb '.servers == ["rs1"] and .running.rs1 == true and (.boot_id | length) > 0' <<<"$BODY" >/dev/null
URL=$URL2 wait_api /v1/health || fatal "rsd-2 does not answer"
check "rsd-2 serves rs2 (its BIRD running)" jqb '.servers == ["rs2"] and .running.rs2 == true' <<<"$BODY" >/dev/null
jq -n --arg u1 "$URL" --arg u2 "$URL2" '{route_server_adapters: [
	{name: "lab-rsd1", url: $u1, secret_file: "adapter.secret", route_servers: [{network_feature: "rs1.demo-ix.net", server: "rs1"}]},
	{name: "lab-rsd2", url: $u2, secret_file: "adapter.secret", route_servers: [{network_feature: "rs2.demo-ix.net", server: "rs2"}]}]}' \
	>"$TMP/adapters-2.json"
IXAPI_PORT=$API_PORT IXAPI_LISTEN=127.0.0.1 IXAPI_ADAPTERS_FILE=$TMP/adapters-2.json IXAPI_WORKERS=2 \
	IXAPI_LOG_LEVEL=debug IXAPI_JOB_POLL_MS=200 IXAPI_JOB_BACKOFF_BASE_MS=100 IXAPI_JOB_BACKOFF_CAP_MS=400 \
	IXAPI_RS_POLL_MS=500 IXAPI_ADAPTER_CHECK_MS=500 "$IXAPID" serve >>"$TMP/ixapid.log" 2>&1 &
SERVER_PID=$!
e2e_wait_ixapid
for m in m1 m2; do
	sed -i 's/connect delay time 1;/connect delay time 1; error wait time 1, 2;/' "$TMP/$m.conf"
	birdc_in "$m" configure >/dev/null
done
all_up()
{
	both_up m1 && both_up m2
}
check "m1 and m2 Established with rs1 and rs2 (one ixapi-rsd per route server)" wait_for 20 all_up
echo "  one ixapi-rsd per route server, ixapid restarted, all Established: $(elapsed "$TF")s"
refreshed()
{ # each adapter's first boot_id queued a refresh of its route server, done
	[ "$(sql "SELECT count(*) FROM jobs WHERE kind = 'route_server.refresh' AND state = 'done'
		  AND payload->>'network_feature' IN ('$RS1', '$RS2') AND created_at > now() - interval '60 s'")" -ge 2 ]
}
check "their boot_ids queued a refresh of rs1 and rs2, done" wait_for 10 refreshed

echo "-- (a) rs2's BIRD dies: ixapi-rsd starts it again on its last good configuration"
TA=$EPOCHREALTIME
kill -KILL "$(cat "$TMP/rs2/bird.pid")"
rs2_lost()
{
	! established m1 rs2 || ! established m2 rs2
}
wait_for 5 rs2_lost
check "m1 and m2 Established with rs2 again, no operator, no PUT" wait_for 20 all_up
echo "  BIRD rs2 killed -> m1, m2 Established with rs2 again: $(elapsed "$TA")s"
check "rsd-2's log says it restarted BIRD" grep -q "starting it on its last good configuration" "$TMP/adapter-rs2.log"

echo "-- (b)+(c) rs2 down: its ixapi-rsd and its BIRD stopped"
stop_pids "$RSD2_PID"
RSD2_PID=
kill -TERM "$(cat "$TMP/rs2/bird.pid")"
TD=$EPOCHREALTIME
rs2_gone()
{
	! established m1 rs2 && ! established m2 rs2
}
check "m1 and m2 lose rs2" wait_for 10 rs2_gone
check "m1 and m2 stay Established with rs1" bash -c "$(declare -f birdc_in established); TMP=$TMP; established m1 rs1 && established m2 rs1"
check "m2 still receives m1's valid route via rs1" routes_are m2 rs1 "45.1.1.0/24"
echo "-- a change ordered during the outage: m2's max_prefix_v4 = 50 on both its sessions"
TC=$EPOCHREALTIME
for id in "$M2_RS1" "$M2_RS2"; do
	call PATCH "/network-feature-configs/$id" "$MEMBER" '{"max_prefix_v4": 50}'
	check "PATCH /network-feature-configs/$id {max_prefix_v4: 50}: 202" [ "$STATUS" = 202 ]
done
job_of()
{ # CONFIG: the latest job of the config, as GET /jobs shows it; sets JOB
	call GET "/jobs?object=network_feature_config:$1" "$OPERATOR"
	JOB=$(jq -c 'max_by(.id | tonumber)' <<<"$BODY")
}
job_done()
{
	job_of "$1"
	jqb '.state == "done"' <<<"$JOB" >/dev/null
}
rs1_limit_is()
{ # LIMIT: rs1's BIRD has it as m2's receive limit (rsd-1's GET)
	api GET /v1/route-servers/rs1
	jqb --arg id "$M2_RS1" --argjson l "$1" \
		'.sessions[] | select(.id == $id) | .families[0].receive_limit == $l' <<<"$BODY" >/dev/null
}
check "the rs1 job completes" wait_for 10 job_done "$M2_RS1"
echo "  rs2 down, change ordered -> rs1's job done: $(elapsed "$TC")s"
check "rs1's BIRD has m2's receive limit 50" wait_for 5 rs1_limit_is 50
waits_more_than_attempts()
{ # the rs2 job waits: failed, no attempt counted, more waits than IXAPI_JOB_MAX_ATTEMPTS (8)
	job_of "$M2_RS2"
	jqb '.state == "failed" and .attempts == 0 and .waits > 8' <<<"$JOB" >/dev/null
}
check "the rs2 job waits: GET /jobs shows it failed, 0 attempts, more than 8 waits (never dead)" \
	wait_for 20 waits_more_than_attempts
echo "    $(jq -c '{id, kind, state, attempts, waits, last_error: (.last_error | .[0:140])}' <<<"$JOB")"
"$IXAPID" jobs --object "network_feature_config:$M2_RS2" 2>&1 | cut -c1-200 | sed 's/^/    ixapid jobs: /'
check "ixapid jobs lists it waiting" bash -c '"$1" jobs --object "network_feature_config:$2" | grep -q "failed.*waiting for the route server"' \
	_ "$IXAPID" "$M2_RS2"
check "no job is dead" [ "$(sql "SELECT count(*) FROM jobs WHERE state = 'dead'")" = 0 ]
check "m2's config with rs2 is not in error" not nfc_state_is "$M2_RS2" error
check "m1 and m2 still Established with rs1" bash -c "$(declare -f birdc_in established); TMP=$TMP; established m1 rs1 && established m2 rs1"

echo "-- rs2 back: its ixapi-rsd starts (it starts BIRD on its last good file); nobody else acts"
TU=$EPOCHREALTIME
start_rsd 2 "$ADAPTER2_PORT"
RSD2_PID=$RSD_STARTED
check "the waiting rs2 job completes" wait_for 20 job_done "$M2_RS2"
echo "  rs2 back -> its waiting job done: $(elapsed "$TU")s (after $(jq .waits <<<"$JOB") waits, $(jq .attempts <<<"$JOB") attempt)"
check "m1 and m2 Established with rs2 again" wait_for 20 all_up
echo "  rs2 back -> m1, m2 Established with rs2: $(elapsed "$TU")s; rs2 down for $(elapsed "$TD")s in all"
rs2_limit_is()
{
	URL=$URL2 api GET /v1/route-servers/rs2
	jqb --arg id "$M2_RS2" '.sessions[] | select(.id == $id) | .families[0].receive_limit == 50' <<<"$BODY" >/dev/null
}
check "rs2's BIRD has the change ordered while it was down (m2's receive limit 50)" wait_for 5 rs2_limit_is
check "m2 receives m1's valid route via rs2 again" wait_for 10 routes_are m2 rs2 "45.1.1.0/24"
check "both of m2's configs in production, no job dead" bash -c "[ \"\$(psql \"\$DATABASE_URL\" -XAtq -c \"SELECT
	(SELECT count(*) FROM network_feature_configs WHERE id IN ($M2_RS1, $M2_RS2) AND state = 'production')
	|| '/' || (SELECT count(*) FROM jobs WHERE state = 'dead')\")\" = 2/0 ]"
if [ "$failures" != 0 ]; then
	echo "--- rsd-2 log (tail)"
	tail -n 20 "$TMP/adapter-rs2.log"
fi

echo "  e2e-route-servers took $(elapsed "$started") s"
if [ "$failures" = 0 ]; then
	echo "e2e-route-servers: all checks passed"
else
	echo "e2e-route-servers: $failures check(s) FAILED"
	exit 1
fi
