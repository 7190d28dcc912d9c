#!/usr/bin/env bash
# `make bench`, the route servers (issue 11): render + validate (`bird -p`)
# + apply (`configure`) of 1,000 sessions on one route server, through
# ixapi-rsd's PUT /v1/route-servers/{server} (goal < 5 s), against one BIRD 2
# in a network namespace of this run (root; skipped otherwise).
#
# The desired state is generated: 1,000 members, each with an IPv4 and an
# IPv6 session (2,000 BGP protocols), an AS-SET of its own (a v4 and a v6
# prefix, its origin), a ROA for each prefix, the four filtering modes in
# turn, a password on every third, explicit limits on every fifth. Three
# PUTs: an empty state (BIRD starts; not a figure), the 1,000 sessions (BIRD
# running: the figure), then the same with one session's limit changed (the
# incremental case). Each prints the adapter's own timings (render, bird -p,
# configure) and the PUT's wall time seen by curl; BIRD's protocol count
# and the changed session's receive limit are checked, so the figures
# measure what they claim. A missed goal does not fail the run; a non-200
# does. Usage: bench/rs.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SESSIONS=${BENCH_RS_SESSIONS:-1000}
if [ "$(id -u)" != 0 ]; then
	echo "route server, $SESSIONS sessions through ixapi-rsd: SKIPPED (network namespaces need root)"
	exit 0
fi
for tool in bird birdc ip jq curl; do
	command -v "$tool" >/dev/null || { echo "bench/rs.sh: $tool is missing" >&2; exit 1; }
done
ns=brs$$
ns=${ns:0:10}
work=$(mktemp -d /tmp/ixapi-bench-rs-XXXXXX)
rsd=""
cleanup() {
	[ -z "$rsd" ] || { kill "$rsd" 2>/dev/null; wait "$rsd" 2>/dev/null; } || true
	# the BIRD this run started, by its pid file (never by name)
	[ -f "$work/rs1/bird.pid" ] && kill "$(cat "$work/rs1/bird.pid")" 2>/dev/null || true
	sleep 0.2
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# The route server's namespace: its addresses on the peering LAN (a veth
# pair within it, this kernel has no dummy links; passive sessions, no
# member connects).
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add eth0 type veth peer name eth1
ip -n "$ns" addr add 10.0.0.1/16 dev eth0
ip -n "$ns" addr add 2001:db8:100::1/64 dev eth0 nodad
ip -n "$ns" link set eth0 up
ip -n "$ns" link set eth1 up

head -c 32 /dev/urandom | base64 | tr -d '\n' >"$work/secret"
secret=$(cat "$work/secret")
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/rs1"
"$BUILD/ixapi-rsd" --secret-file "$work/secret" --port "$port" --server "rs1:$work/rs1:$ns" --log-level warn \
	2>"$work/rsd.log" &
rsd=$!
url=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -fs -H "Authorization: Bearer $secret" "$url/v1/health" >/dev/null && break; sleep 0.1; done

# state N CHANGED_LIMIT: the desired state with N sessions; session s500's
# IPv4 limit is CHANGED_LIMIT (the incremental case changes only that).
state() {
	jq -nc --argjson n "$1" --argjson changed "$2" '
	def v4(i): "10.0.\((i + 1) / 250 | floor).\((i + 1) % 250 + 2)";
	def v6(i): "2001:db8:100::\(i + 2 | tostring)";
	def p4(i): "45.\(i / 256 | floor).\(i % 256).0/24";
	def p6(i): "2a0a:\(i + 1 | tostring)::/32";
	[range(0; $n)] as $ids |
	{asn: 6777, ipv4: "10.0.0.1", ipv6: "2001:db8:100::1", lan_v4: "10.0.0.0/16", lan_v6: "2001:db8:100::/64",
	 sessions: [$ids[] as $i | {
		id: "s\($i + 1)", peer_asn: (10001 + $i), ipv4: v4($i), ipv6: v6($i),
		filtering: (["irr_and_rpki", "irr", "rpki", "tagging"][$i % 4]),
		as_set_v4: "AS-M\($i + 1)", as_set_v6: "AS-M\($i + 1)"}
		+ (if $i % 3 == 0 then {password: "md5-\($i)-bench"} else {} end)
		+ (if $i % 5 == 0 then {max_prefix_v4: 1000, max_prefix_v6: 200} else {} end)
		+ (if $i == 499 then {max_prefix_v4: $changed} else {} end)],
	 as_sets: (reduce $ids[] as $i ({}; .["AS-M\($i + 1)"] = {
		prefixes_v4: {NN: [{prefix: p4($i), exact: false, "greater-equal": 24, "less-equal": 24}]},
		prefixes_v6: {NN: [{prefix: p6($i), exact: false, "greater-equal": 32, "less-equal": 48}]},
		origins: {NN: [10001 + $i]}})),
	 roas: [$ids[] as $i | ({prefix: p4($i), maxLength: 24, asn: "AS\(10001 + $i)"},
		{prefix: p6($i), maxLength: 48, asn: "AS\(10001 + $i)"})]}'
}

# put NAME KEY FILE: PUT the state, print the adapter's timings and curl's total
put() {
	local out code total
	out=$(curl -s -o "$work/answer" -w '%{http_code} %{time_total}' -X PUT -H "Authorization: Bearer $secret" \
		-H "Idempotency-Key: $2" -H 'Content-Type: application/json' --data-binary "@$3" "$url/v1/route-servers/rs1")
	read -r code total <<<"$out"
	[ "$code" = 200 ] || { echo "bench/rs.sh: $1: $code $(cat "$work/answer")" >&2; exit 1; }
	jq -r --arg name "$1" --arg total "$total" '.timings_ms as $t |
		"\($name): render \($t.render * 10 | round / 10) ms, bird -p \($t.validate * 10 | round / 10) ms, " +
		"configure \($t.apply * 10 | round / 10) ms; PUT total \($total | tonumber * 1000 | round) ms (goal < 5000 ms)"' \
		"$work/answer"
}
bgp_protocols() { ip netns exec "$ns" birdc -s "$work/rs1/bird.ctl" show protocols | awk '$2 == "BGP"' | wc -l; }

state 0 100 >"$work/empty.json"
state "$SESSIONS" 100 >"$work/full.json"
state "$SESSIONS" 150 >"$work/one-changed.json"
echo "route server: $SESSIONS sessions (v4 and v6 each), $(jq '.as_sets | length' "$work/full.json") AS-SETs," \
	"$(jq '.roas | length' "$work/full.json") ROAs, a desired state of $(($(wc -c <"$work/full.json") / 1024)) KiB"
put "route server, BIRD started with no sessions (not a figure)" bench-0 "$work/empty.json" >/dev/null
put "route server, $SESSIONS sessions onto a running BIRD" bench-1 "$work/full.json"
[ "$(bgp_protocols)" = $((2 * SESSIONS)) ] ||
	{ echo "bench/rs.sh: BIRD runs $(bgp_protocols) BGP protocols, not $((2 * SESSIONS))" >&2; exit 1; }
put "route server, one of $SESSIONS sessions changed (incremental)" bench-2 "$work/one-changed.json"
limit=$(curl -fs -H "Authorization: Bearer $secret" "$url/v1/route-servers/rs1/sessions/s500" |
	jq -r '.families[] | select(.family == "ipv4") | .receive_limit')
[ "$limit" = 150 ] || { echo "bench/rs.sh: s500's receive limit is $limit after the change, not 150" >&2; exit 1; }

# A full RPKI table (BENCH_RS_ROAS, default 500,000 ROAs; ~700,000 exist):
# loaded once through PUT /v1/roas, then the incremental change again with
# the state naming the table instead of carrying its 2,000 ROAs inline. The
# ratio against the same change with the ROAs inline (same run) is what a session
# change costs an exchange that filters on the whole RPKI.
ROAS=${BENCH_RS_ROAS:-500000}
awk -v n="$ROAS" 'BEGIN { printf "{\"version\": \"bench-roas-1\", \"roas\": ["
	for (i = 0; i < n; i++) {
		if (i % 5 == 4)
			printf "%s{\"prefix\": \"2a0b:%x:%x::/48\", \"max_length\": 48, \"asn\": %d}", i ? "," : "",
				int(i / 65536), i % 65536, 64512 + i % 1000
		else
			printf "%s{\"prefix\": \"%d.%d.%d.0/24\", \"max_length\": 24, \"asn\": %d}", i ? "," : "",
				int(i / 65536) % 200 + 1, int(i / 256) % 256, i % 256, 64512 + i % 1000
	}
	print "]}" }' >"$work/roas.json"
