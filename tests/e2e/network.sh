#!/usr/bin/env bash
# End to end, every part real: PostgreSQL (tests/with-temp-pg.sh), ixapid
# with its workers and an adapters file, ixapi-switchd driving the bridges of
# a namespace lab (scripts/lab.sh), the demo exchange (`ixapid seed-demo`
# and scripts/demo-network.sql, as `make run` seeds them). The demo member's
# router m1 (a Linux router: forwarding on, autoconf off) is wired to port p1
# of its connection. The member orders a peering-LAN config through the API:
#   its port lands in the quarantine bridge (`ip -j link` in the switch
#   namespace) and cannot reach the route server (a namespace answering at
#   rs1's address, 192.0.2.1, on the peering bridge); the config is testing
#   and the quarantine gate runs through the whole chain: the workers ask
#   ixapi-switchd for a capture with probes on p1, judge its report and
#   store the verdict. The router is dirty at first (a real lldpd, STP
#   BPDUs, IPv6 RAs, frames from a second MAC, Linux proxy ARP answering
#   the adapter's probe): the config stays testing with one status entry per
#   violation and nothing else. The member stops them and asks for a
#   re-test (POST .../quarantine-test): it passes; `consumer_side_ready`
#   (the member's PATCH) puts the port on the peering bridge with the MAC
#   lock and the config in production, no operator involved: the member
#   reaches the route server (its pings show in the config's peer statistics,
#   the route server's MAC as the peer), frames from a second MAC are dropped (the
#   adapter's nftables counter) and never reach it; decommissioning on its
#   date (moved to today by SQL) takes the port out of the service and down.
#   (The operator's PATCH state=production override is jobs_itest's.)
# A shell script, like tests/adapters/switch-lab.sh: every check is a kernel
# tool's word (ip -j, nft -j, ping, scapy) or an HTTP answer (curl, jq).
# Usage: tests/e2e/network.sh BUILD_DIR (root needed; skipped without).
# Without DATABASE_URL it runs itself under tests/with-temp-pg.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
. tests/lib/lab.sh

lab_need_root e2e-network "network namespaces, veth pairs and nftables"
[ -n "${DATABASE_URL:-}" ] || exec tests/with-temp-pg.sh "$0" "$@"
IXAPID=$PWD/$BUILD/ixapid
SWITCHD=$PWD/$BUILD/ixapi-switchd
PY=/usr/bin/python3
FRAMES=$PWD/tests/adapters/frames.py
lab_need_tools e2e-network ip curl jq nft ping psql lldpd

