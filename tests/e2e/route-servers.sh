#!/usr/bin/env bash
# End to end, route servers on the switch adapter's peering LAN: PostgreSQL
# (tests/with-temp-pg.sh), ixapid with its workers and an adapters file
# naming a switch adapter and a route-server adapter, a real ixapi-switchd
# serving the switch namespace's ports of a lab (scripts/lab.sh) and a real
# ixapi-rsd driving two BIRD route servers in their namespaces: rs1
# (192.0.2.1, 2001:db8:7f8::1) and rs2 (192.0.2.2, 2001:db8:7f8::2), the
# demo seed's rs1/rs2.demo-ix.net with its ASN 64496; the demo exchange as
# `make run` seeds it (`ixapid seed-demo`, scripts/demo-network.sql, and the
# same for a second connection on p2). The route servers are the exchange's
# own: as in `make run`, their ports are ports the switch adapter serves
# (no port of the database) put on the peering bridge, unlocked, by the lab.
# Two member routers run BIRD: m1 (the demo member's router, AS206238, MD5
# password) and m2 (AS206239, a second peering-LAN config of the demo
# member, no password). Everything is ordered through the API as a client
# (pyixapi, Terraform) would: the peering-LAN configs (quarantine: the real
# gate, a capture on the member's port; the member's PATCH
# consumer_side_ready; production: the peering bridge with the MAC lock),
# then one `route_server` network-feature-config per route server and
# address (IX-API: the session's family is its `ip`'s version; as_set_v4
# or as_set_v6 with it); IRR (an AS-SET in bgpq4's JSON, IPv4 and IPv6) and
# ROA data (IPv4 and IPv6) through the operator's PUT /route-server-data/...
# Asserted: m1's sessions are configured on both route servers while its
# port is in the quarantine LAN and stay down there; on the peering LAN
# (master s-peering, MAC lock in nftables) m1's and m2's BIRDs have
# Established v4 and v6 sessions with both route servers (birdc in their
# namespaces); the configs' status shows bgp.session up with the counts
# after a poll; m2 receives from each route server exactly the route the
# policy allows, in IPv4 and in IPv6 (m1 announces a valid prefix, a
# bogon, an RPKI-invalid and an IRR-unregistered one of each family); the
# password is in no ixapid or adapter log, job, event or status entry.
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
SWITCHD=$PWD/$BUILD/ixapi-switchd
lab_need_tools e2e-route-servers ip curl jq nft psql bird birdc

