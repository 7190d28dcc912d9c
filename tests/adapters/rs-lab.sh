#!/usr/bin/env bash
# The route-server adapter against live BGP: ixapi-rsd (in the root
# namespace) drives two BIRD route servers, rs1 and rs2, each in its own
# namespace of a lab (scripts/lab.sh) whose ports sit on the switch
# adapter's peering bridge (a real ixapi-switchd, members' MACs locked);
# three BIRD member routers (tests/adapters/rs/lab/m*.conf) connect to both.
# Every session is ordered through ixapi-rsd's API; the members' own BIRDs
# are the witnesses (birdc in their namespaces):
#   what every member receives under each filtering mode (rs1: m1
#   irr_and_rpki, m2 irr, m3 rpki; rs2: m1 tagging, m2 irr_and_rpki, m3
#   tagging): bogon, too specific, wrong first AS, transit-free and private
#   ASN in the path, IRR-unregistered, RPKI-invalid, the action communities
#   (standard and large), prepends, the tags, our communities stripped;
#   the receive limit disables a session, POST .../enable brings it back;
#   a reload that changes one session leaves the others' uptime alone;
#   a configuration BIRD refuses is a 400 with BIRD's file:line and the old
#   one keeps running; the RTT probe pings members from rs1's namespace
#   (answered, and silent: loss 1.0); bearer, Idempotency-Key replay.
# Usage: tests/adapters/rs-lab.sh BUILD_DIR (root needed; skipped without).
# The lab carries a per-run prefix; namespaces and BIRDs are always removed.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
BIN=$PWD/$BUILD/ixapi-rsd
SWITCHD=$PWD/$BUILD/ixapi-switchd
LAB=$PWD/tests/adapters/rs/lab
. tests/lib/lab.sh

lab_need_root rs-lab "network namespaces and veth pairs"
lab_need_tools rs-lab ip curl jq nft bird birdc