lab_new e2e
chmod 755 "$TMP"
ADAPTER_PID=
SERVER_PID=
LLDPD_PID=
NOISE_PID=
PINGER_PID=
cleanup()
{
	# shellcheck disable=SC2086 # the unset ones vanish
	stop_pids $NOISE_PID $PINGER_PID $LLDPD_PID $SERVER_PID $ADAPTER_PID
	scripts/lab.sh down "$P"
	e2e_logs ixapi-switchd
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

e2e_ports
URL=http://127.0.0.1:$ADAPTER_PORT # the adapter's, for api
adapter()
{ # METHOD PATH [BODY]: the adapter's answer on stdout (STATUS and BODY stay ixapid's)
	(
		api "$@"
		printf '%s\n' "$BODY"
	)
}
config_state()
{
	call GET "/network-service-configs/$NSC" "$MEMBER"
	jq -r .state <<<"$BODY"
}
state_is()
{
	[ "$(config_state)" = "$1" ]
}
wait_state()
{ # STATE SECONDS
	wait_for "$2" state_is "$1"
}
status_has()
{ # JQ_CONDITION on one status entry: true once one has it; STATUS_JSON = the config's status
	call GET "/network-service-configs/$NSC" "$MEMBER"
	STATUS_JSON=$(jq -c '.status' <<<"$BODY")
	jqb "map(select($1)) | length > 0" <<<"$STATUS_JSON" >/dev/null
}
verdict()
{ # JQ_CONDITION SECONDS: waits for a status entry of the quarantine test's verdict
	wait_for "$2" status_has "$1"
}
entries()
{ # the config's quarantine.* entries, "tag/severity" sorted, comma-separated
	jq -r '[.[] | select(.tag | startswith("quarantine.")) | "\(.tag)/\(.severity)"] | sort | join(",")' \
		<<<"$STATUS_JSON"
}
entry()
{ # TAG: the status entry of this tag (JSON)
	jq -c --arg t "$1" '.[] | select(.tag == $t)' <<<"$STATUS_JSON"
}
alive()
{ # PID...: true when one of them still runs
	local pid
	for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done
	return 1
}
job_running()
{ # the quarantine test JOB
	[ "$(sql "SELECT state FROM jobs WHERE id = $JOB")" = running ]
}
show_captures()
{ # the adapter's reports behind the verdict, one line per class (for the
	# note); REPORTS = them as a JSON array
	local id
	REPORTS=$(for id in $(jq -r '[.[] | .attrs.capture // empty] | unique | .[]' <<<"$STATUS_JSON" | tr , ' '); do
		adapter GET "/v1/captures/$id"
	done | jq -cs .)
	jq -r '.[] | "  capture \(.id) on \(.port): \(.frames) frames in \(.seconds) s",
		(.classes[] | "    \(.count) x \(.src_mac) > \(.dst_mac) \(.framing) " +
			"\(.ethertype // ("dsap " + .llc_dsap)) ip_proto=\(.ip_proto) icmp6=\(.icmp6_type) arp_op=\(.arp_op)"),
		(.probe_answers[] | "    answer to the \(.probe) probe for \(.target) from \(.from_mac)")' <<<"$REPORTS"
}

echo "e2e-network: lab $P, ixapid :$API_PORT, ixapi-switchd :$ADAPTER_PORT"
export IXAPI_JWT_KEY_FILE=$TMP/jwt.key
"$IXAPID" migrate >"$TMP/migrate.log" 2>&1 || fatal "ixapid migrate (see $TMP/migrate.log)"
"$IXAPID" seed-demo --credentials "$TMP/credentials.json" >"$TMP/seed.log" 2>&1 || fatal "ixapid seed-demo: $(tail -n 3 "$TMP/seed.log")"
psql "$DATABASE_URL" -Xq -v ON_ERROR_STOP=1 -f scripts/demo-network.sql >/dev/null || fatal "scripts/demo-network.sql"

# The lab: the member's router m1 (eth0 02:00:00:00:00:01, the demo MAC) on
# p1, and a route server's stand-in rs1 at 192.0.2.1 (rs1.demo-ix.net's
# address) on the peering bridge. m1 is configured as the exchange's guide
# asks of a Linux router: forwarding on (so no router solicitations),
# autoconf off, arp_ignore/arp_announce.
scripts/lab.sh up "$P" m1 rs1 >/dev/null || fatal "lab up"
ip -n "$P-rs1" addr add 192.0.2.1/24 dev eth0
RS_MAC=$(ip -n "$P-rs1" -j link show eth0 | jq -r '.[0].address')
ip netns exec "$P-m1" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
	net.ipv6.conf.eth0.autoconf=0 net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=1
lab_secret "$TMP/adapter.secret"
chmod 600 "$TMP/adapter.secret"
"$SWITCHD" --netns "$SW" --secret-file "$TMP/adapter.secret" --ports p1,rs1 --port "$ADAPTER_PORT" \
	2>"$TMP/adapter.log" &
ADAPTER_PID=$!
wait_api /v1/health
check "ixapi-switchd --netns $SW answers on 127.0.0.1 of the host namespace" \
	jqb '.ports == ["p1","rs1"] and .model == "bridge-per-service"' <<<"$BODY" >/dev/null
adapter PUT /v1/ports/rs1 '{"admin_state":"up","service":"peering","vlan":null,"mac_lock":false,
	"allowed_macs":[],"lag_members":[]}' >/dev/null
check "the route server rs1 is on the peering bridge" [ "$(master_of rs1)" = s-peering ]
check "p1 is in no service before the order" [ "$(master_of p1)" = none ]

jq -n --arg url "http://127.0.0.1:$ADAPTER_PORT" '{switch_adapters: [{name: "lab", url: $url,
	secret_file: "adapter.secret", devices: ["ams-sp-sw1.demo-ix.net"]}]}' >"$TMP/adapters.json"