started=$EPOCHREALTIME
lab_new e2r
chmod 755 "$TMP"
ADAPTER_PID=
SWITCHD_PID=
SERVER_PID=
RSD2_PID= # the faults section's second ixapi-rsd
cleanup()
{
	# shellcheck disable=SC2086 # the unset ones vanish
	stop_pids $SERVER_PID $ADAPTER_PID $RSD2_PID $SWITCHD_PID
	# The BIRDs this run started, by their pid files (never by name).
	local f
	for f in "$TMP"/rs*/bird.pid "$TMP"/m*.pid; do
		[ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	sleep 0.2
	scripts/lab.sh down "$P"
	e2e_logs ixapi-rsd
	if [ "$failures" != 0 ] || [ -n "${E2E_KEEP_LOGS:-}" ]; then
		echo "--- ixapi-switchd log (tail)"
		tail -n 20 "$TMP/switchd.log" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

e2e_ports
SWITCHD_PORT=$(free_port)
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
both_up_v6()
{ # ROUTER: its IPv6 sessions
	established "$1" rs1v6 && established "$1" rs2v6
}
none_up()
{ # ROUTER: none of its four sessions is Established
	! established "$1" rs1 && ! established "$1" rs2 && ! established "$1" rs1v6 && ! established "$1" rs2v6
}
rs_peers()
{ # the neighbor addresses of rs1's and rs2's BGP sessions (birdc on their control sockets)
	birdc -s "$TMP/rs1/bird.ctl" show protocols all 2>/dev/null | awk '/Neighbor address:/ {print "rs1", $3}'
	birdc -s "$TMP/rs2/bird.ctl" show protocols all 2>/dev/null | awk '/Neighbor address:/ {print "rs2", $3}'
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

switch_api()
{ # METHOD PATH [BODY]: ixapi-switchd's API (api's STATUS and BODY)
	URL=http://127.0.0.1:$SWITCHD_PORT SECRET=$SWITCH_SECRET api "$@"
}
nsc_state_is()
{ # NSC STATE: the peering-LAN config's state
	call GET "/network-service-configs/$1" "$MEMBER"
	jqb --arg s "$2" '.state == $s' <<<"$BODY" >/dev/null
}
gate_passed()
{ # NSC: its quarantine test passed (a quarantine.passed status entry)
	call GET "/network-service-configs/$1" "$MEMBER"
	jqb '.status | map(select(.tag == "quarantine.passed")) | length == 1' <<<"$BODY" >/dev/null
}
mac_locked()
{ # PORT MAC: the adapter's nftables lock holds PORT . MAC and locks PORT
	ip netns exec "$SW" nft -j list set bridge ixapi_switch allowed | grep -q "\"$1\", \"$2\"" &&
		ip netns exec "$SW" nft -j list set bridge ixapi_switch locked | grep -q "\"$1\""
}

echo "e2e-route-servers: lab $P, ixapid :$API_PORT, ixapi-rsd :$ADAPTER_PORT, ixapi-switchd :$SWITCHD_PORT"
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

# The lab: m1 on p1, m2 on p2, the route servers on rs1 and rs2 of the
# switch namespace, whose bridges ixapi-switchd keeps. The members are
# configured as the exchange's guide asks of a Linux router (forwarding on,
# so no router solicitations; autoconf off; arp_ignore/arp_announce), so
# the quarantine gate passes them.
scripts/lab.sh up "$P" m1 m2 rs1 rs2 >/dev/null || fatal "lab up"
ip -n "$P-rs1" addr add 192.0.2.1/24 dev eth0
ip -n "$P-rs1" addr add 2001:db8:7f8::1/64 dev eth0 nodad
ip -n "$P-rs2" addr add 192.0.2.2/24 dev eth0
ip -n "$P-rs2" addr add 2001:db8:7f8::2/64 dev eth0 nodad
for m in m1 m2; do
	ip netns exec "$P-$m" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv6.conf.eth0.autoconf=0 net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=1
done
lab_secret "$TMP/switch.secret"
SWITCH_SECRET=$SECRET
chmod 600 "$TMP/switch.secret"
"$SWITCHD" --netns "$SW" --secret-file "$TMP/switch.secret" --ports p1,p2,rs1,rs2 --port "$SWITCHD_PORT" \
	2>"$TMP/switchd.log" &
SWITCHD_PID=$!
URL=http://127.0.0.1:$SWITCHD_PORT SECRET=$SWITCH_SECRET wait_api /v1/health || fatal "ixapi-switchd does not answer"
# The route servers' ports, as `make run` attaches them: on the peering
# bridge, no MAC lock (the exchange's own; ixapid manages the members' ports)
for rs in rs1 rs2; do
	switch_api PUT "/v1/ports/$rs" '{"admin_state":"up","service":"peering","vlan":null,"mac_lock":false,
		"allowed_macs":[],"lag_members":[]}'
	[ "$STATUS" = 200 ] || fatal "PUT $rs on the peering bridge: $STATUS $BODY"
done
check "ixapi-switchd --netns $SW: rs1 and rs2 on its peering bridge, p1 and p2 in no service" bash -c \
	'[ "$1 $2 $3 $4" = "s-peering s-peering none none" ]' _ "$(master_of rs1)" "$(master_of rs2)" \
	"$(master_of p1)" "$(master_of p2)"

lab_secret "$TMP/adapter.secret"
chmod 600 "$TMP/adapter.secret"
"$RSD" --secret-file "$TMP/adapter.secret" --port "$ADAPTER_PORT" --server "rs1:$TMP/rs1:$P-rs1" \
	--server "rs2:$TMP/rs2:$P-rs2" --log-level debug 2>"$TMP/adapter.log" &
ADAPTER_PID=$!
URL=http://127.0.0.1:$ADAPTER_PORT
wait_api /v1/health || fatal "ixapi-rsd does not answer"
check "ixapi-rsd serves rs1 and rs2" jqb '.servers == ["rs1","rs2"]' <<<"$BODY" >/dev/null

jq -n --arg url "$URL" --arg sw "http://127.0.0.1:$SWITCHD_PORT" '{
	switch_adapters: [{name: "lab", url: $sw, secret_file: "switch.secret", devices: ["ams-sp-sw1.demo-ix.net"]}],
	route_server_adapters: [{name: "lab-rsd", url: $url, secret_file: "adapter.secret",
	route_servers: [{network_feature: "rs1.demo-ix.net", server: "rs1"},
			{network_feature: "rs2.demo-ix.net", server: "rs2"}]}]}' >"$TMP/adapters.json"
IXAPI_PORT=$API_PORT IXAPI_LISTEN=127.0.0.1 IXAPI_ADAPTERS_FILE=$TMP/adapters.json IXAPI_WORKERS=2 \
	IXAPI_LOG_LEVEL=debug IXAPI_JOB_POLL_MS=200 IXAPI_JOB_BACKOFF_BASE_MS=100 IXAPI_JOB_BACKOFF_CAP_MS=400 \
	IXAPI_RS_POLL_MS=500 IXAPI_QUARANTINE_SECONDS=1 "$IXAPID" serve >"$TMP/ixapid.log" 2>&1 &
SERVER_PID=$!
e2e_wait_ixapid
MEMBER=$(token member)
OPERATOR=$(token operator)
[ -n "$MEMBER" ] && [ "$MEMBER" != null ] && [ -n "$OPERATOR" ] && [ "$OPERATOR" != null ] || fatal "no tokens"

echo "-- IRR and RPKI data, loaded by the operator"
call PUT "/route-server-data/as-sets/AS-DEMO@RIPE" "$OPERATOR" '{
	"prefixes_v4": {"NN": [{"prefix": "45.1.0.0/16", "exact": false, "greater-equal": 16, "less-equal": 24},
			       {"prefix": "45.9.0.0/16", "exact": false, "greater-equal": 16, "less-equal": 24}]},
	"prefixes_v6": {"NN": [{"prefix": "2a0e:1000::/32", "exact": false, "greater-equal": 32, "less-equal": 48},
			       {"prefix": "2a0e:9000::/32", "exact": false, "greater-equal": 32, "less-equal": 48}]},
	"origins": {"NN": [206238]}}'
