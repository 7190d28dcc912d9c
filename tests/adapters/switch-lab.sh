#!/usr/bin/env bash
# The switch adapter alone against a real namespace lab (scripts/lab.sh):
# ixapi-switchd runs in the lab's switch namespace; three member routers
# (m1, m2, m3 on ports p1, p2, p3). Checks, with the kernel as witness
# (`ip -j link`, ping, frames sniffed in the members' namespaces):
#   services move ports between bridges and decide who reaches whom;
#   admin down is NO-CARRIER on the router's side; MAC lock drops and counts
#   a second source MAC while the allowed one passes; counters grow by what
#   was sent; per-peer counters count what m1 sent to m2 and back; a capture classifies crafted frames (scapy) and sees the proxy
#   ARP/ND member answer the probes; a wrong bearer is a 401 problem;
#   Idempotency-Key replays; SIGTERM stops it cleanly.
# A shell script, not a C itest: every check is a kernel tool's word (ip,
# ping, nft, scapy), which C would only shell out to.
# Usage: tests/adapters/switch-lab.sh BUILD_DIR (root needed; skipped
# without). The lab carries a per-run prefix and is always torn down.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$PWD/$BUILD/ixapi-switchd
PY=/usr/bin/python3
FRAMES=$PWD/tests/adapters/frames.py
. tests/lib/lab.sh

lab_need_root switch-lab "network namespaces, veth pairs and nftables"
lab_need_tools switch-lab ip curl jq nft ping
$PY -c 'import scapy' 2>/dev/null || {
	echo "switch-lab: Debian's python3-scapy is missing (scripts/install-deps.sh --test)" >&2
	exit 1
}

lab_new swl
ADAPTER_PID=
cleanup()
{
	[ -z "$ADAPTER_PID" ] || stop_pids "$ADAPTER_PID"
	scripts/lab.sh down "$P"
	rm -rf "$TMP"
}
trap cleanup EXIT

URL=http://127.0.0.1:8710
API_NETNS=$SW # the adapter listens in the switch namespace
lab_secret "$TMP/secret"

desired()
{ # SERVICE(or null) [ADMIN] [MAC_LOCK] [MACS_JSON]
	local svc=$1
	[ "$svc" = null ] || svc="\"$svc\""
	printf '{"admin_state":"%s","service":%s,"vlan":null,"mac_lock":%s,"allowed_macs":%s,"lag_members":[]}' \
		"${2:-up}" "$svc" "${3:-false}" "${4:-[]}"
}

echo "switch-lab: lab $P"
scripts/lab.sh up "$P" m1 m2 m3 >/dev/null || exit 1
MAC1=$(ip -n "$P-m1" -j link show eth0 | jq -r '.[0].address')
MAC2=$(ip -n "$P-m2" -j link show eth0 | jq -r '.[0].address')
MAC3=$(ip -n "$P-m3" -j link show eth0 | jq -r '.[0].address')
for i in 1 2 3; do
	ip -n "$P-m$i" addr add "192.0.2.$i/24" dev eth0
	ip -n "$P-m$i" addr add "2001:db8:7f8::$i/64" dev eth0 nodad
done

ip netns exec "$SW" "$BIN" --secret-file "$TMP/secret" --ports p1,p2,p3 --log-level debug 2>"$TMP/adapter.log" &
ADAPTER_PID=$!
wait_api /v1/health

echo "-- health"
check "health answers the model of this kernel" \
	jqb '.adapter == "linux-bridge" and .version == "1" and .model == "bridge-per-service" and
		.vlan_filtering == false and .ports == ["p1","p2","p3"] and (.boot_id | test("^[0-9a-f]{32}$"))' \
		<<<"$BODY" >/dev/null
BOOT_ID=$(jq -r .boot_id <<<"$BODY")
api GET /v1/health
check "the boot_id stays the same while it runs" [ "$(jq -r .boot_id <<<"$BODY")" = "$BOOT_ID" ]

echo "-- bearer"
AUTH="Bearer wrong-$SECRET" api GET /v1/health
check "a wrong bearer is a 401 problem" \
	jqb '.status == 401 and (.type | length > 0) and (.title | length > 0) and (.detail | length > 0)' <<<"$BODY" \
	>/dev/null