out=$(curl -s -o "$work/answer" -w '%{http_code} %{time_total}' -X PUT -H "Authorization: Bearer $secret" \
	-H "Idempotency-Key: bench-roas-1" -H 'Content-Type: application/json' --data-binary "@$work/roas.json" \
	"$url/v1/roas")
read -r code total <<<"$out"
[ "$code" = 200 ] || { echo "bench/rs.sh: PUT /v1/roas: $code $(cat "$work/answer")" >&2; exit 1; }
echo "route server, a ROA table of $(jq .roas "$work/answer") ROAs ($(($(wc -c <"$work/roas.json") / 1048576)) MiB)" \
	"loaded (PUT /v1/roas): $(awk -v t="$total" 'BEGIN { printf "%d", t * 1000 }') ms"
named() { jq -c 'del(.roas) + {roas_version: "bench-roas-1"}' "$1"; }
named "$work/full.json" >"$work/named.json"
named "$work/one-changed.json" >"$work/named-changed.json"
inc_before=$(put "x" bench-3 "$work/full.json" | sed -n 's/.*PUT total \([0-9]*\) ms.*/\1/p')
put "the table into BIRD (not a figure)" bench-4 "$work/named.json" >/dev/null
named=$(put "route server, one of $SESSIONS sessions changed, with the $ROAS-ROA table (named)" bench-5 \
	"$work/named-changed.json")
echo "$named" | sed 's/ (goal < 5000 ms)//'
inc_after=$(sed -n 's/.*PUT total \([0-9]*\) ms.*/\1/p' <<<"$named")
roas_in_conf=$(grep -c ' max [0-9]* as ' "$work/rs1/bird.conf")
[ "$roas_in_conf" = "$ROAS" ] || { echo "bench/rs.sh: bird.conf holds $roas_in_conf ROAs, not $ROAS" >&2; exit 1; }
echo "route server, a session change with the full table vs with $((2 * SESSIONS)) inline ROAs (same run): $inc_after ms vs" \
	"$inc_before ms = $(awk -v a="$inc_after" -v b="$inc_before" 'BEGIN { printf "%.1f", a / b }')x"