check "PUT /route-server-data/as-sets/AS-DEMO@RIPE (bgpq4 -j, IPv4 and IPv6): 200" [ "$STATUS" = 200 ]
call PUT /route-server-data/roas "$OPERATOR" '{"roas": [
	{"prefix": "45.1.0.0/16", "maxLength": 24, "asn": "AS206238"},
	{"prefix": "45.9.0.0/16", "maxLength": 24, "asn": "AS1099"},
	{"prefix": "2a0e:1000::/32", "maxLength": 48, "asn": "AS206238"},
	{"prefix": "2a0e:9000::/32", "maxLength": 48, "asn": "AS1099"}]}'
check "PUT /route-server-data/roas (rpki-client's export, IPv4 and IPv6): 200" [ "$STATUS" = 200 ]
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
# IP and ADDR (its IPv4 address's id and the address), IP6 and ADDR6 (its
# IPv6 address's); the router takes both addresses on eth0
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
	IP6=$(jq -r '.[] | select(.version == 6) | .id' <<<"$BODY")
	ADDR6=$(jq -r '.[] | select(.version == 6) | .address' <<<"$BODY")
	check "$1: GET /ips?network_service_config=$NSC: its IPv4 address ($ADDR)" \
		bash -c '[[ "$1" =~ ^192\.0\.2\.[0-9]+$ ]] && [ "$1" != 192.0.2.1 ] && [ "$1" != 192.0.2.2 ]' _ "$ADDR"
	check "$1: ... and its IPv6 address ($ADDR6)" bash -c \
		'[[ "$1" =~ ^2001:db8:7f8::[0-9a-f]+$ ]] && [ "$1" != 2001:db8:7f8::1 ] && [ "$1" != 2001:db8:7f8::2 ]' \
		_ "$ADDR6"
	ip -n "$P-$1" addr add "$ADDR/24" dev eth0
	ip -n "$P-$1" addr add "$ADDR6/64" dev eth0 nodad
}
# quarantined ROUTER PORT: NSC reaches testing with PORT in the quarantine
# bridge, and the quarantine gate (a capture on PORT) passes it
quarantined()
{
	check "$1: its peering-LAN config reaches testing, $2 in the quarantine bridge (ip -j link in $SW)" \
		wait_for 20 in_quarantine "$2"
	check "... testing" nsc_state_is "$NSC" testing
	check "$1: the quarantine gate passes it (a 1 s capture on $2)" wait_for 20 gate_passed "$NSC"
}
in_quarantine()
{ # PORT
	[ "$(master_of "$1")" = s-quarantine ]
}
on_peering_lan()
{ # PORT MAC
	[ "$(master_of "$1")" = s-peering ] && mac_locked "$1" "$2"
}
# to_production ROUTER PORT MAC: the member's PATCH consumer_side_ready; the
# config reaches production, PORT on the peering bridge with the MAC lock.
# Sets LAN_AT (the moment production was seen).
to_production()
{
	call PATCH "/network-service-configs/$NSC" "$MEMBER" '{"consumer_side_ready": true}'
	check "$1: the member's PATCH consumer_side_ready=true: 202" [ "$STATUS" = 202 ]
	check "$1: its peering-LAN config reaches production" wait_for 20 nsc_state_is "$NSC" production
	LAN_AT=$EPOCHREALTIME
	check "$1: $2 on the peering bridge, the MAC lock holds $2 . $3 and locks $2 (nft -j)" on_peering_lan "$2" "$3"
}
# order_rs FEATURE NSC IP ASN FILTERING [PASSWORD] [AS_SET] [VERSION]: the
# route-server session (IX-API's required fields and what a client sets);
# VERSION (4 by default) is the ip's: its AS-SET goes in as_set_v4 or
# as_set_v6; prints its id
order_rs()
{
	call POST /network-feature-configs "$MEMBER" "$(jq -n --arg f "$1" --arg nsc "$2" --arg ip "$3" \
		--argjson asn "$4" --arg mode "$5" --arg pw "${6:-}" --arg set "${7:-}" --arg acc "$ACCOUNT" \
		--arg set_key "as_set_v${8:-4}" '
		{type: "route_server", network_feature: $f, network_service_config: $nsc, asn: $asn, ip: $ip,
		 managing_account: $acc, consuming_account: $acc, session_mode: "public", bgp_session_type: "passive",
		 flags: [{name: $mode, enabled: true}]}
		+ (if $pw == "" then {} else {password: $pw} end) + (if $set == "" then {} else {($set_key): $set} end)')"
	[ "$STATUS" = 201 ] || echo "    POST /network-feature-configs: $STATUS $BODY" >&3
	jq -r '.id // empty' <<<"$BODY"
}
# bird_member ROUTER ADDR ADDR6 ASN [PASSWORD]: its BIRD, a v4 (rsN) and a v6
# (rsNv6) session with each route server (active: the route servers are
# passive), announcing its statics (stdin: the IPv6 ones are those with a
# colon)
bird_member()
{
	local conf=$TMP/$1.conf pw="" routes
	[ -z "${5:-}" ] || pw="password \"$5\";"
	routes=$(cat)
	{
		echo "router id $2;"
		echo "protocol device {"
		echo "}"
		echo "protocol static s4 {"
		echo "	ipv4;"
		grep -v : <<<"$routes"
		echo "}"
		echo "protocol static s6 {"
		echo "	ipv6;"
		grep : <<<"$routes"
		echo "}"
		for n in 1 2; do
			echo "protocol bgp rs$n {"
			echo "	local $2 as $4; neighbor 192.0.2.$n as 64496; connect delay time 1; connect retry time 1; $pw"
			echo "	ipv4 { import all; export where source = RTS_STATIC; };"
			echo "}"
			echo "protocol bgp rs${n}v6 {"
			echo "	local $3 as $4; neighbor 2001:db8:7f8::$n as 64496; connect delay time 1; connect retry time 1; $pw"
			echo "	ipv6 { import all; export where source = RTS_STATIC; };"
			echo "}"
		done
	} >"$conf"
	chmod 600 "$conf"
	ip netns exec "$P-$1" bird -c "$conf" -s "$TMP/$1.ctl" -P "$TMP/$1.pid" || fatal "$1's BIRD"
}