check "... with status 401, application/problem+json and WWW-Authenticate" \
	bash -c '[ "$1" = 401 ] && grep -qi "^content-type: application/problem+json" <<<"$2" &&
		grep -qi "^www-authenticate: Bearer" <<<"$2"' _ "$STATUS" "$HDRS"
ip netns exec "$SW" curl -s -o /dev/null -w '%{http_code}' "$URL/v1/ports/p1" >"$TMP/code"
check "no bearer at all is a 401" [ "$(cat "$TMP/code")" = 401 ]
check "the secret is not in the adapter's log" lacks "$TMP/adapter.log" "$SECRET"

echo "-- services"
api PUT /v1/ports/p1 "$(desired quarantine)"
check "PUT p1 into quarantine: 200 with its state" \
	jqb '.port == "p1" and .service == "quarantine" and .admin_state == "up" and .oper_state == "up" and
		.vlan == null and .lag_members == [] and (.applied_at | test("Z$"))' <<<"$BODY" >/dev/null
echo "  one PUT that moves a port: ${TIME}s"
api PUT /v1/ports/p2 "$(desired peering)"
check "PUT p2 into peering: 200" [ "$STATUS" = 200 ]
check "p1's master is the quarantine bridge" [ "$(master_of p1)" = s-quarantine ]
check "p2's master is the peering bridge" [ "$(master_of p2)" = s-peering ]
check "m1 (quarantine) cannot reach m2 (peering)" not pings m1 192.0.2.2
api PUT /v1/ports/p1 "$(desired peering)"
check "p1 moved: its master is the peering bridge" [ "$(master_of p1)" = s-peering ]
check "m1 and m2, both on peering, reach each other" pings m1 192.0.2.2
api GET /v1/ports/p1
check "GET p1 reads back peering" jqb '.service == "peering" and .mac_lock == false' <<<"$BODY" >/dev/null
api PUT /v1/ports/p3 "$(desired null)"
check "service null: p3 is in no bridge" [ "$(master_of p3)" = none ]

echo "-- admin down"
api PUT /v1/ports/p2 "$(desired peering down)"
check "PUT p2 down: admin_state and oper_state down" \
	jqb '.admin_state == "down" and .oper_state == "down"' <<<"$BODY" >/dev/null
check "m2's eth0 has NO-CARRIER" \
	bash -c "ip -n $P-m2 -j link show eth0 | jqb '.[0].flags | index(\"NO-CARRIER\")' >/dev/null"
check "m1 cannot reach m2 while p2 is down" not pings m1 192.0.2.2
api PUT /v1/ports/p2 "$(desired peering up)"
check "p2 up again: carrier back" \
	bash -c "ip -n $P-m2 -j link show eth0 | jqb '.[0].flags | index(\"NO-CARRIER\") | not' >/dev/null"
check "... and m1 reaches m2" pings m1 192.0.2.2

echo "-- counters"
api GET /v1/ports/p1/counters
before=$BODY
ip netns exec "$P-m1" ping -q -c 20 -i 0.01 -s 1000 192.0.2.2 >/dev/null
api GET /v1/ports/p1/counters
after=$BODY
check "p1's rx counters grew by at least the 20 pings of 1042 bytes sent" \
	jq -e -n --argjson a "$before" --argjson b "$after" \
	'($b.ports[0].rx_octets - $a.ports[0].rx_octets) >= 20 * 1042 and
	 ($b.ports[0].rx_packets - $a.ports[0].rx_packets) >= 20 and
	 ($b.ports[0].tx_octets - $a.ports[0].tx_octets) >= 20 * 1042 and ($b.at | test("\\.[0-9]{3}Z$"))' >/dev/null
api GET /v1/counters
check "GET /v1/counters lists every port" jqb '[.ports[].port] == ["p1","p2","p3"]' <<<"$BODY" >/dev/null