IXAPI_PORT=$API_PORT IXAPI_LISTEN=127.0.0.1 IXAPI_ADAPTERS_FILE=$TMP/adapters.json IXAPI_WORKERS=2 \
	IXAPI_JOB_POLL_MS=500 IXAPI_JOB_BACKOFF_BASE_MS=100 IXAPI_JOB_BACKOFF_CAP_MS=400 IXAPI_QUARANTINE_SECONDS=5 \
	IXAPI_PEER_POLL_S=1 "$IXAPID" serve >"$TMP/ixapid.log" 2>&1 &
SERVER_PID=$!
e2e_wait_ixapid
MEMBER=$(token member)
[ -n "$MEMBER" ] && [ "$MEMBER" != null ] || fatal "no member token"

echo "-- a dirty router"
call GET /network-services "$MEMBER"
LAN=$(jq -r '[.[] | select(.type == "exchange_lan")][0].id' <<<"$BODY")
# The address the adapter's ARP probe asks for (the LAN's highest free one;
# the order takes the lowest): m1 routes it through another interface and
# answers for it with Linux's proxy ARP.
TARGET=$(sql "SELECT host(a) FROM network_services s, lan_probe_addresses(s, 4, 1) a WHERE s.id = $LAN")
ip -n "$P-m1" link add cust0 type veth peer name cust1
ip -n "$P-m1" link set cust0 up
ip -n "$P-m1" link set cust1 up
ip -n "$P-m1" route add "$TARGET/32" dev cust0
ip netns exec "$P-m1" sysctl -qw net.ipv4.conf.eth0.proxy_arp=1
# A real lldpd in m1's namespace: its own control socket, eth0 only, an
# LLDPDU every second (/run/lldpd is its privilege-separation chroot).
mkdir -p /run/lldpd
echo "configure lldp tx-interval 1" >"$TMP/lldpd.conf"
ip netns exec "$P-m1" lldpd -d -u "$TMP/lldpd.sock" -I eth0 -O "$TMP/lldpd.conf" >"$TMP/lldpd.log" 2>&1 &
LLDPD_PID=$!
# STP BPDUs (802.3/LLC), IPv6 RAs and ARP from a second MAC, every 0.5 s
ip netns exec "$P-m1" $PY "$FRAMES" noise eth0 0.5 bpdu ra second-mac &
NOISE_PID=$!
sleep 2.5 # scapy's start-up
check "lldpd runs in m1's namespace (lldpcli -u its socket)" \
	bash -c "ip netns exec $P-m1 lldpcli -u $TMP/lldpd.sock show interfaces | grep -q eth0"
# lldpd holds back until its -O file is read; then, once p1 is up, it sends
# about a second after link-up and every second after (measured). The 5 s
# capture leaves room for that on a loaded machine (3 s missed it once).
check "lldpd took its tx-interval of 1 s" wait_for 5 bash -c \
	"ip netns exec $P-m1 lldpcli -u $TMP/lldpd.sock show configuration | grep -q 'Transmit delay: 1$'"
LLDPD_ALL="$LLDPD_PID $(pgrep -P "$LLDPD_PID")" # its monitor and its privilege-separated child

echo "-- the order"
call GET /connections "$MEMBER"
CONN=$(jq -r '.[0].id' <<<"$BODY")
check "the demo member owns a connection in production" jqb '.[0].state == "production"' <<<"$BODY" >/dev/null
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
check "consumer_side_ready is not set by the order" jqb '.consumer_side_ready == false' <<<"$BODY" >/dev/null
ADDR=$(sql "SELECT host(address) FROM ips WHERE network_service_config = $NSC AND version = 4")
ADDR6=$(sql "SELECT host(address) FROM ips WHERE network_service_config = $NSC AND version = 6")
check "the member got an IPv4 address of the LAN ($ADDR)" [ -n "$ADDR" ]
ip -n "$P-m1" addr add "$ADDR/24" dev eth0
[ -z "$ADDR6" ] || ip -n "$P-m1" addr add "$ADDR6/64" dev eth0
check "the config reaches testing" wait_state testing 20
TESTING_AT=$EPOCHREALTIME
echo "  ordered -> testing (the port in the quarantine LAN, confirmed by the adapter): ${WAITED}s"
check "p1's master is the quarantine bridge (ip -j link in $SW)" [ "$(master_of p1)" = s-quarantine ]
check "p1 is up" is_up p1
call GET "/network-service-configs/$NSC" "$MEMBER"
check "the config's status says it is in the quarantine LAN" \
	jqb '.status | map(select(.tag == "network" and .severity == 5 and (.message | test("quarantine")))) | length == 1' \
	<<<"$BODY" >/dev/null