order_lan m1 demo-member-ams-sp 02:00:00:00:00:01 206238
M1_NSC=$NSC
M1_ADDR=$ADDR
M1_ADDR6=$ADDR6
M1_IP=$IP
M1_IP6=$IP6
# m1 announces a valid route (AS-DEMO@RIPE, ROA AS206238), a bogon, an
# RPKI-invalid one (ROA AS1099) and one no AS-SET registers; the same in
# IPv6 (the bogon: a documentation prefix).
bird_member m1 "$M1_ADDR" "$M1_ADDR6" 206238 "$PASSWORD" <<'EOF'
	route 45.1.1.0/24 blackhole;
	route 10.11.0.0/16 blackhole;
	route 45.9.1.0/24 blackhole;
	route 45.22.0.0/24 blackhole;
	route 2a0e:1000:1::/48 blackhole;
	route 2001:db8:1::/48 blackhole;
	route 2a0e:9000:1::/48 blackhole;
	route 2a0e:2200::/48 blackhole;
EOF
# m2's peering-LAN config at once (its quarantine test runs beside m1's)
order_lan m2 demo-member-ams-sp-2 02:00:00:00:00:02 206239
M2_NSC=$NSC
M2_ADDR=$ADDR
M2_IP=$IP
M2_IP6=$IP6
bird_member m2 "$M2_ADDR" "$ADDR6" 206239 </dev/null
NSC=$M1_NSC
IP=$M1_IP
IP6=$M1_IP6
T0=$EPOCHREALTIME
M1_RS1=$(order_rs "$RS1" "$NSC" "$IP" 206238 irrdb_rpki "$PASSWORD" AS-DEMO@RIPE)
M1_RS2=$(order_rs "$RS2" "$NSC" "$IP" 206238 irrdb_rpki "$PASSWORD" AS-DEMO@RIPE)
check "m1: POST /network-feature-configs (route_server, MD5 password) with rs1 and rs2: 201" \
	[ -n "$M1_RS1" -a -n "$M1_RS2" ]