started=$EPOCHREALTIME
lab_new rsl
ADAPTER_PID=
SWITCHD_PID=
cleanup()
{
	# shellcheck disable=SC2086 # the unset ones vanish
	stop_pids $ADAPTER_PID $SWITCHD_PID
	# The BIRDs this run started, by their pid files (never by name).
	local f
	for f in "$TMP"/*/bird.pid "$TMP"/m*.pid; do
		[ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	sleep 0.2
	scripts/lab.sh down "$P"
	rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$(free_port) || fatal "no free port"
URL=http://127.0.0.1:$PORT
lab_secret "$TMP/secret"

# desired RS_V4 RS_V6 MODE1 MODE2 MODE3 [LIMIT1] [M3_V6]: a route server's desired state.
desired()
{
	jq -c --arg a4 "$1" --arg a6 "$2" --arg f1 "$3" --arg f2 "$4" --arg f3 "$5" --argjson l1 "${6:-100}" \
		--arg m3v6 "${7:-}" '{asn: 6777, ipv4: $a4, ipv6: $a6, lan_v4: "192.0.2.0/24", lan_v6: "2001:db8:7f8::/64",
		sessions: [
			{id: "m1", peer_asn: 1001, ipv4: "192.0.2.1", ipv6: "2001:db8:7f8::1", filtering: $f1,
			 max_prefix_v4: $l1, as_set_v4: "AS-M1", as_set_v6: "AS-M1"},
			{id: "m2", peer_asn: 1002, ipv4: "192.0.2.2", ipv6: "2001:db8:7f8::2", filtering: $f2,
			 as_set_v4: "AS-M2", password: "m2-md5-secret"},
			({id: "m3", peer_asn: 1003, ipv4: "192.0.2.3", filtering: $f3, as_set_v4: "AS-M3"}
			 + (if $m3v6 == "" then {} else {ipv6: $m3v6} end))
		]} + .' "$LAB/policy.json"
}
rs1_state() { desired 192.0.2.251 2001:db8:7f8::fb irr_and_rpki irr rpki "$@"; }
rs2_state() { desired 192.0.2.252 2001:db8:7f8::fc tagging irr_and_rpki tagging "$@"; }

# routes MEMBER PROTOCOL [TABLE]: the prefixes MEMBER learned over PROTOCOL, sorted, one line.
routes()
{
	birdc -s "$TMP/$1.ctl" show route protocol "$2" table "${3:-master4}" 2>/dev/null |
		awk '$1 ~ /^[0-9a-f:.]+\/[0-9]+$/ {print $1}' | sort | tr '\n' ' ' | sed 's/ $//'
}
route_all() { birdc -s "$TMP/$1.ctl" show route "$3" protocol "$2" all 2>/dev/null; }
expect_routes()
{ # MEMBER PROTOCOL "EXPECTED" [TABLE]
	local got
	got=$(routes "$1" "$2" "${4:-master4}")
	check "$1 from $2: [$3]" [ "$got" = "$3" ]
	[ "$got" = "$3" ] || echo "    got: [$got]"
}
established()
{ # MEMBER PROTOCOL
	birdc -s "$TMP/$1.ctl" show protocols "$2" 2>/dev/null | grep -q Established
}
not_grep() { ! grep -q "$1" <<<"$2"; }
has_all()
{ # TEXT STRING...: every string is in TEXT
	local text=$1 s
	shift
	for s in "$@"; do grep -qF -- "$s" <<<"$text" || return 1; done
}
session_field()
{ # SERVER SESSION FAMILY JQ_FIELD
	api GET "/v1/route-servers/$1/sessions/$2"
	[ "$STATUS" = 200 ] || { echo "(GET session $2: $STATUS)"; return; }
	jq -r --arg f "$3" ".families[] | select(.family == \$f) | .$4" <<<"$BODY"
}

echo "rs-lab: lab $P"
scripts/lab.sh up "$P" m1 m2 m3 rs1 rs2 >/dev/null || exit 1
# The peering LAN is the switch adapter's: ixapi-switchd serves the switch
# namespace's ports and puts them on its peering bridge as ixapid would, the
# members' with their one MAC locked, the route servers' (the exchange's
# own) unlocked; the BGP sessions cross that bridge and its nftables lock.
SW_PORT=$(free_port) || fatal "no free port"
lab_secret "$TMP/switch.secret"
SWITCH_SECRET=$SECRET
"$SWITCHD" --netns "$SW" --secret-file "$TMP/switch.secret" --ports p1,p2,p3,rs1,rs2 --port "$SW_PORT" \
	2>"$TMP/switchd.log" &
SWITCHD_PID=$!
switch_api() { URL=http://127.0.0.1:$SW_PORT SECRET=$SWITCH_SECRET api "$@"; }
URL=http://127.0.0.1:$SW_PORT SECRET=$SWITCH_SECRET wait_api /v1/health || fatal "ixapi-switchd does not answer"
on_lan()
{ # PORT LOCKED_MAC|"": PUT the port onto the peering bridge
	local lock=false macs='[]'
	[ -z "$2" ] || { lock=true; macs="[\"$2\"]"; }
	switch_api PUT "/v1/ports/$1" "{\"admin_state\":\"up\",\"service\":\"peering\",\"vlan\":null,
		\"mac_lock\":$lock,\"allowed_macs\":$macs,\"lag_members\":[]}"
	[ "$STATUS" = 200 ] || fatal "PUT $1 on the peering bridge: $STATUS $BODY"
}
for m in 1 2 3; do on_lan "p$m" "$(ip -n "$P-m$m" -j link show eth0 | jq -r '.[0].address')"; done
on_lan rs1 ""
on_lan rs2 ""
check "ixapi-switchd: members and route servers on its peering bridge, the members' MACs locked" bash -c \
	'for p in p1 p2 p3 rs1 rs2; do ip -n "$1" -j link show "$p" | jq -e ".[0].master == \"s-peering\"" >/dev/null ||
		exit 1; done; ip netns exec "$1" nft list set bridge ixapi_switch allowed | grep -q p3' _ "$SW"
SECRET=$(cat "$TMP/secret") # ixapi-rsd's, for api below
addr()
{ # NS V4 V6
	ip -n "$P-$1" addr add "$2/24" dev eth0
	ip -n "$P-$1" addr add "$3/64" dev eth0 nodad
}
addr m1 192.0.2.1 2001:db8:7f8::1
addr m2 192.0.2.2 2001:db8:7f8::2
addr m3 192.0.2.3 2001:db8:7f8::3
addr rs1 192.0.2.251 2001:db8:7f8::fb
addr rs2 192.0.2.252 2001:db8:7f8::fc
# m2's sessions carry an MD5 password (TCP_MD5SIG): both sides must agree.
for m in m1 m2 m3; do
	conf=$LAB/$m.conf
	if [ $m = m2 ]; then
		sed 's/connect delay time 1;/connect delay time 1; password "m2-md5-secret";/' "$conf" >"$TMP/m2.conf"
		conf=$TMP/m2.conf
	fi
	ip netns exec "$P-$m" bird -c "$conf" -s "$TMP/$m.ctl" -P "$TMP/$m.pid" || exit 1
done

"$BIN" --secret-file "$TMP/secret" --port "$PORT" --server "rs1:$TMP/rs1:$P-rs1" --server "rs2:$TMP/rs2:$P-rs2" \
	--log-level debug 2>"$TMP/adapter.log" &
ADAPTER_PID=$!
wait_api /v1/health

echo "-- health and bearer"
check "health names the two route servers" \
	jqb '.adapter == "bird2" and .version == "1" and .servers == ["rs1","rs2"]' <<<"$BODY" >/dev/null
AUTH="Bearer wrong-$SECRET" api GET /v1/route-servers/rs1
check "a wrong bearer is a 401 problem" jqb '.status == 401 and (.detail | length > 0)' <<<"$BODY" >/dev/null
api GET /v1/route-servers/rs9
check "an unknown route server is a 404" [ "$STATUS" = 404 ]
api GET /v1/route-servers/rs1
check "before any PUT: rs1 not running, no sessions" \
	jqb '.running == false and .sessions == [] and .applied_at == null' <<<"$BODY" >/dev/null

echo "-- sessions ordered through the API"
api PUT /v1/route-servers/rs1 "$(rs1_state)" -H 'Idempotency-Key: job-1'
check "PUT rs1: 200, 3 sessions (BIRD started in $P-rs1)" \
	jqb '.server == "rs1" and .sessions == 3 and (.applied_at | test("Z$"))' <<<"$BODY" >/dev/null
echo "  rs1 first PUT (starts BIRD): $(jq -c .timings_ms <<<"$BODY")"
first=$BODY
api PUT /v1/route-servers/rs2 "$(rs2_state)" -H 'Idempotency-Key: job-2'
check "PUT rs2: 200" [ "$STATUS" = 200 ]
api PUT /v1/route-servers/rs1 "$(rs1_state)" -H 'Idempotency-Key: job-1'
check "job-1 again: the first answer, replayed" \
	is_replay_of "$first"
check "the rendered configuration is only root's to read (0600)" \
	[ "$(stat -c %a "$TMP/rs1/bird.conf")" = 600 ]

all_up()
{
	local m p
	for m in m1 m2 m3; do for p in rs1 rs2; do established $m $p || return 1; done; done
	established m1 rs1v6 && established m2 rs1v6
}
t0=$EPOCHREALTIME
check "every member has an established session with rs1 and rs2 (v4; m1, m2 v6 too)" wait_for 15 all_up
echo "  sessions up $(elapsed "$t0") s after the PUTs"
api GET /v1/route-servers/rs1/sessions/m1
check "GET the session: up, established, counts from BIRD" \
	jqb '.peer_asn == 1001 and .filtering == "irr_and_rpki" and
		(.families[] | select(.family == "ipv4") | .state == "up" and .bgp_state == "Established" and
		 (.since | test("Z$")) and .receive_limit == 100 and .limit_hit == false)' <<<"$BODY" >/dev/null
converged()
{
	[ "$(routes m2 rs1)" = "45.1.1.0/24 45.1.6.0/24 45.1.7.0/24 45.1.8.0/24 45.3.1.0/24" ] &&
		[ -n "$(routes m1 rs2)" ] && [ -n "$(routes m3 rs2)" ]
}
wait_for 10 converged
api GET /v1/route-servers/rs1/sessions/m1
check "m1 on rs1: 8 received, 6 accepted, 2 filtered (the bogon, the too specific)" \
	jqb '.families[] | select(.family == "ipv4") | .received == 8 and .accepted == 6 and .filtered == 2' \
	<<<"$BODY" >/dev/null
echo "    $(jq -c '.families[] | select(.family == "ipv4") | {received, accepted, filtered}' <<<"$BODY")"

echo "-- what every member receives (rs1: m1 irr_and_rpki, m2 irr, m3 rpki)"
expect_routes m1 rs1 "45.2.1.0/24 45.3.1.0/24"
expect_routes m2 rs1 "45.1.1.0/24 45.1.6.0/24 45.1.7.0/24 45.1.8.0/24 45.3.1.0/24"
expect_routes m3 rs1 "45.1.1.0/24 45.1.4.0/24 45.1.5.0/24 45.1.7.0/24 45.2.1.0/24 45.22.0.0/24"
expect_routes m2 rs1v6 "2a0a:1:1::/48" master6
echo "-- (rs2: m1 tagging, m2 irr_and_rpki, m3 tagging)"
expect_routes m1 rs2 "45.2.1.0/24 45.22.0.0/24 45.3.1.0/24 45.9.1.0/24"
expect_routes m2 rs2 "45.1.1.0/24 45.1.6.0/24 45.1.7.0/24 45.1.8.0/24 45.3.1.0/24"
expect_routes m3 rs2 "45.1.1.0/24 45.1.4.0/24 45.1.5.0/24 45.1.7.0/24 45.2.1.0/24 45.22.0.0/24 45.9.1.0/24"

echo "-- communities and paths"
out=$(route_all m1 rs2 45.22.0.0/24)
check "tagging: IRR-unregistered 45.22.0.0/24 carries 6777:65021 and 6777:65023 (RPKI unknown)" \
	has_all "$out" "(6777,65021)" "(6777,65023)"
out=$(route_all m1 rs2 45.9.1.0/24)
check "tagging: RPKI-invalid 45.9.1.0/24 carries 6777:65011 (IRR valid) and 6777:65022" \
	has_all "$out" "(6777,65011)" "(6777,65022)"
out=$(route_all m1 rs2 45.2.1.0/24)
check "tagging: valid 45.2.1.0/24 carries 6777:65011 and 6777:65012" \
	has_all "$out" "(6777,65011)" "(6777,65012)"
out=$(route_all m2 rs1 45.1.7.0/24)
check "6777:65502: m2 sees 45.1.7.0/24 with AS path 1001 1001 1001" grep -q "BGP.as_path: 1001 1001 1001$" <<<"$out"
check "... and without 6777:65502 (our action communities are stripped)" not_grep "65502" "$out"
out=$(route_all m2 rs1 45.1.8.0/24)
check "6777:0:0 + 6777:1:1002: m2 sees 45.1.8.0/24 without the large communities" not_grep "large_community" "$out"
out=$(route_all m3 rs1 45.1.5.0/24)
check "0:6777 + 6777:1003: m3 sees 45.1.5.0/24 without (0,6777) and (6777,1003)" \
	bash -c '! grep -q "(0,6777)\|(6777,1003)" <<<"$1" && grep -q "(6777,65011)" <<<"$1"' _ "$out"
out=$(route_all m3 rs1 45.1.1.0/24)
check "rs client: the path is 1001 alone (no 6777), the next hop m1's" \
	bash -c 'grep -q "BGP.as_path: 1001$" <<<"$1" && grep -q "BGP.next_hop: 192.0.2.1" <<<"$1"' _ "$out"

echo "-- a reload changes one session and leaves the others alone"
since_m2=$(session_field rs1 m2 ipv4 since)
since_m3=$(session_field rs1 m3 ipv4 since)
sleep 1.1 # BIRD's times have whole seconds
api PUT /v1/route-servers/rs1 "$(rs1_state 200)"
check "PUT rs1 with m1's limit at 200: 200" [ "$STATUS" = 200 ]
echo "  rs1 reload (render + bird -p + configure): $(jq -c .timings_ms <<<"$BODY")"
sleep 0.3
check "m1's receive limit is 200 now" [ "$(session_field rs1 m1 ipv4 receive_limit)" = 200 ]
check "m2's session kept its uptime ($since_m2)" [ "$(session_field rs1 m2 ipv4 since)" = "$since_m2" ]
check "m3's session kept its uptime ($since_m3)" [ "$(session_field rs1 m3 ipv4 since)" = "$since_m3" ]
check "... and is still established" [ "$(session_field rs1 m3 ipv4 state)" = up ]

echo "-- a configuration BIRD refuses is never applied"
conf_before=$(sha256sum <"$TMP/rs1/bird.conf")
api PUT /v1/route-servers/rs1 "$(rs1_state 200 fe80::3)"
check "a link-local neighbour without interface: 400 with BIRD's file:line message" \
	jqb '.status == 400 and (.detail | test("bird.conf.new:[0-9]+:[0-9]+ Link-local"))' <<<"$BODY" >/dev/null
echo "    $(jq -r .detail <<<"$BODY")"
check "bird.conf is the last good one" [ "$(sha256sum <"$TMP/rs1/bird.conf")" = "$conf_before" ]
check "m3's session is untouched ($since_m3)" [ "$(session_field rs1 m3 ipv4 since)" = "$since_m3" ]
expect_routes m2 rs1 "45.1.1.0/24 45.1.6.0/24 45.1.7.0/24 45.1.8.0/24 45.3.1.0/24"

echo "-- the ROA table loaded once (PUT /v1/roas) and named by version"
api PUT /v1/roas "$(jq -c '{version: "lab-roas-1", roas: .roas}' "$LAB/policy.json")" -H 'Idempotency-Key: roas-1'
check "PUT /v1/roas: 200, 4 ROAs (3 IPv4, 1 IPv6)" jqb '.version == "lab-roas-1" and .roas == 4 and .roas_v4 == 3 and .roas_v6 == 1' <<<"$BODY" >/dev/null
api GET /v1/health
check "health names the loaded table" jqb '.roas_version == "lab-roas-1"' <<<"$BODY" >/dev/null
named() { rs1_state 200 | jq -c --arg v "$1" 'del(.roas) + {roas_version: $v}'; }
api PUT /v1/route-servers/rs1 "$(named lab-roas-2)"
check "a state naming a table the adapter lacks: 409 naming it, nothing applied" \
	jqb '.status == 409 and (.detail | test("lab-roas-2 is not loaded \\(loaded: lab-roas-1\\)"))' <<<"$BODY" >/dev/null
check "... bird.conf unchanged" [ "$(sha256sum <"$TMP/rs1/bird.conf")" = "$conf_before" ]
api PUT /v1/route-servers/rs1 "$(named lab-roas-1)"
check "the same state naming the loaded table: 200" [ "$STATUS" = 200 ]
check "... renders byte for byte what the ROAs inline rendered" [ "$(sha256sum <"$TMP/rs1/bird.conf")" = "$conf_before" ]
check "... m3's session kept its uptime ($since_m3)" [ "$(session_field rs1 m3 ipv4 since)" = "$since_m3" ]
expect_routes m2 rs1 "45.1.1.0/24 45.1.6.0/24 45.1.7.0/24 45.1.8.0/24 45.3.1.0/24"
expect_routes m3 rs1 "45.1.1.0/24 45.1.4.0/24 45.1.5.0/24 45.1.7.0/24 45.2.1.0/24 45.22.0.0/24"

echo "-- the receive limit disables a session; enable brings it back"
api PUT /v1/route-servers/rs2 "$(rs2_state 3)"
check "PUT rs2 with m1's limit at 3 (m1 sends 8): 200" [ "$STATUS" = 200 ]
limit_hit() { [ "$(session_field rs2 m1 ipv4 limit_hit)" = true ]; }
check "m1's session on rs2 is disabled by its limit" wait_for 5 limit_hit
api GET /v1/route-servers/rs2/sessions/m1
check "... state down, the limit hit, BIRD's last error" \
	jqb '.families[] | select(.family == "ipv4") | .state == "down" and .limit_hit == true and
		(.last_error | test("limit"))' <<<"$BODY" >/dev/null
echo "    $(jq -c '.families[0] | {state, info, last_error, limit_hit}' <<<"$BODY")"
check "m1 is down on rs2 only: still established with rs1" established m1 rs1
gone() { [ -z "$(routes m2 rs2 | grep -o '45\.1\.')" ]; }
check "m2 no longer learns m1's routes from rs2" wait_for 5 gone
# The member withdraws its leak (its static routes); the operator re-enables.
birdc -s "$TMP/m1.ctl" disable s4 >/dev/null
check "while m1 leaks no more, the session stays disabled" [ "$(session_field rs2 m1 ipv4 state)" = down ]
api POST /v1/route-servers/rs2/sessions/m1/enable '{}' -H 'Idempotency-Key: job-9'
check "POST enable: 200 with the session's state" jqb '.id == "m1" and (.families | length) == 2' <<<"$BODY" >/dev/null
check "m1 is established with rs2 again" wait_for 10 established m1 rs2
sleep 0.5
check "... and stays so (limit 3, nothing received)" [ "$(session_field rs2 m1 ipv4 state)" = up ]
birdc -s "$TMP/m1.ctl" enable s4 >/dev/null
check "m1 sends its 8 routes again: disabled again" wait_for 5 limit_hit
api PUT /v1/route-servers/rs2 "$(rs2_state 100)"
check "a PUT with the limit at 100 (BIRD restarts a session whose limit changed): established" \
	wait_for 10 established m1 rs2
back() { [ "$(routes m2 rs2)" = "45.1.1.0/24 45.1.6.0/24 45.1.7.0/24 45.1.8.0/24 45.3.1.0/24" ]; }
check "m2 learns m1's routes from rs2 again" wait_for 10 back

echo "-- RTT probe from the route server's namespace"
# 198.51.100.0/24 and 2001:db8:7f8::/64 exist only inside the lab (the
# host's own network may be 192.0.2.0/24): an answer proves the pings left
# from rs1's namespace. 198.51.100.99 and 2001:db8:7f8::99 belong to nobody.
ip -n "$P-m1" addr add 198.51.100.1/24 dev eth0
ip -n "$P-rs1" addr add 198.51.100.251/24 dev eth0
api POST /v1/route-servers/rs1/probe \
	'{"targets":["198.51.100.1","2001:db8:7f8::2","198.51.100.99","2001:db8:7f8::99"],"count":3}'
probe=$BODY
echo "  probe of 4 targets (2 silent), 3 echoes each: ${TIME}s"
result() { jq -c --arg t "$1" '.results[] | select(.target == $t)' <<<"$probe"; }
check "POST probe: 200 for rs1, count 3, four results in order" \
	jqb '.server == "rs1" and .count == 3 and ([.results[].target] ==
		["198.51.100.1","2001:db8:7f8::2","198.51.100.99","2001:db8:7f8::99"]) and (.at | test("Z$"))' <<<"$probe" >/dev/null
check "m1 (IPv4) answered all: tx 3, rx 3, loss 0, 0 < min <= avg <= max" \
	jqb '.tx == 3 and .rx == 3 and .loss == 0 and .rtt_min_ms > 0 and .rtt_min_ms <= .rtt_avg_ms and
		.rtt_avg_ms <= .rtt_max_ms and .rtt_mdev_ms >= 0 and .time_ms >= 0' <<<"$(result 198.51.100.1)" >/dev/null
check "m2 (IPv6) answered all" jqb '.tx == 3 and .rx == 3 and .loss == 0 and .rtt_avg_ms > 0' \
	<<<"$(result 2001:db8:7f8::2)" >/dev/null
check "nobody at 198.51.100.99: tx 3, rx 0, loss 1.0, no RTT" \
	jqb '.tx == 3 and .rx == 0 and .loss == 1 and .rtt_avg_ms == null and .rtt_min_ms == null' \
	<<<"$(result 198.51.100.99)" >/dev/null
check "nobody at 2001:db8:7f8::99: loss 1.0" jqb '.rx == 0 and .loss == 1 and .rtt_avg_ms == null' \
	<<<"$(result 2001:db8:7f8::99)" >/dev/null
api POST /v1/route-servers/rs1/probe '{"targets":["192.0.2.1","-f"],"count":3}'
check "a target that is not an IP address: 400 naming targets" \
	jqb '.status == 400 and .properties[0].name == "targets"' <<<"$BODY" >/dev/null
api POST /v1/route-servers/rs1/probe '{"targets":["192.0.2.1"],"count":0}'
check "count 0: 400 naming count" jqb '.status == 400 and .properties[0].name == "count"' <<<"$BODY" >/dev/null
api POST /v1/route-servers/rs9/probe '{"targets":["192.0.2.1"],"count":1}'
check "an unknown route server: 404" [ "$STATUS" = 404 ]

echo "-- restart of the adapter"
check "SIGTERM: exit 0" stop_adapter
check "the route servers kept serving meanwhile" established m1 rs1
"$BIN" --secret-file "$TMP/secret" --port "$PORT" --server "rs1:$TMP/rs1:$P-rs1" --server "rs2:$TMP/rs2:$P-rs2" \
	2>>"$TMP/adapter.log" &
ADAPTER_PID=$!
wait_api /v1/route-servers/rs1
check "after a restart GET rs1 knows its sessions from desired.json, and BIRD runs" \
	jqb '.running == true and ([.sessions[].id] == ["m1","m2","m3"])' <<<"$BODY" >/dev/null
api GET /v1/health
check "a restarted adapter holds no ROA table (ixapid loads it again on the 409)" \
	jqb '.roas_version == null' <<<"$BODY" >/dev/null
check "neither the bearer secret nor an MD5 password is in the adapter's log" \
	lacks "$TMP/adapter.log" "$SECRET" m2-md5-secret

echo "  rs-lab took $(elapsed "$started") s"
lab_finish rs-lab