check "in quarantine, the member cannot reach the route server 192.0.2.1" not pings m1 192.0.2.1

check "the quarantine test's verdict: failed" verdict '.tag | startswith("quarantine.")' 20
echo "  testing -> verdict (failed; a 5 s capture on p1): $(elapsed "$TESTING_AT")s"
show_captures
echo "  lldpd in m1: LLDPDUs $(ip netns exec "$P-m1" lldpcli -u "$TMP/lldpd.sock" show statistics 2>&1 | grep -E "Transmitted" | tr -s " " | sed 's/^ //')"
check "one failure entry per violation, nothing else: $(entries)" [ "$(entries)" = \
	"quarantine.ipv6_ra/3,quarantine.lldp/3,quarantine.proxy_arp/3,quarantine.second_mac/3,quarantine.stp/3" ]
for tag in ipv6_ra lldp proxy_arp second_mac stp; do
	check "quarantine.$tag: its rule, frames, an example, a message" jqb --arg r "$tag" \
		'.attrs.rule == $r and .attrs.frames >= 1 and (.attrs.example | test("^([0-9a-f]{2})+$")) and
		(.message | length > 20) and (.attrs.capture | length > 0)' <<<"$(entry "quarantine.$tag")" >/dev/null
done
check "stp: a BPDU, 802.3/LLC to 01:80:c2:00:00:00 (dsap 0x42)" jqb '.attrs.example | test("^0180c2000000.{16}4242")' \
	<<<"$(entry quarantine.stp)" >/dev/null
check "lldp: lldpd's LLDPDUs (0x88cc from the registered MAC), one a second or so" \
	jqb '.attrs.frames >= 2 and (.attrs.example | test("^0180c200000e020000000001" + "88cc"))' \
	<<<"$(entry quarantine.lldp)" >/dev/null
check "ipv6_ra: ICMPv6 134" jqb '.attrs.seen == ["icmpv6 type 134"]' <<<"$(entry quarantine.ipv6_ra)" >/dev/null
check "second_mac: 02:00:00:00:00:77" jqb '.attrs.seen == ["02:00:00:00:00:77"]' \
	<<<"$(entry quarantine.second_mac)" >/dev/null
check "proxy_arp: m1 answered the probe for $TARGET" jqb --arg s "$TARGET by 02:00:00:00:00:01" \
	'.attrs.seen == [$s] and (.attrs.example | test("^021a7000000102000000000108060001080006040002"))' \
	<<<"$(entry quarantine.proxy_arp)" >/dev/null
check "the config stays testing" state_is testing
check "p1 stays in the quarantine bridge" [ "$(master_of p1)" = s-quarantine ]

echo "-- fixed: a re-test passes, consumer_side_ready takes it to production"
kill -TERM "$NOISE_PID" "$LLDPD_PID"
wait "$NOISE_PID" "$LLDPD_PID" 2>/dev/null
NOISE_PID=
LLDPD_PID=
check "lldpd is gone (pids $LLDPD_ALL; its child follows its monitor)" wait_for 5 not alive $LLDPD_ALL
ip netns exec "$P-m1" sysctl -qw net.ipv4.conf.eth0.proxy_arp=0
ip -n "$P-m1" route del "$TARGET/32" dev cust0
# the router keeps trying to reach the route server: broadcast ARP, allowed
ip netns exec "$P-m1" ping -q -i 0.5 192.0.2.1 >/dev/null 2>&1 &
PINGER_PID=$!
call POST "/network-service-configs/$NSC/quarantine-test" "$MEMBER"
RETEST_AT=$EPOCHREALTIME
check "the member's POST .../quarantine-test: 202" [ "$STATUS" = 202 ]
JOB=$(jq -r .job <<<"$BODY")
# While its capture runs the router's interface comes up afresh (as after a
# reboot): what Linux sends then (MLDv2 reports, DAD) must pass.
check "the re-test's capture runs" wait_for 10 job_running
sleep 0.2
ip -n "$P-m1" link set eth0 down
ip -n "$P-m1" link set eth0 up
ip -n "$P-m1" -6 addr show dev eth0 | grep -q "${ADDR6:-none}/64" || [ -z "$ADDR6" ] ||
	ip -n "$P-m1" addr add "$ADDR6/64" dev eth0