M1_RS1_6=$(order_rs "$RS1" "$NSC" "$IP6" 206238 irrdb_rpki "$PASSWORD" AS-DEMO@RIPE 6)
M1_RS2_6=$(order_rs "$RS2" "$NSC" "$IP6" 206238 irrdb_rpki "$PASSWORD" AS-DEMO@RIPE 6)
check "m1: the same for its IPv6 address (ip: its IPv6 id, as_set_v6): 201" [ -n "$M1_RS1_6" -a -n "$M1_RS2_6" ]

check "m1's feature configs reach production" wait_for 20 both_are production "$M1_RS1" "$M1_RS2"
echo "  POST -> both feature configs in production: $(elapsed "$T0")s"
check "... and its IPv6 ones" wait_for 20 both_are production "$M1_RS1_6" "$M1_RS2_6"
check "rs1's and rs2's BIRDs run m1's sessions, v4 and v6 (birdc: their neighbors)" bash -c \
	'[ "$(sort <<<"$1" | tr "\n" " ")" = "rs1 $2 rs1 $3 rs2 $2 rs2 $3 " ]' _ "$(rs_peers)" "$M1_ADDR" "$M1_ADDR6"
quarantined m1 p1
check "in the quarantine LAN m1 reaches no route server (ping 192.0.2.1)" not pings m1 192.0.2.1
check "... and none of its 4 sessions is Established" none_up m1
to_production m1 p1 02:00:00:00:00:01
check "m1's BIRD: Established with rs1 and rs2 (birdc in $P-m1)" wait_for 20 both_up m1
echo "  POST -> m1 Established with both route servers: $(elapsed "$T0")s (the quarantine test included);" \
	"on the peering LAN -> Established: $(elapsed "$LAN_AT")s"