echo "-- peer counters"
pair()
{ # JSON PORT SRC DST FIELD: the counter of that pair, 0 when absent
	jq --arg p "$2" --arg s "$3" --arg d "$4" --arg f "$5" \
		'[.pairs[] | select(.port == $p and .src_mac == $s and .dst_mac == $d)][0][$f] // 0' <<<"$1"
}
api GET /v1/peer-counters
before=$BODY
ip netns exec "$P-m1" ping -q -c 20 -i 0.01 -s 1000 192.0.2.2 >/dev/null
api GET /v1/peer-counters
after=$BODY
d_pk12=$(($(pair "$after" p1 "$MAC1" "$MAC2" packets) - $(pair "$before" p1 "$MAC1" "$MAC2" packets)))
d_oc12=$(($(pair "$after" p1 "$MAC1" "$MAC2" octets) - $(pair "$before" p1 "$MAC1" "$MAC2" octets)))
d_pk21=$(($(pair "$after" p2 "$MAC2" "$MAC1" packets) - $(pair "$before" p2 "$MAC2" "$MAC1" packets)))
d_oc21=$(($(pair "$after" p2 "$MAC2" "$MAC1" octets) - $(pair "$before" p2 "$MAC2" "$MAC1" octets)))
echo "  m1->m2 on p1: +$d_pk12 frames, +$d_oc12 octets; m2->m1 on p2: +$d_pk21 frames, +$d_oc21 octets"
# 20 echo requests of 1028 IP octets (the count is of L3 octets), give or
# take a few unicast ARP/ND frames of < 100 octets.
check "the pair (p1, m1, m2) counted the 20 echo requests (1028 octets each)" \
	bash -c '[ "$1" -ge 20 ] && [ "$1" -le 24 ] && [ "$2" -ge 20560 ] && [ "$2" -le $((20560 + 4 * 100)) ]' _ \
	"$d_pk12" "$d_oc12"
check "the pair (p2, m2, m1) counted the 20 echo replies" \
	bash -c '[ "$1" -ge 20 ] && [ "$1" -le 24 ] && [ "$2" -ge 20560 ] && [ "$2" -le $((20560 + 4 * 100)) ]' _ \
	"$d_pk21" "$d_oc21"
check "the pairs name the service of their port's bridge" \
	jqb --arg a "$MAC1" --arg b "$MAC2" '[.pairs[] | select(.src_mac == $a and .dst_mac == $b)][0].service == "peering"' \
	<<<"$after" >/dev/null
check "no pair counted m3, who sent nothing to a unicast MAC" \
	jqb --arg c "$MAC3" '[.pairs[] | select(.src_mac == $c or .dst_mac == $c)] == []' <<<"$after" >/dev/null
check "the set's bound is told (size, full)" jqb '.size == 65536 and .full == false and (.at | test("Z$"))' \
	<<<"$after" >/dev/null

echo "-- MAC lock"
second=02:00:00:00:00:99
ip netns exec "$P-m2" $PY "$FRAMES" count eth0 $second 4 >"$TMP/seen-unlocked" &
sniffer=$!
sleep 2.5 # scapy's start-up
ip netns exec "$P-m1" $PY "$FRAMES" from-mac eth0 $second "$MAC2" 10
wait $sniffer
check "unlocked, frames from a second MAC reach m2 (10 sent, $(cat "$TMP/seen-unlocked") seen)" \
	[ "$(cat "$TMP/seen-unlocked")" -ge 10 ]
api PUT /v1/ports/p1 "$(desired peering up true "[\"$MAC1\"]")"
check "PUT p1 with mac_lock: 200, lock and MAC read back" \
	jqb --arg m "$MAC1" '.mac_lock == true and .allowed_macs == [$m]' <<<"$BODY" >/dev/null
api GET /v1/ports/p1/counters
drops_before=$(jq '.ports[0].mac_lock_drops' <<<"$BODY")
ip netns exec "$P-m2" $PY "$FRAMES" count eth0 $second 4 >"$TMP/seen-locked" &
sniffer=$!
sleep 2.5
ip netns exec "$P-m1" $PY "$FRAMES" from-mac eth0 $second "$MAC2" 10
wait $sniffer
check "locked, frames from a second MAC do not reach m2 ($(cat "$TMP/seen-locked") seen)" \
	[ "$(cat "$TMP/seen-locked")" = 0 ]