check "the re-test's verdict: passed" verdict '.tag == "quarantine.passed"' 20
echo "  re-test -> verdict (passed; a 5 s capture on p1): $(elapsed "$RETEST_AT")s"
show_captures
check "only quarantine.passed, no failure, no warning: $(entries)" [ "$(entries)" = "quarantine.passed/6" ]
check "no warning, and the capture saw the router's link-up (MLDv2 reports, DAD)" bash -c "
	jqb '.attrs.frames > 0 and .attrs.warnings == 0' <<<'$(entry quarantine.passed)' >/dev/null &&
	jqb '[.[].classes[] | select(.icmp6_type == 143)] | length > 0' <<<'$REPORTS' >/dev/null"
check "passed without consumer_side_ready: still testing, in the quarantine bridge" \
	bash -c "[ $(config_state) = testing ] && [ $(master_of p1) = s-quarantine ]"
call PATCH "/network-service-configs/$NSC" "$MEMBER" '{"consumer_side_ready": true}'
check "the member's PATCH consumer_side_ready=true: 202" [ "$STATUS" = 202 ]
check "the config reaches production" wait_state production 20
echo "  consumer_side_ready -> production (the port on the peering LAN, confirmed): ${WAITED}s"
kill -TERM "$PINGER_PID"
wait "$PINGER_PID" 2>/dev/null
PINGER_PID=
check "p1's master is the peering bridge" [ "$(master_of p1)" = s-peering ]
check "the MAC lock holds p1 . 02:00:00:00:00:01 and locks p1 (nft -j)" bash -c "
	ip netns exec $SW nft -j list set bridge ixapi_switch allowed | grep -q '\"p1\", \"02:00:00:00:00:01\"' &&
	ip netns exec $SW nft -j list set bridge ixapi_switch locked | grep -q '\"p1\"'"
check "the member reaches the route server 192.0.2.1" pings m1 192.0.2.1

echo "-- peer statistics: what m1 sends to the route server's MAC"
peer_in()
{ # the octets stored for (the config, rs1's MAC), in
	sql "SELECT coalesce(sum(in_octets), 0) FROM peer_stats_5m WHERE network_service_config = $NSC
		AND peer_mac = '$RS_MAC'"
}
peer_grew() { [ "$(peer_in)" -ge $((PEER_BEFORE + 20560)) ]; }
sleep 2 # a poll after the pings above
PEER_BEFORE=$(peer_in)
ip netns exec "$P-m1" ping -q -c 20 -i 0.01 -s 1000 192.0.2.1 >/dev/null
check "within a few polls (IXAPI_PEER_POLL_S=1) the 20 echo requests (1028 octets each) are stored" wait_for 10 peer_grew
sleep 2
PEER_DELTA=$(($(peer_in) - PEER_BEFORE))
echo "  stored for (config $NSC, peer $RS_MAC): +$PEER_DELTA octets in"
check "... and not much more (ARP/ND aside): $PEER_DELTA <= 20560 + 400" [ "$PEER_DELTA" -le 20960 ]
call GET "/network-service-configs/$NSC/peer-statistics" "$MEMBER"
check "GET peer-statistics: the route server's MAC as a peer without ASN or address, with traffic" \
	jqb --arg m "$RS_MAC" '[.[] | select(.peer.mac_address == $m and .peer.asn == null and .peer.ip == null and
		.aggregates.P1D.average_ops_in > 0 and .aggregates.P1D.average_ops_out > 0)] | length == 1' <<<"$BODY" >/dev/null

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
check "the adapter's secret is in no ixapid log line" lacks "$TMP/ixapid.log" "$SECRET"

if [ "$failures" = 0 ]; then
	echo "e2e-network: all checks passed"
else
	echo "e2e-network: $failures check(s) FAILED"
	exit 1
fi