check "... and over IPv6 (rs1v6, rs2v6)" wait_for 20 both_up_v6 m1
echo "  on the peering LAN -> m1's IPv6 sessions Established: $(elapsed "$LAN_AT")s"
call GET "/network-feature-configs/$M1_RS1" "$MEMBER"
check "its status says where it is configured (network, severity 6)" jqb \
	'.status | map(select(.tag == "network" and .severity == 6 and (.message | test("rs1.demo-ix.net")))) | length == 1' \
	<<<"$BODY" >/dev/null

echo "-- m2, ordered the same way (no password, irrdb_rpki), once its port is on the peering LAN"
NSC=$M2_NSC
IP=$M2_IP
IP6=$M2_IP6
quarantined m2 p2
to_production m2 p2 02:00:00:00:00:02
T1=$EPOCHREALTIME
M2_RS1=$(order_rs "$RS1" "$NSC" "$IP" 206239 irrdb_rpki)
M2_RS2=$(order_rs "$RS2" "$NSC" "$IP" 206239 irrdb_rpki)
check "m2: POST /network-feature-configs with rs1 and rs2: 201" [ -n "$M2_RS1" -a -n "$M2_RS2" ]
M2_RS1_6=$(order_rs "$RS1" "$NSC" "$IP6" 206239 irrdb_rpki "" "" 6)
M2_RS2_6=$(order_rs "$RS2" "$NSC" "$IP6" 206239 irrdb_rpki "" "" 6)
check "m2: the same for its IPv6 address: 201" [ -n "$M2_RS1_6" -a -n "$M2_RS2_6" ]
check "m2's BIRD: Established with rs1 and rs2" wait_for 20 both_up m2
echo "  POST -> m2 Established with both route servers: $(elapsed "$T1")s"
check "... and over IPv6" wait_for 20 both_up_v6 m2
echo "  POST -> m2 Established with both over IPv6: $(elapsed "$T1")s"
check "m1 is still established with both" both_up m1
check "... over IPv6 too" both_up_v6 m1

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
check "IPv6: m2 receives from rs1 m1's valid route only (no bogon, no RPKI-invalid, no IRR-unregistered)" \
	wait_for 10 routes_are m2 rs1v6 "2a0e:1000:1::/48"
[ "$WAITED" != timeout ] || echo "    got: [$(routes m2 rs1v6)]"
check "... and the same from rs2" wait_for 10 routes_are m2 rs2v6 "2a0e:1000:1::/48"
[ "$WAITED" != timeout ] || echo "    got: [$(routes m2 rs2v6)]"
out=$(birdc_in m2 show route 2a0e:1000:1::/48 protocol rs1v6 all)
check "rs client: the path is 206238 alone, the next hop m1's ($M1_ADDR6), tagged IRR and RPKI valid" \
	bash -c 'grep -q "BGP.as_path: 206238$" <<<"$1" && grep -Eq "BGP.next_hop: $2( |$)" <<<"$1" &&
		grep -qF "(64496,65011)" <<<"$1" && grep -qF "(64496,65012)" <<<"$1"' _ "$out" "$M1_ADDR6"
check "m1 receives nothing over IPv6" routes_are m1 rs1v6 ""

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
counted_both() { counted "$1" && counted "$2"; }
check "m1's IPv6 configs with rs1 and rs2: the same (the IPv6 bogon filtered)" \
	wait_for 10 counted_both "$M1_RS1_6" "$M1_RS2_6"