api GET /v1/ports/p1/counters
drops_after=$(jq '.ports[0].mac_lock_drops' <<<"$BODY")
check "... and are counted ($drops_before -> $drops_after mac_lock_drops)" [ $((drops_after - drops_before)) -ge 10 ]
check "the allowed MAC passes: m1 reaches m2" pings m1 192.0.2.2
check "nft holds the (port, MAC) pair and the locked port" \
	bash -c "ip netns exec $SW nft -j list set bridge ixapi_switch allowed | grep -q '\"p1\", \"$MAC1\"' &&
		ip netns exec $SW nft -j list set bridge ixapi_switch locked | grep -q '\"p1\"'"
api PUT /v1/ports/p1 "$(desired peering up false "[]")"
check "unlocking empties the sets" \
	bash -c "! ip netns exec $SW nft -j list set bridge ixapi_switch allowed | grep -q '\"p1\"' &&
		! ip netns exec $SW nft -j list set bridge ixapi_switch locked | grep -q '\"p1\"'"

echo "-- capture"
# m3 is the dirty member: proxy ARP and proxy ND for addresses it does not hold.
ip netns exec "$P-m3" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.eth0.proxy_arp=1 \
	net.ipv4.neigh.eth0.proxy_delay=0 net.ipv6.conf.all.forwarding=1 net.ipv6.conf.eth0.proxy_ndp=1
ip -n "$P-m3" route add 192.0.2.250/32 dev lo
ip -n "$P-m3" neigh add proxy 2001:db8:7f8::fa dev eth0
api PUT /v1/ports/p3 "$(desired quarantine)"
api PUT /v1/ports/p2 "$(desired quarantine)"
probe='"probes":{"arp":["192.0.2.250"],"nd":["2001:db8:7f8::fa"]},
	"probe_source":{"mac":"02:ff:00:00:00:01","ipv4":"192.0.2.254","ipv6":"2001:db8:7f8::fe"}'
api POST /v1/ports/p3/captures "{\"seconds\":5,$probe}" -H 'Idempotency-Key: cap-3'
check "POST a capture on p3: 202 running" jqb '.state == "running" and (.id | length > 0)' <<<"$BODY" >/dev/null
cap3=$(jq -r .id <<<"$BODY")
api POST /v1/ports/p2/captures "{\"seconds\":5,$probe}"
cap2=$(jq -r .id <<<"$BODY")
api POST /v1/ports/p3/captures "{\"seconds\":5,$probe}"
check "a second capture on the same port meanwhile: 409" [ "$STATUS" = 409 ]
api POST /v1/ports/p3/captures "{\"seconds\":5,$probe}" -H 'Idempotency-Key: cap-3'
check "the capture's Idempotency-Key replays the first answer" jqb --arg id "$cap3" '.id == $id' <<<"$BODY" >/dev/null
ip netns exec "$P-m3" $PY "$FRAMES" dirty eth0
for _ in $(seq 80); do
	api GET "/v1/captures/$cap3"
	jqb '.state == "done"' <<<"$BODY" >/dev/null && break
	sleep 0.1
done
report=$BODY
check "the report is done, for p3, with frames" jqb '.state == "done" and .port == "p3" and .frames >= 7' <<<"$report" >/dev/null
has_class()
{ # DESCRIPTION JQ_CONDITION_ON_A_CLASS
	check "class: $1" jqb "[.classes[] | select($2)] | length >= 1" <<<"$report" >/dev/null
}
has_class "LLDP (ethertype 0x88cc)" ".ethertype == \"0x88cc\" and .dst_mac == \"01:80:c2:00:00:0e\" and .framing == \"ethernet2\""
has_class "STP BPDU (802.3/LLC, DSAP 0x42)" '.framing == "llc" and .llc_dsap == "0x42" and .ethertype == null'
has_class "IPv6 router advertisement (ICMPv6 134)" '.ethertype == "0x86dd" and .ip_proto == 58 and .icmp6_type == 134'
has_class "a second source MAC" '.src_mac == "02:00:00:00:00:77" and .udp_dport == 9'
has_class "802.1Q-tagged (VLAN 42)" '.vlan == 42 and .ethertype == "0x0800" and .ip_proto == 1'
has_class "the proxy ARP reply" ".arp_op == 2 and .src_mac == \"$MAC3\""
check "examples are hex of at most 128 bytes" \
	jqb '[.classes[].example | test("^([0-9a-f]{2}){1,128}$")] | all' <<<"$report" >/dev/null