check "m2's configs: in production, bgp.session up" wait_for 10 both_up_in_status "$M2_RS1" "$M2_RS2"
check "... in production" both_are production "$M2_RS1" "$M2_RS2"
check "m2's IPv6 configs: in production, bgp.session up" wait_for 10 both_up_in_status "$M2_RS1_6" "$M2_RS2_6"
check "... in production" both_are production "$M2_RS1_6" "$M2_RS2_6"

echo "-- the password"
check "the switch adapter's secret is in no ixapid log line" lacks "$TMP/ixapid.log" "$SWITCH_SECRET"
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
jq -n --arg u1 "$URL" --arg u2 "$URL2" --arg sw "http://127.0.0.1:$SWITCHD_PORT" '{
	switch_adapters: [{name: "lab", url: $sw, secret_file: "switch.secret", devices: ["ams-sp-sw1.demo-ix.net"]}],
	route_server_adapters: [
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
# (between two tries: while it tries again it shows `running`)
check "ixapid jobs lists it waiting" wait_for 10 bash -c \
	'"$1" jobs --object "network_feature_config:$2" | grep -q "failed.*waiting for the route server"' \
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
echo "-- the receive limit: m1 exceeds its own max_prefix_v4 on rs1; the exchange re-enables on request"
TL=$EPOCHREALTIME
call PATCH "/network-feature-configs/$M1_RS1" "$MEMBER" '{"max_prefix_v4": 2}'
check "m1: PATCH max_prefix_v4 = 2 on its rs1 session (it announces 4 IPv4 routes): 202" [ "$STATUS" = 202 ]
limit_entry()
{ # ID: the config shows a bgp.max_prefix entry (severity 3); ENTRY = it
	call GET "/network-feature-configs/$1" "$MEMBER"
	ENTRY=$(jq -c '[.status[] | select(.tag == "bgp.max_prefix")][0] // empty' <<<"$BODY")
	[ -n "$ENTRY" ] && jqb '.severity == 3' <<<"$ENTRY" >/dev/null
}
check "BIRD disables the session; the member sees why on its config: bgp.max_prefix, severity 3" \
	wait_for 15 limit_entry "$M1_RS1"
echo "  PATCH -> the limit hit shown on the config: $(elapsed "$TL")s; $(jq -r .message <<<"$ENTRY")"
check "m1 is down on rs1 only: still Established with rs2" bash -c \
	"$(declare -f birdc_in established); TMP=$TMP; ! established m1 rs1 && established m1 rs2"
check "m2 no longer learns m1's route from rs1 (still from rs2)" wait_for 10 routes_are m2 rs1 ""
check "... still from rs2" routes_are m2 rs2 "45.1.1.0/24"
birdc_in m1 disable s4 >/dev/null # m1 withdraws its leak
call POST "/network-feature-configs/$M1_RS1/enable-session" "$MEMBER" '{}'
check "a member cannot re-enable it (operators only): 403" [ "$STATUS" = 403 ]
TE=$EPOCHREALTIME
call POST "/network-feature-configs/$M1_RS1/enable-session" "$OPERATOR" '{}'
check "the operator re-enables it: 202" [ "$STATUS" = 202 ]
check "m1 is Established with rs1 again" wait_for 15 established m1 rs1
echo "  enable-session -> m1 Established with rs1: $(elapsed "$TE")s"
check "... and the bgp.max_prefix entry is gone" wait_for 10 not limit_entry "$M1_RS1"
birdc_in m1 enable s4 >/dev/null
call PATCH "/network-feature-configs/$M1_RS1" "$MEMBER" '{"max_prefix_v4": null}'
check "m1 announces again and goes back to the exchange's dynamic limit (PATCH null): 202" [ "$STATUS" = 202 ]
check "m2 learns m1's route from rs1 again" wait_for 15 routes_are m2 rs1 "45.1.1.0/24"
check "no job is dead" [ "$(sql "SELECT count(*) FROM jobs WHERE state = 'dead'")" = 0 ]

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