check "probe_answers: m3 answered the ARP and the ND probe" \
	jqb --arg m "$MAC3" '(.probe_answers | length) == 2 and
		([.probe_answers[] | select(.probe == "arp" and .target == "192.0.2.250" and .from_mac == $m)] | length) == 1 and
		([.probe_answers[] | select(.probe == "nd" and .target == "2001:db8:7f8::fa" and .from_mac == $m)] | length) == 1' \
	<<<"$report" >/dev/null
api GET "/v1/captures/$cap2"
check "the clean member m2 answered no probe" jqb '.state == "done" and .probe_answers == []' <<<"$BODY" >/dev/null
check "... and sent no second MAC, no tag, no LLDP" \
	jqb --arg m "$MAC2" '[.classes[] | select(.src_mac != $m or .vlan != null or .ethertype == "0x88cc")] == []' \
	<<<"$BODY" >/dev/null

echo "-- refusals"
api PUT /v1/ports/p1 '{"admin_state":"up","service":"peering","vlan":100,"mac_lock":false,"allowed_macs":[],"lag_members":[]}'
check "a tagged vlan: 400 saying why" \
	jqb '.status == 400 and (.detail | test("802.1Q")) and .properties[0].name == "vlan"' <<<"$BODY" >/dev/null
api PUT /v1/ports/p1 "$(desired peering | sed 's/"lag_members":\[\]/"lag_members":["p2"]/')"
check "lag_members: 400" jqb '.status == 400 and .properties[0].name == "lag_members"' <<<"$BODY" >/dev/null
api PUT /v1/ports/p1 "$(desired peering up true '["02:00:00:00:00:AA"]')"
check "a MAC not spelt canonically: 400" jqb '.status == 400 and .properties[0].name == "allowed_macs"' <<<"$BODY" >/dev/null
api PUT /v1/ports/p9 "$(desired peering)"
check "an unknown port: 404" jqb '.status == 404' <<<"$BODY" >/dev/null
check "refusals changed nothing: p1 still on peering, unlocked" \
	bash -c "[ \"\$(ip -n $SW -j link show p1 | jq -r '.[0].master')\" = s-peering ] &&
		! ip netns exec $SW nft -j list set bridge ixapi_switch locked | grep -q '\"p1\"'"

echo "-- Idempotency-Key"
api PUT /v1/ports/p2 "$(desired quarantine)" -H 'Idempotency-Key: job-77'
first=$BODY
api PUT /v1/ports/p2 "$(desired peering)" -H 'Idempotency-Key: job-78'
check "job-78 moved p2 to peering" [ "$(master_of p2)" = s-peering ]
api PUT /v1/ports/p2 "$(desired quarantine)" -H 'Idempotency-Key: job-77'
check "job-77 again: the first answer, marked as replayed" \
	is_replay_of "$first"
check "... and no second effect: p2 stays on peering" [ "$(master_of p2)" = s-peering ]

echo "-- PUT timing"
times=()
for i in $(seq 20); do
	svc=quarantine
	[ $((i % 2)) = 0 ] || svc=peering
	api PUT /v1/ports/p3 "$(desired $svc)"
	times+=("$TIME")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "  20 PUTs moving p3: median %.1f ms, max %.1f ms\n", a[int((NR+1)/2)]*1000, a[NR]*1000}'

echo "-- restart and SIGTERM"
check "SIGTERM: exit 0" stop_adapter
ip netns exec "$SW" "$BIN" --secret-file "$TMP/secret" --ports p1,p2,p3 2>>"$TMP/adapter.log" &
ADAPTER_PID=$!
wait_api /v1/ports/p2
check "after a restart the adapter reads p2's service back from the kernel" \
	jqb '.service == "peering"' <<<"$BODY" >/dev/null
api GET /v1/health
check "after a restart the boot_id is a new one" jqb --arg old "$BOOT_ID" '.boot_id != $old and (.boot_id | length == 32)' \
	<<<"$BODY" >/dev/null
check "the secret is not in the adapter's log" lacks "$TMP/adapter.log" "$SECRET"

lab_finish switch-lab
